//! The tests of exercise 07, "Many inputs and feature scaling".
//!
//! Run them with `cargo test -p exercise-07`. Each failure names the call,
//! what came back, what was expected, and the section of chapter 7 to read.
//! Work down `src/lib.rs` in order and fix the first failing test first.
//!
//! Three kinds of tests:
//! - known values: the lecture's feature table (size, bedrooms → price)
//!   worked by hand, and the course's housing data set, whose scaled
//!   descent must land on exercise 06's least-squares answer;
//! - properties (proptest) that hold for any data: the matrix gradient
//!   equals exercise 03's loops, standardised columns have mean 0 and
//!   standard deviation 1, the model mapped back predicts the same prices;
//! - snapshots (insta) of what your code produces, in `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::Debug;

use exercise_07::{Linear, ModelError};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use support::compare::pairwise;
use support::{Tolerance, fail};

#[path = "exercise_07/layer.rs"]
mod layer;

#[path = "exercise_07/scaling.rs"]
mod scaling;

#[path = "exercise_07/descent.rs"]
mod descent;

#[path = "exercise_07/properties.rs"]
mod properties;

#[path = "exercise_07/snapshots.rs"]
mod snapshots;

// ---------------------------------------------------------------------------
// The lecture's feature table, worked by hand in chapter 7

/// Size in square feet and bedrooms, one row per house...
pub fn table_x() -> DMatrix<f64> {
    matrix(&[&[1200.0, 2.0], &[1500.0, 3.0], &[2000.0, 3.0], &[3000.0, 4.0]])
}
/// ... and the price in thousands of dollars.
pub fn table_y() -> DVector<f64> {
    vector(&[300.0, 400.0, 480.0, 520.0])
}
/// The weights chapter 2 guessed for the table.
pub fn guess() -> Linear {
    Linear { w: vector(&[0.15, 20.0]), b: 80.0 }
}
/// Their predictions, 300, 365, 440 and 610, and the gradient there:
/// ∇w = ½·Xᵀ(0, −35, −40, 90) = (68 750, 67.5), ∂J/∂b = ½·15 = 7.5.
pub const GUESS_PREDICTIONS: [f64; 4] = [300.0, 365.0, 440.0, 610.0];
pub const GUESS_GRADIENT_W: [f64; 2] = [68750.0, 67.5];
pub const GUESS_GRADIENT_B: f64 = 7.5;
/// The mean of the squared errors 0, 35², 40², 90²: 10 925 / 4.
pub const GUESS_MSE: f64 = 10925.0 / 4.0;
/// The table's means, and its population standard deviations:
/// √(1 867 500 / 4) = √466 875 and √(2/4) = √½.
pub const TABLE_MEANS: [f64; 2] = [1925.0, 3.0];
pub fn table_stds() -> [f64; 2] {
    [466_875f64.sqrt(), 0.5f64.sqrt()]
}
/// The sample standard deviations (N − 1), the mistake: √622 500 and √⅔.
pub fn table_sample_stds() -> [f64; 2] {
    [622_500f64.sqrt(), (2.0f64 / 3.0).sqrt()]
}

// ---------------------------------------------------------------------------
// Hints: where to read, and the mistakes learners really make

