//! `cargo workbook train`: gradient descent with a torch.optim-style
//! optimizer on the learner's own CSV file. The training loop, the
//! optimizers and the criterion are exercise 05's reference solution; this
//! module only reads the file, records every optimizer step, and reports.
//! With `--scale` the features are standardised first by exercise 07's
//! reference scaler, fitted on the training rows (here: every row of the
//! file), and every step is reported in the original units.

use std::path::Path;

use anyhow::{Context, Result};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use solution_05::{
    AdamConfig, Criterion, Descent, Examples, FeatureSplit, Optimizer, OptimizerConfig, Outcome,
    Settings, SgdConfig, StepError, optimizer,
};
use solution_11::Columns;

use crate::data::network::{self, NetworkOptions, NetworkReport};
use crate::data::table;

/// The optimizers `--optimizer` names, each as torch.optim has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OptimizerKind {
    // torch.optim.SGD
    Sgd,
    // torch.optim.Adam
    Adam,
    // torch.optim.AdamW
    Adamw,
}

/// The losses `--loss` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LossKind {
    // The mean squared error.
    Mse,
    // ½·MSE, whose gradient has no factor 2.
    HalfMse,
}

impl From<LossKind> for Criterion {
    fn from(loss: LossKind) -> Criterion {
        match loss {
            LossKind::Mse => Criterion::Mse,
            LossKind::HalfMse => Criterion::HalfMse,
        }
    }
}

/// Where `--init` starts the parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Init {
    // Every parameter 0.
    Zeros,
    // Random numbers drawn like torch.nn.Linear's.
    Random,
}

/// Everything the command line can set.
#[derive(Clone, Debug)]
pub struct Options {
    pub optimizer: OptimizerConfig,
    pub criterion: Criterion,
    pub target: Option<String>,
    pub intercept: bool,
    pub epochs: usize,
    pub batch_size: Option<usize>,
    pub seed: u64,
    pub init: Init,
    pub stop_below: f64,
    /// Standardise the features (fitted on the training rows) and train on
    /// them; the parameters are reported in the original units.
    pub scale: bool,
    /// `--hidden N` and `--dropout P`: a network instead of the linear model.
    pub network: Option<NetworkOptions>,
    /// Keep every step (`--json`): the parameters after it and the loss on
    /// all the training data before it. That loss costs a pass over the
    /// data per mini-batch step, so a run nobody records skips it.
    pub record_steps: bool,
}

/// The optimizer's settings as the command line gives them.
#[derive(Clone, Copy, Debug)]
pub struct OptimizerFlags {
    pub kind: OptimizerKind,
    pub lr: Option<f64>,
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub weight_decay: Option<f64>,
    pub betas: (f64, f64),
    pub eps: f64,
    pub amsgrad: bool,
}

impl OptimizerFlags {
    /// The optimizer the flags describe. `lr` defaults to torch's defaults:
    /// 0.01 is this course's for SGD (torch has none), 0.001 for Adam and
    /// AdamW; the weight decay to 0, and to torch's 0.01 for AdamW.
    pub fn config(&self) -> OptimizerConfig {
        let adam = |base: AdamConfig| AdamConfig {
            betas: self.betas,
            eps: self.eps,
            amsgrad: self.amsgrad,
            weight_decay: self.weight_decay.unwrap_or(base.weight_decay),
            ..base
        };
        match self.kind {
            OptimizerKind::Adam => {
                OptimizerConfig::Adam(adam(AdamConfig::new(self.lr.unwrap_or(1e-3))))
            }
            OptimizerKind::Adamw => {
                OptimizerConfig::AdamW(adam(AdamConfig::adamw(self.lr.unwrap_or(1e-3))))
            }
            OptimizerKind::Sgd => OptimizerConfig::Sgd(SgdConfig {
                momentum: self.momentum,
                dampening: self.dampening,
                nesterov: self.nesterov,
                weight_decay: self.weight_decay.unwrap_or(0.0),
                ..SgdConfig::new(self.lr.unwrap_or(0.01))
            }),
        }
    }
}

/// One optimizer step, as `--json` prints it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Step {
    /// 1 for the first step.
    pub step: usize,
    /// The criterion on the whole training data at the parameters before this step.
    pub loss: f64,
    /// The bias after this step (`None` without an intercept).
    pub intercept: Option<f64>,
    /// The weights after this step, one per feature.
    pub coefficients: Vec<f64>,
    /// A network's parameters after this step (`--hidden`; its intercept and
    /// coefficients are not defined).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Vec<f64>>,
}

