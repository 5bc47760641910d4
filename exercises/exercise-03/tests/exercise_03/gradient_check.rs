//! The relative error, and the gradient check that uses it.

use exercise_03::{GRADIENT_CHECK_STEP, GRADIENT_CHECK_THRESHOLD, Gradient, GradientCheck, TINY};
use support::{Tolerance, call, check, check_close, fail};

use crate::*;

/// The relative error of two fixed numbers, compared with the value worked
/// out by hand.
#[track_caller]
fn check_relative_error(a: f64, n: f64, expected: f64) {
    let text = format!("relative_error({a:?}, {n:?})");
    let got = call(&text, RELATIVE, || exercise_03::relative_error(a, n));
    let difference = (a - n).abs();
    let hint = if got.is_nan() && a == 0.0 && n == 0.0 {
        NO_FLOOR
    } else if close(got, difference) && !close(difference, expected) {
        ABSOLUTE
    } else if close(got, difference / (a.abs() + n.abs())) {
        "you divided by |a| + |n|; the relative error divides by the larger of the two, max(|a|, |n|, TINY) (see 'The gradient check' in chapter 3)"
    } else if close(got, difference / a.abs().min(n.abs())) {
        NOT_SYMMETRIC
    } else if close(got, difference / a.max(n).max(TINY)) {
        NO_ABS_IN_MAX
    } else {
        RELATIVE
    };
    check_close(&text, got, expected, Tolerance::Relative(1e-12), hint);
}

#[test]
fn relative_error_of_2_and_1_is_one_half() {
    check_relative_error(2.0, 1.0, 0.5);
}

#[test]
fn relative_error_of_tiny_gradients_is_not_tiny() {
    // Two gradients of the size 10⁻⁹, one twice the other: a real mistake.
    // Their absolute difference, 10⁻⁹, would pass any absolute threshold.
    check_relative_error(2e-9, 1e-9, 0.5);
}

#[test]
fn relative_error_of_huge_gradients_that_agree_is_small() {
    // Two gradients of the size 10⁶ that agree to eight digits: their
    // absolute difference, 0.01, would fail an absolute threshold of 10⁻⁶.
    check_relative_error(1_000_000.01, 1_000_000.0, 0.01 / 1_000_000.01);
}

#[test]
fn relative_error_of_opposite_signs_is_2() {
    // 3 and −3: the sign flipped; |3 − (−3)| / 3 = 2.
    check_relative_error(3.0, -3.0, 2.0);
}

#[test]
fn relative_error_is_the_same_both_ways() {
    // Neither side is the truth: 2 against 4 is as far apart as 4 against 2.
    check_relative_error(2.0, 4.0, 0.5);
}

#[test]
fn relative_error_of_two_negative_gradients_is_one_half() {
    // Gradients are often negative: |−2 − (−1)| / max(2, 1) = 0.5.
    check_relative_error(-2.0, -1.0, 0.5);
}

#[test]
fn relative_error_of_0_and_0_is_0() {
    // Two zeros agree perfectly: 0 / TINY = 0, not 0/0 = NaN.
    check_relative_error(0.0, 0.0, 0.0);
}

#[track_caller]
fn check_of(w: f64, b: f64, x: &[f64], y: &[f64]) -> (String, GradientCheck) {
    let text = format!("check_mse_gradient({w:?}, {b:?}, {}, {})", lit(x), lit(y));
    let got = call(&text, CHECK, || exercise_03::check_mse_gradient(w, b, x, y));
    match got {
        Ok(report) => (text, report),
        Err(e) => fail(
            &text,
            format!("Err({e:?}): \"{e}\""),
            "Ok(a GradientCheck)",
            "these examples are fine, so there is nothing to report (see 'When the inputs are wrong' in chapter 3)",
        ),
    }
}

