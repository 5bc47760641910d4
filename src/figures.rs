//! The book's figures, drawn from the course's data and reference solutions.
//!
//! Every figure in `book/src/figures/` is written by [`render_all`]
//! (`cargo workbook figures`) with the same code the exercises are graded
//! against, so a figure can't show something the code doesn't do. The output
//! is deterministic: the same sources give the same bytes, and the course's
//! tests (`tests/book.rs`) fail when a committed figure differs from a fresh
//! rendering.
//!
//! To add a figure, write a function below, list it in [`FIGURES`], show it
//! in a chapter, and run `cargo workbook figures`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use solution_01::{Dataset, Recipe};
use support::plot::{Labels, Scale, Series, chart};

use crate::manifest::Manifest;

/// Draws one figure: `(course root, file to write)`.
pub type Draw = fn(&Path, &Path) -> Result<()>;

/// The book's figures: the file name in `book/src/figures/`, and the function
/// that draws it.
pub const FIGURES: &[(&str, Draw)] = &[
    ("house-prices.svg", house_prices),
    ("house-prices-guess.svg", house_prices_guess),
    ("exercise-01-data.svg", exercise_01_data),
    ("exercise-02-loss.svg", exercise_02_loss),
    ("exercise-03-tangents.svg", exercise_03_tangents),
    ("exercise-03-finite-differences.svg", exercise_03_finite_differences),
    ("exercise-04-learning-rates.svg", exercise_04_learning_rates),
    ("exercise-04-fit.svg", exercise_04_fit),
    ("exercise-04-batch-vs-stochastic.svg", exercise_04_batch_vs_stochastic),
    ("exercise-05-optimizers.svg", exercise_05_optimizers),
    ("exercise-05-paths.svg", exercise_05_paths),
    ("exercise-05-learning-rates.svg", exercise_05_learning_rates),
    ("exercise-06-houses.svg", exercise_06_houses),
    ("exercise-06-accuracy.md", exercise_06_accuracy),
    ("discussion-feature-scaling.svg", discussion_feature_scaling),
    ("discussion-overfitting.svg", discussion_overfitting),
    ("discussion-epochs.svg", discussion_epochs),
];

/// The folder of the figures, relative to the book's folder.
pub const FIGURES_DIR: &str = "src/figures";

/// The lecture's house prices, as the course ships them.
pub const HOUSE_CSV: &str = "exercises/exercise-01/data/house_prices.csv";

/// Renders every figure of the book into `book/src/figures/` of the course at
/// `root` (the folder with `course.toml`) and returns the files written.
pub fn render_all(root: &Path) -> Result<Vec<PathBuf>> {
    let manifest = Manifest::load(root)?;
    render_into(root, &root.join(&manifest.course.book).join(FIGURES_DIR))
}

/// Renders every figure of the course at `root` into `dir` (created if
/// needed) and returns the files written, in the order of [`FIGURES`].
pub fn render_into(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, draw) in FIGURES {
        let path = dir.join(name);
        draw(root, &path).with_context(|| format!("drawing the figure {name}"))?;
        written.push(path);
    }
    Ok(written)
}

// ---------------------------------------------------------------------------
// Part 0, "What linear regression is": the lecture's house prices

fn houses(root: &Path) -> Result<Dataset> {
    let path = root.join(HOUSE_CSV);
    solution_01::load_csv(&path, "size_sqft", "price_lakh")
        .with_context(|| format!("loading {}", path.display()))
}

const HOUSE_LABELS: Labels<'static> =
    Labels { title: "House prices (the lecture's table)", x: "size (sq ft)", y: "price (lakh)" };

/// The guessed line of "What linear regression is": ŷ = 0.02·x − 5.
const GUESS: (f64, f64) = (0.02, -5.0);

