//! # Exercise 03: gradients
//!
//! The cost of chapter 2 says how wrong a line is. Its gradient says which
//! way to move the line to make it less wrong: how fast the cost grows when
//! the weight `w` grows a little, and how fast when the bias `b` does.
//! Training (exercise 04) steps against the gradient, again and again.
//!
//! This crate computes the gradient of the mean squared error three ways and
//! checks them against each other:
//!
//! 1. **By formula, one input** ([`errors`], [`mse_gradient`],
//!    [`half_mse_gradient`]): `dJ/dw = 2·mean(error·x)`,
//!    `dJ/db = 2·mean(error)`.
//! 2. **By formula, many inputs** ([`errors_features`],
//!    [`mse_gradient_features`]): `∇w = (2/N)·Xᵀ(Xw + b − y)`.
//! 3. **By measuring** ([`forward_difference`], [`central_difference`],
//!    [`numerical_gradient`]): nudge a parameter a little each way and watch
//!    the cost. [`relative_error`] and [`check_mse_gradient`] compare the
//!    measurement with the formula, the way every careful implementation of
//!    a gradient is tested.
//!
//! Work from the top of the file down; each function may use the ones above
//! it. Chapter 3 of the book, "Gradients", explains every step.

/// The error type and argument names of exercise 02, reused here for the
/// problems it already describes (see [`GradientError::Input`]).
pub use solution_02::{Argument, InputError};
#[allow(unused_imports)]
use solution_02::{predict, predict_features, squared_error};
use thiserror::Error;

// ---------------------------------------------------------------------------
// One input: the formula
// ---------------------------------------------------------------------------

// ANCHOR: gradient
/// The gradient of a cost `J(w, b)` with respect to the two parameters of a
/// line: how fast the cost changes when `w` moves, and when `b` moves.
///
/// ```text
/// dw = ∂J/∂w        db = ∂J/∂b
/// ```
///
/// A positive `dw` says the cost rises as `w` grows, so a step that lowers
/// the cost makes `w` smaller: training moves against the gradient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gradient {
    /// ∂J/∂w, the slope of the cost in the direction of the weight.
    pub dw: f64,
    /// ∂J/∂b, the slope of the cost in the direction of the bias.
    pub db: f64,
}
// ANCHOR_END: gradient

// ANCHOR: check_examples
/// Checks that the inputs `x` and the targets `y` can be paired into
/// examples, and returns the first problem it finds, in this order:
///
/// 1. different lengths: [`InputError::LengthMismatch`] with `x` first and
///    `y` second (wrapped in [`GradientError::Input`]);
/// 2. no examples at all: [`GradientError::NoExamples`];
/// 3. a value that is NaN or infinite: [`InputError::NotFinite`] with its
///    index, looking through `x` first and then `y` (wrapped in
///    [`GradientError::Input`]).
///
/// An `InputError` becomes a `GradientError` with `.into()`, or by itself
/// when `?` returns it from a function whose error type is `GradientError`.
pub fn check_examples(x: &[f64], y: &[f64]) -> Result<(), GradientError> {
    todo!(
        "return Err for different lengths, then for no examples, then for the first value of x, then of y, that is not finite; else Ok(())"
    )
}
// ANCHOR_END: check_examples

// ANCHOR: errors
/// The error of the line `ŷ = w·x + b` on every example, in order:
///
/// ```text
/// eᵢ = ŷᵢ − yᵢ = w·xᵢ + b − yᵢ
/// ```
///
/// Prediction minus target, in that order: an error is positive where the
/// line runs above the data. The examples are checked first with
/// [`check_examples`], and its error is returned as it is.
pub fn errors(w: f64, b: f64, x: &[f64], y: &[f64]) -> Result<Vec<f64>, GradientError> {
    todo!(
        "check the examples, then return ŷᵢ − yᵢ for every example, using predict from exercise 02"
    )
}
// ANCHOR_END: errors

// ANCHOR: mse_gradient
/// The gradient of the mean squared error `J(w, b) = mean((w·xᵢ + b − yᵢ)²)`
/// at the line `(w, b)`:
///
/// ```text
/// dw = ∂J/∂w = 2 · mean(eᵢ · xᵢ) = (2/n) · Σᵢ eᵢ·xᵢ
/// db = ∂J/∂b = 2 · mean(eᵢ)      = (2/n) · Σᵢ eᵢ
/// ```
///
/// where `eᵢ = ŷᵢ − yᵢ` are the [`errors`] and `n` is the number of
/// examples. Errors as in [`check_examples`]. The parameters themselves are
/// not checked: a NaN or infinite `w` or `b` gives a gradient that is not
/// finite, which is how exercise 04 will notice that training diverged.
///
/// For the three points (1, 3), (2, 5), (3, 7) and the line `w = 0, b = 0`,
/// the errors are −3, −5, −7 and the gradient is `dw = −68/3, db = −10`.
pub fn mse_gradient(w: f64, b: f64, x: &[f64], y: &[f64]) -> Result<Gradient, GradientError> {
    todo!("compute the errors, then dw = 2·mean(eᵢ·xᵢ) and db = 2·mean(eᵢ)")
}
// ANCHOR_END: mse_gradient

