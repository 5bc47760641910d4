//! The tests of exercise 06, "The analytic solution".
//!
//! Run them with `cargo test -p exercise-06`. Each failure names the call,
//! what came back, what was expected, and the section of chapter 6 to read.
//! Work down `src/lib.rs` in order and fix the first failing test first.
//!
//! Three kinds of tests:
//! - known values: the house table worked by hand, small matrices whose
//!   products you can check with pencil and paper, and NIST's certified
//!   results;
//! - properties (proptest) that hold for any data: the same line as the
//!   closed-form formula, a residual orthogonal to every column, agreement
//!   with the reference solution;
//! - snapshots (insta) of what your code produces for the house table and
//!   of the errors it reports, in `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::{Debug, Display};

use exercise_06::FitError;
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use support::compare::pairwise;
use support::{Tolerance, call, fail};

#[path = "exercise_06/design.rs"]
mod design;

#[path = "exercise_06/normal.rs"]
mod normal;

#[path = "exercise_06/checks.rs"]
mod checks;

#[path = "exercise_06/condition.rs"]
mod condition;

#[path = "exercise_06/qr.rs"]
mod qr;

#[path = "exercise_06/lines.rs"]
mod lines;

#[path = "exercise_06/accuracy.rs"]
mod accuracy;

#[path = "exercise_06/properties.rs"]
mod properties;

#[path = "exercise_06/snapshots.rs"]
mod snapshots;

// ---------------------------------------------------------------------------
// The house table (the lecture's), and its best line worked out by hand

/// Size in square feet, and price in lakhs.
pub use support::data::{HOUSE_PRICES, HOUSE_SIZES};
/// The best line's weight: S_xy / S_xx = (57 200 / 7) / (2 760 000 / 7) = 143 / 6900.
pub const BEST_W: f64 = 143.0 / 6900.0;
/// The best line's bias: ȳ − w·x̄ = 85/7 − (143/6900)·(5800/7) = −347 / 69.
pub const BEST_B: f64 = -347.0 / 69.0;
/// The best line through the origin: Σxy / Σx² = 78 600 / 5 200 000 = 393 / 26 000.
pub const ORIGIN_W: f64 = 393.0 / 26000.0;

/// The house table's design matrix [1, x], built here (not with your code).
pub fn house_design() -> DMatrix<f64> {
    DMatrix::from_fn(7, 2, |i, j| if j == 0 { 1.0 } else { HOUSE_SIZES[i] })
}

pub fn house_prices() -> DVector<f64> {
    DVector::from_column_slice(&HOUSE_PRICES)
}

// ---------------------------------------------------------------------------
// Hints: where to read, and the mistakes learners really make