pub const PREDICT: &str = "predict is the matrix-vector product X·w with b added to every entry: (x * &model.w).add_scalar(model.b) (see 'The linear layer' in chapter 7)";
pub const CHECK_SHAPES: &str = "check_shapes looks, in this order, for rows ≠ targets, no rows, columns ≠ weights, a value of x that is not finite (row by row), then a value of y that is not finite (see 'When the shapes are wrong' in chapter 7)";
pub const SHAPE_FIRST: &str = "the shape of the problem comes before its values: check the lengths, the rows and the number of weights, and only then look for NaN and infinity (see 'When the shapes are wrong' in chapter 7)";
pub const MSE: &str = "mse checks the shapes, then returns the mean of (ŷᵢ − yᵢ)² over the N rows (see 'The linear layer' in chapter 7)";
pub const GRADIENT: &str = "∇w is (2/N)·Xᵀe with e = ŷ − y, computed as x.tr_mul(&e), one entry per weight (not X·e, one per row); ∇b is 2·mean(e) (see 'The gradient with matrices' in chapter 7)";
pub const MISSING_2: &str = "your gradient is half the expected one: keep the 2 of the derivative of the square, ∇w = (2/N)·Xᵀe and ∇b = 2·mean(e) (see 'The gradient with matrices' in chapter 7)";
pub const WRONG_SIGN: &str = "your gradient has the opposite sign: the errors are prediction minus target, e = ŷ − y (see 'The gradient with matrices' in chapter 7)";
pub const BIAS_SUM: &str = "∂J/∂b is N times too large: it is 2·mean(e), the mean, not the sum (see 'The gradient with matrices' in chapter 7)";
pub const MEANS: &str = "column_means has one entry per column of x: the column's sum divided by the number of rows (see 'Standardisation' in chapter 7)";
pub const STDS: &str = "column_stds is √((1/N)·Σᵢ (xᵢⱼ − mean[j])²) for every column j, the population standard deviation (see 'Standardisation' in chapter 7)";
pub const SAMPLE_STD: &str = "that is the sample standard deviation: divide by N, not N − 1, as scikit-learn's StandardScaler does; the scaler describes the training rows themselves (see 'Standardisation' in chapter 7)";
pub const FIT: &str = "Scaler::fit refuses no rows and values that are not finite, then takes column_means and column_stds, with scale 1 for a constant column (see 'Standardisation' in chapter 7)";
pub const CONSTANT: &str = "a constant column has standard deviation 0, and dividing by it gives 0/0 = NaN: its scale is 1, so that it becomes a column of zeros (see 'A constant column' in chapter 7)";
pub const CONSTANT_ROUNDING: &str = "this column is constant, but its mean is not exactly its value in f64 (rounding in the mean), so its std is a tiny number, not 0: a column counts as constant when std ≤ CONSTANT_TOLERANCE·|mean| (see 'A constant column' in chapter 7)";
pub const TRANSFORM: &str = "transform computes (xᵢⱼ − mean[j]) / scale[j] for every entry, with the fitted numbers, and refuses x with another number of columns (see 'Standardisation' in chapter 7)";
pub const NOT_CENTRED: &str = "subtract the mean before dividing by the scale: (x − mean) / scale; a column only divided keeps its offset (see 'Standardisation' in chapter 7)";
pub const TO_ORIGINAL: &str = "to_original maps the weights back: wⱼ = w'ⱼ / scale[j], and b = b' − Σⱼ wⱼ·mean[j] (see 'Back to the original units' in chapter 7)";
pub const BIAS_NOT_SHIFTED: &str = "the weights are right but the bias is b' itself: shift the bias by the means, b = b' − Σⱼ wⱼ·mean[j] (see 'Back to the original units' in chapter 7)";
pub const TIMES_SCALE: &str = "the weights were multiplied by the scale: divide each weight by its scale, wⱼ = w'ⱼ / scale[j], since x' = (x − mean)/scale (see 'Back to the original units' in chapter 7)";
pub const SPLIT: &str = "standardise_split fits a Scaler on split.train_x, then transforms the training and the validation rows with that one scaler (see 'Fitted on the training rows only' in chapter 7)";
pub const LEAKAGE: &str = "the scaler saw the validation rows: its mean is the mean of all the rows. Fit it on the training rows only, or the validation rows leak into training (see 'Fitted on the training rows only' in chapter 7)";
pub const REFITTED: &str = "the validation rows were measured with a scaler of their own: transform the validation rows with the training rows' scaler, never fit one on them (see 'Fitted on the training rows only' in chapter 7)";
pub const DESCEND: &str = "descend checks the learning rate and the shapes, pushes the loss of the zero model, then takes `epochs` steps w ← w − α·∇w, b ← b − α·∇b, pushing the loss after each and stopping when it runs away (see 'Descent on scaled features' in chapter 7)";
pub const LOSS_COUNT: &str = "descend records epochs + 1 losses: the loss before the first step, then the loss after every step (see 'Descent on scaled features' in chapter 7)";
pub const RUNS_AWAY: &str = "stop when the loss runs away: when it is not finite or exceeds DIVERGENCE_FACTOR times the first loss, set diverged and break (see 'Why descent crawls' in chapter 7)";
pub const FIT_SCALED: &str = "fit_scaled fits the scaler on x, descends on the transformed x and on y as it is, and returns the scaler with the model (see 'Descent on scaled features' in chapter 7)";
pub const TARGET_SCALED: &str = "the target was scaled: the first loss should be the mean of the squared raw prices, and predictions come out in standardised units nobody maps back; scale the features only, never y (see 'Descent on scaled features' in chapter 7)";
pub const PREDICT_SCALED: &str = "ScaledModel::predict transforms the raw houses with the scaler, then predicts with the standardised model (see 'Back to the original units' in chapter 7)";
pub const NOT_SCALED: &str = "the new houses were not scaled before predicting: the weights were learned on standardised features, so scale new houses with the training rows' scaler first (see 'Back to the original units' in chapter 7)";
pub const LEAST_SQUARES: &str = "least_squares_scaled scales x, adds the column of ones after scaling with add_intercept, solves with exercise 06's least_squares (Solver::Qr), and maps [b', w'] back with to_original (see 'The same answer as exercise 06' in chapter 7)";
pub const ONES_SCALED: &str = "the column of ones was scaled: it is constant, so standardised it is a column of zeros and the bias is lost; add the ones after scaling, add_intercept(&scaler.transform(x)?) (see 'The same answer as exercise 06' in chapter 7)";
pub const CONDITION: &str = "hessian_condition is κ([1 X])², the condition number of the design matrix with its column of ones, squared: solution_06::condition_number(&solution_06::add_intercept(x)) (see 'Why descent crawls' in chapter 7)";
pub const NOT_SQUARED: &str = "that is κ(A), the condition number of the design matrix: the bowl's curvatures are those of AᵀA, whose condition number is κ(A)², not κ(A) (see 'Why descent crawls' in chapter 7)";
pub const NO_ONES: &str = "that is the condition number without the column of ones: the bias is a parameter of the bowl too, so use the design matrix add_intercept(x) (see 'Why descent crawls' in chapter 7)";

