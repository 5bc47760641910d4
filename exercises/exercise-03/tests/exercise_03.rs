//! The tests of exercise 03, "Gradients".
//!
//! Run them with `cargo test -p exercise-03`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter 3
//! to read. Start with the first failing test: the functions build on each
//! other in the order of `src/lib.rs`.
//!
//! Three kinds of tests:
//! - known values, worked out by hand (three points on the line y = 2x + 1,
//!   the lecture's house tables, the workshop's autograd example);
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones), and agreement with the reference solution;
//! - snapshots of what your code produces, compared with the files in
//!   `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::Debug;

use exercise_03::{FeatureGradient, Gradient, GradientError};
use proptest::prelude::*;
use support::{Tolerance, call, check, fail};

#[path = "exercise_03/one_input.rs"]
mod one_input;

#[path = "exercise_03/many_inputs.rs"]
mod many_inputs;

#[path = "exercise_03/finite_differences.rs"]
mod finite_differences;

#[path = "exercise_03/gradient_check.rs"]
mod gradient_check;

#[path = "exercise_03/errors.rs"]
mod errors;

#[path = "exercise_03/properties.rs"]
mod properties;

#[path = "exercise_03/snapshots.rs"]
mod snapshots;

// ---------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------

/// Three points on the line y = 2x + 1, the chapter's hand-worked example.
pub use support::data::{THREE_X, THREE_Y};

/// The lecture's house table.
pub use support::data::{HOUSE_PRICES, HOUSE_SIZES};

/// The workshop's untrained model (PyTorch, `torch.manual_seed(100)`).
pub const UNTRAINED_W: f64 = -0.7767;
pub const UNTRAINED_B: f64 = 0.6317;

/// The lecture's second house table: size (sq ft) and bedrooms ...
pub fn two_feature_houses() -> Vec<Vec<f64>> {
    vec![vec![1200.0, 2.0], vec![1500.0, 3.0], vec![2000.0, 3.0], vec![3000.0, 4.0]]
}
/// ... and price in thousands of dollars.
pub const TWO_FEATURE_PRICES: [f64; 4] = [300.0, 400.0, 480.0, 520.0];

// ---------------------------------------------------------------------------
// The hints
// ---------------------------------------------------------------------------

pub const CHECK_EXAMPLES: &str = "check_examples looks for different lengths first, then for no examples, then for values that are not finite, in x and then in y (see 'When the inputs are wrong' in chapter 3)";
pub const ERRORS: &str = "the error of an example is its prediction minus its target, eᵢ = w·xᵢ + b − yᵢ, one for each example in order (see 'The gradient of the mean squared error' in chapter 3)";
pub const GRADIENT: &str = "dw = 2·mean(eᵢ·xᵢ) and db = 2·mean(eᵢ), with the errors eᵢ = ŷᵢ − yᵢ (see 'The gradient of the mean squared error' in chapter 3)";
pub const HALF: &str = "with the ½ convention the 2 cancels: dw = mean(eᵢ·xᵢ), db = mean(eᵢ), half of mse_gradient (see 'The ½ convention' in chapter 3)";
pub const CHECK_FEATURES: &str = "check_feature_examples looks for a row count that differs from the number of targets, then for no examples, then row by row for a wrong length or a value that is not finite, then at the targets (see 'When the inputs are wrong' in chapter 3)";
pub const ERRORS_FEATURES: &str = "the error of row i is w·xs[i] + b − y[i], with the dot product of exercise 02; one error per row, in order (see 'Many inputs' in chapter 3)";
pub const FEATURES: &str = "∇w = (2/N)·Xᵀe: dw[j] = (2/N)·Σᵢ eᵢ·xs[i][j], one entry per feature; db = (2/N)·Σᵢ eᵢ (see 'Many inputs' in chapter 3)";
pub const STEP: &str = "check_step accepts a finite h greater than 0 and returns GradientError::BadStep { h } for anything else (see 'Measuring a slope' in chapter 3)";
pub const FORWARD: &str = "the forward difference is (f(x + h) − f(x)) / h, after check_step(h)? (see 'Measuring a slope' in chapter 3)";
pub const CENTRAL: &str = "the central difference is (f(x + h) − f(x − h)) / (2h), after check_step(h)? (see 'Measuring a slope' in chapter 3)";
pub const NUMERICAL: &str = "dw is the central difference of |w| cost(w, b) at w, with b held fixed, and db that of |b| cost(w, b) at b, with w held fixed (see 'Measuring a gradient' in chapter 3)";
pub const RELATIVE: &str =
    "the relative error is |a − n| / max(|a|, |n|, TINY) (see 'The gradient check' in chapter 3)";
