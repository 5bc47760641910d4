//! Figures of the discussion: feature scaling, overfitting, and too many
//! epochs.

use super::*;

// ---------------------------------------------------------------------------
// Part 3, "Discussion": feature scaling, and overfitting

/// The curvatures of the cost of a line, J(w, b) = mean((w·x + b − y)²): the
/// eigenvalues, largest first, of its matrix of second derivatives
///
/// ```text
/// H = 2·⎡ mean(x²)  mean(x) ⎤
///       ⎣ mean(x)   1       ⎦
/// ```
///
/// which depends on the inputs only. A step of gradient descent with
/// learning rate α multiplies the distance to the best line along each
/// eigenvector of H by 1 − α·λ.
pub(super) fn line_cost_curvatures(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let mean_square = x.iter().map(|v| v * v).sum::<f64>() / n;
    let (a, c, d) = (2.0 * mean_square, 2.0 * mean, 2.0);
    let half_trace = (a + d) / 2.0;
    let spread = (half_trace * half_trace - (a * d - c * c)).sqrt();
    (half_trace + spread, half_trace - spread)
}

/// The cost after 0, 1, …, `epochs` epochs of full-batch gradient descent
/// on a line from w = b = 0, with the gradient of the reference solution of
/// exercise 3.
pub(super) fn descent_costs(x: &[f64], y: &[f64], alpha: f64, epochs: usize) -> Result<Vec<f64>> {
    let (mut w, mut b) = (0.0, 0.0);
    let mut costs = Vec::with_capacity(epochs + 1);
    for epoch in 0..=epochs {
        costs.push(solution_02::mean_squared_error(&solution_02::predict_all(w, b, x), y)?);
        if epoch < epochs {
            let gradient = solution_03::mse_gradient(w, b, x, y)?;
            w -= alpha * gradient.dw;
            b -= alpha * gradient.db;
        }
    }
    Ok(costs)
}

/// Epochs of the scaling experiment.
pub(super) const SCALING_EPOCHS: usize = 200;

/// Gradient descent on the houses three ways: the sizes in square feet as
/// they are, in thousands of square feet, and in thousands centred on their
/// mean, each with a learning rate just below its limit 2/λ_max. The line
/// and its cost are the same in every unit; only the shape of the bowl, its
/// condition number κ = λ_max/λ_min, changes. The flat line is the best
/// line's cost.
pub(super) fn discussion_feature_scaling(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let n = data.x.len() as f64;
    let mean = data.x.iter().sum::<f64>() / n;
    let variants = [
        ("sizes in sq ft", data.x.clone(), 1.3e-6),
        ("in thousands of sq ft", data.x.iter().map(|x| x / 1000.0).collect::<Vec<f64>>(), 0.5),
        (
            "in thousands, centred on the mean",
            data.x.iter().map(|x| (x - mean) / 1000.0).collect(),
            0.9,
        ),
    ];
    let epochs: Vec<f64> = (0..=SCALING_EPOCHS).map(|e| e as f64).collect();
    let mut curves = Vec::new();
    for (name, x, alpha) in &variants {
        let (steep, shallow) = line_cost_curvatures(x);
        let label = format!(
            "{name}, α = {}, κ = {}",
            support::plot::tidy(*alpha),
            support::plot::tidy(steep / shallow)
        );
        curves.push((label, descent_costs(x, &data.y, *alpha, SCALING_EPOCHS)?));
    }
    let best = solution_06::fit_line(&data.x, &data.y)?;
    let floor = solution_02::mean_squared_error(
        &solution_02::predict_all(best.w, best.b, &data.x),
        &data.y,
    )?;
    let floor_x = [0.0, SCALING_EPOCHS as f64];
    let floor_y = [floor; 2];
    let floor_label = format!("the best line's cost, {}", support::plot::tidy(floor));
    // The floor first, so that the runs that reach it are drawn over it.
    let mut series = vec![Series::Line { label: &floor_label, x: &floor_x, y: &floor_y }];
    for (label, costs) in &curves {
        series.push(Series::Line { label, x: &epochs, y: costs });
    }
    chart(
        path,
        Labels {
            title: "Gradient descent on the houses, with and without scaling",
            x: "epoch",
            y: "MSE (lakh², log scale)",
        },
        Scale::Log,
        &series,
    )?;
    Ok(())
}
/// How many points the overfitting experiment fits, and the seed that draws
/// them; the validation set is a hundred fresh points at the next seed.
pub(super) const FEW_POINTS: usize = 10;
pub(super) const FEW_POINTS_SEED: u64 = 45;
/// The polynomial with as many coefficients as there are points.
pub(super) const HIGH_DEGREE: usize = FEW_POINTS - 1;

