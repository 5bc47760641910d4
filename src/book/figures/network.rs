//! Figures of exercise 8: what a hidden layer can fit, dead units, and
//! dropout against overfitting, all with the reference solution's network.

use rand::RngExt;
use solution_05::{AdamConfig, Criterion, Examples, FeatureSplit, OptimizerConfig, SgdConfig};
use solution_08::{Network, NetworkRun, Shape};

use super::*;

/// `n` examples of one feature, x uniform on [−2, 2), y = f(x) + noise
/// (normal, standard deviation `noise`), from the course's generator.
pub(super) fn one_feature(n: usize, seed: u64, noise: f64, f: fn(f64) -> f64) -> Examples {
    let mut rng = solution_01::seeded_rng(seed);
    let x: Vec<f64> = (0..n).map(|_| -2.0 + 4.0 * rng.random::<f64>()).collect();
    let e = solution_01::draw_noise(noise, n, &mut rng);
    Examples {
        xs: x.iter().map(|&x| vec![x]).collect(),
        y: x.iter().zip(&e).map(|(x, e)| f(*x) + e).collect(),
    }
}

/// Trains a network of one input and `hidden` units from PyTorch's default
/// initialisation (seed 100), full batch, with the reference solutions.
pub(super) fn fit_network(
    data: &FeatureSplit,
    hidden: usize,
    config: &OptimizerConfig,
    epochs: usize,
    dropout: f64,
    optimizer: Option<&mut dyn solution_05::Optimizer>,
) -> Result<NetworkRun> {
    let shape = Shape { inputs: data.train.xs[0].len(), hidden };
    let start = solution_08::init(shape, &mut solution_01::seeded_rng(solution_01::SEED))?;
    let settings = solution_05::Settings {
        epochs,
        descent: solution_05::Descent::Batch,
        seed: solution_01::SEED,
        stop_below: 0.0,
    };
    let mut own = solution_05::optimizer(config)?;
    let optimizer = match optimizer {
        Some(o) => o,
        None => own.as_mut(),
    };
    Ok(solution_08::train(
        &start,
        data,
        Criterion::Mse,
        optimizer,
        &settings,
        dropout,
        &mut std::io::sink(),
    )?)
}

/// The MSE of a network on examples (every unit on).
fn cost(network: &Network, data: &Examples) -> f64 {
    solution_08::loss(network, Criterion::Mse, &data.xs, &data.y, None)
}

/// The least-squares line through examples of one feature: (w, b).
fn line(data: &Examples) -> Result<(f64, f64)> {
    let x: Vec<f64> = data.xs.iter().map(|r| r[0]).collect();
    let fit = solution_06::fit_line(&x, &data.y)?;
    Ok((fit.w, fit.b))
}

fn line_cost(w: f64, b: f64, data: &Examples) -> f64 {
    let predictions: Vec<f64> = data.xs.iter().map(|r| w * r[0] + b).collect();
    Criterion::Mse.loss(&predictions, &data.y)
}

/// The x of a curve, from −2 to 2.
fn grid() -> Vec<f64> {
    (0..=200).map(|i| -2.0 + 4.0 * i as f64 / 200.0).collect()
}

fn column(data: &Examples) -> Vec<f64> {
    data.xs.iter().map(|r| r[0]).collect()
}

/// Settings of the curve experiment.
pub(super) const CURVE_HIDDEN: usize = 16;
pub(super) const CURVE_EPOCHS: usize = 2000;

/// A parabola with noise: the best line is flat and useless, a network of 16
/// ReLU units bends to it. The legend gives each fit's validation MSE.
pub(super) fn exercise_08_curve(_root: &Path, path: &Path) -> Result<()> {
    let data = FeatureSplit {
        train: one_feature(60, 81, 0.2, |x| x * x),
        validation: one_feature(100, 82, 0.2, |x| x * x),
    };
    let adam = OptimizerConfig::Adam(AdamConfig::new(0.02));
    let run = fit_network(&data, CURVE_HIDDEN, &adam, CURVE_EPOCHS, 0.0, None)?;
    let (w, b) = line(&data.train)?;
    let x = grid();
    let curve = solution_08::predict(&run.network, &x.iter().map(|&x| vec![x]).collect::<Vec<_>>());
    let straight: Vec<f64> = x.iter().map(|x| w * x + b).collect();
    let line_label = format!(
        "the best line: validation MSE {}",
        support::plot::tidy(line_cost(w, b, &data.validation))
    );
    let net_label = format!(
        "{CURVE_HIDDEN} ReLU units, Adam, {CURVE_EPOCHS} epochs: validation MSE {}",
        support::plot::tidy(cost(&run.network, &data.validation))
    );
    let tx = column(&data.train);
    chart(
        path,
        Labels { title: "y = x² + noise: a line against a hidden layer", x: "x", y: "y" },
        Scale::Linear,
        &[
            Series::Points { label: "60 training points", x: &tx, y: &data.train.y },
            Series::Line { label: &line_label, x: &x, y: &straight },
            Series::Line { label: &net_label, x: &x, y: &curve },
        ],
    )?;
    Ok(())
}

