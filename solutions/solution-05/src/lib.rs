//! # Exercise 05: refactoring with an optimizer
//!
//! Exercise 04's loop did three jobs in one place: it measured the loss,
//! computed the gradient, and moved the parameters. PyTorch gives each job
//! its own object: a **criterion** (`nn.MSELoss`) turns predictions into a
//! loss and knows its derivative, and an **optimizer** (`torch.optim.SGD`,
//! `Adam`, `AdamW`) turns a gradient into a step. This crate makes the same
//! split, one idea at a time:
//!
//! 1. **The criterion** ([`Criterion`]): the mean squared error, with and
//!    without the ½, and its derivative with respect to each prediction.
//! 2. **The model, forward and backward** ([`forward`], [`backward`],
//!    [`gradient`]): a linear model with any number of features, whose
//!    parameters are one vector, the weights and then the bias.
//! 3. **The optimizers** ([`Optimizer`], [`Sgd`], [`Adam`]): SGD with
//!    momentum, dampening, Nesterov momentum and weight decay; Adam with
//!    bias correction and AMSGrad; AdamW with decoupled weight decay. Every
//!    rule is exactly PyTorch's, so the same start and data give PyTorch's
//!    parameters, step after step, to the last few digits.
//! 4. **The refactored loop** ([`train`]): forward, criterion, backward,
//!    `optimizer.step`, epoch after epoch.
//! 5. **The experiments** ([`sweep`], [`best_choice`]): learning rates 0.001,
//!    0.01 and 0.1, and how many epochs, chosen by the validation loss.
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Work from the top of the file down: each function may
//! use the ones above it. Chapter 5 of the book, "Refactoring with an
//! optimizer", explains every step.

use std::io::Write;

#[allow(unused_imports)]
use solution_01::seeded_rng;
/// The data sets of exercise 01.
pub use solution_01::{Dataset, Split};
/// The problems with examples that exercise 03 describes.
pub use solution_03::GradientError;
#[allow(unused_imports)]
use solution_03::check_feature_examples;
/// What exercise 04 defined: the two parameters of a line, the settings of a
/// run, its history and outcome, and the lecture's data.
pub use solution_04::{Descent, History, Outcome, Params, Settings, Training, lecture_split};
#[allow(unused_imports)]
use solution_04::{has_diverged, is_log_epoch, progress_line, shuffled_order};
use thiserror::Error;

// ANCHOR: constants
/// The learning rates the workshop asks you to compare: "find out the best
/// learning rate for your model, using (.001, .01 and .1)".
pub const LEARNING_RATES: [f64; 3] = [0.001, 0.01, 0.1];

/// How many epochs each run of the course's sweep gets: enough for the
/// validation loss of the largest rate to turn back up.
pub const SWEEP_EPOCHS: usize = 500;

/// PyTorch's default `betas` of Adam and AdamW: the decay rates of the
/// running averages of the gradient and of its square.
pub const DEFAULT_BETAS: (f64, f64) = (0.9, 0.999);

/// PyTorch's default `eps` of Adam and AdamW.
pub const DEFAULT_EPS: f64 = 1e-8;

/// PyTorch's default `weight_decay` of AdamW (Adam's and SGD's is 0).
pub const ADAMW_WEIGHT_DECAY: f64 = 0.01;
// ANCHOR_END: constants

// ---------------------------------------------------------------------------
// 1. The criterion
// ---------------------------------------------------------------------------

// ANCHOR: criterion
/// The loss function as a value, the way PyTorch makes `criterion =
/// nn.MSELoss()` an object: it turns predictions and targets into one
/// number, and knows how that number changes with each prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    /// The mean squared error, `L = (1/N)·Σᵢ (ŷᵢ − yᵢ)²`: PyTorch's
    /// `nn.MSELoss()`, the loss of exercises 02 to 04.
    Mse,
    /// Half the mean squared error, `L = (1/N)·Σᵢ ½·(ŷᵢ − yᵢ)²`: the d2l
    /// convention of exercise 02, whose ½ cancels the 2 of the derivative.
    HalfMse,
}
// ANCHOR_END: criterion

impl Criterion {
    // ANCHOR: criterion_loss
    /// The loss of the predictions against the targets:
    ///
    /// ```text
    /// Mse:      L = (1/N) · Σᵢ (ŷᵢ − yᵢ)²
    /// HalfMse:  L = (1/N) · Σᵢ ½·(ŷᵢ − yᵢ)²      (exactly half of Mse)
    /// ```
    ///
    /// Add up the squared errors in order and divide by `N`; for `HalfMse`,
    /// take half of that. Like exercise 04's `loss` this checks nothing and
    /// returns a plain number: the data are checked once before training,
    /// and parameters that ran away to infinity or NaN must give an infinite
    /// or NaN loss. Predictions and targets pair up with `zip`.
    pub fn loss(self, predictions: &[f64], targets: &[f64]) -> f64 {
        // BEGIN SOLUTION: the mean of (ŷᵢ − yᵢ)² over the pairs; half of it for HalfMse
        let n = predictions.len() as f64;
        let sum: f64 = predictions.iter().zip(targets).map(|(p, t)| (p - t) * (p - t)).sum();
        let mse = sum / n;
        match self {
            Criterion::Mse => mse,
            Criterion::HalfMse => 0.5 * mse,
        }
        // END SOLUTION
    }
    // ANCHOR_END: criterion_loss