pub const CHECK: &str = "check_mse_gradient takes the analytic gradient from mse_gradient, the numerical one from numerical_gradient of the cost closure with GRADIENT_CHECK_STEP, and the relative_error of dw and of db (see 'The gradient check' in chapter 3)";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-03/misconceptions/) checks that each mistake is caught
// by a test whose message contains its hint.
pub const NO_FACTOR_2: &str = "that is half the expected gradient: did you forget the factor 2? The square brings a 2 down, d(e²)/de = 2e, so dw = 2·mean(eᵢ·xᵢ) and db = 2·mean(eᵢ) (see 'The gradient of the mean squared error' in chapter 3)";
pub const WRONG_SIGN: &str = "that is the expected value with the wrong sign: the error is ŷ − y (prediction minus target), not y − ŷ; with y − ŷ the gradient points downhill and a step against it climbs (see 'The gradient of the mean squared error' in chapter 3)";
pub const NO_X: &str = "dw came out as 2·mean(eᵢ), the same as db: dw needs the x, 2·mean(eᵢ·xᵢ), because w multiplies x in ŷ = w·x + b (see 'The gradient of the mean squared error' in chapter 3)";
pub const SUM_NOT_MEAN: &str = "that is n times the expected gradient: you took the sum instead of the mean; divide by n, the number of examples (see 'The gradient of the mean squared error' in chapter 3)";
pub const FORGOT_HALF: &str = "that is the full gradient: half_mse_gradient must return half of mse_gradient, because the ½ cancels the 2 (see 'The ½ convention' in chapter 3)";
pub const QUARTER: &str = "that is a quarter of the full gradient: either the ½ was applied twice, or mse_gradient lacks its factor 2 and half_mse_gradient halves that (see 'The ½ convention' in chapter 3)";
pub const TRANSPOSE: &str = "that is X·e, not Xᵀ·e: dw has one entry per feature (per weight), not per example, and entry j walks down column j of X: Σᵢ eᵢ·xs[i][j] (see 'Many inputs' in chapter 3)";
pub const DW_LENGTH: &str = "dw has the wrong number of entries: it needs exactly one per weight, w.len() of them, whatever the number of examples; start it as vec![0.0; w.len()] and add eᵢ·xs[i][j] to entry j (see 'Many inputs' in chapter 3)";
pub const DW_PER_EXAMPLE: &str = "dw has the wrong number of entries: one per example, where it needs one per weight. If you sized it by the examples, start it as vec![0.0; w.len()]; if you multiplied the errors by X, that is X·e, not Xᵀ·e: entry j walks down column j of X, Σᵢ eᵢ·xs[i][j] (see 'Many inputs' in chapter 3)";
pub const FORWARD_WHERE_CENTRAL: &str = "that is the forward difference (f(x + h) − f(x)) / h, whose error is of order h; the central difference steps both ways, (f(x + h) − f(x − h)) / (2h), and its error is of order h² (see 'Why central beats forward' in chapter 3)";
pub const OVER_H: &str = "that is twice the slope: the points x − h and x + h are 2h apart, so divide by 2h, not by h (see 'Measuring a slope' in chapter 3)";
pub const ABSOLUTE: &str = "that is the absolute difference |a − n|, which grows and shrinks with the scale of the numbers: divide it by max(|a|, |n|, TINY) to get the relative error (see 'The gradient check' in chapter 3)";
pub const NO_FLOOR: &str = "with a = n = 0, |a − n| / max(|a|, |n|) is 0/0 = NaN: put TINY into the max, so that two zeros give 0 (see 'The gradient check' in chapter 3)";
pub const SWAPPED: &str = "dw and db came out swapped: dw moves the first parameter (w) with the second held fixed, and db the second (b) with the first held fixed (see 'Measuring a gradient' in chapter 3)";
pub const STEP_NOT_CHECKED: &str = "a step h that is not greater than 0 must be refused (h = 0 gives 0/0, a negative h steps the wrong way): call check_step(h)? first (see 'Measuring a slope' in chapter 3)";
pub const ZIP_TRUNCATES: &str = "zip stops at the shorter slice, so the extra values were dropped without a word: compare the lengths first and return the LengthMismatch error (see 'When the inputs are wrong' in chapter 3)";
pub const EMPTY_IS_NAN: &str = "with no examples the mean is 0/0, which is NaN: check for empty slices and return GradientError::NoExamples (see 'When the inputs are wrong' in chapter 3)";
pub const ROW_LENGTH: &str = "check every row's length against the number of weights before predicting, and return GradientError::RowLength with the row's index (see 'When the inputs are wrong' in chapter 3)";
pub const NOT_FINITE: &str = "one NaN or infinity makes the whole gradient NaN: check every value with f64::is_finite and report where it is (see 'When the inputs are wrong' in chapter 3)";
pub const LENGTHS_BEFORE_VALUES: &str = "check the lengths first, then emptiness, then the values: x and y of different lengths are a length mismatch, whatever values they hold (see 'When the inputs are wrong' in chapter 3)";
pub const X_FIRST: &str = "look through all of x first, then through y: the first value of x that is not finite is reported before any value of y, wherever it is (see 'When the inputs are wrong' in chapter 3)";
pub const REUSED_CHECK_PAIRS: &str = "that is exercise 02's check_pairs: its errors name y_hat, and no pairs is its InputError::Empty; check_examples names x and y (Argument::X, Argument::Y) and reports no examples as GradientError::NoExamples (see 'When the inputs are wrong' in chapter 3)";
pub const ROW_BY_ROW: &str = "go row by row: in each row check its length, then its values, before moving on to the next row; a bad value in row 0 comes before a short row further down (see 'When the inputs are wrong' in chapter 3)";
pub const TARGETS_LAST: &str = "the rows of features come before the targets: look at y only once every row has passed (see 'When the inputs are wrong' in chapter 3)";
pub const NAN_WEIGHT: &str = "a NaN weight gives a NaN gradient, not an error: the parameters are not checked, so that a training run that diverged (exercise 04) gets a NaN result it can recognise (see 'When the inputs are wrong' in chapter 3)";
pub const PRECEDENCE: &str = "that is (f(x + h) − f(x − h)) / 2 · h: / and * bind equally tightly and go left to right, so `/ 2.0 * h` divides by 2 and then multiplies by h; write / (2.0 * h) (see 'Measuring a slope' in chapter 3)";
pub const NO_ABS_IN_MAX: &str = "take the absolute values before the max: max(|a|, |n|, TINY), with a.abs() and n.abs(); a.max(n) of two negative gradients is negative, and the max with TINY then divides by almost nothing (see 'The gradient check' in chapter 3)";
pub const NOT_SYMMETRIC: &str = "you divided by |a| alone, or by the smaller of |a| and |n|: divide by the larger of |a| and |n|, max(|a|, |n|, TINY), so that neither side is taken for the truth and rel(a, n) = rel(n, a) (see 'The gradient check' in chapter 3)";

