//! Figures of exercise 7: gradient descent on the housing data, raw and
//! standardised, and the numbers of the two cost bowls.

use nalgebra::DMatrix;

use super::*;

/// Epochs of chapter 7's runs.
pub(super) const SCALING_RUN_EPOCHS: usize = 100;
/// The learning rate of the standardised run.
pub(super) const SCALED_RATE: f64 = 0.5;

/// The Hessian of the MSE of a linear model on `x`, (2/N)·AᵀA with
/// A = [1 X] (bias first): its diagonal holds the curvature along each
/// parameter, its eigenvalues the curvatures of the bowl's axes.
pub(super) fn hessian(x: &DMatrix<f64>) -> DMatrix<f64> {
    let a = solution_06::add_intercept(x);
    a.tr_mul(&a) * (2.0 / x.nrows() as f64)
}

/// The largest and the smallest eigenvalue of the Hessian.
pub(super) fn extreme_curvatures(x: &DMatrix<f64>) -> (f64, f64) {
    let eigenvalues = hessian(x).symmetric_eigenvalues();
    (eigenvalues.max(), eigenvalues.min())
}

/// The raw training houses and the standardised ones.
fn raw_and_scaled() -> Result<(solution_07::Split, DMatrix<f64>)> {
    let data = solution_07::housing_split();
    let (_, scaled, _) = solution_07::standardise_split(&data)?;
    Ok((data, scaled))
}

/// The MSE of exercise 06's least-squares answer on the training houses.
fn best_mse(data: &solution_07::Split) -> Result<f64> {
    let best = solution_07::least_squares_scaled(&data.train_x, &data.train_y)?;
    Ok(solution_07::mse(&data.train_x, &best, &data.train_y)?)
}

/// The learning rates of the raw runs: just under the limit 2/λ_max, and
/// half of it (above the limit the loss leaves the figure within a few
/// epochs; the chapter gives its numbers).
fn raw_rates(x: &DMatrix<f64>) -> [f64; 2] {
    let limit = 2.0 / extreme_curvatures(x).0;
    let round = |v: f64| {
        let magnitude = 10f64.powf(v.log10().floor());
        (v / magnitude * 10.0).floor() / 10.0 * magnitude
    };
    [round(0.95 * limit), round(0.5 * limit)]
}

/// The loss per epoch of gradient descent on the housing data: on the raw
/// features at two learning rates below their limit, and on the
/// standardised features at α = 0.5, with the least-squares answer's MSE as
/// the floor.
pub(super) fn exercise_07_descent(_root: &Path, path: &Path) -> Result<()> {
    let (data, scaled) = raw_and_scaled()?;
    let mut curves = Vec::new();
    for rate in raw_rates(&data.train_x) {
        let run = solution_07::descend(&data.train_x, &data.train_y, rate, SCALING_RUN_EPOCHS)?;
        let end = if run.diverged { ", diverged" } else { "" };
        curves.push((format!("raw features, α = {}{end}", support::plot::tidy(rate)), run.losses));
    }
    let run = solution_07::descend(&scaled, &data.train_y, SCALED_RATE, SCALING_RUN_EPOCHS)?;
    curves.push((format!("standardised features, α = {SCALED_RATE}"), run.losses));
    let floor = best_mse(&data)?;
    let floor_x = [0.0, SCALING_RUN_EPOCHS as f64];
    let floor_y = [floor; 2];
    let floor_label = format!("least squares (exercise 06), {}", support::plot::tidy(floor));
    let epochs: Vec<Vec<f64>> =
        curves.iter().map(|(_, l)| (0..l.len()).map(|e| e as f64).collect()).collect();
    let mut series = vec![Series::Line { label: &floor_label, x: &floor_x, y: &floor_y }];
    for ((label, losses), x) in curves.iter().zip(&epochs) {
        series.push(Series::Line { label, x, y: losses });
    }
    chart(
        path,
        Labels {
            title: "Gradient descent on 160 houses, four features",
            x: "epoch",
            y: "MSE (lakh², log scale)",
        },
        Scale::Log,
        &series,
    )?;
    Ok(())
}

/// A number for the table: three significant digits, in scientific
/// notation when large or small.
fn significant(v: f64) -> String {
    if v != 0.0 && !(0.01..10_000.0).contains(&v.abs()) {
        let exponent = v.abs().log10().floor() as i32;
        let mantissa = v / 10f64.powi(exponent);
        format!("${mantissa:.2} \\cdot 10^{{{exponent}}}$")
    } else {
        support::plot::tidy((v * 1000.0).round() / 1000.0)
    }
}

/// The numbers of the two bowls as a Markdown table that chapter 7
/// includes: the curvature along each parameter, the extreme curvatures,
/// κ, the learning-rate limit, and where 100 epochs just under the limit end.
pub(super) fn exercise_07_bowls(_root: &Path, path: &Path) -> Result<()> {
    let (data, scaled) = raw_and_scaled()?;
    let mut rows: Vec<(String, [String; 2])> = Vec::new();
    let (raw_h, scaled_h) = (hessian(&data.train_x), hessian(&scaled));
    let names = std::iter::once("the bias".to_string())
        .chain(solution_07::HOUSING_FEATURES.map(|f| format!("the weight of {f}")));
    for (i, name) in names.enumerate() {
        rows.push((
            format!("curvature along {name}"),
            [significant(raw_h[(i, i)]), significant(scaled_h[(i, i)])],
        ));
    }
    let (raw_max, raw_min) = extreme_curvatures(&data.train_x);
    let (scaled_max, scaled_min) = extreme_curvatures(&scaled);
    rows.push(("steepest curvature λ_max".into(), [significant(raw_max), significant(scaled_max)]));
    rows.push(("flattest curvature λ_min".into(), [significant(raw_min), significant(scaled_min)]));
    rows.push((
        "κ = λ_max / λ_min (`hessian_condition`)".into(),
        [
            significant(solution_07::hessian_condition(&data.train_x)),
            significant(solution_07::hessian_condition(&scaled)),
        ],
    ));
    rows.push((
        "largest safe learning rate 2/λ_max".into(),
        [significant(2.0 / raw_max), significant(2.0 / scaled_max)],
    ));
    let raw_rate = raw_rates(&data.train_x)[0];
    let raw = solution_07::descend(&data.train_x, &data.train_y, raw_rate, SCALING_RUN_EPOCHS)?;
    let fast = solution_07::descend(&scaled, &data.train_y, SCALED_RATE, SCALING_RUN_EPOCHS)?;
    rows.push((
        "learning rate of the run below".into(),
        [significant(raw_rate), significant(SCALED_RATE)],
    ));
    let last = |l: &[f64]| l.last().copied().unwrap_or(f64::NAN);
    rows.push((
        format!(
            "MSE after {SCALING_RUN_EPOCHS} epochs (least squares: {})",
            significant(best_mse(&data)?)
        ),
        [significant(last(&raw.losses)), significant(last(&fast.losses))],
    ));
    let mut out = String::from("| | raw features | standardised features |\n|---|---:|---:|\n");
    for (name, [a, b]) in rows {
        out.push_str(&format!("| {name} | {a} | {b} |\n"));
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