    // ANCHOR: output_gradient
    /// How the loss changes with each prediction, `∂L/∂ŷᵢ`, one number per
    /// prediction, in order:
    ///
    /// ```text
    /// Mse:      ∂L/∂ŷᵢ = 2·(ŷᵢ − yᵢ) / N
    /// HalfMse:  ∂L/∂ŷᵢ =   (ŷᵢ − yᵢ) / N
    /// ```
    ///
    /// This is the first link of the chain rule, where PyTorch's
    /// `loss.backward()` starts: the derivative of the criterion, before the
    /// model's own part ([`backward`]) turns it into the gradient of the
    /// parameters. Compute it as `factor · (ŷᵢ − yᵢ) / N`, with the factor
    /// 2 or 1.
    pub fn output_gradient(self, predictions: &[f64], targets: &[f64]) -> Vec<f64> {
        // BEGIN SOLUTION: factor·(ŷᵢ − yᵢ)/N for every pair, with factor 2 for Mse and 1 for HalfMse
        let n = predictions.len() as f64;
        let factor = match self {
            Criterion::Mse => 2.0,
            Criterion::HalfMse => 1.0,
        };
        predictions.iter().zip(targets).map(|(p, t)| factor * (p - t) / n).collect()
        // END SOLUTION
    }
    // ANCHOR_END: output_gradient
}

// ---------------------------------------------------------------------------
// 2. The model: forward and backward
// ---------------------------------------------------------------------------

// ANCHOR: examples
/// Examples with any number of features: row `xs[i]` holds the features of
/// example `i`, and `y[i]` its target. A line is the case of one feature.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Examples {
    /// One row of features per example.
    pub xs: Vec<Vec<f64>>,
    /// One target per example.
    pub y: Vec<f64>,
}

/// A training set and a validation set of [`Examples`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeatureSplit {
    /// The examples training learns from.
    pub train: Examples,
    /// The examples training is checked on.
    pub validation: Examples,
}
// ANCHOR_END: examples

impl Examples {
    /// The examples of a data set of exercise 01, each input `x` as a row of
    /// one feature, `[x]`.
    pub fn from_dataset(data: &Dataset) -> Examples {
        Examples { xs: data.x.iter().map(|&x| vec![x]).collect(), y: data.y.clone() }
    }

    /// The number of examples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The examples at `indices`, in that order.
    ///
    /// # Panics
    ///
    /// If an index is not below the number of rows (or of targets).
    pub fn rows(&self, indices: &[usize]) -> Examples {
        Examples {
            xs: indices.iter().map(|&i| self.xs[i].clone()).collect(),
            y: indices.iter().map(|&i| self.y[i]).collect(),
        }
    }
}

impl FeatureSplit {
    /// A split of exercise 01, each input as a row of one feature.
    pub fn from_split(split: &Split) -> FeatureSplit {
        FeatureSplit {
            train: Examples::from_dataset(&split.train),
            validation: Examples::from_dataset(&split.validation),
        }
    }
}

// ANCHOR: weights_and_bias
/// The parameters of a linear model with `d` features are one vector of
/// `d + 1` numbers, the `d` weights and then the bias, the order in which
/// PyTorch's `nn.Linear(d, 1).parameters()` lists them: a line is
/// `[w, b]`. This splits such a vector into the weights and the bias (an
/// empty vector has no weights and the bias 0). (Written for you.)
pub fn weights_and_bias(params: &[f64]) -> (&[f64], f64) {
    match params.split_last() {
        Some((&bias, weights)) => (weights, bias),
        None => (&[], 0.0),
    }
}
// ANCHOR_END: weights_and_bias

// ANCHOR: forward
/// The forward pass: the model's prediction for every row of `xs`, in
/// order,
///
/// ```text
/// ŷᵢ = w₁·xᵢ₁ + w₂·xᵢ₂ + … + w_d·xᵢ_d + b
/// ```
///
/// with the weights and the bias of `params` ([`weights_and_bias`]). Add the
/// products of each row with the weights in order (`zip`), then the bias.
/// The lengths were checked before training, so nothing is checked here.
pub fn forward(params: &[f64], xs: &[Vec<f64>]) -> Vec<f64> {
    // BEGIN SOLUTION: for every row, the sum of wⱼ·xᵢⱼ over the features, plus the bias
    let (weights, bias) = weights_and_bias(params);
    xs.iter().map(|row| row.iter().zip(weights).map(|(x, w)| w * x).sum::<f64>() + bias).collect()
    // END SOLUTION
}
// ANCHOR_END: forward

// ANCHOR: backward
/// The backward pass of the linear model: from how the loss changes with
/// each prediction, `δᵢ = ∂L/∂ŷᵢ` ([`Criterion::output_gradient`]), to how
/// it changes with each parameter, by the chain rule (`∂ŷᵢ/∂wⱼ = xᵢⱼ`,
/// `∂ŷᵢ/∂b = 1`):
///
/// ```text
/// ∂L/∂wⱼ = Σᵢ δᵢ · xᵢⱼ        for j = 1 … d   (that is Xᵀδ)
/// ∂L/∂b  = Σᵢ δᵢ
/// ```
///
/// Returns `features + 1` numbers, in the order of the parameters: the `d`
/// partial derivatives of the weights, then the bias's. Sum over the
/// examples in order.
pub fn backward(xs: &[Vec<f64>], output_gradient: &[f64], features: usize) -> Vec<f64> {
    // BEGIN SOLUTION: features + 1 sums: Σᵢ δᵢ·xᵢⱼ for every feature j, then Σᵢ δᵢ
    let mut gradient = vec![0.0; features + 1];
    for (row, delta) in xs.iter().zip(output_gradient) {
        for (g, x) in gradient.iter_mut().zip(row) {
            *g += delta * x;
        }
        gradient[features] += delta;
    }
    gradient
    // END SOLUTION
}
// ANCHOR_END: backward

// ANCHOR: gradient
/// The gradient of the criterion's loss with respect to `params` (the
/// weights, then the bias) on the examples `xs`, `y`: what PyTorch's
/// `loss.backward()` leaves in the parameters' `.grad`. Three calls: the
/// predictions ([`forward`]), the derivative of the criterion with respect
/// to them ([`Criterion::output_gradient`]), and the model's [`backward`]
/// with `params.len() − 1` features (0 for an empty `params`).
///
/// The gradient is computed afresh by every call: nothing is added to an
/// earlier gradient, so there is nothing to reset between steps.
pub fn gradient(criterion: Criterion, params: &[f64], xs: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    // BEGIN SOLUTION: forward, then criterion.output_gradient, then backward with params.len() − 1 features
    let predictions = forward(params, xs);
    let output_gradient = criterion.output_gradient(&predictions, y);
    backward(xs, &output_gradient, params.len().saturating_sub(1))
    // END SOLUTION
}
// ANCHOR_END: gradient