// ANCHOR: half_mse_gradient
/// The gradient of the mean squared error with the ½ convention,
/// `J(w, b) = mean(½·(w·xᵢ + b − yᵢ)²)`: the ½ cancels the 2 that the
/// square brings down, so
///
/// ```text
/// dw = mean(eᵢ · xᵢ)        db = mean(eᵢ)
/// ```
///
/// exactly half of [`mse_gradient`]. Errors as in [`check_examples`].
pub fn half_mse_gradient(w: f64, b: f64, x: &[f64], y: &[f64]) -> Result<Gradient, GradientError> {
    todo!("return half of mse_gradient, component by component")
}
// ANCHOR_END: half_mse_gradient

// ---------------------------------------------------------------------------
// Many inputs: the formula with a matrix
// ---------------------------------------------------------------------------

// ANCHOR: feature_gradient
/// The gradient of a cost with respect to the parameters of a linear model
/// with many features, `ŷ = w·x + b`: one partial derivative for each
/// weight, and one for the bias.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureGradient {
    /// `dw[j] = ∂J/∂wⱼ`, one entry for each weight, in the order of `w`.
    pub dw: Vec<f64>,
    /// ∂J/∂b.
    pub db: f64,
}
// ANCHOR_END: feature_gradient

// ANCHOR: check_feature_examples
/// Checks that the rows of features `xs` (one row per example:
/// `xs[i][j]` is feature `j` of example `i`), the weights `w` and the
/// targets `y` fit together, and returns the first problem it finds, in
/// this order:
///
/// 1. a different number of rows and targets: [`GradientError::RowCount`];
/// 2. no examples at all: [`GradientError::NoExamples`];
/// 3. row by row, from row 0: a row whose length is not the number of
///    weights ([`GradientError::RowLength`]), or, in that row, a feature that
///    is NaN or infinite ([`GradientError::NotFiniteFeature`], the first one);
/// 4. a target that is NaN or infinite: [`InputError::NotFinite`] with
///    argument `y` and its index (wrapped in [`GradientError::Input`]).
///
/// The weights themselves are not checked: a NaN weight gives a NaN
/// gradient, which is how exercise 04 will notice that training diverged.
pub fn check_feature_examples(w: &[f64], xs: &[Vec<f64>], y: &[f64]) -> Result<(), GradientError> {
    todo!(
        "return Err for a row count that differs from the number of targets, for no examples, for the first row of the wrong length or with a value that is not finite, then for the first target that is not finite; else Ok(())"
    )
}
// ANCHOR_END: check_feature_examples

// ANCHOR: errors_features
/// The error of the model `ŷ = w·x + b` on every example, one for each row
/// of `xs`, in order:
///
/// ```text
/// eᵢ = ŷᵢ − yᵢ = w·xᵢ + b − yᵢ        e = Xw + b − y
/// ```
///
/// The examples are checked first with [`check_feature_examples`].
pub fn errors_features(
    w: &[f64],
    b: f64,
    xs: &[Vec<f64>],
    y: &[f64],
) -> Result<Vec<f64>, GradientError> {
    todo!(
        "check the examples, then return ŷᵢ − yᵢ for every row, using predict_features from exercise 02"
    )
}
// ANCHOR_END: errors_features

// ANCHOR: mse_gradient_features
/// The gradient of the mean squared error of a model with many features,
/// `J(w, b) = mean((w·xᵢ + b − yᵢ)²)`, with `N` examples and `d` features:
///
/// ```text
/// ∇w = (2/N) · Xᵀe       that is   dw[j] = (2/N) · Σᵢ eᵢ·xs[i][j]
/// db = (2/N) · Σᵢ eᵢ
/// ```
///
/// where `e = Xw + b − y` are the [`errors_features`]. `Xᵀe` has one entry
/// for each *feature* (`d` of them, as many as weights), not one for each
/// example: entry `j` walks down column `j` of `X`, multiplying each
/// example's feature `j` by that example's error. Errors as in
/// [`check_feature_examples`].
///
/// With one feature this is [`mse_gradient`]: `xs = [[x₁], [x₂], …]` gives
/// `dw = [2·mean(eᵢ·xᵢ)]`.
pub fn mse_gradient_features(
    w: &[f64],
    b: f64,
    xs: &[Vec<f64>],
    y: &[f64],
) -> Result<FeatureGradient, GradientError> {
    todo!(
        "compute the errors e, then dw[j] = (2/N)·Σᵢ eᵢ·xs[i][j] for every feature j (that is (2/N)·Xᵀe), and db = (2/N)·Σᵢ eᵢ"
    )
}
// ANCHOR_END: mse_gradient_features