/// Ten points of the lecture's recipe to learn from, and a hundred to check.
pub(super) fn few_points() -> (Dataset, Dataset) {
    let recipe = Recipe::lecture();
    let train = solution_01::generate(&recipe, FEW_POINTS, FEW_POINTS_SEED);
    let validation = solution_01::generate(&recipe, solution_01::EXAMPLES, FEW_POINTS_SEED + 1);
    (train, validation)
}

/// The least-squares polynomial of `degree` through the points, by exercise
/// 6's reference solution: coefficients c₀ (the bias), c₁, …, c_degree.
pub(super) fn polynomial_fit(x: &[f64], y: &[f64], degree: usize) -> Result<Vec<f64>> {
    let design = solution_06::add_intercept(&solution_06::polynomial_features(x, degree));
    // y as a column vector: the features of degree 1 of y are y itself.
    let target = solution_06::polynomial_features(y, 1).column(0).into_owned();
    let fit = solution_06::least_squares(&design, &target, solution_06::Solver::Qr)?;
    Ok(fit.coefficients.iter().copied().collect())
}

/// c₀ + c₁·x + … + c_d·xᵈ, by Horner's rule.
pub(super) fn polynomial(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |sum, c| sum * x + c)
}

/// The mean squared error of the polynomial on a data set.
pub(super) fn polynomial_cost(coefficients: &[f64], data: &Dataset) -> Result<f64> {
    let predictions: Vec<f64> = data.x.iter().map(|&x| polynomial(coefficients, x)).collect();
    Ok(solution_02::mean_squared_error(&predictions, &data.y)?)
}

/// Ten noisy points from the line y = 2x + 1, fitted by a line and by a
/// polynomial of degree 9, which passes through every one of them; the
/// legend gives each fit's error on the ten points and on a hundred new ones.
pub(super) fn discussion_overfitting(_root: &Path, path: &Path) -> Result<()> {
    let (train, validation) = few_points();
    let grid: Vec<f64> = (0..=200).map(|i| i as f64 / 200.0).collect();
    let mut fits = Vec::new();
    for degree in [1, HIGH_DEGREE] {
        let c = polynomial_fit(&train.x, &train.y, degree)?;
        // Left of the first training point the polynomial of degree 9 plunges
        // far below the data; the figure cuts every curve off at y = 0 (a
        // point that is not finite is not drawn), so that the data stay big.
        let curve: Vec<f64> = grid
            .iter()
            .map(|&x| polynomial(&c, x))
            .map(|y| if y < 0.0 { f64::NAN } else { y })
            .collect();
        let name = if degree == 1 { "a line".to_string() } else { format!("degree {degree}") };
        let label = format!(
            "{name}: training MSE {}, validation {}",
            support::plot::tidy(polynomial_cost(&c, &train)?),
            support::plot::tidy(polynomial_cost(&c, &validation)?),
        );
        fits.push((label, curve));
    }
    let train_label = format!("{} training points", train.len());
    let validation_label = format!("{} validation points", validation.len());
    let mut series = vec![
        Series::Points { label: &validation_label, x: &validation.x, y: &validation.y },
        Series::Points { label: &train_label, x: &train.x, y: &train.y },
    ];
    for (label, curve) in &fits {
        series.push(Series::Line { label, x: &grid, y: curve });
    }
    chart(
        path,
        Labels { title: "Ten points, a line and a polynomial of degree 9", x: "x", y: "y" },
        Scale::Linear,
        &series,
    )?;
    Ok(())
}