/// The table of house prices as points.
fn house_prices(root: &Path, path: &Path) -> Result<()> {
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
fn house_prices_guess(root: &Path, path: &Path) -> Result<()> {
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
fn exercise_01_data(_root: &Path, path: &Path) -> Result<()> {
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
fn exercise_02_loss(root: &Path, path: &Path) -> Result<()> {
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

/// The chapter's three points on y = 2x + 1.
const THREE_POINTS: ([f64; 3], [f64; 3]) = ([1.0, 2.0, 3.0], [3.0, 5.0, 7.0]);

/// The cost of the three points as a function of w (b held at 1), with its
/// tangent lines at three weights; the slopes come from the reference
/// solution's `mse_gradient`. (The range of w is lopsided so that the upper
/// left stays clear for the legend.)
fn exercise_03_tangents(_root: &Path, path: &Path) -> Result<()> {
    let (x, y) = THREE_POINTS;
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
fn exercise_03_finite_differences(_root: &Path, path: &Path) -> Result<()> {
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
fn round_to(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    if text == "-0" { "0".to_string() } else { text }
}

fn span(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

// ---------------------------------------------------------------------------
// Exercise 4: the update loop

/// A run of exercise 4's reference `train` on the lecture's data from the
/// untrained model, with the lecture's settings but for the descent and
/// the number of epochs.
fn lecture_run(
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
fn exercise_04_learning_rates(_root: &Path, path: &Path) -> Result<()> {
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

/// The lecture's data with the line of batch descent (α = 0.1) at the start,
/// after 10 epochs and after 100, and the true line it was drawn from.
fn exercise_04_fit(_root: &Path, path: &Path) -> Result<()> {
    let split = solution_04::lecture_split()?;
    let line_x = [0.0, 1.0];
    let mut lines = Vec::new();
    for epochs in [0, 10, 100] {
        let params = lecture_run(0.1, solution_04::Descent::Batch, epochs)?.params;
        let label = format!(
            "after {epochs} epochs: w = {}, b = {}",
            round_to(params.w, 3),
            round_to(params.b, 3)
        );
        lines.push((label, solution_02::predict_all(params.w, params.b, &line_x)));
    }
    let true_y = line_x.map(|x| 2.0 * x + 1.0);
    let mut series = vec![
        Series::Points { label: "training (80 points)", x: &split.train.x, y: &split.train.y },
        Series::Points {
            label: "validation (20 points)",
            x: &split.validation.x,
            y: &split.validation.y,
        },
    ];
    for (label, y) in &lines {
        series.push(Series::Line { label, x: &line_x, y });
    }
    series.push(Series::Line { label: "the true line y = 2x + 1", x: &line_x, y: &true_y });
    chart(
        path,
        Labels { title: "Batch descent on the lecture's data (α = 0.1)", x: "x", y: "y" },
        Scale::Linear,
        &series,
    )?;
    Ok(())
}

/// The lecture's home task: the training loss per epoch of batch,
/// mini-batch and stochastic descent at the same learning rate, 0.1.
fn exercise_04_batch_vs_stochastic(_root: &Path, path: &Path) -> Result<()> {
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

// ---------------------------------------------------------------------------
// Exercise 5: optimizers

/// The optimizers of chapter 5's figures, each at the learning rate 0.1.
fn exercise_05_lineup() -> Vec<(&'static str, solution_05::OptimizerConfig)> {
    use solution_05::{AdamConfig, OptimizerConfig, SgdConfig};
    vec![
        ("SGD", OptimizerConfig::Sgd(SgdConfig::new(0.1))),
        ("momentum 0.9", OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) })),
        (
            "Nesterov momentum 0.9",
            OptimizerConfig::Sgd(SgdConfig {
                momentum: 0.9,
                nesterov: true,
                ..SgdConfig::new(0.1)
            }),
        ),
        ("Adam", OptimizerConfig::Adam(AdamConfig::new(0.1))),
    ]
}

/// A run of exercise 5's reference `train_line` on the lecture's data from
/// the untrained model: batch descent, the MSE, `epochs` epochs.
fn exercise_05_run(
    config: &solution_05::OptimizerConfig,
    epochs: usize,
) -> Result<solution_04::Training> {
    let split = solution_05::lecture_split()?;
    let settings = solution_05::Settings { epochs, ..solution_05::Settings::lecture() };
    let mut optimizer = solution_05::optimizer(config)?;
    Ok(solution_05::train_line(
        solution_05::Params::UNTRAINED,
        &split,
        solution_05::Criterion::Mse,
        optimizer.as_mut(),
        &settings,
        &mut std::io::sink(),
    )?)
}

/// The training loss per epoch of SGD, momentum, Nesterov momentum and Adam
/// on the lecture's data, all at the learning rate 0.1.
fn exercise_05_optimizers(_root: &Path, path: &Path) -> Result<()> {
    let mut curves = Vec::new();
    for (name, config) in exercise_05_lineup() {
        let run = exercise_05_run(&config, 100)?;
        let label = format!("{name}: {} after 100 epochs", round_to(run.history.train[99], 4));
        curves.push((label, run.history.train));
    }
    let curves: Vec<(&str, &[f64])> =
        curves.iter().map(|(label, losses)| (label.as_str(), losses.as_slice())).collect();
    solution_04::plot_losses(&curves, "Four optimizers on the lecture's data (lr 0.1)", path)?;
    Ok(())
}

/// The paths of (w, b) over 60 epochs of SGD, momentum and Adam from the
/// untrained model, with the least-squares line of the training set (by
/// exercise 6's reference solution), where every path is headed.
fn exercise_05_paths(_root: &Path, path: &Path) -> Result<()> {
    let split = solution_05::lecture_split()?;
    let epochs = 60;
    let lineup = exercise_05_lineup();
    let mut paths = Vec::new();
    for (name, config) in [&lineup[0], &lineup[1], &lineup[3]] {
        let mut w = Vec::new();
        let mut b = Vec::new();
        for e in 0..=epochs {
            let params = exercise_05_run(config, e)?.params;
            w.push(params.w);
            b.push(params.b);
        }
        paths.push((format!("{name}, {epochs} epochs"), w, b));
    }
    let best = solution_06::fit_line(&split.train.x, &split.train.y)?;
    let best_w = [best.w];
    let best_b = [best.b];
    let best_label =
        format!("the least-squares line: w = {}, b = {}", round_to(best.w, 3), round_to(best.b, 3));
    let start_w = [solution_05::Params::UNTRAINED.w];
    let start_b = [solution_05::Params::UNTRAINED.b];
    let mut series: Vec<Series> =
        paths.iter().map(|(label, w, b)| Series::Line { label, x: w, y: b }).collect();
    series.push(Series::Points {
        label: "the start: w = −0.7767, b = 0.6317",
        x: &start_w,
        y: &start_b,
    });
    series.push(Series::Points { label: &best_label, x: &best_w, y: &best_b });
    chart(
        path,
        Labels {
            title: "Where three optimizers take the line (lr 0.1)",
            x: "weight w",
            y: "bias b",
        },
        Scale::Linear,
        &series,
    )?;
    Ok(())
}

/// The validation loss after every epoch of plain SGD at the workshop's three
/// learning rates, with the best learning rate and number of epochs that the
/// reference `best_choice` picks.
fn exercise_05_learning_rates(_root: &Path, path: &Path) -> Result<()> {
    use solution_05::{OptimizerConfig, SgdConfig};
    let split = solution_05::lecture_split()?;
    let settings = solution_05::Settings {
        epochs: solution_05::SWEEP_EPOCHS,
        ..solution_05::Settings::lecture()
    };
    let trials = solution_05::sweep(
        solution_05::Params::UNTRAINED,
        &split,
        solution_05::Criterion::Mse,
        &OptimizerConfig::Sgd(SgdConfig::new(0.1)),
        &solution_05::LEARNING_RATES,
        &settings,
    )?;
    let best = solution_05::best_choice(&trials).context("the sweep has losses")?;
    let epochs: Vec<f64> = (0..settings.epochs).map(|e| e as f64).collect();
    let labels: Vec<String> = trials
        .iter()
        .map(|t| {
            let v = &t.training.history.validation;
            format!(
                "lr {}: {} after {} epochs",
                t.learning_rate,
                round_to(v[v.len() - 1], 4),
                v.len()
            )
        })
        .collect();
    let mut series: Vec<Series> = labels
        .iter()
        .zip(&trials)
        .map(|(label, t)| Series::Line { label, x: &epochs, y: &t.training.history.validation })
        .collect();
    let best_x = [best.epochs as f64];
    let best_y = [best.validation_loss];
    let best_label = format!(
        "best: lr {} after {} epochs, {}",
        best.learning_rate,
        best.epochs,
        round_to(best.validation_loss, 5)
    );
    series.push(Series::Points { label: &best_label, x: &best_x, y: &best_y });
    chart(
        path,
        Labels {
            title: "Validation loss of plain SGD at three learning rates",
            x: "epoch",
            y: "validation loss (MSE)",
        },
        Scale::Log,
        &series,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Exercise 6: the analytic solution

/// Epochs of gradient descent in chapter 6's comparison with the normal
/// equations (the same run as the test `gradient_descent_ends_where_fit_line_jumps`).
const HOUSE_DESCENT_EPOCHS: usize = 5000;

/// Where exercise 4's reference `train` ends on the houses: batch descent
/// from the untrained model at the lecture's learning rate, for `epochs`
/// epochs with the stopping rule off, on the sizes in thousands of square
/// feet (in square feet the bowl is so narrow that it would take millions
/// of epochs). The line is returned in square feet again: w / 1000, b.
fn house_descent(data: &Dataset, epochs: usize) -> Result<solution_04::Params> {
    let houses = Dataset { x: data.x.iter().map(|x| x / 1000.0).collect(), y: data.y.clone() };
    let split = solution_01::Split { train: houses.clone(), validation: houses };
    let settings = solution_04::Settings {
        epochs,
        descent: solution_04::Descent::Batch,
        stop_below: 0.0,
        ..solution_04::Settings::lecture()
    };
    let run = solution_04::train(
        solution_04::Params::UNTRAINED,
        &split,
        solution_04::LEARNING_RATE,
        &settings,
        &mut std::io::sink(),
    )?;
    Ok(solution_04::Params { w: run.params.w / 1000.0, b: run.params.b })
}

/// `ŷ = w·x − |b|` with w to five decimals and b to three.
fn line_formula(w: f64, b: f64) -> String {
    let sign = if b < 0.0 { '−' } else { '+' };
    format!("ŷ = {w:.5}·x {sign} {:.3}", b.abs())
}

/// The houses with the two best lines that the normal equations give in one
/// step: with the column of ones (a bias), and without it (through the
/// origin); and, as markers every 100 square feet, the line where
/// [`HOUSE_DESCENT_EPOCHS`] epochs of gradient descent end, on top of the first. The x axis starts at 0, so
/// that both intercepts show.
fn exercise_06_houses(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let line = solution_06::fit_line(&data.x, &data.y)?;
    let slope = solution_06::fit_through_origin(&data.x, &data.y)?;
    let descent = house_descent(&data, HOUSE_DESCENT_EPOCHS)?;
    let line_x = [0.0, 1300.0];
    let best_y = solution_02::predict_all(line.w, line.b, &line_x);
    let origin_y = solution_02::predict_all(slope, 0.0, &line_x);
    // Halfway between the hundreds, so that no marker sits beside a house.
    let marker_x: Vec<f64> = (0..13).map(|i| 50.0 + 100.0 * f64::from(i)).collect();
    let descent_y = solution_02::predict_all(descent.w, descent.b, &marker_x);
    let best = format!("normal equations, with the ones: {}", line_formula(line.w, line.b));
    let descended = format!(
        "{HOUSE_DESCENT_EPOCHS} epochs of gradient descent, α = {}: {}",
        solution_04::LEARNING_RATE,
        line_formula(descent.w, descent.b)
    );
    let origin = format!("without the ones, through the origin: ŷ = {slope:.5}·x");
    chart(
        path,
        Labels {
            title: "The least-squares lines through the houses",
            x: "size (sq ft)",
            y: "price (lakh)",
        },
        Scale::Linear,
        &[
            Series::Points { label: "houses", x: &data.x, y: &data.y },
            Series::Line { label: &best, x: &line_x, y: &best_y },
            Series::Points { label: &descended, x: &marker_x, y: &descent_y },
            Series::Line { label: &origin, x: &line_x, y: &origin_y },
        ],
    )?;
    Ok(())
}

/// The table of correct digits per method on NIST's eleven data sets, as a
/// Markdown file that chapter 6 includes (computed by the reference solution,
/// so the book's numbers are the code's).
fn exercise_06_accuracy(_root: &Path, path: &Path) -> Result<()> {
    let rows = solution_06::accuracy::table()?;
    std::fs::write(path, solution_06::accuracy::markdown(&rows))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

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
fn line_cost_curvatures(x: &[f64]) -> (f64, f64) {
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
fn descent_costs(x: &[f64], y: &[f64], alpha: f64, epochs: usize) -> Result<Vec<f64>> {
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
const SCALING_EPOCHS: usize = 200;

/// Gradient descent on the houses three ways: the sizes in square feet as
/// they are, in thousands of square feet, and in thousands centred on their
/// mean, each with a learning rate just below its limit 2/λ_max. The line
/// and its cost are the same in every unit; only the shape of the bowl, its
/// condition number κ = λ_max/λ_min, changes. The flat line is the best
/// line's cost.
fn discussion_feature_scaling(root: &Path, path: &Path) -> Result<()> {
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
const FEW_POINTS: usize = 10;
const FEW_POINTS_SEED: u64 = 45;
/// The polynomial with as many coefficients as there are points.
const HIGH_DEGREE: usize = FEW_POINTS - 1;

/// Ten points of the lecture's recipe to learn from, and a hundred to check.
fn few_points() -> (Dataset, Dataset) {
    let recipe = Recipe::lecture();
    let train = solution_01::generate(&recipe, FEW_POINTS, FEW_POINTS_SEED);
    let validation = solution_01::generate(&recipe, solution_01::EXAMPLES, FEW_POINTS_SEED + 1);
    (train, validation)
}

/// The least-squares polynomial of `degree` through the points, by exercise
/// 6's reference solution: coefficients c₀ (the bias), c₁, …, c_degree.
fn polynomial_fit(x: &[f64], y: &[f64], degree: usize) -> Result<Vec<f64>> {
    let design = solution_06::add_intercept(&solution_06::polynomial_features(x, degree));
    // y as a column vector: the features of degree 1 of y are y itself.
    let target = solution_06::polynomial_features(y, 1).column(0).into_owned();
    let fit = solution_06::least_squares(&design, &target, solution_06::Solver::Qr)?;
    Ok(fit.coefficients.iter().copied().collect())
}

/// c₀ + c₁·x + … + c_d·xᵈ, by Horner's rule.
fn polynomial(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |sum, c| sum * x + c)
}

/// The mean squared error of the polynomial on a data set.
fn polynomial_cost(coefficients: &[f64], data: &Dataset) -> Result<f64> {
    let predictions: Vec<f64> = data.x.iter().map(|&x| polynomial(coefficients, x)).collect();
    Ok(solution_02::mean_squared_error(&predictions, &data.y)?)
}

/// Ten noisy points from the line y = 2x + 1, fitted by a line and by a
/// polynomial of degree 9, which passes through every one of them; the
/// legend gives each fit's error on the ten points and on a hundred new ones.
fn discussion_overfitting(_root: &Path, path: &Path) -> Result<()> {
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
const POLYNOMIAL_LEARNING_RATE: f64 = 0.3;
const POLYNOMIAL_EPOCHS: u32 = 1_000_000;

/// Gradient descent on the polynomial of degree 9 through the ten points
/// (its powers of x as nine features), from all-zero weights: training and
/// validation cost against the number of epochs, on log scales. The
/// validation cost bottoms out early and then climbs while the training
/// cost keeps falling; the point marks where to stop.
fn discussion_epochs(_root: &Path, path: &Path) -> Result<()> {
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