// ---------------------------------------------------------------------------
// 3. The optimizers
// ---------------------------------------------------------------------------

// ANCHOR: optimizer
/// An update rule with a memory: `torch.optim.Optimizer`. Each call of
/// [`Optimizer::step`] moves the parameters once, given the gradient of the
/// loss at the current parameters, and updates whatever the rule remembers
/// between steps (a velocity, running averages, a count of steps).
pub trait Optimizer: std::fmt::Debug {
    /// One step: moves every entry of `params` using the entry of
    /// `gradient` at the same index. `gradient` must have one number per
    /// parameter, and an optimizer that has taken steps before must be given
    /// as many parameters as before; otherwise it returns the
    /// [`StepError`] and changes nothing. Gradients that are NaN or
    /// infinite are not errors: they make the parameters NaN or infinite,
    /// which is how a training loop notices a run away.
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError>;
}
// ANCHOR_END: optimizer

// ANCHOR: check_lengths
/// Checks, before a step changes anything, that `gradient` has one number
/// per parameter, and that an optimizer whose `state` already holds
/// `Some(len)` numbers per kind of memory is given that many parameters
/// (`None`: no state yet). (Written for you.)
pub fn check_lengths(
    params: &[f64],
    gradient: &[f64],
    state: Option<usize>,
) -> Result<(), StepError> {
    if gradient.len() != params.len() {
        return Err(StepError::GradientLength { params: params.len(), gradient: gradient.len() });
    }
    match state {
        Some(state) if state != params.len() => {
            Err(StepError::StateLength { state, params: params.len() })
        }
        _ => Ok(()),
    }
}
// ANCHOR_END: check_lengths

// ANCHOR: with_weight_decay
/// The gradient with **coupled** weight decay (an L2 penalty), as
/// `torch.optim.SGD` and `Adam` apply it: each partial derivative gets
/// `λ` times its parameter added,
///
/// ```text
/// g ← g + λ·θ          for every parameter, the bias included
/// ```
///
/// which is the gradient of the loss plus `(λ/2)·Σ θ²`. Every parameter
/// decays, the bias too, as in PyTorch when the optimizer is given all of
/// `model.parameters()`. With `λ = 0` the gradient is returned unchanged
/// (PyTorch skips the addition then, `if weight_decay != 0`).
pub fn with_weight_decay(gradient: &[f64], params: &[f64], weight_decay: f64) -> Vec<f64> {
    // BEGIN SOLUTION: the gradient itself when λ = 0, else gᵢ + λ·θᵢ for every parameter
    if weight_decay == 0.0 {
        return gradient.to_vec();
    }
    gradient.iter().zip(params).map(|(g, p)| g + weight_decay * p).collect()
    // END SOLUTION
}
// ANCHOR_END: with_weight_decay

// ANCHOR: sgd_config
/// The hyperparameters of `torch.optim.SGD`, with PyTorch's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SgdConfig {
    /// `lr`, γ: how far each step goes.
    pub learning_rate: f64,
    /// `momentum`, μ: the fraction of the velocity kept from one step to the
    /// next; 0 turns momentum off.
    pub momentum: f64,
    /// `dampening`, τ: from the second step on, the gradient enters the
    /// velocity with the weight `1 − τ`.
    pub dampening: f64,
    /// `weight_decay`, λ: the coupled L2 penalty ([`with_weight_decay`]).
    pub weight_decay: f64,
    /// `nesterov`: step along `g + μ·b` instead of the velocity `b`.
    pub nesterov: bool,
}

impl SgdConfig {
    /// Plain SGD at `learning_rate`: no momentum, no dampening, no weight
    /// decay, no Nesterov (PyTorch's defaults).
    pub fn new(learning_rate: f64) -> SgdConfig {
        SgdConfig {
            learning_rate,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
        }
    }
}
// ANCHOR_END: sgd_config

impl SgdConfig {
    // ANCHOR: sgd_check
    /// Refuses hyperparameters that make no sense, with the first problem
    /// found, in this order:
    ///
    /// 1. the learning rate is not a finite number ≥ 0:
    ///    [`HyperparameterError::LearningRate`];
    /// 2. the momentum is not in `[0, 1)`: [`HyperparameterError::Momentum`];
    /// 3. the dampening is not in `[0, 1]`: [`HyperparameterError::Dampening`];
    /// 4. the weight decay is not a finite number ≥ 0:
    ///    [`HyperparameterError::WeightDecay`];
    /// 5. `nesterov` with a momentum of 0 or a dampening other than 0:
    ///    [`HyperparameterError::Nesterov`].
    ///
    /// Write each range as a test that NaN fails: `(0.0..1.0).contains(&m)`
    /// is false for NaN, and so is `x >= 0.0`.
    pub fn check(&self) -> Result<(), HyperparameterError> {
        // BEGIN SOLUTION: the five checks, in order, each returning its error with the offending value(s)
        check_learning_rate(self.learning_rate)?;
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(HyperparameterError::Momentum { value: self.momentum });
        }
        if !(0.0..=1.0).contains(&self.dampening) {
            return Err(HyperparameterError::Dampening { value: self.dampening });
        }
        check_weight_decay(self.weight_decay)?;
        if self.nesterov && (self.momentum <= 0.0 || self.dampening != 0.0) {
            return Err(HyperparameterError::Nesterov {
                momentum: self.momentum,
                dampening: self.dampening,
            });
        }
        Ok(())
        // END SOLUTION
    }
    // ANCHOR_END: sgd_check
}
// BEGIN SOLUTION

/// A learning rate must be a finite number of at least 0 (PyTorch allows 0).
fn check_learning_rate(value: f64) -> Result<(), HyperparameterError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(HyperparameterError::LearningRate { value })
    }
}

/// A weight decay must be a finite number of at least 0.
fn check_weight_decay(value: f64) -> Result<(), HyperparameterError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(HyperparameterError::WeightDecay { value })
    }
}
// END SOLUTION