pub const ADD_INTERCEPT: &str = "add_intercept puts a column of ones in front of the features, as column 0, and moves every feature one column to the right (see 'The design matrix' in chapter 6)";
pub const ONES_LAST: &str = "the column of ones is there, but not first: it belongs in column 0, because the code reads coefficient 0 as the bias b; ones anywhere else swap the bias with a weight (see 'The design matrix' in chapter 6)";
pub const NO_ONES: &str = "there is no column of ones: without it the model has no bias, and every line is forced through the origin (see 'The design matrix' in chapter 6)";
pub const POLYNOMIAL: &str = "polynomial_features has one column per power, x¹ to xᵈ: column k holds x to the power k + 1 (see 'Polynomials are linear models too' in chapter 6)";
pub const POLYNOMIAL_FROM_X0: &str = "your first column is x⁰ = 1, but polynomial_features starts at x¹: the column of ones comes from add_intercept, and with both the design matrix would have two identical columns (see 'Polynomials are linear models too' in chapter 6)";
pub const NORMAL_EQUATIONS: &str = "XᵀX is x.tr_mul(x) and Xᵀy is x.tr_mul(y): both multiply by the transpose of X; X·X and X·y don't even fit unless X is square, and nalgebra panics with a dimension mismatch (see 'The normal equations' in chapter 6)";
pub const X_TIMES_X: &str = "that is X·X, not XᵀX: multiply by the transpose, x.tr_mul(x). The workshop notebook made this mistake, and it went unnoticed because its X was square (see 'Spot the bug' in chapter 6)";
pub const X_TIMES_Y: &str = "that is X·y, not Xᵀy: multiply by the transpose, x.tr_mul(y). Xᵀy has one entry per column of X, X·y one per row (see 'The normal equations' in chapter 6)";
pub const SOLVE_NORMAL: &str = "solve_normal_equations forms (XᵀX, Xᵀy) with normal_equations, factors XᵀX with cholesky() and solves with the factor; when cholesky() returns None, return None (see 'Solve, don't invert' in chapter 6)";
pub const EXPLICIT_INVERSE: &str = "an explicit inverse loses digits that a solve keeps: factor XᵀX with cholesky() and call solve on the factor, instead of computing (XᵀX)⁻¹ and multiplying (see 'Solve, don't invert' in chapter 6)";
pub const CHECK_PROBLEM: &str = "check_problem looks, in this order, for a length mismatch, no columns, fewer rows than columns, a value of x that is not finite (column by column), then a value of y that is not finite (see 'When there is no single answer' in chapter 6)";
pub const TOO_FEW_ROWS: &str = "with fewer rows than columns there are fewer equations than unknowns, and infinitely many exact answers: check_problem must return FitError::TooFewRows before anything else looks at x (see 'When there is no single answer' in chapter 6)";
pub const CHECK_RANK: &str = "check_rank computes R = x.clone().qr().r() and returns FitError::DependentColumns, with linear_combination(&r, j), for the first column j whose |R_jj| ≤ RANK_TOLERANCE · ‖column j‖ (see 'When there is no single answer' in chapter 6)";
pub const NO_SINGULARITY_CHECK: &str = "these columns are linearly dependent, so XᵀX is singular and there is no single answer, yet there was no check for singularity: check_rank must return FitError::DependentColumns instead of letting a solver produce numbers (see 'When there is no single answer' in chapter 6)";
pub const ABSOLUTE_TOLERANCE: &str = "compare |R_jj| with RANK_TOLERANCE times the length of column j (x.column(j).norm()), not with RANK_TOLERANCE alone: R_jj is a distance in the column's own units, tiny for tiny numbers and large for large ones (see 'When there is no single answer' in chapter 6)";
pub const CONDITION: &str = "the condition number is the largest singular value divided by the smallest: x.singular_values(), then max() / min() (see 'Conditioning' in chapter 6)";
pub const CONDITION_SQUARED: &str = "that is κ², the condition number of XᵀX: take the singular values of X itself, not of XᵀX (see 'Conditioning' in chapter 6)";
pub const SOLVE_QR: &str = "solve_qr decomposes X = QR with x.clone().qr() and solves R w = Qᵀy with r.solve_upper_triangular; return None when that does (see 'QR: least squares without squaring' in chapter 6)";
pub const QR_SQUARES: &str = "solve_qr must work with X itself: going through XᵀX (the normal equations, or an inverse) squares the condition number and loses the digits that QR keeps (see 'QR: least squares without squaring' in chapter 6)";
pub const PIPELINE: &str = "least_squares is already written: it calls your check_problem, check_rank, condition_number and solve_qr (or solve_normal_equations); the first failing test of those functions shows what to fix (see 'The whole pipeline' in chapter 6)";
pub const FIT_LINE: &str = "fit_line builds [1, x] with add_intercept, calls least_squares, and reads b from coefficient 0 and w from coefficient 1 (see 'The same answer as gradient descent' in chapter 6)";
pub const SWAPPED: &str = "w and b are swapped: the column of ones is column 0, so coefficient 0 is the bias b and coefficient 1 is the weight w (see 'The same answer as gradient descent' in chapter 6)";
pub const FORGOT_ONES: &str = "b is 0 and w is the slope of the best line through the origin: you forgot the column of ones; build the design matrix with add_intercept (see 'The design matrix' in chapter 6)";
pub const THROUGH_ORIGIN: &str = "fit_through_origin uses x alone as the one column of the design matrix, with no column of ones, and returns its one coefficient (see 'The design matrix' in chapter 6)";
pub const LRE: &str = "the LRE is −log₁₀ of the relative error |estimate − certified| / |certified| (of |estimate| itself when certified is 0), kept between 0 and MAX_DIGITS (see 'How many digits are right?' in chapter 6)";
pub const LRE_NATURAL_LOG: &str = "that is the natural logarithm (ln): digits are counted in base 10, with f64::log10 (see 'How many digits are right?' in chapter 6)";
pub const LRE_DIVIDES_BY_ZERO: &str = "with a certified value of 0 the relative error divides by zero, and every estimate scores 0 digits however close it is: when certified is 0, the error is |estimate| itself (see 'How many digits are right?' in chapter 6)";
pub const LRE_NOT_CAPPED: &str = "an exact match has relative error 0, and −log₁₀ 0 is infinity: cap the result at MAX_DIGITS = 15 (see 'How many digits are right?' in chapter 6)";
pub const ROW_MAJOR: &str = "nalgebra fills a matrix column by column: DMatrix::from_iterator and from_vec read their values down the columns, so values listed row by row (x₁, x₁², …, x₂, x₂², …) land in the wrong places; use DMatrix::from_fn(n, d, |i, k| …) or set features[(i, k)] (see 'Polynomials are linear models too' in chapter 6)";
pub const DEGREE_ZERO: &str = "degree 0 has no columns: the model is the bias alone, and the column of ones comes from add_intercept; start from an x.len() × degree matrix, not from the column x (see 'Polynomials are linear models too' in chapter 6)";
pub const X_TIMES_XT: &str = "that is X·Xᵀ, n × n, one row per example: XᵀX is p × p, one row and one column per column of X; x.tr_mul(x) (see 'The normal equations' in chapter 6)";
pub const SHAPE_FIRST: &str = "the shape of the problem comes before its values: check the lengths, then the columns, then the number of rows, and only then look for NaN and infinity (see 'When there is no single answer' in chapter 6)";
pub const ROW_BY_ROW: &str = "two values of x are not finite, and the other one was reported: look column by column: down column 0 first, then column 1, in the order of x.column_iter() (see 'When there is no single answer' in chapter 6)";
pub const Y_FIRST: &str = "x and y both hold a value that is not finite, and y's was reported: x is checked before y (see 'When there is no single answer' in chapter 6)";
pub const INFINITY_PASSES: &str = "infinity is not finite either: an overflow or a division by zero makes the coefficients infinite or NaN just as NaN does; test !v.is_finite(), not v.is_nan() (see 'When there is no single answer' in chapter 6)";
pub const ZERO_COLUMN: &str = "a column of zeros has |R_jj| = 0 and length 0, and 0 < 0 is false: a column is dependent when |R_jj| ≤ RANK_TOLERANCE · ‖column j‖, with ≤ (see 'When there is no single answer' in chapter 6)";
pub const WHOLE_MATRIX: &str = "compare |R_jj| with RANK_TOLERANCE times the length of column j itself, not with the length of the whole matrix: next to a column in the billions, a small independent feature would look like rounding (see 'When there is no single answer' in chapter 6)";
pub const LRE_CLAMP_NAN: &str = "f64::clamp returns NaN for NaN: an estimate that is NaN has 0 correct digits, so handle NaN before clamping (see 'How many digits are right?' in chapter 6)";
pub const LRE_SIGNED: &str = "a negative certified value gave a negative relative error, which has no logarithm: divide by |certified|, certified.abs() (see 'How many digits are right?' in chapter 6)";
pub const LRE_NEGATIVE: &str = "a negative number of digits: an estimate off by more than its own size has a relative error above 1; keep the LRE between 0 and MAX_DIGITS, clamp(0.0, MAX_DIGITS) (see 'How many digits are right?' in chapter 6)";
pub const DEFAULT_SOLVER: &str = "fit_line uses the default solver, Solver::default() (QR with refinement): least_squares refuses the normal equations when κ(X)² passes NORMAL_EQUATIONS_LIMIT, as for inputs far from 0, where QR still fits (see 'The same answer as gradient descent' in chapter 6)";