/// The learning rate and the number of epochs of the epochs experiment.
pub(super) const POLYNOMIAL_LEARNING_RATE: f64 = 0.3;
pub(super) const POLYNOMIAL_EPOCHS: u32 = 1_000_000;

/// Gradient descent on the polynomial of degree 9 through the ten points
/// (its powers of x as nine features), from all-zero weights: training and
/// validation cost against the number of epochs, on log scales. The
/// validation cost bottoms out early and then climbs while the training
/// cost keeps falling; the point marks where to stop.
pub(super) fn discussion_epochs(_root: &Path, path: &Path) -> Result<()> {
    let (train, validation) = few_points();
    let rows = |x: &[f64]| -> Vec<Vec<f64>> {
        let features = solution_06::polynomial_features(x, HIGH_DEGREE);
        features.row_iter().map(|r| r.iter().copied().collect()).collect()
    };
    let (train_rows, validation_rows) = (rows(&train.x), rows(&validation.x));
    let cost = |w: &[f64], b: f64, rows: &[Vec<f64>], y: &[f64]| -> Result<f64> {
        let predictions = rows
            .iter()
            .map(|r| solution_02::predict_features(w, b, r))
            .collect::<Result<Vec<f64>, _>>()?;
        Ok(solution_02::mean_squared_error(&predictions, y)?)
    };
    let (mut w, mut b) = (vec![0.0; HIGH_DEGREE], 0.0);
    let (mut log_epochs, mut train_costs, mut validation_costs) =
        (Vec::new(), Vec::new(), Vec::new());
    // Record ten times per power of ten: epochs 1, 1.26, 1.58, … rounded.
    let mut marks = (0..=60).map(|k| 10f64.powf(k as f64 / 10.0).round() as u32).peekable();
    for epoch in 1..=POLYNOMIAL_EPOCHS {
        let gradient = solution_03::mse_gradient_features(&w, b, &train_rows, &train.y)?;
        for (wj, dj) in w.iter_mut().zip(&gradient.dw) {
            *wj -= POLYNOMIAL_LEARNING_RATE * dj;
        }
        b -= POLYNOMIAL_LEARNING_RATE * gradient.db;
        if marks.peek() == Some(&epoch) {
            while marks.peek() == Some(&epoch) {
                marks.next();
            }
            log_epochs.push((epoch as f64).log10());
            train_costs.push(cost(&w, b, &train_rows, &train.y)?);
            validation_costs.push(cost(&w, b, &validation_rows, &validation.y)?);
        }
    }
    let best = (0..validation_costs.len())
        .min_by(|&i, &j| validation_costs[i].total_cmp(&validation_costs[j]))
        .context("no epochs recorded")?;
    let stop_x = [log_epochs[best]];
    let stop_y = [validation_costs[best]];
    let stop_label = format!(
        "stop here: {} epochs, validation {}",
        10f64.powf(log_epochs[best]).round(),
        support::plot::tidy(validation_costs[best]),
    );
    let last = |costs: &[f64]| support::plot::tidy(costs[costs.len() - 1]);
    let train_label = format!("training MSE (at the end {})", last(&train_costs));
    let validation_label = format!("validation MSE (at the end {})", last(&validation_costs));
    chart(
        path,
        Labels {
            title: "Gradient descent on the polynomial of degree 9",
            x: "log₁₀ epochs",
            y: "MSE (log scale)",
        },
        Scale::Log,
        &[
            Series::Line { label: &train_label, x: &log_epochs, y: &train_costs },
            Series::Line { label: &validation_label, x: &log_epochs, y: &validation_costs },
            Series::Points { label: &stop_label, x: &stop_x, y: &stop_y },
        ],
    )?;
    Ok(())
}