// ANCHOR: sgd
/// `torch.optim.SGD`: stochastic gradient descent, with optional momentum,
/// dampening, Nesterov momentum and weight decay.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    /// The hyperparameters, checked by [`Sgd::new`].
    pub config: SgdConfig,
    /// The momentum buffer `b` (PyTorch's `momentum_buffer`), one number per
    /// parameter: `None` until the first step with momentum.
    pub velocity: Option<Vec<f64>>,
}

impl Sgd {
    /// A new SGD optimizer, with no velocity yet, after `config.check()?`.
    pub fn new(config: SgdConfig) -> Result<Sgd, HyperparameterError> {
        config.check()?;
        Ok(Sgd { config, velocity: None })
    }
}
// ANCHOR_END: sgd

// ANCHOR: momentum_buffer
/// The new momentum buffer (velocity) of SGD, from the previous one and the
/// gradient `g` (weight decay already added):
///
/// ```text
/// first step (no buffer yet):  b₁ = g
/// every later step:            bₜ = μ·bₜ₋₁ + (1 − τ)·g
/// ```
///
/// The momentum μ multiplies the *previous velocity*; the first buffer is
/// the gradient itself, not `(1 − τ)·g`: PyTorch applies dampening from the
/// second step on.
pub fn momentum_buffer(
    previous: Option<&[f64]>,
    gradient: &[f64],
    momentum: f64,
    dampening: f64,
) -> Vec<f64> {
    // BEGIN SOLUTION: a copy of the gradient on the first step, else μ·bᵢ + (1 − τ)·gᵢ for every parameter
    match previous {
        None => gradient.to_vec(),
        Some(previous) => previous
            .iter()
            .zip(gradient)
            .map(|(b, g)| momentum * b + (1.0 - dampening) * g)
            .collect(),
    }
    // END SOLUTION
}
// ANCHOR_END: momentum_buffer

// ANCHOR: nesterov_direction
/// The direction of a step with Nesterov momentum: the gradient plus the
/// momentum times the *new* buffer,
///
/// ```text
/// d = g + μ·bₜ
/// ```
///
/// a look ahead along the velocity. (Classic momentum steps along `bₜ`
/// itself.)
pub fn nesterov_direction(gradient: &[f64], velocity: &[f64], momentum: f64) -> Vec<f64> {
    // BEGIN SOLUTION: gᵢ + μ·bᵢ for every parameter
    gradient.iter().zip(velocity).map(|(g, b)| g + momentum * b).collect()
    // END SOLUTION
}
// ANCHOR_END: nesterov_direction

// ANCHOR: sgd_step
impl Optimizer for Sgd {
    /// One step of PyTorch's SGD, in this order:
    ///
    /// 1. `check_lengths(params, gradient, state)?`, where `state` is the
    ///    length of the velocity if there is one;
    /// 2. `g = with_weight_decay(gradient, params, λ)`;
    /// 3. if μ ≠ 0: the new buffer `b = momentum_buffer(…)`, and the
    ///    direction `d = nesterov_direction(&g, &b, μ)` with Nesterov, else
    ///    `d = b`; keep `b` in `self.velocity` for the next step.
    ///    Without momentum, `d = g`;
    /// 4. `θ ← θ − γ·d` for every parameter.
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        // BEGIN SOLUTION: check the lengths, add the weight decay, then the velocity and the direction, then θ ← θ − γ·d
        check_lengths(params, gradient, self.velocity.as_ref().map(Vec::len))?;
        let SgdConfig { learning_rate, momentum, dampening, weight_decay, nesterov } = self.config;
        let g = with_weight_decay(gradient, params, weight_decay);
        let direction = if momentum != 0.0 {
            let velocity = momentum_buffer(self.velocity.as_deref(), &g, momentum, dampening);
            let direction = if nesterov {
                nesterov_direction(&g, &velocity, momentum)
            } else {
                velocity.clone()
            };
            self.velocity = Some(velocity);
            direction
        } else {
            g
        };
        for (p, d) in params.iter_mut().zip(&direction) {
            *p -= learning_rate * d;
        }
        Ok(())
        // END SOLUTION
    }
}
// ANCHOR_END: sgd_step

// ANCHOR: adam_config
/// The hyperparameters of `torch.optim.Adam` and `AdamW`, with PyTorch's
/// names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    /// `lr`, γ.
    pub learning_rate: f64,
    /// `betas`, (β₁, β₂): the decay rates of the running averages of the
    /// gradient and of its square.
    pub betas: (f64, f64),
    /// `eps`, ε: added to the denominator, so that it is never 0.
    pub eps: f64,
    /// `weight_decay`, λ: coupled into the gradient by Adam
    /// ([`with_weight_decay`]), decoupled by AdamW ([`decay_parameters`]).
    pub weight_decay: f64,
    /// `amsgrad`: divide by the largest second moment seen so far.
    pub amsgrad: bool,
}

impl AdamConfig {
    /// Adam at `learning_rate` with PyTorch's defaults: betas (0.9, 0.999),
    /// eps 1e-8, no weight decay, no AMSGrad.
    pub fn new(learning_rate: f64) -> AdamConfig {
        AdamConfig {
            learning_rate,
            betas: DEFAULT_BETAS,
            eps: DEFAULT_EPS,
            weight_decay: 0.0,
            amsgrad: false,
        }
    }

    /// AdamW's defaults at `learning_rate`: Adam's, but a weight decay of
    /// 0.01.
    pub fn adamw(learning_rate: f64) -> AdamConfig {
        AdamConfig { weight_decay: ADAMW_WEIGHT_DECAY, ..AdamConfig::new(learning_rate) }
    }
}
// ANCHOR_END: adam_config