/// The lecture's data come from a line: there a line is the better model,
/// and the network, with 49 parameters for 80 points, only adds variance.
pub(super) fn exercise_08_line_data(_root: &Path, path: &Path) -> Result<()> {
    let split = FeatureSplit::from_split(&solution_04::lecture_split()?);
    let adam = OptimizerConfig::Adam(AdamConfig::new(0.02));
    let run = fit_network(&split, CURVE_HIDDEN, &adam, CURVE_EPOCHS, 0.0, None)?;
    let (w, b) = line(&split.train)?;
    let tx = column(&split.train);
    let lo = tx.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = tx.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let x: Vec<f64> = (0..=200).map(|i| lo + (hi - lo) * i as f64 / 200.0).collect();
    let curve = solution_08::predict(&run.network, &x.iter().map(|&x| vec![x]).collect::<Vec<_>>());
    let straight: Vec<f64> = x.iter().map(|x| w * x + b).collect();
    let line_label = format!(
        "the best line: training MSE {}, validation {}",
        support::plot::tidy(line_cost(w, b, &split.train)),
        support::plot::tidy(line_cost(w, b, &split.validation))
    );
    let net_label = format!(
        "{CURVE_HIDDEN} ReLU units: training MSE {}, validation {}",
        support::plot::tidy(cost(&run.network, &split.train)),
        support::plot::tidy(cost(&run.network, &split.validation))
    );
    let vx = column(&split.validation);
    chart(
        path,
        Labels { title: "The lecture's data: a line is the better model", x: "x", y: "y" },
        Scale::Linear,
        &[
            Series::Points { label: "80 training points", x: &tx, y: &split.train.y },
            Series::Points { label: "20 validation points", x: &vx, y: &split.validation.y },
            Series::Line { label: &line_label, x: &x, y: &straight },
            Series::Line { label: &net_label, x: &x, y: &curve },
        ],
    )?;
    Ok(())
}

/// Counts the dead units on the training rows after every step, then steps.
#[derive(Debug)]
struct DeadCounter<'a> {
    inner: Box<dyn solution_05::Optimizer>,
    shape: Shape,
    xs: &'a [Vec<f64>],
    dead: Vec<f64>,
}

impl solution_05::Optimizer for DeadCounter<'_> {
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), solution_05::StepError> {
        self.inner.step(params, gradient)?;
        let network = Network { shape: self.shape, params: params.to_vec() };
        self.dead.push(solution_08::dead_units(&network, self.xs).len() as f64);
        Ok(())
    }
}

/// Settings of the dead-unit experiment.
pub(super) const DEAD_HIDDEN: usize = 32;
pub(super) const DEAD_EPOCHS: usize = 300;

/// The number of dead units of a 32-unit network on the parabola, step by
/// step, with SGD at a small and at a large learning rate: a large step
/// pushes units' biases so far down that no example turns them on again,
/// and no gradient ever brings them back.
pub(super) fn exercise_08_dead_units(_root: &Path, path: &Path) -> Result<()> {
    let data = FeatureSplit {
        train: one_feature(60, 81, 0.2, |x| x * x),
        validation: one_feature(100, 82, 0.2, |x| x * x),
    };
    let mut curves = Vec::new();
    for lr in [0.01, 0.3] {
        let config = OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(lr) });
        let mut counter = DeadCounter {
            inner: solution_05::optimizer(&config)?,
            shape: Shape { inputs: 1, hidden: DEAD_HIDDEN },
            xs: &data.train.xs,
            dead: Vec::new(),
        };
        let run = fit_network(&data, DEAD_HIDDEN, &config, DEAD_EPOCHS, 0.0, Some(&mut counter))?;
        let label = format!(
            "SGD, momentum 0.9, lr {lr}: {} dead at the end, validation MSE {}",
            counter.dead.last().copied().unwrap_or(0.0),
            support::plot::tidy(cost(&run.network, &data.validation))
        );
        curves.push((label, counter.dead));
    }
    let steps: Vec<f64> = (1..=DEAD_EPOCHS).map(|s| s as f64).collect();
    let series: Vec<Series<'_>> =
        curves.iter().map(|(label, dead)| Series::Line { label, x: &steps, y: dead }).collect();
    chart(
        path,
        Labels {
            title: "Dead units of a 32-unit network on the parabola",
            x: "step",
            y: "units with z ≤ 0 on every example",
        },
        Scale::Linear,
        &series,
    )?;
    Ok(())
}

/// Settings of the overfitting experiment.
pub(super) const WIDE_HIDDEN: usize = 128;
pub(super) const WIDE_EPOCHS: usize = 3000;
pub(super) const WIDE_DROPOUT: f64 = 0.5;

/// Fifteen noisy points of a gentle curve, a wide network, and the
/// validation loss per epoch with and without dropout.
pub(super) fn exercise_08_dropout(_root: &Path, path: &Path) -> Result<()> {
    let f = |x: f64| 0.5 * x + (2.0 * x).sin() * 0.5;
    let data = FeatureSplit {
        train: one_feature(15, 83, 0.4, f),
        validation: one_feature(200, 84, 0.4, f),
    };
    let adam = OptimizerConfig::Adam(AdamConfig::new(0.01));
    let epochs: Vec<f64> = (0..WIDE_EPOCHS).map(|e| e as f64).collect();
    let mut curves = Vec::new();
    for p in [0.0, WIDE_DROPOUT] {
        let run = fit_network(&data, WIDE_HIDDEN, &adam, WIDE_EPOCHS, p, None)?;
        let v = &run.history.validation;
        let best = v.iter().copied().fold(f64::INFINITY, f64::min);
        let last = v.last().copied().unwrap_or(f64::NAN);
        let name = if p == 0.0 { "no dropout".to_string() } else { format!("dropout {p}") };
        curves.push((format!("{name}: training",), run.history.train.clone()));
        curves.push((
            format!(
                "{name}: validation (lowest {}, last {})",
                support::plot::tidy(best),
                support::plot::tidy(last)
            ),
            v.clone(),
        ));
    }
    let series: Vec<Series<'_>> =
        curves.iter().map(|(label, y)| Series::Line { label, x: &epochs, y }).collect();
    chart(
        path,
        Labels {
            title: "15 noisy points, 128 ReLU units: overfitting, and dropout",
            x: "epoch",
            y: "MSE (log scale)",
        },
        Scale::Log,
        &series,
    )?;
    Ok(())
}