/// Why a check of the gradient at `(w, b)` on `(x, y)` that should pass did
/// not.
pub fn diagnose_check(report: &GradientCheck, data: (f64, f64, &[f64], &[f64])) -> &'static str {
    let (w, b, x, y) = data;
    let expected = expected_gradient(w, b, x, y);
    let a = report.analytic;
    let n = report.numerical;
    if !close_gradient(a, expected) {
        return diagnose_gradient(a, w, b, x, y, false);
    }
    if (n.dw - expected.dw).abs() > 1e-6 * expected.dw.abs().max(1.0)
        || (n.db - expected.db).abs() > 1e-6 * expected.db.abs().max(1.0)
    {
        return diagnose_numerical_mse(
            n,
            data,
            GRADIENT_CHECK_STEP,
            "the numerical gradient is far from the analytic one: measure the mean squared error with numerical_gradient and GRADIENT_CHECK_STEP, and check central_difference (see 'The gradient check' in chapter 3)",
        );
    }
    let absolute_dw = (a.dw - n.dw).abs();
    let absolute_db = (a.db - n.db).abs();
    if close(report.relative_error_dw, absolute_dw) && close(report.relative_error_db, absolute_db)
    {
        return ABSOLUTE;
    }
    CHECK
}

#[test]
fn gradient_check_of_three_points_passes() {
    let (text, report) = check_of(0.0, 0.0, &THREE_X, &THREE_Y);
    let expected = Gradient { dw: -68.0 / 3.0, db: -10.0 };
    check(
        close_gradient(report.analytic, expected),
        &text,
        format!("analytic: {}", grad(report.analytic)),
        format!("analytic: {}", grad(expected)),
        diagnose_gradient(report.analytic, 0.0, 0.0, &THREE_X, &THREE_Y, false),
    );
    check(
        report.passed(),
        &text,
        format!("{report:?}, which did not pass"),
        format!(
            "both relative errors at most GRADIENT_CHECK_THRESHOLD = {GRADIENT_CHECK_THRESHOLD:e}"
        ),
        diagnose_check(&report, (0.0, 0.0, &THREE_X, &THREE_Y)),
    );
}

#[test]
fn gradient_check_reports_relative_errors_that_match_its_gradients() {
    let (text, report) = check_of(3.0, 1.0, &THREE_X, &THREE_Y);
    let expected_dw = (report.analytic.dw - report.numerical.dw).abs()
        / report.analytic.dw.abs().max(report.numerical.dw.abs());
    let expected_db = (report.analytic.db - report.numerical.db).abs()
        / report.analytic.db.abs().max(report.numerical.db.abs());
    let agrees = |got: f64, expected: f64| {
        (got - expected).abs() <= 1e-9 * expected.max(1e-300) || got == expected
    };
    check(
        agrees(report.relative_error_dw, expected_dw)
            && agrees(report.relative_error_db, expected_db),
        &text,
        format!(
            "relative_error_dw: {:e}, relative_error_db: {:e}",
            report.relative_error_dw, report.relative_error_db
        ),
        format!(
            "relative_error_dw: {expected_dw:e}, relative_error_db: {expected_db:e}, the relative errors of its own analytic and numerical gradients"
        ),
        if agrees(report.relative_error_dw, (report.analytic.dw - report.numerical.dw).abs()) {
            ABSOLUTE
        } else {
            CHECK
        },
    );
}

#[test]
fn gradient_check_passes_at_the_scale_of_the_house_table() {
    // The untrained model on the house table: the gradient is about
    // (−1.2·10⁶, −1.3·10³), and rounding leaves the numerical gradient a few
    // millionths away from the analytic one. Relative to the size of the
    // gradient that is nothing; as an absolute difference it is more than
    // the threshold.
    let (text, report) = check_of(UNTRAINED_W, UNTRAINED_B, &HOUSE_SIZES, &HOUSE_PRICES);
    check(
        report.passed(),
        &text,
        format!("{report:?}, which did not pass"),
        format!(
            "both relative errors at most GRADIENT_CHECK_THRESHOLD = {GRADIENT_CHECK_THRESHOLD:e}"
        ),
        diagnose_check(&report, (UNTRAINED_W, UNTRAINED_B, &HOUSE_SIZES, &HOUSE_PRICES)),
    );
}
