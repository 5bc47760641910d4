//! Exercise 06: the analytic solution.
//!
//! For a linear model and the squared error there is no need to walk
//! downhill: the best weights solve one linear system, the normal equations
//!
//! ```text
//! XᵀX w = Xᵀy
//! ```
//!
//! where every row of the design matrix `X` is one example, every column one
//! feature (and one column of ones for the bias). This crate builds `X`,
//! solves the system three ways (Cholesky of XᵀX, QR of X, the SVD), notices
//! when there is no single answer (dependent columns) or when an answer would
//! be mostly rounding (a large condition number), and measures how many digits
//! are right against NIST's certified results.
//!
//! Write the functions in the order of this file. Chapter 6 of the book, "The
//! analytic solution", explains them. The code that is already written
//! (`least_squares`, the refinement step and the module `extended`) calls
//! yours; read it, but you don't need to change it.
//!
//! Every matrix is an `nalgebra::DMatrix<f64>`: `x[(i, j)]` is row `i`,
//! column `j`; `x.nrows()` examples, `x.ncols()` columns.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use thiserror::Error;

mod extended;
// BEGIN SOLUTION
// NIST's data sets and the table of correct digits belong to the reference
// solution (its tests, the book and `cargo workbook fit` use them), not to the
// exercise: they live in this crate's reference/ folder, outside src/, so that
// the exercise's stub, made from src/, gets no copy of them. The course also
// compiles this file as exercise 06's src/lib.rs, to test the solution; the
// feature `nist` is off there, and they are left out.
#[cfg(feature = "nist")]
#[path = "../reference/accuracy.rs"]
pub mod accuracy;
#[cfg(feature = "nist")]
#[path = "../reference/nist.rs"]
pub mod nist;
// END SOLUTION

// ---------------------------------------------------------------------------
// The design matrix

// ANCHOR: add_intercept
/// The design matrix of a model with a bias: the features with a column of
/// ones put in front,
///
/// ```text
///            ⎡ 1  x₁₁  x₁₂ ⎤
/// X        = ⎢ 1  x₂₁  x₂₂ ⎥      (n rows, one column more than features)
///            ⎣ 1  x₃₁  x₃₂ ⎦
/// ```
///
/// so that `X·w` is `w₀·1 + w₁x₁ + w₂x₂`: coefficient 0 is the bias `b`,
/// coefficient `j` the weight of feature `j`. The ones go first, in column 0,
/// and every feature moves one column to the right.
pub fn add_intercept(features: &DMatrix<f64>) -> DMatrix<f64> {
    // BEGIN SOLUTION: return the features with a column of ones inserted in front, as column 0
    features.clone().insert_column(0, 1.0)
    // END SOLUTION
}
// ANCHOR_END: add_intercept

// ANCHOR: polynomial_features
/// The powers of one input as features, for a polynomial model: row `i` is
///
/// ```text
/// xᵢ, xᵢ², xᵢ³, …, xᵢᵈ        (d = degree columns; the power of column k is k + 1)
/// ```
///
/// The model `b + w₁x + w₂x² + … + w_d·xᵈ` is a curve in `x` but linear in
/// the weights, so it is still linear regression: `add_intercept` of these
/// features is its design matrix. The constant x⁰ = 1 is not included; that
/// is the column of ones, which `add_intercept` adds. Degree 0 gives a matrix
/// with no columns.
pub fn polynomial_features(x: &[f64], degree: usize) -> DMatrix<f64> {
    // BEGIN SOLUTION: return an x.len() × degree matrix whose column k holds x to the power k + 1
    let mut features = DMatrix::zeros(x.len(), degree);
    for (i, &xi) in x.iter().enumerate() {
        let mut power = 1.0;
        for k in 0..degree {
            power *= xi;
            features[(i, k)] = power;
        }
    }
    features
    // END SOLUTION
}
// ANCHOR_END: polynomial_features

// ---------------------------------------------------------------------------
// The normal equations

// ANCHOR: normal_equations
/// The two sides of the normal equations `XᵀX w = Xᵀy`:
///
/// ```text
/// XᵀX   (p × p: every column of X dotted with every column)
/// Xᵀy   (p:     every column of X dotted with y)
/// ```
///
/// Both multiply by the *transpose* of `X`: `x.tr_mul(&x)` and `x.tr_mul(y)`
/// in nalgebra (the same as `x.transpose() * x`, without building the
/// transpose). `X·X` and `X·y` only fit together when `X` is square, and
/// even then they are other numbers.
pub fn normal_equations(x: &DMatrix<f64>, y: &DVector<f64>) -> (DMatrix<f64>, DVector<f64>) {
    // BEGIN SOLUTION: return (XᵀX, Xᵀy), using tr_mul
    (x.tr_mul(x), x.tr_mul(y))
    // END SOLUTION
}
// ANCHOR_END: normal_equations