// ---------------------------------------------------------------------------
// Comparing numbers
// ---------------------------------------------------------------------------

/// Close enough for numbers computed in a different but correct order.
pub const TOL: Tolerance = support::compare::ROUNDING;

/// `close(got, expected)`: within [`TOL`] (an infinity matches only the same
/// infinity, NaN nothing); `same_numbers`: the same length, and close one by one.
pub use support::compare::{close, same_numbers};

/// Whether two gradients are close, component by component.
pub fn close_gradient(got: Gradient, expected: Gradient) -> bool {
    close(got.dw, expected.dw) && close(got.db, expected.db)
}

/// A slice as the learner would type it: `&[1.0, 2.0]`.
pub fn lit(values: &[f64]) -> String {
    format!("&{values:?}")
}

/// Rows as the learner would type them: `&[vec![1.0, 2.0], vec![3.0]]`.
pub fn rows_lit(rows: &[Vec<f64>]) -> String {
    let rows: Vec<String> = rows.iter().map(|r| format!("vec!{r:?}")).collect();
    format!("&[{}]", rows.join(", "))
}

/// A number as Rust prints it with `{:?}`: `2.0`, not `2`.
pub fn num(value: f64) -> String {
    format!("{value:?}")
}

/// A gradient as Rust prints it.
pub fn grad(g: Gradient) -> String {
    format!("Gradient {{ dw: {:?}, db: {:?} }}", g.dw, g.db)
}