impl AdamConfig {
    // ANCHOR: adam_check
    /// Refuses hyperparameters that make no sense, with the first problem
    /// found, in PyTorch's order:
    ///
    /// 1. the learning rate is not a finite number ≥ 0:
    ///    [`HyperparameterError::LearningRate`];
    /// 2. ε is not a finite number > 0: [`HyperparameterError::Epsilon`];
    /// 3. β₁, then β₂, is not in `[0, 1)`: [`HyperparameterError::Beta`] with
    ///    its index (0 or 1) and value;
    /// 4. the weight decay is not a finite number ≥ 0:
    ///    [`HyperparameterError::WeightDecay`].
    pub fn check(&self) -> Result<(), HyperparameterError> {
        // BEGIN SOLUTION: the four checks, in order, each returning its error with the offending value
        check_learning_rate(self.learning_rate)?;
        if !(self.eps.is_finite() && self.eps > 0.0) {
            return Err(HyperparameterError::Epsilon { value: self.eps });
        }
        for (index, value) in [(0, self.betas.0), (1, self.betas.1)] {
            if !(0.0..1.0).contains(&value) {
                return Err(HyperparameterError::Beta { index, value });
            }
        }
        check_weight_decay(self.weight_decay)
        // END SOLUTION
    }
    // ANCHOR_END: adam_check
}

// ANCHOR: adam
/// `torch.optim.Adam` (coupled weight decay) and `torch.optim.AdamW`
/// (decoupled weight decay): steps scaled by running averages of the
/// gradient and of its square.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    /// The hyperparameters, checked by [`Adam::new`] and [`Adam::adamw`].
    pub config: AdamConfig,
    /// `true` for AdamW: the weight decay shrinks the parameters directly
    /// instead of entering the gradient.
    pub decoupled: bool,
    /// The number of steps taken so far; the step being taken is
    /// `t = steps + 1`, counted from 1.
    pub steps: u64,
    /// The first moment `m`, the running average of the gradient
    /// (PyTorch's `exp_avg`); empty before the first step.
    pub m: Vec<f64>,
    /// The second moment `v`, the running average of the squared gradient
    /// (`exp_avg_sq`); empty before the first step.
    pub v: Vec<f64>,
    /// The largest `v` so far, entry by entry (`max_exp_avg_sq`), used by
    /// AMSGrad; empty before the first step.
    pub v_max: Vec<f64>,
}

impl Adam {
    /// Adam (coupled weight decay), with no state yet, after
    /// `config.check()?`.
    pub fn new(config: AdamConfig) -> Result<Adam, HyperparameterError> {
        config.check()?;
        Ok(Adam {
            config,
            decoupled: false,
            steps: 0,
            m: Vec::new(),
            v: Vec::new(),
            v_max: Vec::new(),
        })
    }

    /// AdamW (decoupled weight decay), with no state yet, after
    /// `config.check()?`.
    pub fn adamw(config: AdamConfig) -> Result<Adam, HyperparameterError> {
        Ok(Adam { decoupled: true, ..Adam::new(config)? })
    }
}
// ANCHOR_END: adam

// ANCHOR: moving_average
/// One update of an exponential moving average with decay rate `β`:
///
/// ```text
/// a ← β·a + (1 − β)·x
/// ```
///
/// Adam keeps two: `m` of the gradient (β₁) and `v` of its square (β₂).
/// Both start at 0.
pub fn moving_average(average: f64, value: f64, beta: f64) -> f64 {
    // BEGIN SOLUTION: β·a + (1 − β)·x
    beta * average + (1.0 - beta) * value
    // END SOLUTION
}
// ANCHOR_END: moving_average

// ANCHOR: bias_correction
/// The bias correction of a moving average that started at 0, after `t`
/// updates (t counted from 1):
///
/// ```text
/// 1 − βᵗ
/// ```
///
/// Dividing the average by it undoes the pull towards the starting 0. Use
/// `beta.powf(t as f64)`, the same `pow` as Python's `beta ** t` in
/// PyTorch, so that the numbers agree to the last digit.
pub fn bias_correction(beta: f64, t: u64) -> f64 {
    // BEGIN SOLUTION: 1 − β^t with powf
    1.0 - beta.powf(t as f64)
    // END SOLUTION
}
// ANCHOR_END: bias_correction

// ANCHOR: decay_parameters
/// AdamW's **decoupled** weight decay: every parameter, the bias too,
/// shrinks towards 0 by the factor `1 − γ·λ` before the Adam step, without
/// touching the gradient:
///
/// ```text
/// θ ← θ·(1 − γ·λ)
/// ```
pub fn decay_parameters(params: &mut [f64], learning_rate: f64, weight_decay: f64) {
    // BEGIN SOLUTION: multiply every parameter by 1 − γ·λ
    let factor = 1.0 - learning_rate * weight_decay;
    for p in params.iter_mut() {
        *p *= factor;
    }
    // END SOLUTION
}
// ANCHOR_END: decay_parameters

