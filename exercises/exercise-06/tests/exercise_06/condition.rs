//! Conditioning: condition_number, and what least_squares does with it.

use exercise_06::{FitError, Solver};
use nalgebra::DMatrix;
use support::{call, check_close, fail};

use crate::*;

/// What a wrong κ looks like, given the right one.
fn diagnose_condition(got: f64, expected: f64) -> &'static str {
    if close(got, expected * expected) {
        CONDITION_SQUARED
    } else if close(got, 1.0 / expected) {
        "that is the smallest singular value over the largest: κ = σ_max / σ_min, which is never less than 1 (see 'Conditioning' in chapter 6)"
    } else {
        CONDITION
    }
}

#[track_caller]
fn check_condition(x: DMatrix<f64>, expected: f64) {
    let text = format!("condition_number(&x) with x = {}", show_matrix(&x));
    let got = call(&text, CONDITION, || exercise_06::condition_number(&x));
    check_close(&text, got, expected, TOL, diagnose_condition(got, expected));
}

#[test]
fn condition_number_is_the_ratio_of_the_extreme_singular_values() {
    // The singular values of this matrix are 2 and 0.002.
    check_condition(matrix(&[&[2.0, 0.0], &[0.0, 0.002], &[0.0, 0.0]]), 1000.0);
}

#[test]
fn condition_number_of_orthonormal_columns_is_one() {
    // Orthonormal columns stretch no direction more than another.
    check_condition(matrix(&[&[0.6, 0.8], &[0.8, -0.6], &[0.0, 0.0]]), 1.0);
}

#[test]
fn least_squares_reports_the_condition_number_of_the_scaled_columns() {
    let (x, y) = (house_design(), house_prices());
    let text =
        "least_squares(&x, &y, Solver::Qr) with x = [1, size] of the house table, then .condition";
    let got = call(text, PIPELINE, || exercise_06::least_squares(&x, &y, Solver::Qr));
    let expected = reference::least_squares(&x, &y, reference::Solver::Qr)
        .expect("the house table fits")
        .condition;
    let fit = expect_ok(text, got, "a Fit", PIPELINE);
    check_close(text, fit.condition, expected, TOL, diagnose_condition(fit.condition, expected));
}

#[test]
fn least_squares_refuses_the_normal_equations_on_filip() {
    // κ(X) ≈ 5·10⁹ after column scaling; XᵀX squares it to ≈ 3·10¹⁹, and
    // Cholesky "succeeds" with no correct digit. The condition number is the
    // only warning.
    let data = nist("Filip");
    let x = data.design_matrix();
    let text = "least_squares(&x, &y, Solver::Normal) on NIST's Filip (a polynomial of degree 10)";
    let got = call(text, PIPELINE, || exercise_06::least_squares(&x, &data.y, Solver::Normal));
    let expected = reference::least_squares(&x, &data.y, reference::Solver::Qr)
        .expect("Filip fits with QR")
        .condition;
    match got {
        Err(FitError::IllConditioned { solver: Solver::Normal, condition }) => {
            check_close(
                text,
                condition,
                expected,
                Tolerance::Relative(1e-6),
                diagnose_condition(condition, expected),
            );
        }
        Ok(fit) => fail(
            text,
            format!("Ok(a fit with condition {:.2e})", fit.condition),
            format!("Err(IllConditioned {{ solver: Normal, condition: {expected:.2e} }})"),
            "least_squares refuses the normal equations when condition² > NORMAL_EQUATIONS_LIMIT; it got your condition_number's value: check it on the small examples first (see 'Conditioning' in chapter 6)",
        ),
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            format!("Err(IllConditioned {{ solver: Normal, condition: {expected:.2e} }})"),
            "Filip's columns are nearly dependent but not quite: check_rank must accept them, and the condition number must refuse the normal equations (see 'Conditioning' in chapter 6)",
        ),
    }
}