pub use support::fixed;

/// The errors ŷᵢ − yᵢ of a line, computed here, independently of your code.
pub fn errors_of(w: f64, b: f64, x: &[f64], y: &[f64]) -> Vec<f64> {
    x.iter().zip(y).map(|(xi, yi)| w * xi + b - yi).collect()
}

/// The mean of some numbers.
pub fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = values.into_iter().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

/// The gradient of the MSE, computed here from the formula.
pub fn expected_gradient(w: f64, b: f64, x: &[f64], y: &[f64]) -> Gradient {
    let e = errors_of(w, b, x, y);
    Gradient {
        dw: 2.0 * mean(e.iter().zip(x).map(|(e, x)| e * x)),
        db: 2.0 * mean(e.iter().copied()),
    }
}

/// The mean squared error of a line, computed here.
pub fn cost_of(w: f64, b: f64, x: &[f64], y: &[f64]) -> f64 {
    mean(errors_of(w, b, x, y).into_iter().map(|e| e * e))
}

/// The hint of the one known mistake that gives exactly `got`, or
/// `fallback` when none does or when several do (then the numbers can't tell
/// the mistakes apart).
pub fn diagnose<T>(
    got: &T,
    expected: &T,
    mistakes: &[(T, &'static str)],
    same: impl Fn(&T, &T) -> bool,
    fallback: &'static str,
) -> &'static str {
    let mut hints: Vec<&'static str> = mistakes
        .iter()
        .filter(|(wrong, _)| same(got, wrong) && !same(wrong, expected))
        .map(|(_, hint)| *hint)
        .collect();
    hints.dedup();
    match hints.as_slice() {
        [hint] => hint,
        _ => fallback,
    }
}

/// What the common wrong gradients of the MSE look like. `half` is whether
/// the expected gradient carries the ½ convention.
pub fn diagnose_gradient(
    got: Gradient,
    w: f64,
    b: f64,
    x: &[f64],
    y: &[f64],
    half: bool,
) -> &'static str {
    let full = expected_gradient(w, b, x, y);
    let scale = if half { 0.5 } else { 1.0 };
    let n = x.len() as f64;
    let times = |k: f64| Gradient { dw: k * full.dw, db: k * full.db };
    let mut mistakes = vec![
        (times(-scale), WRONG_SIGN),
        (Gradient { dw: scale * full.db, db: scale * full.db }, NO_X),
        (times(scale * n), SUM_NOT_MEAN),
    ];
    if half {
        mistakes.push((times(1.0), FORGOT_HALF));
        mistakes.push((times(0.25), QUARTER));
    } else {
        mistakes.push((times(0.5), NO_FACTOR_2));
    }
    diagnose(
        &got,
        &times(scale),
        &mistakes,
        |a, b| close_gradient(*a, *b),
        if half { HALF } else { GRADIENT },
    )
}