// ANCHOR: adam_step
impl Optimizer for Adam {
    /// One step of PyTorch's Adam (or AdamW), exactly as its default
    /// implementation computes it, in this order:
    ///
    /// 1. `check_lengths(params, gradient, state)?`, where `state` is the
    ///    length of `m` once a step has been taken;
    /// 2. before the first step, `m`, `v` and `v_max` become zeros, one per
    ///    parameter; then `self.steps += 1`, and `t = self.steps`;
    /// 3. the gradient: AdamW (`decoupled`) first shrinks the parameters,
    ///    `decay_parameters(params, γ, λ)`, and uses the gradient as it is;
    ///    Adam uses `with_weight_decay(gradient, params, λ)`;
    /// 4. `step_size = γ / bias_correction(β₁, t)` and
    ///    `bc2_sqrt = bias_correction(β₂, t).sqrt()`;
    /// 5. for every parameter `i`, with `gᵢ` from step 3:
    ///    - `m[i] = moving_average(m[i], gᵢ, β₁)`,
    ///      `v[i] = moving_average(v[i], gᵢ·gᵢ, β₂)`;
    ///    - `v_max[i] = v_max[i].max(v[i])`; the second moment used is
    ///      `v_max[i]` with AMSGrad, else `v[i]`;
    ///    - `denominator = √(that moment) / bc2_sqrt + ε`: ε is added
    ///      *after* the square root and the bias correction;
    ///    - `θᵢ ← θᵢ − step_size · m[i] / denominator`.
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        // BEGIN SOLUTION: follow the five steps of the doc comment in order
        check_lengths(params, gradient, (self.steps > 0).then_some(self.m.len()))?;
        if self.steps == 0 {
            self.m = vec![0.0; params.len()];
            self.v = vec![0.0; params.len()];
            self.v_max = vec![0.0; params.len()];
        }
        self.steps += 1;
        let t = self.steps;
        let AdamConfig { learning_rate, betas: (beta1, beta2), eps, weight_decay, amsgrad } =
            self.config;
        let g = if self.decoupled {
            decay_parameters(params, learning_rate, weight_decay);
            gradient.to_vec()
        } else {
            with_weight_decay(gradient, params, weight_decay)
        };
        let step_size = learning_rate / bias_correction(beta1, t);
        let bias_correction2_sqrt = bias_correction(beta2, t).sqrt();
        for i in 0..params.len() {
            self.m[i] = moving_average(self.m[i], g[i], beta1);
            self.v[i] = moving_average(self.v[i], g[i] * g[i], beta2);
            self.v_max[i] = self.v_max[i].max(self.v[i]);
            let second_moment = if amsgrad { self.v_max[i] } else { self.v[i] };
            let denominator = second_moment.sqrt() / bias_correction2_sqrt + eps;
            params[i] -= step_size * self.m[i] / denominator;
        }
        Ok(())
        // END SOLUTION
    }
}
// ANCHOR_END: adam_step

// ANCHOR: optimizer_config
/// Which optimizer, with which hyperparameters: everything needed to make
/// one ([`optimizer`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerConfig {
    /// `torch.optim.SGD`.
    Sgd(SgdConfig),
    /// `torch.optim.Adam`: weight decay coupled into the gradient.
    Adam(AdamConfig),
    /// `torch.optim.AdamW`: weight decay decoupled from the gradient.
    AdamW(AdamConfig),
}

impl OptimizerConfig {
    /// The learning rate γ, whichever the optimizer.
    pub fn learning_rate(&self) -> f64 {
        match self {
            OptimizerConfig::Sgd(c) => c.learning_rate,
            OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c) => c.learning_rate,
        }
    }

    /// The same optimizer and hyperparameters with another learning rate.
    pub fn with_learning_rate(self, learning_rate: f64) -> OptimizerConfig {
        match self {
            OptimizerConfig::Sgd(c) => OptimizerConfig::Sgd(SgdConfig { learning_rate, ..c }),
            OptimizerConfig::Adam(c) => OptimizerConfig::Adam(AdamConfig { learning_rate, ..c }),
            OptimizerConfig::AdamW(c) => OptimizerConfig::AdamW(AdamConfig { learning_rate, ..c }),
        }
    }
}
// ANCHOR_END: optimizer_config

// ANCHOR: make_optimizer
/// A new optimizer, with no state, for `config`: [`Sgd::new`],
/// [`Adam::new`] or [`Adam::adamw`], in a `Box<dyn Optimizer>` so that the
/// caller need not know which. Refuses bad hyperparameters with the
/// [`HyperparameterError`].
pub fn optimizer(config: &OptimizerConfig) -> Result<Box<dyn Optimizer>, HyperparameterError> {
    // BEGIN SOLUTION: match on the config and box the new optimizer, passing on its error with ?
    Ok(match *config {
        OptimizerConfig::Sgd(c) => Box::new(Sgd::new(c)?),
        OptimizerConfig::Adam(c) => Box::new(Adam::new(c)?),
        OptimizerConfig::AdamW(c) => Box::new(Adam::adamw(c)?),
    })
    // END SOLUTION
}
// ANCHOR_END: make_optimizer

// ---------------------------------------------------------------------------
// 4. The refactored loop
// ---------------------------------------------------------------------------

// ANCHOR: run
/// The result of a run of [`train`]: as exercise 04's `Training`, with the
/// parameters as one vector (the weights, then the bias).
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The parameters at the end.
    pub params: Vec<f64>,
    /// The criterion's losses, epoch by epoch, before each epoch's updates.
    pub history: History,
    /// How the run ended.
    pub outcome: Outcome,
}
// ANCHOR_END: run

// ANCHOR: check_run
/// Checks everything before a run starts, so that nothing inside the loop
/// can fail on the data, and returns the batch size. In this order:
///
/// 1. `start` holds one weight per feature and a bias: its length must be
///    the training rows' number of features plus one
///    ([`TrainError::StartLength`]; no training rows count as 0 features);
/// 2. the training set, then the validation set, with exercise 03's
///    `check_feature_examples` and the weights of `start`
///    ([`TrainError::TrainingSet`], [`TrainError::ValidationSet`]);
/// 3. the batch size of `settings.descent` ([`TrainError::ZeroBatchSize`]).
///
/// (Written for you.)
pub fn check_run(
    start: &[f64],
    data: &FeatureSplit,
    settings: &Settings,
) -> Result<usize, TrainError> {
    let features = data.train.xs.first().map_or(0, Vec::len);
    if start.len() != features + 1 {
        return Err(TrainError::StartLength { got: start.len(), features });
    }
    let (weights, _) = weights_and_bias(start);
    check_feature_examples(weights, &data.train.xs, &data.train.y)
        .map_err(TrainError::TrainingSet)?;
    check_feature_examples(weights, &data.validation.xs, &data.validation.y)
        .map_err(TrainError::ValidationSet)?;
    settings.descent.batch_size(data.train.len()).map_err(|_| TrainError::ZeroBatchSize)
}
// ANCHOR_END: check_run