/// How a training run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// The loss fell below `--stop-below`.
    Converged,
    /// Every epoch ran.
    MaxEpochs,
    /// The loss ran away.
    Diverged,
}

impl RunOutcome {
    /// The outcome in words.
    pub fn words(self) -> &'static str {
        match self {
            RunOutcome::Converged => "converged",
            RunOutcome::MaxEpochs => "max epochs",
            RunOutcome::Diverged => "diverged",
        }
    }
}

/// How `--scale` standardised the features: one mean and one scale per
/// feature, measured on the training rows (exercise 07's `Scaler`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Scaling {
    pub mean: Vec<f64>,
    /// The population standard deviation, or 1 for a constant feature.
    pub scale: Vec<f64>,
}

/// The parameters a run ended with, as a step reports them: the linear
/// model's in the original units, or the network's as they are.
#[derive(Clone, Debug, PartialEq)]
pub struct Trained {
    pub intercept: Option<f64>,
    pub coefficients: Vec<f64>,
    pub params: Option<Vec<f64>>,
}

/// What `train --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Every step's parameters are in the original units, with `--scale`
    /// too. Empty unless the options asked to record the steps.
    pub steps: Vec<Step>,
    /// How many optimizer steps the run took, recorded or not.
    #[serde(skip)]
    pub step_count: usize,
    /// The parameters after the last step (`None` when no step was taken).
    #[serde(skip)]
    pub last: Option<Trained>,
    pub outcome: RunOutcome,
    /// With `--scale`: the standardisation the optimizer saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scaling: Option<Scaling>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkReport>,
    #[serde(skip)]
    pub epoch_losses: Vec<f64>,
    #[serde(skip)]
    pub features: Vec<String>,
    #[serde(skip)]
    pub target: String,
    #[serde(skip)]
    pub detail: String,
    /// The number of training rows.
    #[serde(skip)]
    pub rows: usize,
}

/// Without an intercept the bias's gradient is set to zero before every
/// step, so the bias stays at its start, 0. The buffer is the wrapper's own,
/// reused from step to step.
#[derive(Debug)]
struct NoIntercept {
    inner: Box<dyn Optimizer>,
    gradient: Vec<f64>,
}

impl Optimizer for NoIntercept {
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        self.gradient.clear();
        self.gradient.extend_from_slice(gradient);
        if let Some(bias) = self.gradient.last_mut() {
            *bias = 0.0;
        }
        self.inner.step(params, &self.gradient)
    }
}

/// Counts the steps of the optimizer it wraps and tells `on_steps` (the
/// progress bar) of them `every` steps at a time: a progress bar's update
/// reads the clock, which cost more than an SGD step on a million rows
/// (measured: about 400 against 270 ms per epoch).
struct Counting<'a> {
    inner: Box<dyn Optimizer>,
    steps: usize,
    every: usize,
    on_steps: &'a dyn Fn(u64),
}

impl std::fmt::Debug for Counting<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counting").field("steps", &self.steps).finish()
    }
}

impl Optimizer for Counting<'_> {
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        self.inner.step(params, gradient)?;
        self.steps += 1;
        if self.steps.is_multiple_of(self.every) {
            (self.on_steps)(self.every as u64);
        }
        Ok(())
    }
}

/// The linear model's parameters (weights, then the bias) as a step reports
/// them: mapped back to the original units with a scaler, the bias `None`
/// without an intercept.
fn trained(params: &[f64], intercept: bool, scaler: Option<&solution_07::Scaler>) -> Trained {
    let (weights, bias) = params.split_at(params.len() - 1);
    let (weights, bias) = match scaler {
        None => (weights.to_vec(), bias[0]),
        Some(scaler) => {
            let scaled = solution_07::Linear { w: DVector::from_column_slice(weights), b: bias[0] };
            let original = scaler.to_original(&scaled);
            (original.w.as_slice().to_vec(), original.b)
        }
    };
    Trained { intercept: intercept.then_some(bias), coefficients: weights, params: None }
}