// ANCHOR: solve_normal_equations
/// The least-squares weights from the normal equations, *solved*, never
/// inverted:
///
/// ```text
/// XᵀX = L·Lᵀ      (Cholesky: L lower triangular)
/// L·Lᵀ w = Xᵀy    (two triangular solves)
/// ```
///
/// `XᵀX.cholesky()` returns `None` when the matrix is not positive definite
/// (singular, to working precision): then return `None`. The `?` operator
/// does that for an `Option`.
///
/// Beware: a `Some` is no proof of a good answer. On badly conditioned data
/// (NIST's Filip) the factorisation succeeds and the weights are wrong in
/// every digit; [`least_squares`] checks the condition number first.
pub fn solve_normal_equations(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<DVector<f64>> {
    // BEGIN SOLUTION: form (XᵀX, Xᵀy) with normal_equations, factor XᵀX with cholesky() (None → return None), and solve
    let (xtx, xty) = normal_equations(x, y);
    let cholesky = xtx.cholesky()?;
    Some(cholesky.solve(&xty))
    // END SOLUTION
}
// ANCHOR_END: solve_normal_equations

// ---------------------------------------------------------------------------
// When there is no single answer

// ANCHOR: check_problem
/// Checks that `X w ≈ y` is a least-squares problem with a chance of one
/// answer, and returns the first problem it finds, in this order:
///
/// 1. `x` has a number of rows different from `y`'s length:
///    [`FitError::LengthMismatch`];
/// 2. `x` has no columns: [`FitError::NoColumns`];
/// 3. `x` has fewer rows than columns (fewer equations than unknowns):
///    [`FitError::TooFewRows`];
/// 4. a value of `x` that is NaN or infinite:
///    [`FitError::NotFiniteFeature`] with its row and column, looking down
///    column 0 first, then column 1, and so on (the order of
///    `x.column_iter()`);
/// 5. a value of `y` that is NaN or infinite: [`FitError::NotFiniteTarget`].
pub fn check_problem(x: &DMatrix<f64>, y: &DVector<f64>) -> Result<(), FitError> {
    // BEGIN SOLUTION: return the first problem of the five, in the order listed; else Ok(())
    if x.nrows() != y.len() {
        return Err(FitError::LengthMismatch { rows: x.nrows(), targets: y.len() });
    }
    if x.ncols() == 0 {
        return Err(FitError::NoColumns);
    }
    if x.nrows() < x.ncols() {
        return Err(FitError::TooFewRows { rows: x.nrows(), parameters: x.ncols() });
    }
    for (column, values) in x.column_iter().enumerate() {
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            return Err(FitError::NotFiniteFeature { row, column, value: values[row] });
        }
    }
    if let Some(row) = y.iter().position(|v| !v.is_finite()) {
        return Err(FitError::NotFiniteTarget { row, value: y[row] });
    }
    Ok(())
    // END SOLUTION
}
// ANCHOR_END: check_problem

// ANCHOR: rank_tolerance
/// How far, relative to its own length, a column must stick out of the space
/// spanned by the columns before it to count as a new direction. Closer than
/// this, it lies in that space up to rounding (10⁻¹² is a few thousand
/// times f64's ε), and the columns are linearly dependent.
pub const RANK_TOLERANCE: f64 = 1e-12;
// ANCHOR_END: rank_tolerance

