//! Measuring slopes: forward and central differences, and the numerical
//! gradient of a function of two parameters.

use exercise_03::{Gradient, GradientError};
use support::{Tolerance, call, check, check_close, fail};

use crate::*;

/// The workshop's example function of one variable: f(a) = a³, f'(a) = 3a².
fn cube(a: f64) -> f64 {
    a * a * a
}

/// Close enough for a difference quotient whose rounding error is about
/// 10⁻¹² here.
const QUOTIENT: Tolerance = Tolerance::Absolute(1e-9);

/// What the common wrong central differences look like, for a function `f`
/// at `x` with step `h`.
fn diagnose_central(got: f64, f: fn(f64) -> f64, x: f64, h: f64) -> &'static str {
    let central = (f(x + h) - f(x - h)) / (2.0 * h);
    let mistakes = [
        ((f(x + h) - f(x)) / h, FORWARD_WHERE_CENTRAL),
        ((f(x) - f(x - h)) / h, FORWARD_WHERE_CENTRAL),
        ((f(x + h) - f(x - h)) / h, OVER_H),
        ((f(x + h) - f(x - h)) / 2.0 * h, PRECEDENCE),
        (-central, WRONG_SIGN),
    ];
    diagnose(&got, &central, &mistakes, |a, b| QUOTIENT.accepts(*a, *b), CENTRAL)
}

#[track_caller]
fn central_of(
    f: fn(f64) -> f64,
    f_text: &str,
    x: f64,
    h: f64,
) -> (String, Result<f64, GradientError>) {
    let text = format!("central_difference({f_text}, {x:?}, {h:?})");
    let got = call(&text, CENTRAL, || exercise_03::central_difference(f, x, h));
    (text, got)
}

#[track_caller]
fn forward_of(
    f: fn(f64) -> f64,
    f_text: &str,
    x: f64,
    h: f64,
) -> (String, Result<f64, GradientError>) {
    let text = format!("forward_difference({f_text}, {x:?}, {h:?})");
    let got = call(&text, FORWARD, || exercise_03::forward_difference(f, x, h));
    (text, got)
}

#[track_caller]
fn ok_value(text: &str, got: Result<f64, GradientError>, expected: f64) -> f64 {
    got.unwrap_or_else(|e| {
        fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            format!("Ok({expected:?})"),
            "this step is a positive number, so there is nothing to report (see 'Measuring a slope' in chapter 3)",
        )
    })
}

#[test]
fn a_positive_step_passes_the_check() {
    let text = "check_step(1e-5)";
    let got = call(text, STEP, || exercise_03::check_step(1e-5));
    check(got.is_ok(), text, format!("{got:?}"), "Ok(())", STEP);
}

#[test]
fn forward_difference_of_a_cube_at_2_is_12_plus_6h_plus_h_squared() {
    // ((2 + h)³ − 8) / h = 12 + 6h + h²; with h = 0.001 that is 12.006001.
    let (text, got) = forward_of(cube, "|a| a * a * a", 2.0, 1e-3);
    let value = ok_value(&text, got, 12.006001);
    let hint = if QUOTIENT.accepts(value, 12.000001) {
        "that is the central difference; forward_difference takes one step forward only: (f(x + h) − f(x)) / h (see 'Measuring a slope' in chapter 3)"
    } else {
        FORWARD
    };
    check_close(&text, value, 12.006001, QUOTIENT, hint);
}

#[test]
fn central_difference_of_a_cube_at_2_is_12_plus_h_squared() {
    // ((2 + h)³ − (2 − h)³) / (2h) = 12 + h²; with h = 0.001 that is
    // 12.000001, a thousand times closer to f'(2) = 12 than the forward
    // difference with the same step.
    let (text, got) = central_of(cube, "|a| a * a * a", 2.0, 1e-3);
    let value = ok_value(&text, got, 12.000001);
    let hint = diagnose_central(value, cube, 2.0, 1e-3);
    check_close(&text, value, 12.000001, QUOTIENT, hint);
}

#[test]
fn central_difference_is_exact_on_a_parabola_even_with_a_big_step() {
    // f(x) = x² at x = 3 with h = 0.5: (3.5² − 2.5²) / 1 = 6 = f'(3), exactly.
    // The forward difference gives (3.5² − 9) / 0.5 = 6.5: off by h.
    fn square(x: f64) -> f64 {
        x * x
    }
    let (text, got) = central_of(square, "|x| x * x", 3.0, 0.5);
    let value = ok_value(&text, got, 6.0);
    let hint = diagnose_central(value, square, 3.0, 0.5);
    check_close(&text, value, 6.0, QUOTIENT, hint);
}

#[test]
fn numerical_gradient_of_the_autograd_example_is_12_and_16() {
    // The workshop's z = a³ + 2b² at (a, b) = (2, 4): ∂z/∂a = 3a² = 12,
    // ∂z/∂b = 4b = 16 (PyTorch printed tensor(12.) and tensor(16.)).
    let text = "numerical_gradient(|a, b| a.powi(3) + 2.0 * b * b, 2.0, 4.0, 1e-5)";
    let z = |a: f64, b: f64| a.powi(3) + 2.0 * b * b;
    let got = call(text, NUMERICAL, || exercise_03::numerical_gradient(z, 2.0, 4.0, 1e-5));
    let g = match got {
        Ok(g) => g,
        Err(e) => fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            "Ok(Gradient { dw: 12.0, db: 16.0 }) (within 1e-6)",
            NUMERICAL,
        ),
    };
    let near =
        |g: Gradient, dw: f64, db: f64| (g.dw - dw).abs() <= 1e-6 && (g.db - db).abs() <= 1e-6;
    let h = 1e-5;
    let hint = if near(g, 12.0 + 6.0 * h, 16.0 + 2.0 * h) {
        FORWARD_WHERE_CENTRAL
    } else if near(g, 24.0, 32.0) {
        OVER_H
    } else if near(g, 16.0, 12.0) {
        SWAPPED
    } else {
        NUMERICAL
    };
    check(
        near(g, 12.0, 16.0),
        text,
        grad(g),
        "Gradient { dw: 12.0, db: 16.0 } (within 1e-6)",
        hint,
    );
}

#[test]
fn numerical_gradient_moves_one_parameter_at_a_time() {
    // cost(w, b) = w·b: ∂/∂w = b = 5 and ∂/∂b = w = 3 at (3, 5). The central
    // difference is exact here; moving both parameters at once would give
    // ((3 + h)(5 + h) − (3 − h)(5 − h)) / (2h) = 8 for both.
    let text = "numerical_gradient(|w, b| w * b, 3.0, 5.0, 1e-3)";
    let got =
        call(text, NUMERICAL, || exercise_03::numerical_gradient(|w, b| w * b, 3.0, 5.0, 1e-3));
    match got {
        Ok(g) => check(
            QUOTIENT.accepts(g.dw, 5.0) && QUOTIENT.accepts(g.db, 3.0),
            text,
            grad(g),
            "Gradient { dw: 5.0, db: 3.0 } (within 1e-9)",
            diagnose_numerical(g, Gradient { dw: 5.0, db: 3.0 }, NUMERICAL),
        ),
        Err(e) => fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            "Ok(Gradient { dw: 5.0, db: 3.0 })",
            NUMERICAL,
        ),
    }
}
