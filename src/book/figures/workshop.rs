//! Figures of Part 0 and exercises 1–4: the house prices, the synthetic
//! data, the cost curve, the gradient, and the update loop.

use super::*;

// ---------------------------------------------------------------------------
// Part 0, "What linear regression is": the lecture's house prices

pub(super) fn houses(root: &Path) -> Result<Dataset> {
    let path = root.join(HOUSE_CSV);
    solution_01::load_csv(&path, "size_sqft", "price_lakh")
        .with_context(|| format!("loading {}", path.display()))
}

pub(super) const HOUSE_LABELS: Labels<'static> =
    Labels { title: "House prices (the lecture's table)", x: "size (sq ft)", y: "price (lakh)" };

/// The guessed line of "What linear regression is": ŷ = 0.02·x − 5.
pub(super) const GUESS: (f64, f64) = (0.02, -5.0);

/// The table of house prices as points.
pub(super) fn house_prices(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    chart(
        path,
        HOUSE_LABELS,
        Scale::Linear,
        &[Series::Points { label: "houses", x: &data.x, y: &data.y }],
    )?;
    Ok(())
}

/// The houses and the guessed line through them.
pub(super) fn house_prices_guess(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let (w, b) = GUESS;
    let (lo, hi) = span(&data.x);
    let line_x = [lo, hi];
    let line_y = solution_02::predict_all(w, b, &line_x);
    chart(
        path,
        HOUSE_LABELS,
        Scale::Linear,
        &[
            Series::Points { label: "houses", x: &data.x, y: &data.y },
            Series::Line { label: "a guess: ŷ = 0.02·x − 5", x: &line_x, y: &line_y },
        ],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Exercise 1: the lecture's synthetic data

/// The lecture's recipe (x uniform on [0, 1), y = 2x + 1 + 0.1·noise) at the
/// course's seed, with the true line it was drawn from.
pub(super) fn exercise_01_data(_root: &Path, path: &Path) -> Result<()> {
    let recipe = Recipe::lecture();
    let data = solution_01::generate(&recipe, solution_01::EXAMPLES, solution_01::SEED);
    let line_x = [0.0, 1.0];
    let line_y = line_x.map(|x| recipe.w * x + recipe.b);
    let points = format!("{} examples, seed {}", data.len(), solution_01::SEED);
    chart(
        path,
        Labels { title: "The lecture's recipe: y = 2x + 1 + noise", x: "x", y: "y" },
        Scale::Linear,
        &[
            Series::Points { label: &points, x: &data.x, y: &data.y },
            Series::Line { label: "the true line y = 2x + 1", x: &line_x, y: &line_y },
        ],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Exercise 2: the cost as a function of the weight

/// The mean squared error of lines ŷ = w·x − 5 over the houses, for w from
/// 0.016 to 0.028: a parabola with its lowest point at the best weight for
/// that bias. The guess of Part 0 (w = 0.02) is marked. (The range is lopsided
/// on purpose: the left arm stays clear of the legend in the upper left.)
pub(super) fn exercise_02_loss(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let b = GUESS.1;
    let cost =
        |w: f64| solution_02::mean_squared_error(&solution_02::predict_all(w, b, &data.x), &data.y);
    let steps = 60;
    let ws: Vec<f64> = (0..=steps).map(|i| 0.016 + 0.012 * i as f64 / steps as f64).collect();
    let costs = ws.iter().map(|&w| cost(w)).collect::<Result<Vec<f64>, _>>()?;
    let guess_w = [GUESS.0];
    let guess_cost = [cost(GUESS.0)?];
    chart(
        path,
        Labels {
            title: "Mean squared error of ŷ = w·x − 5 on the houses",
            x: "weight w (bias b = −5)",
            y: "MSE (lakh²)",
        },
        Scale::Linear,
        &[
            Series::Line { label: "MSE(w)", x: &ws, y: &costs },
            Series::Points { label: "the guess w = 0.02: MSE = 8/7", x: &guess_w, y: &guess_cost },
        ],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Exercise 3: the gradient as a slope, and measuring it

/// The cost of the three points as a function of w (b held at 1), with its
/// tangent lines at three weights; the slopes come from the reference
/// solution's `mse_gradient`. (The range of w is lopsided so that the upper
/// left stays clear for the legend.)
pub(super) fn exercise_03_tangents(_root: &Path, path: &Path) -> Result<()> {
    // The chapter's three points on y = 2x + 1.
    let (x, y) = (support::data::THREE_X, support::data::THREE_Y);
    let b = 1.0;
    let cost = |w: f64| solution_02::mean_squared_error(&solution_02::predict_all(w, b, &x), &y);
    let steps = 80;
    let ws: Vec<f64> = (0..=steps).map(|i| 1.0 + 4.0 * i as f64 / steps as f64).collect();
    let costs = ws.iter().map(|&w| cost(w)).collect::<Result<Vec<f64>, _>>()?;
    let mut tangents = Vec::new();
    for (w0, reach) in [(1.25, 0.35), (2.0, 0.5), (4.0, 0.5)] {
        let slope = solution_03::mse_gradient(w0, b, &x, &y)?.dw;
        let j0 = cost(w0)?;
        let line_w = vec![w0 - reach, w0 + reach];
        let line_j: Vec<f64> = line_w.iter().map(|w| j0 + slope * (w - w0)).collect();
        let label = format!("tangent at w = {w0}: slope dJ/dw = {}", round_to(slope, 2));
        tangents.push((label, line_w, line_j, w0, j0));
    }
    let touch_w: Vec<f64> = tangents.iter().map(|t| t.3).collect();
    let touch_j: Vec<f64> = tangents.iter().map(|t| t.4).collect();
    let mut series =
        vec![Series::Line { label: "cost J(w) of the three points, b = 1", x: &ws, y: &costs }];
    for (label, line_w, line_j, _, _) in &tangents {
        series.push(Series::Line { label, x: line_w, y: line_j });
    }
    series.push(Series::Points { label: "where each tangent touches", x: &touch_w, y: &touch_j });
    chart(
        path,
        Labels {
            title: "The gradient is the slope of the cost",
            x: "weight w (bias b = 1)",
            y: "cost J (MSE)",
        },
        Scale::Linear,
        &series,
    )?;
    Ok(())
}

/// How far the forward and central differences of f(a) = a³ at a = 2 are
/// from the true slope 12, for steps from 10⁻¹² to 10⁻¹ (four per decade),
/// measured with the reference solution. Both axes show powers of ten, so
/// an error proportional to h is a line of slope 1 and one proportional to
/// h² a line of slope 2. An error of exactly 0 has no logarithm and is left
/// out.
pub(super) fn exercise_03_finite_differences(_root: &Path, path: &Path) -> Result<()> {
    let cube = |a: f64| a * a * a;
    let mut log_h = Vec::new();
    let mut forward = Vec::new();
    let mut central = Vec::new();
    for k in 4..=48 {
        let exponent = -(k as f64) / 4.0;
        let h = 10f64.powf(exponent);
        let log_error = |estimate: f64| {
            let e = (estimate - 12.0).abs();
            if e > 0.0 { e.log10() } else { f64::NAN }
        };
        log_h.push(exponent);
        forward.push(log_error(solution_03::forward_difference(cube, 2.0, h)?));
        central.push(log_error(solution_03::central_difference(cube, 2.0, h)?));
    }
    chart(
        path,
        Labels {
            title: "Error of the measured slope of a³ at a = 2",
            x: "log₁₀ h (the step)",
            y: "log₁₀ |measured slope − 12|",
        },
        Scale::Linear,
        &[
            Series::Line {
                label: "forward difference: error ≈ 6h, then rounding",
                x: &log_h,
                y: &forward,
            },
            Series::Line {
                label: "central difference: error ≈ h², then rounding",
                x: &log_h,
                y: &central,
            },
        ],
    )?;
    Ok(())
}

/// `value` rounded to `decimals` decimals, without a minus sign on zero.
pub(super) fn round_to(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    if text == "-0" { "0".to_string() } else { text }
}

pub(super) fn span(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

// ---------------------------------------------------------------------------
// Exercise 4: the update loop

/// A run of exercise 4's reference `train` on the lecture's data from the
/// untrained model, with the lecture's settings but for the descent and
/// the number of epochs.
pub(super) fn lecture_run(
    learning_rate: f64,
    descent: solution_04::Descent,
    epochs: usize,
) -> Result<solution_04::Training> {
    let split = solution_04::lecture_split()?;
    let settings = solution_04::Settings { descent, epochs, ..solution_04::Settings::lecture() };
    Ok(solution_04::train(
        solution_04::Params::UNTRAINED,
        &split,
        learning_rate,
        &settings,
        &mut std::io::sink(),
    )?)
}

/// The training loss per epoch of batch descent for four learning rates, as
/// the reference `train` records it: a run that diverges ends where
/// `has_diverged` stopped it, and its legend says so.
pub(super) fn exercise_04_learning_rates(_root: &Path, path: &Path) -> Result<()> {
    let mut curves = Vec::new();
    for alpha in [0.01, 0.1, 0.5, 0.82] {
        let run = lecture_run(alpha, solution_04::Descent::Batch, solution_04::EPOCHS)?;
        let label = match run.outcome {
            solution_04::Outcome::Diverged { epoch, .. } => {
                format!("α = {alpha}: diverged at epoch {epoch}")
            }
            _ => format!("α = {alpha}: {} after 100 epochs", round_to(run.history.train[99], 4)),
        };
        curves.push((label, run.history.train));
    }
    let curves: Vec<(&str, &[f64])> =
        curves.iter().map(|(label, losses)| (label.as_str(), losses.as_slice())).collect();
    solution_04::plot_losses(&curves, "Training loss per epoch for four learning rates", path)?;
    Ok(())
}

/// The lecture's home task: the training loss per epoch of batch,
/// mini-batch and stochastic descent at the same learning rate, 0.1.
pub(super) fn exercise_04_batch_vs_stochastic(_root: &Path, path: &Path) -> Result<()> {
    let kinds = [
        ("batch: 1 step per epoch", solution_04::Descent::Batch),
        ("mini-batches of 32: 3 steps per epoch", solution_04::Descent::MiniBatch(32)),
        ("stochastic: 80 steps per epoch", solution_04::Descent::Stochastic),
    ];
    let mut runs = Vec::new();
    for (label, descent) in kinds {
        runs.push((label, lecture_run(0.1, descent, solution_04::EPOCHS)?.history.train));
    }
    let curves: Vec<(&str, &[f64])> =
        runs.iter().map(|(label, losses)| (*label, losses.as_slice())).collect();
    solution_04::plot_losses(&curves, "Batch against stochastic descent (α = 0.1)", path)?;
    Ok(())
}