/// What the common wrong gradients of a model with many features look like.
pub fn diagnose_feature_gradient(
    got: &FeatureGradient,
    w: &[f64],
    b: f64,
    xs: &[Vec<f64>],
    y: &[f64],
) -> &'static str {
    let n = xs.len() as f64;
    let e: Vec<f64> = xs
        .iter()
        .zip(y)
        .map(|(row, yi)| row.iter().zip(w).map(|(a, c)| a * c).sum::<f64>() + b - yi)
        .collect();
    let transposed: Vec<f64> = (0..w.len())
        .map(|j| 2.0 / n * xs.iter().zip(&e).map(|(row, ei)| row[j] * ei).sum::<f64>())
        .collect();
    let db = 2.0 * mean(e.iter().copied());
    // X·e: one entry per example, each row dotted with the errors (as far as
    // zip lets it go).
    let untransposed: Vec<f64> = xs
        .iter()
        .map(|row| 2.0 / n * row.iter().zip(&e).map(|(a, c)| a * c).sum::<f64>())
        .collect();
    // A dw of the wrong length is sized wrongly, whatever else is wrong. It
    // is X·e when its numbers are those of X·e; when X·e is all zeros (as in
    // the inputs proptest shrinks to), a zero-filled vector sized by the
    // examples looks the same, and the hint names both.
    if got.dw.len() != w.len() {
        return if !same_numbers(&got.dw, &untransposed) {
            DW_LENGTH
        } else if untransposed.iter().any(|v| *v != 0.0) {
            TRANSPOSE
        } else {
            DW_PER_EXAMPLE
        };
    }
    let scaled =
        |k: f64| FeatureGradient { dw: transposed.iter().map(|v| k * v).collect(), db: k * db };
    let mistakes = [
        (FeatureGradient { dw: untransposed, db }, TRANSPOSE),
        (scaled(0.5), NO_FACTOR_2),
        (scaled(-1.0), WRONG_SIGN),
        (scaled(n), SUM_NOT_MEAN),
    ];
    diagnose(
        got,
        &scaled(1.0),
        &mistakes,
        |a, c| same_numbers(&a.dw, &c.dw) && close(a.db, c.db),
        FEATURES,
    )
}

/// What the common wrong numerical gradients look like, against the true
/// gradient `expected`.
pub fn diagnose_numerical(
    numerical: Gradient,
    expected: Gradient,
    fallback: &'static str,
) -> &'static str {
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-4 * b.abs().max(1.0);
    let both = |g: Gradient, dw: f64, db: f64| near(g.dw, dw) && near(g.db, db);
    if both(numerical, expected.dw, expected.db) {
        fallback
    } else if both(numerical, 2.0 * expected.dw, 2.0 * expected.db) {
        OVER_H
    } else if both(numerical, expected.db, expected.dw) {
        SWAPPED
    } else {
        fallback
    }
}

/// [`diagnose_numerical`] for a numerical gradient of the mean squared error
/// of `(x, y)` at `(w, b)` with step `h`, which also recognises the forward
/// difference: its dw is off by exactly h·mean(x²) (h times half the second
/// derivative 2·mean(x²)), far more than rounding.
pub fn diagnose_numerical_mse(
    numerical: Gradient,
    (w, b, x, y): (f64, f64, &[f64], &[f64]),
    h: f64,
    fallback: &'static str,
) -> &'static str {
    let expected = expected_gradient(w, b, x, y);
    let offset = h * mean(x.iter().map(|v| v * v));
    if offset > 0.0 && (numerical.dw - (expected.dw + offset)).abs() < 0.25 * offset {
        FORWARD_WHERE_CENTRAL
    } else {
        diagnose_numerical(numerical, expected, fallback)
    }
}

