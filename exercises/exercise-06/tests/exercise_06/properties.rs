//! Properties that hold for any data, checked on 64 random cases each.

use exercise_06::{FitError, Line, Solver};
use nalgebra::{DMatrix, DVector};
use proptest::collection::vec;
use proptest::prelude::*;
use support::{Tolerance, call};

use crate::*;

/// Points with x spread out enough for one best line: 3 to 30 of them.
fn points() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (3usize..=30)
        .prop_flat_map(|n| (vec(-100.0..100.0f64, n), vec(-100.0..100.0f64, n)))
        .prop_filter("x must vary", |(x, _)| {
            let n = x.len() as f64;
            let mean = x.iter().sum::<f64>() / n;
            x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n > 1.0
        })
}

/// A design matrix [1, features] with 1 to 3 features and 2 to 10 more rows
/// than columns, and targets; kept only when it is well conditioned
/// (κ < 1000), so that any correct solver agrees to many digits.
fn problems() -> impl Strategy<Value = (DMatrix<f64>, DVector<f64>)> {
    (1usize..=3, 2usize..=10)
        .prop_flat_map(|(p, extra)| {
            let n = p + 1 + extra;
            (Just((n, p)), vec(-10.0..10.0f64, n * p), vec(-10.0..10.0f64, n))
        })
        .prop_map(|((n, p), features, y)| {
            let features = DMatrix::from_row_slice(n, p, &features);
            (reference::add_intercept(&features), DVector::from_vec(y))
        })
        .prop_filter("well conditioned", |(x, y)| {
            reference::least_squares(x, y, reference::Solver::Qr)
                .is_ok_and(|fit| fit.condition < 1000.0)
        })
}

fn describe(x: &DMatrix<f64>, y: &DVector<f64>) -> String {
    format!("x = {}, y = {}", show_matrix(x), show_vector(y))
}

#[test]
fn fit_line_agrees_with_the_closed_form_slope_and_intercept() {
    fit_houses_once(FIT_LINE);
    for_all(points(), |(x, y)| {
        // The textbook formula for one input: slope = cov(x, y) / var(x),
        // intercept = ȳ − slope·x̄.
        let n = x.len() as f64;
        let x_mean = x.iter().sum::<f64>() / n;
        let y_mean = y.iter().sum::<f64>() / n;
        let s_xy: f64 = x.iter().zip(&y).map(|(a, b)| (a - x_mean) * (b - y_mean)).sum();
        let s_xx: f64 = x.iter().map(|a| (a - x_mean) * (a - x_mean)).sum();
        let w = s_xy / s_xx;
        let expected = Line { w, b: y_mean - w * x_mean };
        let text = format!("fit_line(&{x:?}, &{y:?})");
        let got = call(&text, FIT_LINE, || exercise_06::fit_line(&x, &y)).map_err(|e| {
            explain(&text, format!("Err({e:?})"), format!("Ok({expected:?})"), FIT_LINE)
        })?;
        let tolerance = Tolerance::Relative(1e-8);
        if tolerance.accepts(got.w, expected.w) && tolerance.accepts(got.b, expected.b) {
            return Ok(());
        }
        let hint = if tolerance.accepts(got.w, expected.b) && tolerance.accepts(got.b, expected.w) {
            SWAPPED
        } else if got.b == 0.0 {
            FORGOT_ONES
        } else {
            FIT_LINE
        };
        Err(explain(
            &text,
            format!("Ok({got:?})"),
            format!("Ok({expected:?}), from slope = cov(x, y) / var(x) and b = ȳ − slope·x̄"),
            hint,
        ))
    });
}

#[test]
fn the_gradient_of_the_mse_is_zero_at_the_least_squares_weights() {
    fit_houses_once(PIPELINE);
    for_all(problems(), |(x, y)| {
        let text = format!("least_squares(&x, &y, Solver::Qr) with {}", describe(&x, &y));
        let fit = call(&text, PIPELINE, || exercise_06::least_squares(&x, &y, Solver::Qr))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a fit)", PIPELINE))?;
        let w = &fit.coefficients;
        if w.len() != x.ncols() {
            return Err(explain(
                &text,
                show_vector(w),
                format!("{} coefficients, one per column", x.ncols()),
                PIPELINE,
            ));
        }
        // Exercise 2's model: ŷ = w·x + b, with b = coefficient 0 (the ones).
        let weights: Vec<f64> = w.iter().skip(1).copied().collect();
        let errors: Vec<f64> = x
            .row_iter()
            .zip(y.iter())
            .map(|(row, target)| {
                let features: Vec<f64> = row.iter().skip(1).copied().collect();
                solution_02::predict_features(&weights, w[0], &features).expect("same lengths")
                    - target
            })
            .collect();
        // ∂J/∂w_j = (2/n) Σ errorᵢ·x_ij: zero for every column, up to rounding.
        let n = y.len() as f64;
        for (j, column) in x.column_iter().enumerate() {
            let gradient: f64 =
                2.0 / n * errors.iter().zip(column.iter()).map(|(e, v)| e * v).sum::<f64>();
            let size: f64 =
                2.0 / n * errors.iter().zip(column.iter()).map(|(e, v)| (e * v).abs()).sum::<f64>();
            if gradient.abs() > 1e-9 * size + 1e-12 {
                return Err(explain(
                    &text,
                    format!("coefficients {} where ∂J/∂w{j} = {gradient:e}", show_vector(w)),
                    "weights where every partial derivative of the MSE is 0, up to rounding",
                    PIPELINE,
                ));
            }
        }
        Ok(())
    });
}