// ANCHOR: check_rank
/// Checks that no column of `x` is a linear combination of the columns
/// before it, using the R factor of the QR decomposition `X = QR`:
///
/// ```text
/// |R_jj| = the distance of column j from the space of columns 0, …, j − 1
/// ```
///
/// For each column `j` in order, if `|R_jj| ≤ RANK_TOLERANCE · ‖column j‖`
/// (its length, `x.column(j).norm()`), return
/// [`FitError::DependentColumns`] for the first such `j`, with the
/// combination that [`linear_combination`] reads off `R`. Compare with the
/// column's length, not with the tolerance alone: the distance is measured
/// in the column's own units.
///
/// Needs at least as many rows as columns, as [`check_problem`] ensures;
/// `x.clone().qr().r()` gives `R`.
pub fn check_rank(x: &DMatrix<f64>) -> Result<(), FitError> {
    // BEGIN SOLUTION: compute R = x.clone().qr().r(); return DependentColumns for the first j with |R_jj| ≤ RANK_TOLERANCE·‖column j‖; else Ok(())
    let r = x.clone().qr().r();
    for (j, column) in x.column_iter().enumerate().take(r.nrows()) {
        if r[(j, j)].abs() <= RANK_TOLERANCE * column.norm() {
            return Err(FitError::DependentColumns {
                column: j,
                combination: linear_combination(&r, j),
            });
        }
    }
    Ok(())
    // END SOLUTION
}
// ANCHOR_END: check_rank

// ANCHOR: linear_combination
/// How column `j` is made of the columns before it, read off the R factor:
/// `column j ≈ Σ cₖ·column k` over `k < j`, where `c` solves the triangular
/// system `R[..j, ..j] c = R[..j, j]`. Terms smaller than 10⁻⁹ of the largest
/// are left out, and each coefficient is rounded to 6 significant digits.
/// An empty list means that column `j` is all zeros.
pub fn linear_combination(r: &DMatrix<f64>, j: usize) -> Vec<(usize, f64)> {
    let k = j.min(r.nrows());
    let top = r.view((0, 0), (k, k)).into_owned();
    let right = r.view((0, j), (k, 1)).into_owned();
    let Some(c) = top.solve_upper_triangular(&right) else {
        return Vec::new();
    };
    let largest = c.amax();
    c.iter()
        .enumerate()
        .filter(|(_, value)| value.abs() > 1e-9 * largest)
        .map(|(column, &value)| (column, significant(value, 6)))
        .collect()
}
// ANCHOR_END: linear_combination

/// `value` rounded to `digits` significant digits.
fn significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(digits - 1 - value.abs().log10().floor() as i32);
    (value * scale).round() / scale
}

// ---------------------------------------------------------------------------
// Conditioning

// ANCHOR: condition_number
/// The condition number of `x` in the 2-norm, the ratio of its largest to
/// its smallest singular value:
///
/// ```text
/// κ(X) = σ_max / σ_min
/// ```
///
/// `x.singular_values()` gives the σ's. κ is at least 1; roughly, solving
/// with `X` can lose `log₁₀ κ` of f64's 16 significant digits. A matrix with
/// dependent columns has σ_min = 0 and κ = ∞. (The normal equations work with
/// XᵀX, whose condition number is κ(X)², so they lose twice as many.)
pub fn condition_number(x: &DMatrix<f64>) -> f64 {
    // BEGIN SOLUTION: return the largest singular value of x divided by the smallest
    let sigma = x.singular_values();
    sigma.max() / sigma.min()
    // END SOLUTION
}
// ANCHOR_END: condition_number

// ANCHOR: scaling
/// One scale per column of `x`: the power of two nearest to the column's
/// length (1 for a column of zeros). Dividing a column by a power of two
/// changes only the exponent of each number, never a digit, so the scaled
/// matrix holds exactly the same information.
pub fn column_scales(x: &DMatrix<f64>) -> DVector<f64> {
    DVector::from_iterator(
        x.ncols(),
        x.column_iter().map(|column| {
            let length = column.norm();
            if length > 0.0 && length.is_finite() { length.log2().round().exp2() } else { 1.0 }
        }),
    )
}

/// `x` with column `j` divided by `scales[j]`: every column about as long as
/// every other. A feature measured in millimetres instead of metres gives
/// the same scaled matrix.
pub fn scale_columns(x: &DMatrix<f64>, scales: &DVector<f64>) -> DMatrix<f64> {
    let mut scaled = x.clone();
    for (mut column, scale) in scaled.column_iter_mut().zip(scales.iter()) {
        column /= *scale;
    }
    scaled
}
// ANCHOR_END: scaling

// ---------------------------------------------------------------------------
// QR