// ---------------------------------------------------------------------------
// Helpers

/// Close enough for numbers computed in a different but correct order.
pub const TOL: Tolerance = support::compare::ROUNDING;

pub fn close(got: f64, expected: f64) -> bool {
    TOL.accepts(got, expected)
}

/// A matrix from its rows, as you would write it on paper.
pub fn matrix(rows: &[&[f64]]) -> DMatrix<f64> {
    let ncols = rows.first().map_or(0, |r| r.len());
    DMatrix::from_fn(rows.len(), ncols, |i, j| rows[i][j])
}

pub fn vector(values: &[f64]) -> DVector<f64> {
    DVector::from_column_slice(values)
}

pub fn model(w: &[f64], b: f64) -> Linear {
    Linear { w: vector(w), b }
}

/// A matrix as its list of rows: `[[1.0, 2.0], [1.0, 3.0]]`.
pub fn show_matrix(m: &DMatrix<f64>) -> String {
    let rows: Vec<String> =
        m.row_iter().map(|row| format!("{:?}", row.iter().collect::<Vec<_>>())).collect();
    format!("[{}] ({}×{})", rows.join(", "), m.nrows(), m.ncols())
}

pub fn show_vector(v: &DVector<f64>) -> String {
    format!("{:?}", v.iter().collect::<Vec<_>>())
}

pub fn show_model(m: &Linear) -> String {
    format!("Linear {{ w: {}, b: {:?} }}", show_vector(&m.w), m.b)
}

/// Whether two vectors have the same length and close entries.
pub fn same_vector(got: &DVector<f64>, expected: &DVector<f64>) -> bool {
    pairwise(got.as_slice(), expected.as_slice(), close)
}

pub fn same_matrix(got: &DMatrix<f64>, expected: &DMatrix<f64>) -> bool {
    got.shape() == expected.shape() && pairwise(got.as_slice(), expected.as_slice(), close)
}

/// Whether two models agree to `tol` relative, every weight and the bias.
pub fn same_model(got: &Linear, expected: &Linear, tol: f64) -> bool {
    let t = Tolerance::Relative(tol);
    got.w.len() == expected.w.len()
        && got.w.iter().zip(expected.w.iter()).all(|(g, e)| t.accepts(*g, *e))
        && t.accepts(got.b, expected.b)
}

/// The learner's model as the reference's type, and back.
pub fn to_reference(m: &Linear) -> reference::Linear {
    reference::Linear { w: m.w.clone(), b: m.b }
}
pub fn from_reference(m: &reference::Linear) -> Linear {
    Linear { w: m.w.clone(), b: m.b }
}

/// The course's housing data, split (the same numbers as the reference's).
pub fn housing() -> exercise_07::Split {
    exercise_07::housing_split()
}

/// A value that must be `Ok`; an error fails the test with `hint`.
#[track_caller]
pub fn expect_ok<T>(call_text: &str, got: Result<T, ModelError>, expected: &str, hint: &str) -> T {
    got.unwrap_or_else(|e| fail(call_text, format!("Err({e:?}): \"{e}\""), expected, hint))
}

/// Checks that a call returned exactly the `expected` error, and that the
/// error's message mentions each of `mentions` (see `support::check_error`).
#[track_caller]
pub fn check_error<T: Debug>(
    call_text: &str,
    got: Result<T, ModelError>,
    expected: &ModelError,
    mentions: &[&str],
    if_ok: &str,
    if_other: &str,
) {
    support::check_error(
        call_text,
        got,
        expected.clone(),
        mentions,
        if_ok,
        if_other,
        "the messages come from the #[error(...)] attributes of ModelError; put them back as they were (see 'When the shapes are wrong' in chapter 7)",
    )
}

/// Runs `property` on random cases from this exercise's fixed seed (see
/// `support::properties::for_all`).
#[track_caller]
pub fn for_all<S>(strategy: S, property: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    support::properties::for_all(20_07, strategy, property)
}