// ANCHOR: train
/// Trains a linear model from `start` (the weights, then the bias) on
/// `data.train`, watching `data.validation`, with the loss `criterion` and
/// the update rule `optimizer`: the workshop's refactored loop,
///
/// ```text
/// for i in range(epochs):
///     loss = criterion(model(X), y)    # forward and loss
///     losses.append(loss.item())       # a number, not the tensor
///     optimizer.zero_grad()            # (not needed here: see below)
///     loss.backward()                  # gradient
///     optimizer.step()                 # update
/// ```
///
/// with exercise 04's epochs, batches, history and stopping rules. In this
/// order:
///
/// 1. `let batch_size = check_run(start, data, settings)?;`
/// 2. make the generator once: `let mut rng = seeded_rng(settings.seed);`
/// 3. for each `epoch` in `0..settings.epochs`, with `params` the current
///    parameters (a `Vec` copied from `start`):
///    1. the training loss, `criterion.loss(&forward(&params, xs), y)` on
///       `data.train`, before the epoch's updates;
///    2. if `has_diverged(train_loss, initial)` (`initial`: the first
///       training loss of the history, or this one for epoch 0), return
///       `Outcome::Diverged { epoch, loss: train_loss }`;
///    3. the validation loss, the same way on `data.validation`;
///    4. push both losses onto the history;
///    5. if `is_log_epoch(epoch)`, write `progress_line(…)` and a line
///       break to `log`; a write error becomes [`TrainError::Log`];
///    6. if `validation_loss < settings.stop_below`, return
///       `Outcome::Converged { epoch }`;
///    7. the epoch's updates: `order = shuffled_order(n, &mut rng)`, and for
///       each batch of `order.chunks(batch_size)`, in order: the batch's
///       examples (`data.train.rows(batch)`), their
///       [`gradient`] at the current parameters, and
///       `optimizer.step(&mut params, &gradient)?`;
/// 4. after the last epoch, return `Outcome::MaxEpochs`.
///
/// Every step uses a gradient computed afresh for that step's batch.
pub fn train(
    start: &[f64],
    data: &FeatureSplit,
    criterion: Criterion,
    optimizer: &mut dyn Optimizer,
    settings: &Settings,
    log: &mut dyn Write,
) -> Result<Run, TrainError> {
    // BEGIN SOLUTION: check, one generator, then epoch by epoch: loss, divergence, validation loss, history, log, stopping rule, then one optimizer step per batch
    let batch_size = check_run(start, data, settings)?;
    let mut rng = seeded_rng(settings.seed);
    let mut params = start.to_vec();
    let mut history = History::default();
    for epoch in 0..settings.epochs {
        let train_loss = criterion.loss(&forward(&params, &data.train.xs), &data.train.y);
        let initial = history.train.first().copied().unwrap_or(train_loss);
        if has_diverged(train_loss, initial) {
            let outcome = Outcome::Diverged { epoch, loss: train_loss };
            return Ok(Run { params, history, outcome });
        }
        let validation_loss =
            criterion.loss(&forward(&params, &data.validation.xs), &data.validation.y);
        history.train.push(train_loss);
        history.validation.push(validation_loss);
        if is_log_epoch(epoch) {
            writeln!(log, "{}", progress_line(epoch, train_loss, validation_loss))
                .map_err(|e| TrainError::Log { message: e.to_string() })?;
        }
        if validation_loss < settings.stop_below {
            return Ok(Run { params, history, outcome: Outcome::Converged { epoch } });
        }
        let order = shuffled_order(data.train.len(), &mut rng);
        for batch in order.chunks(batch_size) {
            let examples = data.train.rows(batch);
            let gradient = gradient(criterion, &params, &examples.xs, &examples.y);
            optimizer.step(&mut params, &gradient)?;
        }
    }
    Ok(Run { params, history, outcome: Outcome::MaxEpochs })
    // END SOLUTION
}
// ANCHOR_END: train

// ANCHOR: train_line
/// [`train`] for a line: the parameters as exercise 04's [`Params`], the
/// data as exercise 01's [`Split`], and the result as exercise 04's
/// [`Training`]. (Written for you.)
pub fn train_line(
    start: Params,
    split: &Split,
    criterion: Criterion,
    optimizer: &mut dyn Optimizer,
    settings: &Settings,
    log: &mut dyn Write,
) -> Result<Training, TrainError> {
    let data = FeatureSplit::from_split(split);
    let run = train(&[start.w, start.b], &data, criterion, optimizer, settings, log)?;
    let at = |i: usize| run.params.get(i).copied().unwrap_or(f64::NAN);
    Ok(Training {
        params: Params { w: at(0), b: at(1) },
        history: run.history,
        outcome: run.outcome,
    })
}
// ANCHOR_END: train_line

// ---------------------------------------------------------------------------
// 5. The experiments: learning rates and epochs
// ---------------------------------------------------------------------------

// ANCHOR: trial
/// One run of a [`sweep`]: its learning rate and what came of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// The learning rate of this run.
    pub learning_rate: f64,
    /// The run.
    pub training: Training,
}

/// The best learning rate and number of epochs of a sweep, by validation
/// loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    /// The learning rate of the best run.
    pub learning_rate: f64,
    /// How many epochs of training gave the best parameters: the index `e`
    /// of the smallest entry of that run's `history.validation`, the loss
    /// of the parameters after `e` epochs.
    pub epochs: usize,
    /// That smallest validation loss.
    pub validation_loss: f64,
}
// ANCHOR_END: trial

// ANCHOR: sweep
/// Trains the line once for every learning rate of `learning_rates`, in
/// order, each time from `start` on `split` with `criterion` and
/// `settings`, and with a **new** optimizer made by [`optimizer`] from
/// `config.with_learning_rate(rate)`: an optimizer remembers its velocity or
/// its moments, and a run must not start from the memory of another. The
/// progress lines are not written anywhere (`&mut std::io::sink()`).
///
/// Returns one [`Trial`] per learning rate, in order; the first error
/// (a bad hyperparameter, bad data) ends the sweep.
pub fn sweep(
    start: Params,
    split: &Split,
    criterion: Criterion,
    config: &OptimizerConfig,
    learning_rates: &[f64],
    settings: &Settings,
) -> Result<Vec<Trial>, TrainError> {
    // BEGIN SOLUTION: for every learning rate, a new optimizer and a train_line run, collected into Trials
    let mut trials = Vec::with_capacity(learning_rates.len());
    for &learning_rate in learning_rates {
        let mut optimizer = optimizer(&config.with_learning_rate(learning_rate))?;
        let training = train_line(
            start,
            split,
            criterion,
            optimizer.as_mut(),
            settings,
            &mut std::io::sink(),
        )?;
        trials.push(Trial { learning_rate, training });
    }
    Ok(trials)
    // END SOLUTION
}
// ANCHOR_END: sweep