// ANCHOR: solve_qr
/// The least-squares weights from the QR decomposition of `X` itself,
/// without forming XᵀX:
///
/// ```text
/// X = Q·R      (Q: n × p with orthonormal columns, R: p × p upper triangular)
/// R w = Qᵀy    (one triangular solve)
/// ```
///
/// `x.clone().qr()` decomposes; `.q()` and `.r()` give the factors;
/// `r.solve_upper_triangular(&b)` returns `None` when R has a zero on its
/// diagonal (X has dependent columns): then return `None`. Needs at least as
/// many rows as columns, as [`check_problem`] ensures.
pub fn solve_qr(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<DVector<f64>> {
    // BEGIN SOLUTION: decompose X = QR, then solve R w = Qᵀy with solve_upper_triangular (None → return None)
    let qr = x.clone().qr();
    let qty = qr.q().tr_mul(y);
    qr.r().solve_upper_triangular(&qty)
    // END SOLUTION
}
// ANCHOR_END: solve_qr

// ---------------------------------------------------------------------------
// Least squares, the whole pipeline (already written: it calls your functions)

// ANCHOR: solver
/// How [`least_squares`] solves the problem once it has checked it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Solver {
    /// QR of X, then one step of iterative refinement whose residual is
    /// accumulated in extended precision. The default: the most accurate.
    #[default]
    Qr,
    /// The normal equations, by Cholesky of XᵀX: fast and short, but it
    /// squares the condition number. Refused when κ(X)² exceeds
    /// [`NORMAL_EQUATIONS_LIMIT`].
    Normal,
    /// The singular value decomposition of the column-scaled X.
    Svd,
}
// ANCHOR_END: solver

impl Solver {
    /// Every solver, the default first.
    pub const ALL: [Solver; 3] = [Solver::Qr, Solver::Normal, Solver::Svd];
}

impl fmt::Display for Solver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Solver::Qr => "QR with refinement",
            Solver::Normal => "the normal equations (Cholesky of XᵀX)",
            Solver::Svd => "the SVD",
        })
    }
}

/// The largest condition number of XᵀX (that is, κ(X)², after column
/// scaling) that [`Solver::Normal`] accepts: beyond it fewer than 4 of f64's
/// 16 significant digits would survive.
pub const NORMAL_EQUATIONS_LIMIT: f64 = 1e12;

// ANCHOR: fit
/// The result of [`least_squares`].
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The weights, one for each column of `x`, in the order of the columns
    /// (with [`add_intercept`], coefficient 0 is the bias).
    pub coefficients: DVector<f64>,
    /// κ(X) after column scaling: how much the problem amplifies rounding.
    /// The solvers lose about `log₁₀ κ` digits (the normal equations twice
    /// as many).
    pub condition: f64,
    /// The solver that produced the coefficients.
    pub solver: Solver,
}
// ANCHOR_END: fit

impl Fit {
    /// About how many of f64's 16 significant digits the solver may have lost
    /// to rounding: `log₁₀ κ` (twice that for the normal equations). A rule
    /// of thumb, not a bound.
    pub fn digits_at_risk(&self) -> f64 {
        let digits = self.condition.log10();
        match self.solver {
            Solver::Normal => 2.0 * digits,
            Solver::Qr | Solver::Svd => digits,
        }
    }
}

// ANCHOR: least_squares
/// The least-squares weights `w` that minimise ‖Xw − y‖², the sum of squared
/// errors (and so the mean squared error):
///
/// 1. [`check_problem`] and [`check_rank`]: is there exactly one answer?
/// 2. the condition number of the column-scaled `x` (see [`column_scales`]);
/// 3. the solve: [`solve_qr`] and one step of [`refine`] for [`Solver::Qr`],
///    [`solve_normal_equations`] for [`Solver::Normal`] (refused beyond
///    [`NORMAL_EQUATIONS_LIMIT`]), the SVD of the scaled `x` for
///    [`Solver::Svd`].
pub fn least_squares(x: &DMatrix<f64>, y: &DVector<f64>, solver: Solver) -> Result<Fit, FitError> {
    check_problem(x, y)?;
    check_rank(x)?;
    let scales = column_scales(x);
    let scaled = scale_columns(x, &scales);
    let condition = condition_number(&scaled);
    let ill_conditioned = || FitError::IllConditioned { solver, condition };
    let coefficients = match solver {
        Solver::Qr => {
            let w = solve_qr(x, y).ok_or_else(ill_conditioned)?;
            refine(x, y, &w)
        }
        Solver::Normal => {
            if condition.is_nan() || condition * condition > NORMAL_EQUATIONS_LIMIT {
                return Err(ill_conditioned());
            }
            solve_normal_equations(x, y).ok_or_else(ill_conditioned)?
        }
        Solver::Svd => {
            let svd = scaled.svd(true, true);
            let w = svd.solve(y, 0.0).map_err(|_| ill_conditioned())?;
            w.component_div(&scales)
        }
    };
    if coefficients.iter().any(|c| !c.is_finite()) {
        return Err(ill_conditioned());
    }
    Ok(Fit { coefficients, condition, solver })
}
// ANCHOR_END: least_squares