#[test]
fn the_solvers_agree_with_the_reference() {
    fit_houses_once(PIPELINE);
    for_all(problems(), |(x, y)| {
        let case = describe(&x, &y);
        let expected = reference::normal_equations(&x, &y);
        let text = format!("normal_equations(&x, &y) with {case}");
        let got = call(&text, NORMAL_EQUATIONS, || exercise_06::normal_equations(&x, &y));
        if !same_matrix(&got.0, &expected.0) || !same_vector(&got.1, &expected.1) {
            return Err(explain(
                &text,
                format!("({}, {})", show_matrix(&got.0), show_vector(&got.1)),
                format!("({}, {})", show_matrix(&expected.0), show_vector(&expected.1)),
                NORMAL_EQUATIONS,
            ));
        }
        let expected = reference::least_squares(&x, &y, reference::Solver::Qr)
            .expect("a well-conditioned problem")
            .coefficients;
        let tolerance = Tolerance::Relative(1e-8);
        let agree = |w: &DVector<f64>| {
            w.len() == expected.len()
                && w.iter().zip(expected.iter()).all(|(g, e)| tolerance.accepts(*g, *e))
        };
        let text = format!("solve_normal_equations(&x, &y) with {case}");
        let got = call(&text, SOLVE_NORMAL, || exercise_06::solve_normal_equations(&x, &y));
        if !got.as_ref().is_some_and(agree) {
            return Err(explain(
                &text,
                format!("{got:?}"),
                format!("Some({})", show_vector(&expected)),
                SOLVE_NORMAL,
            ));
        }
        let text = format!("solve_qr(&x, &y) with {case}");
        let got = call(&text, SOLVE_QR, || exercise_06::solve_qr(&x, &y));
        if !got.as_ref().is_some_and(agree) {
            return Err(explain(
                &text,
                format!("{got:?}"),
                format!("Some({})", show_vector(&expected)),
                SOLVE_QR,
            ));
        }
        Ok(())
    });
}

#[test]
fn a_repeated_column_is_always_named() {
    call("check_rank(&x) with x = [1, size] of the house table", CHECK_RANK, || {
        exercise_06::check_rank(&house_design())
    })
    .ok();
    let cases = problems().prop_flat_map(|(x, y)| {
        let p = x.ncols();
        (Just(x), Just(y), 0..p)
    });
    for_all(cases, |(x, _y, k)| {
        // Append a copy of column k: the new last column adds no direction.
        let p = x.ncols();
        let copied = x.column(k).into_owned();
        let x = x.insert_column(p, 0.0);
        let mut x = x;
        x.set_column(p, &copied);
        let expected = FitError::DependentColumns { column: p, combination: vec![(k, 1.0)] };
        let text = format!(
            "check_rank(&x) with x = {} (column {p} is a copy of column {k})",
            show_matrix(&x)
        );
        let got = call(&text, CHECK_RANK, || exercise_06::check_rank(&x));
        match got {
            Err(e) if e == expected => Ok(()),
            Ok(()) => {
                Err(explain(&text, "Ok(())", format!("Err({expected:?})"), NO_SINGULARITY_CHECK))
            }
            Err(e) => {
                Err(explain(&text, format!("Err({e:?})"), format!("Err({expected:?})"), CHECK_RANK))
            }
        }
    });
}

#[test]
fn an_estimate_off_by_one_part_in_ten_to_the_d_has_d_correct_digits() {
    call("log_relative_error(1.0001, 1.0)", LRE, || exercise_06::log_relative_error(1.0001, 1.0));
    let cases = (0.5..13.5f64, 1e-3..1e3f64, any::<bool>());
    for_all(cases, |(digits, magnitude, negative)| {
        let certified = if negative { -magnitude } else { magnitude };
        let estimate = certified * (1.0 + 10f64.powf(-digits));
        let text = format!("log_relative_error({estimate:?}, {certified:?})");
        let got = call(&text, LRE, || exercise_06::log_relative_error(estimate, certified));
        if Tolerance::Absolute(0.01).accepts(got, digits) {
            return Ok(());
        }
        let hint = if Tolerance::Absolute(0.05).accepts(got, digits * std::f64::consts::LN_10) {
            LRE_NATURAL_LOG
        } else {
            LRE
        };
        Err(explain(
            &text,
            got,
            format!("{digits:.2} (within 0.01): the estimate is off by one part in 10^{digits:.2}"),
            hint,
        ))
    });
}