// ---------------------------------------------------------------------------
// Measuring a slope: finite differences
// ---------------------------------------------------------------------------

// ANCHOR: check_step
/// Checks the step `h` of a finite difference: it must be a finite number
/// greater than 0, or the difference quotient means nothing (`h = 0` gives
/// 0/0, a negative `h` turns the forward difference into a backward one).
/// Returns [`GradientError::BadStep`] otherwise; NaN is not greater than 0.
pub fn check_step(h: f64) -> Result<(), GradientError> {
    todo!(
        "return Ok(()) if h is finite and greater than 0, else Err(GradientError::BadStep) with this h"
    )
}
// ANCHOR_END: check_step

// ANCHOR: forward_difference
/// The slope of `f` at `x` measured with one step forward, the slope of the
/// line through `(x, f(x))` and `(x + h, f(x + h))`:
///
/// ```text
/// f'(x) ≈ (f(x + h) − f(x)) / h          error ≈ (h/2)·f''(x), of order h
/// ```
///
/// The step is checked first with [`check_step`]. For `f(a) = a³` at
/// `a = 2` (where `f'(2) = 12`) this gives exactly `12 + 6h + h²`.
pub fn forward_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> Result<f64, GradientError> {
    todo!("check the step, then return (f(x + h) − f(x)) / h")
}
// ANCHOR_END: forward_difference

// ANCHOR: central_difference
/// The slope of `f` at `x` measured with one step each way, the slope of the
/// line through `(x − h, f(x − h))` and `(x + h, f(x + h))`:
///
/// ```text
/// f'(x) ≈ (f(x + h) − f(x − h)) / (2h)   error ≈ (h²/6)·f'''(x), of order h²
/// ```
///
/// The two points are `2h` apart, so divide by `2h`. The step is checked
/// first with [`check_step`]. For `f(a) = a³` at `a = 2` this gives exactly
/// `12 + h²`; for any parabola it is exact.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> Result<f64, GradientError> {
    todo!("check the step, then return (f(x + h) − f(x − h)) / (2h)")
}
// ANCHOR_END: central_difference

// ANCHOR: numerical_gradient
/// The gradient of any function of two parameters, `cost(w, b)`, measured
/// with [`central_difference`] in each parameter while the other stays put:
///
/// ```text
/// dw ≈ (cost(w + h, b) − cost(w − h, b)) / (2h)
/// db ≈ (cost(w, b + h) − cost(w, b − h)) / (2h)
/// ```
///
/// Errors as in [`check_step`]. The workshop's autograd example,
/// `z = a³ + 2b²` at `(a, b) = (2, 4)`, gives about `(12, 16)`:
/// `numerical_gradient(|a, b| a.powi(3) + 2.0 * b * b, 2.0, 4.0, 1e-5)`.
pub fn numerical_gradient(
    cost: impl Fn(f64, f64) -> f64,
    w: f64,
    b: f64,
    h: f64,
) -> Result<Gradient, GradientError> {
    todo!(
        "return a Gradient whose dw is the central difference of |w| cost(w, b) at w, and whose db is that of |b| cost(w, b) at b"
    )
}
// ANCHOR_END: numerical_gradient

// ---------------------------------------------------------------------------
// The gradient check
// ---------------------------------------------------------------------------

// ANCHOR: check_constants
/// The step `h` of the gradient check: small enough that the central
/// difference's error (of order h²) is negligible, large enough that
/// rounding (of order ε/h, with ε ≈ 2.2·10⁻¹⁶) is too. 10⁻⁵ is the usual
/// choice in double precision.
pub const GRADIENT_CHECK_STEP: f64 = 1e-5;

/// The largest relative error at which the gradient check passes. A mistake
/// in a derivation (a missing factor 2, a wrong sign, a sum for a mean)
/// gives relative errors of 0.5 or more; a correct gradient of a smooth cost,
/// checked in f64 where the cost is not nearly flat, gives 10⁻⁷ or less.
pub const GRADIENT_CHECK_THRESHOLD: f64 = 1e-6;

/// The floor of the denominator of [`relative_error`]: the smallest positive
/// normal `f64`, about 2.2·10⁻³⁰⁸. It only matters when both numbers are 0.
pub const TINY: f64 = f64::MIN_POSITIVE;
// ANCHOR_END: check_constants