// ANCHOR: refine
/// One step of iterative refinement (the "corrected semi-normal equations"):
///
/// ```text
/// r = y − Xw          the residual, accumulated in double-double
/// g = Xᵀr             accumulated in double-double, then rounded
/// RᵀR δ = g           two triangular solves (RᵀR = XᵀX)
/// w ← w + δ
/// ```
///
/// `g` is the gradient of the sum of squared errors, up to the factor −2:
/// zero at the exact answer. The step δ is one Newton step on the squared
/// error. In plain f64, `y − Xw` would cancel most of its digits away; in
/// extended precision (see the module `extended`) it keeps them, and the
/// step repairs what rounding did to `w`.
pub fn refine(x: &DMatrix<f64>, y: &DVector<f64>, w: &DVector<f64>) -> DVector<f64> {
    let r = x.clone().qr().r();
    let residual = extended::residual(x, y, w);
    let gradient = extended::transpose_times(x, &residual);
    let step = r.tr_solve_upper_triangular(&gradient).and_then(|z| r.solve_upper_triangular(&z));
    match step {
        Some(step) if step.iter().all(|s| s.is_finite()) => w + step,
        _ => w.clone(),
    }
}
// ANCHOR_END: refine

// ---------------------------------------------------------------------------
// Lines

// ANCHOR: line
/// A straight line `ŷ = w·x + b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// The weight: the slope.
    pub w: f64,
    /// The bias: the value at x = 0.
    pub b: f64,
}
// ANCHOR_END: line

// ANCHOR: fit_line
/// The best line through the points `(x[i], y[i])` in the least-squares
/// sense, in one step:
///
/// 1. the design matrix: `x` as one column, with [`add_intercept`] (build
///    the column with `DMatrix::from_column_slice(x.len(), 1, x)`);
/// 2. [`least_squares`] with the default solver (`y` as
///    `DVector::from_column_slice(y)`; pass its error on with `?`);
/// 3. read the coefficients in the order of the columns: the ones came
///    first, so coefficient 0 is `b` and coefficient 1 is `w`.
pub fn fit_line(x: &[f64], y: &[f64]) -> Result<Line, FitError> {
    // BEGIN SOLUTION: build [1, x] with add_intercept, call least_squares, and read b and w from the coefficients
    let design = add_intercept(&DMatrix::from_column_slice(x.len(), 1, x));
    let fit = least_squares(&design, &DVector::from_column_slice(y), Solver::default())?;
    Ok(Line { w: fit.coefficients[1], b: fit.coefficients[0] })
    // END SOLUTION
}
// ANCHOR_END: fit_line

// ANCHOR: fit_through_origin
/// The best line through the origin, `ŷ = w·x` with no bias: the design
/// matrix is `x` alone, one column and no column of ones. Returns `w`.
pub fn fit_through_origin(x: &[f64], y: &[f64]) -> Result<f64, FitError> {
    // BEGIN SOLUTION: call least_squares with x as the only column (no ones) and return its one coefficient
    let design = DMatrix::from_column_slice(x.len(), 1, x);
    let fit = least_squares(&design, &DVector::from_column_slice(y), Solver::default())?;
    Ok(fit.coefficients[0])
    // END SOLUTION
}
// ANCHOR_END: fit_through_origin

// ---------------------------------------------------------------------------
// Measuring accuracy

// ANCHOR: lre
/// The most digits [`log_relative_error`] reports: NIST certifies 15, and
/// f64 holds about 16.
pub const MAX_DIGITS: f64 = 15.0;

/// The log relative error (McCullough's LRE): how many significant digits
/// of `estimate` agree with the `certified` value,
///
/// ```text
/// LRE = −log₁₀( |estimate − certified| / |certified| )
/// LRE = −log₁₀( |estimate| )                 when certified = 0
/// ```
///
/// kept between 0 and [`MAX_DIGITS`]: an exact match gives 15, not infinity,
/// and an estimate that is NaN, infinite or wrong in its first digit gives
/// 0. For example `log_relative_error(1.0001, 1.0)` is about 4.
pub fn log_relative_error(estimate: f64, certified: f64) -> f64 {
    // BEGIN SOLUTION: compute the relative error (the absolute error when certified is 0), take −log₁₀, and keep it between 0 and MAX_DIGITS (NaN → 0)
    let error = if certified == 0.0 {
        estimate.abs()
    } else {
        (estimate - certified).abs() / certified.abs()
    };
    let digits = -error.log10();
    if digits.is_nan() { 0.0 } else { digits.clamp(0.0, MAX_DIGITS) }
    // END SOLUTION
}
// ANCHOR_END: lre