// ---------------------------------------------------------------------------
// Helpers

/// Close enough for numbers computed in a different but correct order.
pub const TOL: Tolerance = support::compare::ROUNDING;

/// Whether `got` is within [`TOL`] of `expected`, judged as `check_close`
/// judges it (`Tolerance::accepts`): unlike `support::compare::close`, an
/// infinite `expected` accepts any `got`.
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

/// A matrix as its list of rows: `[[1.0, 2.0], [1.0, 3.0]]`.
pub fn show_matrix(m: &DMatrix<f64>) -> String {
    let rows: Vec<String> =
        m.row_iter().map(|row| format!("{:?}", row.iter().collect::<Vec<_>>())).collect();
    format!("[{}] ({}×{})", rows.join(", "), m.nrows(), m.ncols())
}

pub fn show_vector(v: &DVector<f64>) -> String {
    format!("{:?}", v.iter().collect::<Vec<_>>())
}

/// Whether two matrices have the same shape and close entries.
pub fn same_matrix(got: &DMatrix<f64>, expected: &DMatrix<f64>) -> bool {
    got.shape() == expected.shape() && pairwise(got.as_slice(), expected.as_slice(), close)
}

/// Whether two vectors have the same length and close entries.
pub fn same_vector(got: &DVector<f64>, expected: &DVector<f64>) -> bool {
    pairwise(got.as_slice(), expected.as_slice(), close)
}

pub use support::explain;

/// Checks that a call returned exactly the `expected` error, and that the
/// error's message mentions each of `mentions` (see `support::check_error`).
#[track_caller]
pub fn check_error<T: Debug>(
    call_text: &str,
    got: Result<T, FitError>,
    expected: &FitError,
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
        "the messages come from the #[error(...)] attributes of FitError; put them back as they were (see 'When there is no single answer' in chapter 6)",
    )
}

/// A value that must be `Ok`; an error fails the test with `hint`.
#[track_caller]
pub fn expect_ok<T>(
    call_text: &str,
    got: Result<T, FitError>,
    expected: impl Display,
    hint: &str,
) -> T {
    got.unwrap_or_else(|e| {
        fail(call_text, format!("Err({e:?}): \"{e}\""), format!("Ok({expected})"), hint)
    })
}

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
    support::properties::for_all(20_06, strategy, property)
}

/// The learner's `least_squares` with the default solver, called on the
/// house table once before a property runs, so that a function that still
/// says todo!() fails with one clear message instead of one per random case.
#[track_caller]
pub fn fit_houses_once(hint: &str) {
    let x = house_design();
    let y = house_prices();
    call("least_squares(&x, &y, Solver::Qr) with x = [1, size] of the house table", hint, || {
        exercise_06::least_squares(&x, &y, exercise_06::Solver::Qr)
    })
    .ok();
}

/// The reference's NIST data set, by name (the files are the course's).
pub fn nist(name: &str) -> reference::nist::Dataset {
    reference::nist::load_bundled(name).expect("the bundled NIST files parse")
}
