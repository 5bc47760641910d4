//! How many digits each way of solving gets right on NIST's data sets.
//!
//! Part of the reference solution only. Chapter 6, "How many digits are
//! right?", shows the table that [`table`] computes, and
//! `cargo workbook figures` writes it for the book with [`markdown`].

use std::fmt::Write as _;

use nalgebra::{DMatrix, DVector};
use thiserror::Error;

use crate::nist::{self, Dataset, Model, NistError};
use crate::{FitError, Solver};

// ANCHOR: required_digits
/// The accuracy the default solver must reach on a NIST data set: the
/// worst coefficient's LRE, in digits. Filip's powers of x, written as f64,
/// limit any solver to about 7.5 digits; Wampler5's huge residuals leave a
/// little less than the others.
pub fn required_digits(name: &str) -> f64 {
    match name {
        "Filip" => 7.0,
        "Wampler5" => 6.0,
        _ => 9.0,
    }
}
// ANCHOR_END: required_digits

/// The digits of the worst coefficient: the smallest
/// [`crate::log_relative_error`] over all pairs, 0 if the lengths differ.
pub fn worst_digits(estimates: &DVector<f64>, certified: &DVector<f64>) -> f64 {
    if estimates.len() != certified.len() {
        return 0.0;
    }
    estimates
        .iter()
        .zip(certified.iter())
        .map(|(&e, &c)| crate::log_relative_error(e, c))
        .fold(crate::MAX_DIGITS, f64::min)
}

/// One data set's line of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    /// NIST's level of difficulty: Lower, Average or Higher.
    pub difficulty: String,
    pub model: Model,
    /// The number of coefficients.
    pub parameters: usize,
    /// κ(X) after column scaling.
    pub condition: f64,
    /// What the default solver must reach ([`required_digits`]).
    pub required: f64,
    /// Cholesky of XᵀX, [`crate::solve_normal_equations`] (`None`: the
    /// factorisation failed).
    pub cholesky: Option<f64>,
    /// `(XᵀX)⁻¹ · Xᵀy` with an explicit inverse: what not to do.
    pub inverse: Option<f64>,
    /// QR alone, [`crate::solve_qr`].
    pub qr: Option<f64>,
    /// The default: [`crate::least_squares`] with [`Solver::Qr`], QR plus one
    /// step of refinement.
    pub refined: f64,
    /// [`crate::least_squares`] with [`Solver::Svd`].
    pub svd: f64,
    /// Whether [`Solver::Normal`] refuses the data set as too ill-conditioned.
    pub normal_refused: bool,
}

/// Why the table could not be made.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum AccuracyError {
    #[error(transparent)]
    Nist(#[from] NistError),
    #[error("{name}: {source}")]
    Fit { name: String, source: FitError },
}

/// The explicit inverse, `(XᵀX)⁻¹ · Xᵀy`: here only to be measured.
fn solve_with_inverse(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<DVector<f64>> {
    let (xtx, xty) = crate::normal_equations(x, y);
    Some(xtx.try_inverse()? * xty)
}

// ANCHOR: row
/// Fits one data set every way and counts the digits each way gets right.
pub fn row(data: &Dataset) -> Result<Row, FitError> {
    let x = data.design_matrix();
    let y = &data.y;
    let digits = |w: Option<DVector<f64>>| w.map(|w| worst_digits(&w, &data.certified));
    let default = crate::least_squares(&x, y, Solver::Qr)?;
    let svd = crate::least_squares(&x, y, Solver::Svd)?;
    let normal = crate::least_squares(&x, y, Solver::Normal);
    Ok(Row {
        name: data.name.clone(),
        difficulty: data.difficulty.clone(),
        model: data.model,
        parameters: data.certified.len(),
        condition: default.condition,
        required: required_digits(&data.name),
        cholesky: digits(crate::solve_normal_equations(&x, y)),
        inverse: digits(solve_with_inverse(&x, y)),
        qr: digits(crate::solve_qr(&x, y)),
        refined: worst_digits(&default.coefficients, &data.certified),
        svd: worst_digits(&svd.coefficients, &data.certified),
        normal_refused: matches!(normal, Err(FitError::IllConditioned { .. })),
    })
}
// ANCHOR_END: row

/// The table for all eleven bundled data sets, in NIST's order.
pub fn table() -> Result<Vec<Row>, AccuracyError> {
    nist::load_all()?
        .iter()
        .map(|data| {
            row(data).map_err(|source| AccuracyError::Fit { name: data.name.clone(), source })
        })
        .collect()
}

/// The table as Markdown, for the book (math in KaTeX's `$…$`).
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| data set | model | difficulty | $\\kappa(X)$ | required | Cholesky of $X^\\top X$ | explicit inverse | QR | QR + refinement (default) | SVD |\n",
    );
    out.push_str("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let cell = |digits: Option<f64>| digits.map_or("fails".to_string(), |d| format!("{d:.1}"));
    for row in rows {
        let cholesky =
            format!("{}{}", cell(row.cholesky), if row.normal_refused { " †" } else { "" });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} | **{:.1}** | {:.1} |",
            row.name,
            row.model,
            row.difficulty.to_lowercase(),
            condition_cell(row.condition),
            row.required,
            cholesky,
            cell(row.inverse),
            cell(row.qr),
            row.refined,
            row.svd,
        );
    }
    out.push_str(
        "\n† `Solver::Normal` refuses this data set: $\\kappa(X)^2$ is beyond `NORMAL_EQUATIONS_LIMIT`.\n",
    );
    out
}

/// κ in the table: `18`, or `$5.2 \cdot 10^{9}$`.
fn condition_cell(condition: f64) -> String {
    if condition < 1000.0 {
        format!("{condition:.1}")
    } else {
        let exponent = condition.log10().floor();
        let mantissa = condition / 10f64.powf(exponent);
        format!("${mantissa:.1} \\cdot 10^{{{exponent}}}$")
    }
}