/// One optimizer step as `--json` reports it: the parameters after the step
/// (mapped back to the original units with a scaler), and the loss on the
/// whole training data before it.
fn record(
    steps: &mut Vec<Step>,
    params: &[f64],
    loss: f64,
    intercept: bool,
    scaler: Option<&solution_07::Scaler>,
) {
    let Trained { intercept, coefficients, params } = trained(params, intercept, scaler);
    steps.push(Step { step: steps.len() + 1, loss, intercept, coefficients, params });
}

/// The starting parameters: zeros, or drawn like `torch.nn.Linear` draws
/// them, uniformly from ±1/√d (d features), from the seeded generator.
fn start(features: usize, random: bool, intercept: bool, seed: u64) -> Vec<f64> {
    let mut params = vec![0.0; features + 1];
    if random {
        use rand::RngExt;
        let mut rng = solution_01::seeded_rng(seed);
        let bound = 1.0 / (features.max(1) as f64).sqrt();
        for p in params.iter_mut() {
            *p = (2.0 * rng.random::<f64>() - 1.0) * bound;
        }
        if !intercept {
            params[features] = 0.0;
        }
    }
    params
}

/// Number of optimizer steps the run will take at most.
pub fn planned_steps(options: &Options, rows: usize) -> usize {
    let batch = options.batch_size.unwrap_or(rows).clamp(1, rows.max(1));
    options.epochs * rows.div_ceil(batch)
}

/// Reads `path` and trains on all of its rows. The linear model trains
/// with exercise 11's reference solution: the file's columns as they were
/// read (no row is ever made), one pass over them per full-batch step,
/// mini-batches by index; the network with exercise 08's.
pub fn train(
    path: &Path,
    options: &Options,
    on_steps: &dyn Fn(u64),
    rows_known: &dyn Fn(usize),
) -> Result<Report> {
    let table = table::read(path)?;
    let target_at = match &options.target {
        Some(name) => table.column(name).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?,
        None => table.headers.len() - 1,
    };
    let features = table.feature_names(target_at);
    let target = table.headers[target_at].clone();
    let mut x = table.columns;
    let y = x.remove(target_at);
    rows_known(y.len());
    if y.len() < features.len() + usize::from(options.intercept) {
        anyhow::bail!(
            "{} has {} rows but the model has {} parameters; gradient descent would find one of infinitely many exact fits: add rows, or use fewer features",
            path.display(),
            y.len(),
            features.len() + usize::from(options.intercept)
        );
    }
    let scaler = if options.scale { Some(standardise(path, &mut x)?) } else { None };
    let descent = match options.batch_size {
        None => Descent::Batch,
        Some(1) => Descent::Stochastic,
        Some(n) => Descent::MiniBatch(n),
    };
    let settings = Settings {
        epochs: options.epochs,
        descent,
        seed: options.seed,
        stop_below: options.stop_below,
    };
    let rows = y.len();
    let scaling = scaling(scaler.as_ref());
    if let Some(net) = options.network {
        let examples = Examples { xs: to_rows(&x), y };
        // The whole file trains, and the stopping rule looks at the same data.
        let data = FeatureSplit { train: examples.clone(), validation: examples };
        let (run, steps, step_count, report) =
            network::train(&data, options, net, &settings, &|| on_steps(1))
                .with_context(|| format!("could not train on {}", path.display()))?;
        let (outcome, detail) = outcome(run.outcome, options);
        let last = (step_count > 0).then(|| Trained {
            intercept: None,
            coefficients: Vec::new(),
            params: Some(run.network.params.clone()),
        });
        return Ok(Report {
            steps,
            step_count,
            last,
            outcome,
            scaling,
            network: Some(report),
            epoch_losses: run.history.train,
            features,
            target,
            detail,
            rows,
        });
    }
    let inner = optimizer(&options.optimizer).context("the optimizer's settings are not valid")?;
    let optimizer: Box<dyn Optimizer> = if options.intercept {
        inner
    } else {
        Box::new(NoIntercept { inner, gradient: Vec::with_capacity(features.len() + 1) })
    };
    let start =
        start(features.len(), options.init == Init::Random, options.intercept, options.seed);
    let data = Columns { x, y };
    // The bar moves at most about a thousand times.
    let every = (planned_steps(options, rows) / 1000).max(1);
    let mut counting = Counting { inner: optimizer, steps: 0, every, on_steps };
    let mut steps = Vec::new();
    let mut keep = |params: &[f64], loss| {
        record(&mut steps, params, loss, options.intercept, scaler.as_ref());
    };
    let observe: Option<solution_11::Observer<'_>> =
        if options.record_steps { Some(&mut keep) } else { None };
    let run =
        solution_11::train(&start, &data, options.criterion, &mut counting, &settings, observe)
            .with_context(|| format!("could not train on {}", path.display()))?;
    let step_count = counting.steps;
    let last = (step_count > 0).then(|| trained(&run.params, options.intercept, scaler.as_ref()));
    let (outcome, detail) = outcome(run.outcome, options);
    Ok(Report {
        steps,
        step_count,
        last,
        outcome,
        scaling,
        network: None,
        epoch_losses: run.history.train,
        features,
        target,
        detail,
        rows,
    })
}

