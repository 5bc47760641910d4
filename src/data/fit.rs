//! `cargo workbook fit`: least squares on the learner's own CSV file, with
//! exercise 06's reference solver (no second implementation).

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use solution_06::{Solver, add_intercept, least_squares};

use crate::data::table;

/// What `fit --json` prints.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FitSummary {
    /// The bias b; `None` for a model through the origin (`--no-intercept`).
    pub intercept: Option<f64>,
    /// One weight per feature column, in the file's order.
    pub coefficients: Vec<f64>,
    /// qr, normal or svd.
    pub solver: String,
    /// The coefficient of determination, 1 − SSres/SStot (SStot about the
    /// mean; about zero for a model through the origin, as is usual).
    pub r2: f64,
    /// √(SSres / (n − p)), p the number of parameters; `None` when n = p.
    pub residual_sd: Option<f64>,
    pub n: usize,
    /// The mean squared error on the rows it was fitted on.
    #[serde(skip)]
    pub mse: f64,
    #[serde(skip)]
    pub features: Vec<String>,
    #[serde(skip)]
    pub target: String,
    #[serde(skip)]
    pub condition: f64,
}

/// The solvers `--solver` names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SolverChoice {
    // QR with refinement: accurate (the default).
    #[default]
    Qr,
    // The normal equations: fast, loses twice the digits.
    Normal,
    // The singular value decomposition.
    Svd,
}

impl From<SolverChoice> for Solver {
    fn from(choice: SolverChoice) -> Solver {
        match choice {
            SolverChoice::Qr => Solver::Qr,
            SolverChoice::Normal => Solver::Normal,
            SolverChoice::Svd => Solver::Svd,
        }
    }
}

fn solver_name(s: Solver) -> &'static str {
    match s {
        Solver::Qr => "qr",
        Solver::Normal => "normal",
        Solver::Svd => "svd",
    }
}

/// Reads `path` and fits `target` (default: the last column) on every other
/// column.
pub fn fit(
    path: &Path,
    target: Option<&str>,
    intercept: bool,
    solver: Solver,
) -> Result<FitSummary> {
    let table = table::read(path)?;
    let target_at = match target {
        Some(name) => table.column(name).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?,
        None => table.headers.len() - 1,
    };
    let (features, x, y) = table.design(target_at);
    let n = y.len();
    let design = if intercept { add_intercept(&x) } else { x };
    let name = |j: usize| -> String {
        match (intercept, j) {
            (true, 0) => "the intercept's column of ones".to_string(),
            (true, j) => format!("column \"{}\"", features[j - 1]),
            (false, j) => format!("column \"{}\"", features[j]),
        }
    };
    let fit = match least_squares(&design, &y, solver) {
        Ok(fit) => fit,
        Err(solution_06::FitError::DependentColumns { column, combination }) => {
            let terms: Vec<String> =
                combination.iter().map(|(k, c)| format!("{c:.6} × {}", name(*k))).collect();
            let how = if terms.is_empty() {
                "is all zeros".to_string()
            } else {
                format!("= {}", terms.join(" + "))
            };
            anyhow::bail!(
                "could not fit {}: {} {how} (up to rounding), so it adds nothing the other columns don't say and infinitely many weights fit equally well; remove that column (a repeated feature, a constant feature next to the intercept, or one computed from the others)",
                path.display(),
                name(column)
            );
        }
        Err(e) => return Err(e).with_context(|| format!("could not fit {}", path.display())),
    };
    let predictions = &design * &fit.coefficients;
    let ss_res: f64 = (&y - &predictions).iter().map(|r| r * r).sum();
    let centre = if intercept { y.mean() } else { 0.0 };
    let ss_tot: f64 = y.iter().map(|v| (v - centre) * (v - centre)).sum();
    let p = design.ncols();
    let coefficients: Vec<f64> = fit.coefficients.iter().copied().collect();
    let (b, w) = if intercept {
        (Some(coefficients[0]), coefficients[1..].to_vec())
    } else {
        (None, coefficients)
    };
    Ok(FitSummary {
        intercept: b,
        coefficients: w,
        solver: solver_name(fit.solver).to_string(),
        r2: if ss_tot > 0.0 { 1.0 - ss_res / ss_tot } else { f64::NAN },
        residual_sd: (n > p).then(|| (ss_res / (n - p) as f64).sqrt()),
        n,
        mse: ss_res / n as f64,
        features,
        target: table.headers[target_at].clone(),
        condition: fit.condition,
    })
}

/// The summary as a person reads it.
pub fn describe(s: &FitSummary) -> String {
    let mut out = format!(
        "Least squares fit of {} on {} ({} examples, solver: {})\n\n",
        s.target,
        s.features.join(", "),
        s.n,
        s.solver
    );
    let width =
        s.features.iter().map(|f| f.chars().count()).max().unwrap_or(0).max("intercept".len());
    if let Some(b) = s.intercept {
        out.push_str(&format!("  {:<width$}  {b:>14.6}\n", "intercept"));
    }
    for (name, w) in s.features.iter().zip(&s.coefficients) {
        out.push_str(&format!("  {name:<width$}  {w:>14.6}\n"));
    }
    out.push_str(&format!("\nR² = {:.6}", s.r2));
    match s.residual_sd {
        Some(sd) => out.push_str(&format!(", residual standard deviation = {sd:.6}\n")),
        None => out.push_str(", no residual standard deviation (as many parameters as examples)\n"),
    }
    out.push_str(&format!("condition number of the scaled design: {:.3e}\n", s.condition));
    out
}