// ---------------------------------------------------------------------------
// Calling your code
// ---------------------------------------------------------------------------

#[track_caller]
pub fn mse_gradient_of(
    w: f64,
    b: f64,
    x: &[f64],
    y: &[f64],
    hint: &str,
) -> (String, Result<Gradient, GradientError>) {
    let text = format!("mse_gradient({w:?}, {b:?}, {}, {})", lit(x), lit(y));
    let got = call(&text, hint, || exercise_03::mse_gradient(w, b, x, y));
    (text, got)
}

/// Checks a gradient against the value worked out by hand, and explains a
/// wrong answer.
#[track_caller]
pub fn check_gradient(
    call_text: &str,
    got: Result<Gradient, GradientError>,
    expected: Gradient,
    (w, b, x, y): (f64, f64, &[f64], &[f64]),
    half: bool,
) {
    match got {
        Ok(g) => check(
            close_gradient(g, expected),
            call_text,
            grad(g),
            format!("{} ({TOL})", grad(expected)),
            diagnose_gradient(g, w, b, x, y, half),
        ),
        Err(e) => fail(
            call_text,
            format!("Err({e:?}): \"{e}\""),
            format!("Ok({})", grad(expected)),
            "these examples have the same length, are not empty and are all finite, so there is nothing to report: return Ok with the gradient (see 'When the inputs are wrong' in chapter 3)",
        ),
    }
}

/// Checks that a call returned exactly the `expected` error, and that the
/// error's message mentions each of `mentions` (see `support::check_error`).
#[track_caller]
pub fn check_error<T: Debug>(
    call_text: &str,
    got: Result<T, GradientError>,
    expected: GradientError,
    mentions: &[&str],
    if_ok: &str,
    if_other_error: &str,
) {
    support::check_error(
        call_text,
        got,
        expected,
        mentions,
        if_ok,
        if_other_error,
        "the messages come from the #[error(...)] attributes of GradientError and of exercise 02's InputError; put them back as they were (see 'When the inputs are wrong' in chapter 3)",
    )
}

/// The hint for an error of `check_examples` (or of a function that calls
/// it) that is not the expected one: exercise 02's `check_pairs` is
/// recognised by its `y_hat` and its `InputError::Empty`.
pub fn diagnose_examples_error<T>(
    got: &Result<T, GradientError>,
    fallback: &'static str,
) -> &'static str {
    use exercise_03::{Argument, InputError};
    match got {
        Err(GradientError::Input(
            InputError::Empty
            | InputError::LengthMismatch { first: Argument::YHat, .. }
            | InputError::NotFinite { argument: Argument::YHat, .. },
        )) => REUSED_CHECK_PAIRS,
        _ => fallback,
    }
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

pub use support::explain;

/// The number of random cases each property tries.
pub const CASES: u32 = 64;

/// Runs `property` on random cases from this exercise's fixed seed (see
/// `support::properties::for_all`).
#[track_caller]
pub fn for_all<S>(strategy: S, property: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    support::properties::for_all(20_03, strategy, property)
}

/// The gradient of three fixed points, called once before a property runs,
/// so that a function that still says todo!() fails with one clear message
/// instead of one per random case.
#[track_caller]
pub fn gradient_once(hint: &str) {
    mse_gradient_of(0.0, 0.0, &THREE_X, &THREE_Y, hint).1.ok();
}

/// The value of a gradient that must be `Ok`, or the explanation why it isn't.
#[track_caller]
pub fn ok_gradient(w: f64, b: f64, x: &[f64], y: &[f64], hint: &str) -> Result<Gradient, String> {
    let (text, got) = mse_gradient_of(w, b, x, y, hint);
    got.map_err(|e| {
        explain(
            &text,
            format!("Err({e:?})"),
            "Ok(a gradient)",
            "these examples are fine: equal lengths, not empty, all finite (see 'When the inputs are wrong' in chapter 3)",
        )
    })
}