/// What `--json` says of the standardisation the optimizer saw.
fn scaling(scaler: Option<&solution_07::Scaler>) -> Option<Scaling> {
    scaler.map(|s| Scaling { mean: s.mean.as_slice().to_vec(), scale: s.scale.as_slice().to_vec() })
}

/// How a run ended, and in words.
fn outcome(outcome: Outcome, options: &Options) -> (RunOutcome, String) {
    match outcome {
        Outcome::Converged { epoch } => (
            RunOutcome::Converged,
            format!("the loss fell below {} at epoch {epoch}", options.stop_below),
        ),
        Outcome::MaxEpochs => (RunOutcome::MaxEpochs, format!("all {} epochs ran", options.epochs)),
        Outcome::Diverged { epoch, loss } => (
            RunOutcome::Diverged,
            format!("the loss ran away at epoch {epoch} (loss {loss:e}); try a smaller --lr"),
        ),
    }
}

/// The columns as rows, `rows[i][j] = x[j][i]`, for exercise 08's network,
/// which reads rows.
fn to_rows(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let rows = x.first().map_or(0, Vec::len);
    (0..rows).map(|i| x.iter().map(|column| column[i]).collect()).collect()
}

/// Fits exercise 07's scaler on the columns `x` (the training rows: every
/// row of the file) and standardises them in place, `(v − mean) / scale`,
/// as its `transform` does.
fn standardise(path: &Path, x: &mut [Vec<f64>]) -> Result<solution_07::Scaler> {
    let rows = x.first().map_or(0, Vec::len);
    let matrix = DMatrix::from_iterator(rows, x.len(), x.iter().flatten().copied());
    let scaler = solution_07::Scaler::fit(&matrix)
        .with_context(|| format!("could not standardise the features of {}", path.display()))?;
    for ((column, mean), scale) in x.iter_mut().zip(&scaler.mean).zip(&scaler.scale) {
        for v in column.iter_mut() {
            *v = (*v - mean) / scale;
        }
    }
    Ok(scaler)
}

/// The summary as a person reads it.
pub fn describe(r: &Report) -> String {
    let mut out = format!(
        "Trained a model of {} on {}: {} ({}).\n",
        r.target,
        r.features.join(", "),
        r.outcome.words(),
        r.detail
    );
    if r.scaling.is_some() {
        let units = if r.network.is_some() {
            "the network's parameters below act on the standardised features (--json gives the means and scales)"
        } else {
            "the parameters below are in the original units"
        };
        out.push_str(&format!(
            "The features were standardised (mean and population standard deviation of the {} training rows); {units}.\n",
            r.rows
        ));
    }
    if let Some(last) = &r.last {
        out.push_str(&format!("After {} optimizer steps:\n", r.step_count));
        if let (Some(net), Some(params)) = (&r.network, &last.params) {
            out.push_str(&network::describe(net, params));
        }
        let width =
            r.features.iter().map(|f| f.chars().count()).max().unwrap_or(0).max("intercept".len());
        if let Some(b) = last.intercept {
            out.push_str(&format!("  {:<width$}  {b:>14.6}\n", "intercept"));
        }
        for (name, w) in r.features.iter().zip(&last.coefficients) {
            out.push_str(&format!("  {name:<width$}  {w:>14.6}\n"));
        }
    }
    if let (Some(first), Some(last)) = (r.epoch_losses.first(), r.epoch_losses.last()) {
        out.push_str(&format!(
            "loss {first:.6} at the start, {last:.6} at the last epoch recorded\n"
        ));
    }
    out
}
