//! `cargo workbook train --hidden N [--dropout P]`: a network with one
//! hidden layer of N ReLU units on the learner's own CSV file. The network,
//! its initialisation, dropout and the training loop are exercise 08's
//! reference solution, stepped by exercise 05's optimizers; this module
//! records every step and reports.

use anyhow::{Context, Result};
use serde::Serialize;
use solution_05::{Criterion, Examples, FeatureSplit, Optimizer, Settings, StepError, optimizer};
use solution_08::{Network, NetworkRun, Shape};

use crate::data::train::{Options, Step};

/// What `--hidden` and `--dropout` ask for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkOptions {
    /// Hidden units, at least 1.
    pub hidden: usize,
    /// The dropout probability, in [0, 1).
    pub dropout: f64,
}

/// The network part of `train --json`'s report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NetworkReport {
    pub inputs: usize,
    pub hidden: usize,
    pub dropout: f64,
    /// How `params` is laid out, as torch's `model.parameters()` lists it.
    pub layout: &'static str,
    /// The parameters at the start (PyTorch's default initialisation, drawn
    /// from the seeded generator).
    pub start: Vec<f64>,
}

/// The layout of the parameters, in words.
pub const LAYOUT: &str = "W1 (hidden x inputs, row by row), b1 (hidden), W2 (hidden), b2";

/// `--hidden N` checked as exercise 08 checks a shape: for clap.
pub fn parse_hidden(text: &str) -> std::result::Result<usize, String> {
    let hidden: usize = text.trim().parse().map_err(|_| {
        format!("{text:?} is not a number of hidden units (a whole number, 1 or more)")
    })?;
    solution_08::check_shape(Shape { inputs: 1, hidden }).map_err(|e| e.to_string())?;
    Ok(hidden)
}

/// `--dropout P` checked as exercise 08 checks it: for clap.
pub fn parse_dropout(text: &str) -> std::result::Result<f64, String> {
    let p: f64 = text.trim().parse().map_err(|_| format!("{text:?} is not a number"))?;
    solution_08::check_dropout(p).map_err(|e| e.to_string())?;
    Ok(p)
}

/// Records every step: the loss on the whole training data (every unit on,
/// no dropout) before it, and all the parameters after it.
struct Recorder<'a> {
    inner: Box<dyn Optimizer>,
    criterion: Criterion,
    shape: Shape,
    data: &'a Examples,
    steps: Vec<Step>,
    /// Keep every step (`Options::record_steps`); else only count them.
    record: bool,
    count: usize,
    on_step: &'a dyn Fn(),
}

impl std::fmt::Debug for Recorder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("steps", &self.steps.len()).finish()
    }
}

impl Optimizer for Recorder<'_> {
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        if !self.record {
            self.inner.step(params, gradient)?;
            self.count += 1;
            (self.on_step)();
            return Ok(());
        }
        let network = Network { shape: self.shape, params: params.to_vec() };
        let loss = solution_08::loss(&network, self.criterion, &self.data.xs, &self.data.y, None);
        self.inner.step(params, gradient)?;
        self.count += 1;
        self.steps.push(Step {
            step: self.count,
            loss,
            intercept: None,
            coefficients: Vec::new(),
            params: Some(params.to_vec()),
        });
        (self.on_step)();
        Ok(())
    }
}

/// Trains the network on `data` and returns the run, its steps (recorded
/// only if the options ask), how many steps it took and the report's
/// network part.
pub fn train(
    data: &FeatureSplit,
    options: &Options,
    net: NetworkOptions,
    settings: &Settings,
    on_step: &dyn Fn(),
) -> Result<(NetworkRun, Vec<Step>, usize, NetworkReport)> {
    let inputs = data.train.xs.first().map_or(0, Vec::len);
    let shape = Shape { inputs, hidden: net.hidden };
    let start = solution_08::init(shape, &mut solution_01::seeded_rng(options.seed))
        .context("the network's shape")?;
    let inner = optimizer(&options.optimizer).context("the optimizer's settings are not valid")?;
    let mut recorder = Recorder {
        inner,
        criterion: options.criterion,
        shape,
        data: &data.train,
        steps: Vec::new(),
        record: options.record_steps,
        count: 0,
        on_step,
    };
    let run = solution_08::train(
        &start,
        data,
        options.criterion,
        &mut recorder,
        settings,
        net.dropout,
        &mut std::io::sink(),
    )?;
    let report = NetworkReport {
        inputs,
        hidden: net.hidden,
        dropout: net.dropout,
        layout: LAYOUT,
        start: start.params,
    };
    Ok((run, recorder.steps, recorder.count, report))
}

/// The network's final parameters as a person reads them.
pub fn describe(report: &NetworkReport, last: &[f64]) -> String {
    let network = Network {
        shape: Shape { inputs: report.inputs, hidden: report.hidden },
        params: last.to_vec(),
    };
    let layers = network.layers();
    let numbers = |v: &[f64]| v.iter().map(|x| format!("{x:>10.4}")).collect::<String>();
    let mut out = format!(
        "A network of {} inputs, {} hidden units (ReLU) and 1 output, dropout {}:\n",
        report.inputs, report.hidden, report.dropout
    );
    for j in 0..report.hidden {
        let row = &layers.w1[j * report.inputs..(j + 1) * report.inputs];
        out.push_str(&format!("  W1[{j}] {}   b1 {:>10.4}\n", numbers(row), layers.b1[j]));
    }
    out.push_str(&format!("  W2    {}   b2 {:>10.4}\n", numbers(layers.w2), layers.b2));
    out
}