// ---------------------------------------------------------------------------
// Errors

// ANCHOR: errors
/// Why [`least_squares`] (and the functions that call it) found no answer.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum FitError {
    /// `x` and `y` disagree on the number of examples.
    #[error(
        "x has {rows} rows but y has {targets} values; give one target for every row (example) of x"
    )]
    LengthMismatch { rows: usize, targets: usize },

    /// `x` has no columns, so there is nothing to fit.
    #[error(
        "x has no columns, so there are no parameters to fit; add a feature, or the column of ones for a model that is only a bias"
    )]
    NoColumns,

    /// Fewer equations than unknowns: infinitely many answers fit exactly.
    #[error(
        "x has {rows} rows but {parameters} columns: {rows} equations cannot pin down {parameters} parameters, and infinitely many weight vectors fit equally well; use at least {parameters} examples, or fewer features"
    )]
    TooFewRows { rows: usize, parameters: usize },

    /// A feature value is NaN or infinite.
    #[error(
        "x[({row}, {column})] is {value}, but every value must be a finite number; find where it came from (a missing entry read as NaN, a division by zero)"
    )]
    NotFiniteFeature { row: usize, column: usize, value: f64 },

    /// A target value is NaN or infinite.
    #[error(
        "y[{row}] is {value}, but every value must be a finite number; find where it came from (a missing entry read as NaN, a division by zero)"
    )]
    NotFiniteTarget { row: usize, value: f64 },

    /// A column is a linear combination of the columns before it, so XᵀX is
    /// singular and there is no single answer.
    #[error("{}", dependency_message(*.column, .combination))]
    DependentColumns {
        /// The first column that adds no new direction.
        column: usize,
        /// `(k, cₖ)`: column ≈ Σ cₖ·column k. Empty for a column of zeros.
        combination: Vec<(usize, f64)>,
    },

    /// The problem amplifies rounding too much for the chosen solver.
    #[error("{}", ill_conditioned_message(*.solver, *.condition))]
    IllConditioned {
        solver: Solver,
        /// κ(X) after column scaling.
        condition: f64,
    },
}
// ANCHOR_END: errors

/// The message of [`FitError::DependentColumns`].
fn dependency_message(column: usize, combination: &[(usize, f64)]) -> String {
    let relation = if combination.is_empty() {
        format!("column {column} is all zeros")
    } else {
        let terms: Vec<String> = combination
            .iter()
            .enumerate()
            .map(|(i, (k, c))| {
                let sign = match (i, *c < 0.0) {
                    (0, false) => "",
                    (0, true) => "−",
                    (_, false) => " + ",
                    (_, true) => " − ",
                };
                format!("{sign}{} × column {k}", readable(c.abs()))
            })
            .collect();
        format!("column {column} = {} (up to rounding)", terms.concat())
    };
    format!(
        "the columns of x are linearly dependent: {relation}. Then XᵀX is singular and infinitely many weight vectors fit equally well; remove column {column} (a repeated feature, a constant feature next to the column of ones, or a feature computed from the others)"
    )
}

/// A coefficient as people write it: `3.7`, `0.5`, `2.5e-14`.
fn readable(value: f64) -> String {
    if value != 0.0 && !(1e-4..1e9).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

/// The message of [`FitError::IllConditioned`].
fn ill_conditioned_message(solver: Solver, condition: f64) -> String {
    match solver {
        Solver::Normal => format!(
            "x is too ill-conditioned for the normal equations: κ(X) ≈ {condition:.1e} after column scaling, and XᵀX squares it to about {:.1e}, beyond the limit of {NORMAL_EQUATIONS_LIMIT:.0e} where fewer than 4 of f64's 16 digits would survive; use Solver::Qr, which works with X itself",
            condition * condition
        ),
        Solver::Qr | Solver::Svd => format!(
            "x is too ill-conditioned for {solver}: κ(X) ≈ {condition:.1e} after column scaling, so rounding swamps the answer; rescale or remove nearly dependent features"
        ),
    }
}