// ANCHOR: relative_error
/// How far apart an analytic and a numerical derivative are, as a fraction
/// of the larger of the two:
///
/// ```text
/// rel = |a − n| / max(|a|, |n|, TINY)
/// ```
///
/// It does not depend on the scale: `relative_error(2e-9, 1e-9)` and
/// `relative_error(2e9, 1e9)` are both 0.5. [`TINY`] keeps two zeros from
/// giving 0/0: `relative_error(0.0, 0.0)` is 0. A NaN on either side gives
/// NaN.
pub fn relative_error(analytic: f64, numerical: f64) -> f64 {
    todo!("return |a − n| divided by the largest of |a|, |n| and TINY")
}
// ANCHOR_END: relative_error

// ANCHOR: gradient_check
/// The result of a gradient check: the gradient from the formula, the one
/// measured by central differences, and how far apart they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientCheck {
    /// The gradient from the formula ([`mse_gradient`]).
    pub analytic: Gradient,
    /// The gradient measured by [`numerical_gradient`].
    pub numerical: Gradient,
    /// [`relative_error`] of the two `dw`.
    pub relative_error_dw: f64,
    /// [`relative_error`] of the two `db`.
    pub relative_error_db: f64,
}

impl GradientCheck {
    /// Whether the two gradients agree: both relative errors are at most
    /// [`GRADIENT_CHECK_THRESHOLD`]. A NaN relative error never passes.
    pub fn passed(&self) -> bool {
        self.relative_error_dw <= GRADIENT_CHECK_THRESHOLD
            && self.relative_error_db <= GRADIENT_CHECK_THRESHOLD
    }
}
// ANCHOR_END: gradient_check

// ANCHOR: check_mse_gradient
/// Checks [`mse_gradient`] at the line `(w, b)` against the gradient
/// measured by [`numerical_gradient`] with the step
/// [`GRADIENT_CHECK_STEP`], and reports both with their [`relative_error`]s.
///
/// The cost to measure is the mean squared error as a function of `w` and
/// `b` alone, a closure that holds on to `x` and `y`:
///
/// ```text
/// cost(w, b) = (1/n) · Σᵢ (w·xᵢ + b − yᵢ)²
/// ```
///
/// Errors as in [`check_examples`] (through [`mse_gradient`]). A line that
/// is not finite is no error: at a NaN `w` both gradients are NaN, and so
/// are the relative errors, so the check does not pass.
pub fn check_mse_gradient(
    w: f64,
    b: f64,
    x: &[f64],
    y: &[f64],
) -> Result<GradientCheck, GradientError> {
    todo!(
        "compute the analytic gradient with mse_gradient, the numerical one with numerical_gradient of the cost closure and GRADIENT_CHECK_STEP, and the relative error of dw and of db"
    )
}
// ANCHOR_END: check_mse_gradient

// ---------------------------------------------------------------------------
// When the inputs are wrong
// ---------------------------------------------------------------------------

// ANCHOR: gradient_error
/// What went wrong with the numbers passed to a function of this crate.
///
/// The problems that exercise 02 already names (two slices of different
/// lengths, a value that is not finite) keep its [`InputError`], message and
/// all; the new ones get variants of their own.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GradientError {
    /// A problem that exercise 02's [`InputError`] describes: `x` and `y` of
    /// different lengths, or a value of `x` or `y` that is NaN or infinite.
    #[error(transparent)]
    Input(#[from] InputError),

    /// There are no examples, so there is nothing to average.
    #[error(
        "there are no examples (x and y are empty); the gradient is a mean over the examples, and a mean over none is 0/0, so pass at least one example"
    )]
    NoExamples,

    /// The rows of features and the targets don't pair up.
    #[error(
        "xs has {rows} rows but y has {targets} targets; there must be one row of features for each target"
    )]
    RowCount { rows: usize, targets: usize },

    /// A row of features has a different length from the weights.
    #[error(
        "row {row} of xs has {len} features but w has {weights} weights; every row needs one feature for each weight"
    )]
    RowLength { row: usize, len: usize, weights: usize },

    /// A feature is NaN or infinite.
    #[error(
        "xs[{row}][{column}] is {value}, but every feature must be a finite number; find where it came from (NaN often comes from 0/0 or a missing value)"
    )]
    NotFiniteFeature { row: usize, column: usize, value: f64 },

    /// The step of a finite difference is not a positive number.
    #[error(
        "the step h is {h}, but a finite difference needs a finite step h > 0; GRADIENT_CHECK_STEP (1e-5) is a good choice"
    )]
    BadStep { h: f64 },
}
// ANCHOR_END: gradient_error
