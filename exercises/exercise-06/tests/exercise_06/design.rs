//! The design matrix: add_intercept and polynomial_features.

use nalgebra::DMatrix;
use support::{call, fail};

use crate::*;

/// What a wrong `add_intercept(features)` looks like.
fn diagnose_intercept(got: &DMatrix<f64>, features: &DMatrix<f64>) -> &'static str {
    let ones_column = |j: usize| got.column(j).iter().all(|v| *v == 1.0);
    if got == features {
        return NO_ONES;
    }
    if got.ncols() == features.ncols() + 1 && got.nrows() == features.nrows() {
        let last = got.ncols() - 1;
        if !ones_column(0) && ones_column(last) && got.columns(0, last) == features.columns(0, last)
        {
            return ONES_LAST;
        }
    }
    ADD_INTERCEPT
}

#[track_caller]
fn check_intercept(features: DMatrix<f64>, expected: DMatrix<f64>) {
    let text = format!("add_intercept(&x) with x = {}", show_matrix(&features));
    let got = call(&text, ADD_INTERCEPT, || exercise_06::add_intercept(&features));
    if got != expected {
        fail(&text, show_matrix(&got), show_matrix(&expected), diagnose_intercept(&got, &features));
    }
}

#[test]
fn add_intercept_puts_a_column_of_ones_in_front() {
    check_intercept(
        matrix(&[&[2.0], &[3.0], &[5.0]]),
        matrix(&[&[1.0, 2.0], &[1.0, 3.0], &[1.0, 5.0]]),
    );
}

#[test]
fn add_intercept_keeps_every_feature_in_order() {
    check_intercept(
        matrix(&[&[7.0, -2.0, 0.5], &[4.0, 8.0, 9.0]]),
        matrix(&[&[1.0, 7.0, -2.0, 0.5], &[1.0, 4.0, 8.0, 9.0]]),
    );
}

/// What a wrong `polynomial_features(x, degree)` looks like.
fn diagnose_polynomial(got: &DMatrix<f64>, x: &[f64], degree: usize) -> &'static str {
    if got.ncols() > 0 && got.nrows() == x.len() && got.column(0).iter().all(|v| *v == 1.0) {
        return POLYNOMIAL_FROM_X0;
    }
    if degree == 0 && got.ncols() == 1 && got.column(0).iter().eq(x.iter()) {
        return DEGREE_ZERO;
    }
    // The right values, listed row by row and then poured down the columns.
    let powers = DMatrix::from_fn(x.len(), degree, |i, k| x[i].powi(k as i32 + 1));
    let poured = DMatrix::from_iterator(x.len(), degree, powers.transpose().iter().copied());
    if degree > 1 && x.len() > 1 && same_matrix(got, &poured) {
        return ROW_MAJOR;
    }
    POLYNOMIAL
}

#[track_caller]
fn check_polynomial(x: &[f64], degree: usize, expected: DMatrix<f64>) {
    let text = format!("polynomial_features(&{x:?}, {degree})");
    let got = call(&text, POLYNOMIAL, || exercise_06::polynomial_features(x, degree));
    if !same_matrix(&got, &expected) {
        fail(
            &text,
            show_matrix(&got),
            show_matrix(&expected),
            diagnose_polynomial(&got, x, degree),
        );
    }
}

#[test]
fn polynomial_features_are_the_powers_of_x() {
    check_polynomial(
        &[2.0, -3.0, 0.5],
        3,
        matrix(&[&[2.0, 4.0, 8.0], &[-3.0, 9.0, -27.0], &[0.5, 0.25, 0.125]]),
    );
}

#[test]
fn polynomial_features_of_degree_one_is_the_column_x() {
    check_polynomial(&[1.5, 2.5, -4.0, 0.0], 1, matrix(&[&[1.5], &[2.5], &[-4.0], &[0.0]]));
}

#[test]
fn polynomial_features_of_four_points_to_the_cube() {
    // More rows than columns: each row is one example, x, x², x³.
    check_polynomial(
        &[1.0, 2.0, -1.0, 3.0],
        3,
        matrix(&[&[1.0, 1.0, 1.0], &[2.0, 4.0, 8.0], &[-1.0, 1.0, -1.0], &[3.0, 9.0, 27.0]]),
    );
}

#[test]
fn polynomial_features_of_degree_zero_has_no_columns() {
    check_polynomial(&[1.0, 2.0, 3.0], 0, DMatrix::zeros(3, 0));
}

/// A NIST data set's design matrix, built with your functions: the powers
/// of x (or the predictors as they are), and the ones when the model has an
/// intercept.
fn your_design_matrix(data: &reference::nist::Dataset, text: &str) -> DMatrix<f64> {
    let (features, intercept) = match data.model {
        reference::nist::Model::Polynomial { degree, intercept } => {
            let x: Vec<f64> = data.x.column(0).iter().copied().collect();
            let features = call(text, POLYNOMIAL, || exercise_06::polynomial_features(&x, degree));
            (features, intercept)
        }
        reference::nist::Model::Linear { intercept } => (data.x.clone(), intercept),
    };
    if intercept {
        call(text, ADD_INTERCEPT, || exercise_06::add_intercept(&features))
    } else {
        features
    }
}

#[test]
fn nist_design_matrices_match_the_reference() {
    for name in reference::nist::names() {
        let data = nist(name);
        let text = match data.model {
            reference::nist::Model::Polynomial { degree, intercept: true } => {
                format!("add_intercept(&polynomial_features(&x, {degree})) for NIST's {name}")
            }
            reference::nist::Model::Polynomial { degree, intercept: false } => {
                format!("polynomial_features(&x, {degree}) for NIST's {name}")
            }
            reference::nist::Model::Linear { .. } => {
                format!("add_intercept(&x) for NIST's {name}, x its 6 predictors")
            }
        };
        let got = your_design_matrix(&data, &text);
        let expected = data.design_matrix();
        let close_enough = got.shape() == expected.shape()
            && got
                .iter()
                .zip(expected.iter())
                .all(|(g, e)| Tolerance::Relative(1e-13).accepts(*g, *e));
        if !close_enough {
            let x: Vec<f64> = data.x.column(0).iter().copied().collect();
            let degree = match data.model {
                reference::nist::Model::Polynomial { degree, .. } => degree,
                reference::nist::Model::Linear { .. } => 1,
            };
            let hint = if got.shape() != expected.shape() {
                diagnose_polynomial(&got, &x, degree)
            } else {
                diagnose_intercept(&got, &expected.columns(1, expected.ncols() - 1).into_owned())
            };
            let hint = if hint == ADD_INTERCEPT { POLYNOMIAL } else { hint };
            fail(
                &text,
                format!(
                    "a {}×{} matrix, first row {:?}",
                    got.nrows(),
                    got.ncols(),
                    got.row(0).iter().collect::<Vec<_>>()
                ),
                format!(
                    "a {}×{} matrix, first row {:?} (the model: {})",
                    expected.nrows(),
                    expected.ncols(),
                    expected.row(0).iter().collect::<Vec<_>>(),
                    data.model
                ),
                hint,
            );
        }
    }
}