// ANCHOR: best_choice
/// The best learning rate and number of epochs of a sweep: over every
/// trial and every epoch `e` of its history, the smallest
/// `history.validation[e]`. Looks at the **validation** loss, the loss on
/// examples training never learned from, and at every epoch, not only the
/// last: fewer epochs may be better.
///
/// On a tie the earlier wins (the earlier trial, then the earlier epoch).
/// A NaN loss is never the best, not even the first one looked at: take a
/// loss only if it is not NaN and there is no best yet or it is `<` the best
/// so far (NaN fails every `<`, so a NaN kept as the first best would never
/// be replaced). An infinite loss can be the best when nothing finite is
/// there. `None` when no trial has a validation loss that is not NaN.
pub fn best_choice(trials: &[Trial]) -> Option<Choice> {
    // BEGIN SOLUTION: walk every trial and every epoch of its validation history, keeping the first smallest loss
    let mut best: Option<Choice> = None;
    for trial in trials {
        for (epochs, &validation_loss) in trial.training.history.validation.iter().enumerate() {
            if best.is_none_or(|b| validation_loss < b.validation_loss) && !validation_loss.is_nan()
            {
                best = Some(Choice { learning_rate: trial.learning_rate, epochs, validation_loss });
            }
        }
    }
    best
    // END SOLUTION
}
// ANCHOR_END: best_choice

// ---------------------------------------------------------------------------
// When something is wrong
// ---------------------------------------------------------------------------

// ANCHOR: hyperparameter_error
/// A hyperparameter that PyTorch would refuse too (or, for the momentum and
/// the dampening, one outside the range where the rule means something).
/// The messages begin as PyTorch's `ValueError`s do.
#[derive(Clone, Copy, Debug, PartialEq, Error)]
pub enum HyperparameterError {
    /// The learning rate is negative, infinite or NaN.
    #[error(
        "Invalid learning rate: {value}; the learning rate must be a finite number of at least 0, such as 0.1"
    )]
    LearningRate { value: f64 },

    /// The momentum is not in [0, 1).
    #[error(
        "Invalid momentum value: {value}; momentum must be at least 0 and below 1 (0.9 is usual): it is the fraction of the velocity kept from one step to the next"
    )]
    Momentum { value: f64 },

    /// The dampening is not in [0, 1].
    #[error(
        "Invalid dampening value: {value}; dampening must be between 0 and 1: the gradient enters the velocity with the weight 1 − dampening"
    )]
    Dampening { value: f64 },

    /// Nesterov momentum without momentum, or with dampening.
    #[error(
        "Nesterov momentum requires a momentum and zero dampening, but momentum is {momentum} and dampening is {dampening}"
    )]
    Nesterov { momentum: f64, dampening: f64 },

    /// β₁ (index 0) or β₂ (index 1) is not in [0, 1).
    #[error(
        "Invalid beta parameter at index {index}: {value}; each beta must be at least 0 and below 1 (PyTorch's defaults are 0.9 and 0.999)"
    )]
    Beta { index: usize, value: f64 },

    /// ε is 0, negative, infinite or NaN.
    #[error(
        "Invalid epsilon value: {value}; eps must be a finite number greater than 0 (the default is 1e-8): it keeps the denominator away from 0"
    )]
    Epsilon { value: f64 },

    /// The weight decay is negative, infinite or NaN.
    #[error(
        "Invalid weight_decay value: {value}; weight decay must be a finite number of at least 0 (0 turns it off)"
    )]
    WeightDecay { value: f64 },
}
// ANCHOR_END: hyperparameter_error

// ANCHOR: step_error
/// Why an optimizer could not take a step. Nothing has changed when a step
/// returns one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum StepError {
    /// The gradient and the parameters have different lengths.
    #[error(
        "the gradient has {gradient} numbers but there are {params} parameters; pass one partial derivative per parameter, in the same order"
    )]
    GradientLength { params: usize, gradient: usize },

    /// The optimizer's memory was built for a different number of
    /// parameters.
    #[error(
        "this optimizer remembers {state} numbers from its earlier steps but was given {params} parameters; make a new optimizer for every model and every run"
    )]
    StateLength { state: usize, params: usize },
}
// ANCHOR_END: step_error

// ANCHOR: train_error
/// Why training could not run. (A run that diverges is not an error: its
/// [`Outcome`] says so.)
#[derive(Clone, Debug, PartialEq, Error)]
pub enum TrainError {
    /// `start` does not hold one weight per feature and a bias.
    #[error(
        "start has {got} numbers, but a model of {features} feature(s) has {} parameters: one weight per feature, then the bias", features + 1
    )]
    StartLength { got: usize, features: usize },

    /// A problem with the training set, as exercise 03 describes it.
    #[error("the training set: {0}")]
    TrainingSet(GradientError),

    /// A problem with the validation set, as exercise 03 describes it.
    #[error("the validation set: {0}")]
    ValidationSet(GradientError),

    /// `Descent::MiniBatch(0)`.
    #[error(
        "a mini-batch of 0 examples has no gradient; use a batch size of at least 1 (Descent::Stochastic is a batch size of 1)"
    )]
    ZeroBatchSize,

    /// A bad hyperparameter.
    #[error("the optimizer: {0}")]
    Hyperparameter(#[from] HyperparameterError),

    /// The optimizer refused a step.
    #[error("the optimizer's step: {0}")]
    Step(#[from] StepError),

    /// The progress log could not be written.
    #[error(
        "could not write the progress log: {message}; pass a writer that accepts text, such as &mut std::io::stdout() or a &mut Vec<u8>"
    )]
    Log { message: String },
}
// ANCHOR_END: train_error
