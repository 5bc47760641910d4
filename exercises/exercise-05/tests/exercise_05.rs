//! The tests of exercise 05, "Refactoring with an optimizer".
//!
//! Run them with `cargo test -p exercise-05`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter 5
//! to read. Start with the first failing test: the functions build on each
//! other in the order of `src/lib.rs`.
//!
//! Three kinds of tests:
//! - known values: the criterion, the gradient and single steps of SGD and
//!   Adam worked out by hand, and, strongest of all, PyTorch's own
//!   trajectories: `scripts/torch-reference.py` trained `nn.Linear(1, 1)`
//!   with `torch.optim.SGD`, `Adam` and `AdamW` on the lecture's data, and
//!   your optimizers must take the very same steps, to 12 digits;
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones), and agreement with the reference solution;
//! - snapshots of the loss histories your code produces on the lecture's
//!   data, compared with the files in `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::Debug;
use std::sync::OnceLock;

use exercise_05::{AdamConfig, Optimizer, Params, SgdConfig, Split, StepError};
use proptest::prelude::*;
use support::{Tolerance, call, fail};

#[path = "exercise_05/criterion.rs"]
mod criterion;

#[path = "exercise_05/model.rs"]
mod model;

#[path = "exercise_05/sgd.rs"]
mod sgd;

#[path = "exercise_05/adam.rs"]
mod adam;

#[path = "exercise_05/pytorch.rs"]
mod pytorch;

#[path = "exercise_05/training.rs"]
mod training;

#[path = "exercise_05/experiments.rs"]
mod experiments;

#[path = "exercise_05/errors.rs"]
mod errors;

#[path = "exercise_05/properties.rs"]
mod properties;

#[path = "exercise_05/snapshots.rs"]
mod snapshots;

// ---------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------

/// Chapter 3's three points on the line y = 2x + 1.
pub use support::data::{THREE_X, THREE_Y};

/// The three points as rows of one feature.
pub fn three_rows() -> Vec<Vec<f64>> {
    THREE_X.iter().map(|&x| vec![x]).collect()
}

/// The three points for training, and two more points of the same line for
/// validation: (0.5, 2) and (2.5, 6).
pub fn three_point_split() -> Split {
    Split {
        train: exercise_05::Dataset { x: THREE_X.to_vec(), y: THREE_Y.to_vec() },
        validation: exercise_05::Dataset { x: vec![0.5, 2.5], y: vec![2.0, 6.0] },
    }
}

/// The lecture's data, split 80/20 as in exercise 01.
pub fn lecture() -> Split {
    reference::lecture_split().expect("the lecture's recipe always splits")
}

/// The workshop's untrained model, where the course's training starts.
pub const UNTRAINED: Params = Params { w: -0.7767, b: 0.6317 };

// ---------------------------------------------------------------------------
// The hints
// ---------------------------------------------------------------------------

pub const CRITERION: &str = "Mse is the mean of (ŷᵢ − yᵢ)² over the pairs, HalfMse exactly half of it (see 'The criterion' in chapter 5)";
pub const OUTPUT_GRADIENT: &str = "∂L/∂ŷᵢ is 2·(ŷᵢ − yᵢ)/N for Mse and (ŷᵢ − yᵢ)/N for HalfMse: prediction minus target, divided by the number of predictions (see 'The criterion' in chapter 5)";
pub const FORWARD: &str = "ŷᵢ = Σⱼ wⱼ·xᵢⱼ + b, with (weights, bias) = weights_and_bias(params): the bias is the last parameter (see 'Forward and backward' in chapter 5)";
pub const BACKWARD: &str = "backward returns features + 1 numbers: Σᵢ δᵢ·xᵢⱼ for every feature j, then Σᵢ δᵢ for the bias (see 'Forward and backward' in chapter 5)";
pub const GRADIENT: &str = "gradient is backward(xs, &criterion.output_gradient(&forward(params, xs), y), params.len() − 1) (see 'Forward and backward' in chapter 5)";
pub const WEIGHT_DECAY: &str = "coupled weight decay adds λ·θ to each partial derivative, g + λ·θ, and returns the gradient unchanged when λ = 0 (see 'Plain SGD and weight decay' in chapter 5)";
pub const MOMENTUM: &str = "the momentum buffer is the gradient itself on the first step, and μ·b + (1 − τ)·g on every later step (see 'Momentum' in chapter 5)";
pub const NESTEROV: &str = "with Nesterov momentum the step goes along g + μ·b, the gradient plus the momentum times the new buffer (see 'Dampening and Nesterov' in chapter 5)";
pub const SGD_STEP: &str = "Sgd::step: check_lengths, then g = with_weight_decay(…), then (with momentum) the new buffer and the direction, kept in self.velocity, then θ ← θ − γ·d (see 'Momentum' in chapter 5)";
pub const MOVING_AVERAGE: &str = "a moving average moves a fraction 1 − β of the way to the new value: β·a + (1 − β)·x (see 'Adam' in chapter 5)";
pub const BIAS_CORRECTION: &str = "the bias correction after t updates is 1 − βᵗ, with beta.powf(t as f64) (see 'Bias correction' in chapter 5)";
pub const DECAY_PARAMETERS: &str = "AdamW's decoupled decay multiplies every parameter by 1 − γ·λ (see 'AdamW: decoupled weight decay' in chapter 5)";
pub const ADAM_STEP: &str = "Adam::step: check_lengths, zeros before the first step, t = steps + 1, the decay, step_size = γ / (1 − β₁ᵗ), then for each parameter m, v, the denominator √v / √(1 − β₂ᵗ) + ε and θ ← θ − step_size·m / denominator (see 'Adam' in chapter 5)";
pub const OPTIMIZER: &str = "optimizer matches on the config and returns Box::new(Sgd::new(c)?), Box::new(Adam::new(c)?) or Box::new(Adam::adamw(c)?) (see 'One entry point' in chapter 5)";
pub const NEW: &str = "the constructors call config.check()? first, and check is yours to write: refuse only the values its doc comment lists (see 'When the hyperparameters are wrong' in chapter 5)";
pub const CHECKS: &str = "see 'When the hyperparameters are wrong' in chapter 5";
pub const TRAIN: &str = "follow the steps of train's doc comment in order: check_run, one generator, then for each epoch the training loss, the divergence check, the validation loss, the history, the progress line, the stopping rule, and one optimizer.step per batch with a fresh gradient (see 'The refactored loop' in chapter 5)";
pub const SWEEP: &str = "sweep makes a new optimizer from config.with_learning_rate(rate) for every rate and calls train_line with it (see 'Learning rates and epochs' in chapter 5)";
pub const BEST: &str = "best_choice looks at every epoch of every trial's history.validation and keeps the first smallest loss (see 'Learning rates and epochs' in chapter 5)";
pub const PYTORCH: &str = "your optimizer's steps differ from PyTorch's; follow the doc comment of step line by line (see 'Checking against PyTorch' in chapter 5)";

// Hints for the mistakes learners really make, and the sources' own. The
// misconception catalogue (solutions/solution-05/misconceptions/) checks
// that each is caught by a test whose message contains its hint.
pub const NO_FACTOR_TWO: &str = "did you forget the factor 2? The derivative of (ŷ − y)² is 2·(ŷ − y); only HalfMse's ½ cancels it (see 'The criterion' in chapter 5)";
pub const SLIDES_MOMENTUM: &str = "the momentum coefficient multiplies the previous velocity: b = μ·b + (1 − τ)·g, not μ + …; the slides' formula momentum_coeff + lr·grad forgets the velocity (see 'Spot the bug' in 'Momentum', chapter 5)";
pub const FIRST_STEP_DAMPENED: &str = "the first velocity is the gradient itself, b₁ = g: PyTorch applies dampening only from the second step on (see 'Dampening and Nesterov' in chapter 5)";
pub const NESTEROV_BUFFER: &str = "Nesterov steps along g + μ·b, not along the buffer b (that is classic momentum) (see 'Dampening and Nesterov' in chapter 5)";
pub const BIAS_NOT_DECAYED: &str = "weight decay applies to every parameter, the bias too, as in PyTorch when the optimizer gets all of model.parameters() (see 'Plain SGD and weight decay' in chapter 5)";
pub const ADAMW_COUPLED: &str = "AdamW's weight decay is decoupled: it shrinks the parameters by 1 − γ·λ and leaves the gradient alone; adding λ·θ to the gradient is Adam's coupled decay (see 'AdamW: decoupled weight decay' in chapter 5)";
pub const EPS_PLACE: &str = "ε is added after the square root and the bias correction: √v / √(1 − β₂ᵗ) + ε, not inside the root and not before the correction (see 'Where ε goes' in chapter 5)";
pub const NO_BIAS_CORRECTION: &str = "the moments were used without bias correction: divide m by 1 − β₁ᵗ (through step_size) and √v by √(1 − β₂ᵗ) (see 'Bias correction' in chapter 5)";
pub const STEP_FROM_ZERO: &str = "the step count t counts from 1: add 1 to steps before the bias corrections, or the first correction is 1 − β⁰ = 0 (see 'Bias correction' in chapter 5)";
pub const AMSGRAD_IGNORED: &str = "with amsgrad the denominator uses v_max, the largest second moment so far, not the current v (see 'AMSGrad' in chapter 5)";
pub const V_NOT_SQUARED: &str = "v is the running average of the squared gradient, g·g, not of the gradient (see 'Adam' in chapter 5)";
pub const ACCUMULATED: &str = "the gradients were not reset between steps, they accumulate: each step must use the gradient of its own batch at the current parameters, computed afresh (PyTorch needs optimizer.zero_grad() for this) (see 'Why there is no zero_grad' in chapter 5)";
pub const BEST_BY_TRAINING: &str = "the best run was picked by the training loss; pick it by the validation loss, on examples training never learned from (see 'Learning rates and epochs' in chapter 5)";
pub const BEST_LAST_EPOCH: &str = "only the last epoch of each run was compared; every epoch of the history is a candidate, and fewer epochs may be better (see 'Learning rates and epochs' in chapter 5)";
pub const SAME_RATE: &str = "every run of the sweep used the same learning rate: make each run's optimizer from config.with_learning_rate(rate) (see 'Learning rates and epochs' in chapter 5)";
pub const BACKWARD_AVERAGED: &str = "the sums were divided by N once more: δ already holds the 1/N of the mean (δᵢ = factor·(ŷᵢ − yᵢ)/N), and backward only adds the links of the chain rule up, Σᵢ δᵢ·xᵢⱼ and Σᵢ δᵢ (see 'Forward and backward' in chapter 5)";
pub const DECAY_OF_ZERO: &str = "with λ = 0 the gradient must come back unchanged, whatever the parameters: 0·∞ and 0·NaN are NaN, so g + 0·θ is not g for a parameter that ran away; return gradient.to_vec() when λ = 0, as PyTorch skips the addition (see 'Plain SGD and weight decay' in chapter 5)";
pub const DAMPENING_WEIGHT: &str = "the gradient enters the velocity with the weight 1 − τ, not τ: dampening is what is taken away, so τ = 0 means the whole gradient (see 'Dampening and Nesterov' in chapter 5)";
pub const REFUSED_STEP: &str = "a refused step must leave the optimizer exactly as it was, so that the next step goes on as if it had not happened: call check_lengths(params, gradient, state)? before anything changes, the zero moments and the step count included (see 'The optimizer' in chapter 5)";
pub const POWF: &str = "βᵗ must be beta.powf(t as f64), the pow of Python's beta ** t: powi multiplies in another order (the last bits differ from PyTorch's), and t as i32 wraps for t ≥ 2³¹ (see 'Bias correction' in chapter 5)";
pub const DECAY_AFTER_STEP: &str = "AdamW shrinks the parameters before the Adam step: decay_parameters(params, γ, λ) first, then the moments and the step; shrinking after the step shrinks the step too (see 'AdamW: decoupled weight decay' in chapter 5)";
pub const NAN_PASSES: &str = "NaN compares false with everything, so a check written as x < 0.0 || x > 1.0 (or x < 0.0) lets NaN through: write each range as a test that NaN fails, (0.0..=1.0).contains(&x), or x.is_finite() && x >= 0.0 (see 'When the hyperparameters are wrong' in chapter 5)";
pub const INFINITY_PASSES: &str = "infinity passes a check written as x > 0.0 or x >= 0.0, but it is no hyperparameter a step can use: test x.is_finite() as well (see 'When the hyperparameters are wrong' in chapter 5)";
pub const WHOLE_SET_GRADIENT: &str = "every step used the gradient of the whole training set: each step's gradient comes from its own batch, data.train.rows(batch), or mini-batch and stochastic descent are batch descent taken N/B times (see 'The refactored loop' in chapter 5)";
pub const DIVERGED_DROPPED: &str = "a run that diverged is still a result: the sweep returns one Trial for every learning rate, the runs that diverged included, so that the caller sees which rates ran away (see 'Learning rates and epochs' in chapter 5)";
pub const NAN_STOPS_SEARCH: &str = "a NaN in the middle of a history must not stop the search: partial_cmp(…).unwrap() panics on NaN; compare with a strict <, which NaN never passes, and skip NaN (see 'Learning rates and epochs' in chapter 5)";
pub const NAN_KEPT: &str = "a NaN at the start of a history was kept as the best: nothing is < NaN, so once NaN is the best so far it stays; never take a NaN as the best (see 'Learning rates and epochs' in chapter 5)";
pub const INFINITE_LOSS: &str = "an infinite validation loss is still a loss: best_choice returns None only when no trial has a validation loss at all; starting from a best of f64::INFINITY with < never takes one (see 'Learning rates and epochs' in chapter 5)";
pub const EPOCHS_FROM_ONE: &str = "validation[e] is the loss after e epochs (before epoch e's updates), so the best number of epochs is the index e itself, not e + 1 (see 'Learning rates and epochs' in chapter 5)";

// ---------------------------------------------------------------------------
// Comparing numbers
// ---------------------------------------------------------------------------

/// Close enough for numbers computed in a different but correct order.
pub const TOL: Tolerance = support::compare::ROUNDING;

/// How close your steps must be to PyTorch's: 12 digits. The gradients are
/// added up in a different order (PyTorch calls a matrix library), so the
/// last bits differ; a wrong rule misses by far more.
pub const TORCH_TOL: Tolerance = Tolerance::Relative(1e-12);

/// `close(got, expected)`: within [`TOL`] (an infinity matches only the same
/// infinity), and here NaN matches NaN, because a run that diverges can end
/// on a NaN loss, the expected run as well as yours; `same_numbers`: the same
/// length, and close one by one.
pub use support::compare::{close_or_both_nan as close, same_numbers_or_both_nan as same_numbers};

/// A slice as the learner would type it.
pub fn lit(values: &[f64]) -> String {
    format!("&{values:?}")
}

/// A vector, shortened for a message.
pub fn short(values: &[f64]) -> String {
    let shown: Vec<String> = values.iter().take(6).map(|x| format!("{x:?}")).collect();
    let more =
        if values.len() > 6 { format!(", … ({} in all)", values.len()) } else { String::new() };
    format!("[{}{more}]", shown.join(", "))
}

pub use support::fixed;

/// Runs `property` on random cases from this exercise's fixed seed (see
/// `support::properties::for_all`).
#[track_caller]
pub fn for_all<S>(strategy: S, property: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    support::properties::for_all(20_05, strategy, property)
}

// ---------------------------------------------------------------------------
// Optimizers worked out here: the tests' own versions of PyTorch's rules,
// which can also make each of the common mistakes on purpose, so that a
// wrong trajectory can be recognised.
// ---------------------------------------------------------------------------

/// Which optimizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sgd,
    Adam,
    AdamW,
}

/// Every hyperparameter of any of the three optimizers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    pub kind: Kind,
    pub lr: f64,
    pub momentum: f64,
    pub dampening: f64,
    pub weight_decay: f64,
    pub nesterov: bool,
    pub betas: (f64, f64),
    pub eps: f64,
    pub amsgrad: bool,
}

impl Hyper {
    pub fn sgd(c: SgdConfig) -> Hyper {
        Hyper {
            kind: Kind::Sgd,
            lr: c.learning_rate,
            momentum: c.momentum,
            dampening: c.dampening,
            weight_decay: c.weight_decay,
            nesterov: c.nesterov,
            betas: (0.9, 0.999),
            eps: 1e-8,
            amsgrad: false,
        }
    }

    pub fn adam(kind: Kind, c: AdamConfig) -> Hyper {
        Hyper {
            kind,
            lr: c.learning_rate,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: c.weight_decay,
            nesterov: false,
            betas: c.betas,
            eps: c.eps,
            amsgrad: c.amsgrad,
        }
    }

    pub fn sgd_config(&self) -> SgdConfig {
        SgdConfig {
            learning_rate: self.lr,
            momentum: self.momentum,
            dampening: self.dampening,
            weight_decay: self.weight_decay,
            nesterov: self.nesterov,
        }
    }

    pub fn adam_config(&self) -> AdamConfig {
        AdamConfig {
            learning_rate: self.lr,
            betas: self.betas,
            eps: self.eps,
            weight_decay: self.weight_decay,
            amsgrad: self.amsgrad,
        }
    }

    /// The constructor call as the learner would write it.
    pub fn constructor(&self) -> String {
        match self.kind {
            Kind::Sgd => format!("Sgd::new({:?})", self.sgd_config()),
            Kind::Adam => format!("Adam::new({:?})", self.adam_config()),
            Kind::AdamW => format!("Adam::adamw({:?})", self.adam_config()),
        }
    }

    /// The learner's optimizer for these hyperparameters.
    #[track_caller]
    pub fn learner(&self) -> Box<dyn Optimizer> {
        let text = self.constructor();
        let made: Result<Box<dyn Optimizer>, exercise_05::HyperparameterError> =
            call(&text, NEW, || match self.kind {
                Kind::Sgd => exercise_05::Sgd::new(self.sgd_config())
                    .map(|o| Box::new(o) as Box<dyn Optimizer>),
                Kind::Adam => exercise_05::Adam::new(self.adam_config())
                    .map(|o| Box::new(o) as Box<dyn Optimizer>),
                Kind::AdamW => exercise_05::Adam::adamw(self.adam_config())
                    .map(|o| Box::new(o) as Box<dyn Optimizer>),
            });
        made.unwrap_or_else(|e| {
            fail(
                &text,
                format!("Err({e:?}): \"{e}\""),
                "Ok(an optimizer): these hyperparameters are fine",
                NEW,
            )
        })
    }
}

/// A mistake the simulation can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    None,
    SlidesMomentum,
    SlidesLiteral,
    FirstStepDampened,
    NesterovUsesBuffer,
    BiasNotDecayed,
    AdamWCoupled,
    EpsBeforeBiasCorrection,
    EpsInsideSqrt,
    NoBiasCorrection,
    StepFromZero,
    AmsgradIgnored,
    VNotSquared,
    DampeningAsWeight,
    DecayAfterStep,
}

/// Every mistake, with the hint that names it.
pub const MISTAKES: [(Mistake, &str); 14] = [
    (Mistake::SlidesMomentum, SLIDES_MOMENTUM),
    (Mistake::SlidesLiteral, SLIDES_MOMENTUM),
    (Mistake::FirstStepDampened, FIRST_STEP_DAMPENED),
    (Mistake::NesterovUsesBuffer, NESTEROV_BUFFER),
    (Mistake::BiasNotDecayed, BIAS_NOT_DECAYED),
    (Mistake::AdamWCoupled, ADAMW_COUPLED),
    (Mistake::EpsBeforeBiasCorrection, EPS_PLACE),
    (Mistake::EpsInsideSqrt, EPS_PLACE),
    (Mistake::NoBiasCorrection, NO_BIAS_CORRECTION),
    (Mistake::StepFromZero, STEP_FROM_ZERO),
    (Mistake::AmsgradIgnored, AMSGRAD_IGNORED),
    (Mistake::VNotSquared, V_NOT_SQUARED),
    (Mistake::DampeningAsWeight, DAMPENING_WEIGHT),
    (Mistake::DecayAfterStep, DECAY_AFTER_STEP),
];

/// The tests' own optimizer.
#[derive(Clone, Debug)]
pub struct Simulated {
    pub hyper: Hyper,
    pub mistake: Mistake,
    pub t: u64,
    pub buffer: Option<Vec<f64>>,
    pub m: Vec<f64>,
    pub v: Vec<f64>,
    pub v_max: Vec<f64>,
}

impl Simulated {
    pub fn new(hyper: Hyper, mistake: Mistake) -> Simulated {
        Simulated {
            hyper,
            mistake,
            t: 0,
            buffer: None,
            m: Vec::new(),
            v: Vec::new(),
            v_max: Vec::new(),
        }
    }

    fn decayed_gradient(&self, params: &[f64], gradient: &[f64]) -> Vec<f64> {
        let h = self.hyper;
        let n = params.len();
        (0..n)
            .map(|i| {
                let skip = self.mistake == Mistake::BiasNotDecayed && i + 1 == n;
                if h.weight_decay != 0.0 && !skip {
                    gradient[i] + h.weight_decay * params[i]
                } else {
                    gradient[i]
                }
            })
            .collect()
    }

    pub fn step(&mut self, params: &mut [f64], gradient: &[f64]) {
        match self.hyper.kind {
            Kind::Sgd => self.sgd_step(params, gradient),
            Kind::Adam | Kind::AdamW => self.adam_step(params, gradient),
        }
    }

    fn sgd_step(&mut self, params: &mut [f64], gradient: &[f64]) {
        let h = self.hyper;
        let g = self.decayed_gradient(params, gradient);
        let direction = if h.momentum != 0.0 {
            let buffer: Vec<f64> = match (&self.buffer, self.mistake) {
                // The slides, to the letter: velocity = μ + γ·g, θ ← θ − velocity.
                (_, Mistake::SlidesLiteral) => {
                    g.iter().map(|g| (h.momentum + h.lr * g) / h.lr).collect()
                }
                (None, Mistake::FirstStepDampened) => {
                    g.iter().map(|g| (1.0 - h.dampening) * g).collect()
                }
                (None, _) => g.clone(),
                // The slides' μ + … in PyTorch's form of the rule.
                (Some(_), Mistake::SlidesMomentum) => {
                    g.iter().map(|g| h.momentum + (1.0 - h.dampening) * g).collect()
                }
                (Some(b), Mistake::DampeningAsWeight) => {
                    b.iter().zip(&g).map(|(b, g)| h.momentum * b + h.dampening * g).collect()
                }
                (Some(b), _) => b
                    .iter()
                    .zip(&g)
                    .map(|(b, g)| h.momentum * b + (1.0 - h.dampening) * g)
                    .collect(),
            };
            let direction = if h.nesterov && self.mistake != Mistake::NesterovUsesBuffer {
                g.iter().zip(&buffer).map(|(g, b)| g + h.momentum * b).collect()
            } else {
                buffer.clone()
            };
            self.buffer = Some(buffer);
            direction
        } else {
            g
        };
        for (p, d) in params.iter_mut().zip(&direction) {
            *p -= h.lr * d;
        }
    }

    fn adam_step(&mut self, params: &mut [f64], gradient: &[f64]) {
        let h = self.hyper;
        let n = params.len();
        if self.t == 0 {
            self.m = vec![0.0; n];
            self.v = vec![0.0; n];
            self.v_max = vec![0.0; n];
        }
        let t = if self.mistake == Mistake::StepFromZero { self.t } else { self.t + 1 };
        self.t += 1;
        let decoupled = h.kind == Kind::AdamW && self.mistake != Mistake::AdamWCoupled;
        let decay_now = decoupled && self.mistake != Mistake::DecayAfterStep;
        let g = if decoupled {
            if decay_now {
                for (i, p) in params.iter_mut().enumerate() {
                    let skip = self.mistake == Mistake::BiasNotDecayed && i + 1 == n;
                    if !skip {
                        *p *= 1.0 - h.lr * h.weight_decay;
                    }
                }
            }
            gradient.to_vec()
        } else {
            self.decayed_gradient(params, gradient)
        };
        let (beta1, beta2) = h.betas;
        let (bc1, bc2) = if self.mistake == Mistake::NoBiasCorrection {
            (1.0, 1.0)
        } else {
            (1.0 - beta1.powf(t as f64), 1.0 - beta2.powf(t as f64))
        };
        let step_size = h.lr / bc1;
        for i in 0..n {
            self.m[i] = beta1 * self.m[i] + (1.0 - beta1) * g[i];
            let square = if self.mistake == Mistake::VNotSquared { g[i] } else { g[i] * g[i] };
            self.v[i] = beta2 * self.v[i] + (1.0 - beta2) * square;
            self.v_max[i] = self.v_max[i].max(self.v[i]);
            let v = if h.amsgrad && self.mistake != Mistake::AmsgradIgnored {
                self.v_max[i]
            } else {
                self.v[i]
            };
            let denominator = match self.mistake {
                Mistake::EpsBeforeBiasCorrection => (v.sqrt() + h.eps) / bc2.sqrt(),
                Mistake::EpsInsideSqrt => (v / bc2 + h.eps).sqrt(),
                _ => v.sqrt() / bc2.sqrt() + h.eps,
            };
            params[i] -= step_size * self.m[i] / denominator;
        }
        if decoupled && !decay_now {
            for p in params.iter_mut() {
                *p *= 1.0 - h.lr * h.weight_decay;
            }
        }
    }
}

/// The gradient of the criterion on the lecture's training set (or any
/// examples), computed by the reference solution.
pub fn reference_gradient(
    criterion: exercise_05::Criterion,
    params: &[f64],
    xs: &[Vec<f64>],
    y: &[f64],
) -> Vec<f64> {
    let criterion = match criterion {
        exercise_05::Criterion::Mse => reference::Criterion::Mse,
        exercise_05::Criterion::HalfMse => reference::Criterion::HalfMse,
    };
    reference::gradient(criterion, params, xs, y)
}

/// The parameters after each of `steps` full-batch steps from `start` on the
/// examples, with the simulated optimizer.
pub fn simulate(
    hyper: Hyper,
    mistake: Mistake,
    criterion: exercise_05::Criterion,
    start: &[f64],
    xs: &[Vec<f64>],
    y: &[f64],
    steps: usize,
) -> Vec<Vec<f64>> {
    let mut optimizer = Simulated::new(hyper, mistake);
    let mut params = start.to_vec();
    let mut out = Vec::with_capacity(steps);
    for _ in 0..steps {
        let g = reference_gradient(criterion, &params, xs, y);
        optimizer.step(&mut params, &g);
        out.push(params.clone());
    }
    out
}

/// The learner's optimizer driven the same way: the parameters after each
/// step, or the first error.
pub fn drive(
    optimizer: &mut dyn Optimizer,
    criterion: exercise_05::Criterion,
    start: &[f64],
    xs: &[Vec<f64>],
    y: &[f64],
    steps: usize,
) -> Result<Vec<Vec<f64>>, StepError> {
    let mut params = start.to_vec();
    let mut out = Vec::with_capacity(steps);
    for _ in 0..steps {
        let g = reference_gradient(criterion, &params, xs, y);
        optimizer.step(&mut params, &g)?;
        out.push(params.clone());
    }
    Ok(out)
}

fn same_trajectory(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_numbers(x, y))
}

/// The hint of the one known mistake that gives the trajectory `got`, or
/// `fallback` when none does.
pub fn diagnose(
    got: &[Vec<f64>],
    hyper: Hyper,
    criterion: exercise_05::Criterion,
    start: &[f64],
    xs: &[Vec<f64>],
    y: &[f64],
    fallback: &'static str,
) -> &'static str {
    let steps = got.len();
    let right = simulate(hyper, Mistake::None, criterion, start, xs, y, steps);
    let mut hints: Vec<&'static str> = MISTAKES
        .iter()
        .filter(|(mistake, _)| {
            let wrong = simulate(hyper, *mistake, criterion, start, xs, y, steps);
            !same_trajectory(&wrong, &right) && same_trajectory(got, &wrong)
        })
        .map(|(_, hint)| *hint)
        .collect();
    hints.dedup();
    match hints.as_slice() {
        [hint] => hint,
        _ => fallback,
    }
}

// ---------------------------------------------------------------------------
// PyTorch's trajectories
// ---------------------------------------------------------------------------

/// One configuration of `scripts/torch-reference.py`.
#[derive(Clone, Debug)]
pub struct TorchRun {
    pub name: String,
    pub hyper: Hyper,
    pub criterion: exercise_05::Criterion,
    pub loss_before_step: Vec<f64>,
    pub w_after_step: Vec<f64>,
    pub b_after_step: Vec<f64>,
}

/// The whole fixture.
#[derive(Clone, Debug)]
pub struct TorchFixture {
    pub version: String,
    pub start: Params,
    pub train_x: Vec<f64>,
    pub train_y: Vec<f64>,
    pub runs: Vec<TorchRun>,
}

fn numbers(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .expect("a list of numbers")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

fn number(value: &serde_json::Value, key: &str) -> f64 {
    match &value[key] {
        serde_json::Value::Bool(b) => f64::from(u8::from(*b)),
        v => v.as_f64().unwrap_or_else(|| panic!("{key} is a number")),
    }
}

/// PyTorch's trajectories, read once from `tests/fixtures/torch-trajectories.json`.
pub fn torch() -> &'static TorchFixture {
    static FIXTURE: OnceLock<TorchFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let text = include_str!("fixtures/torch-trajectories.json");
        let json: serde_json::Value = serde_json::from_str(text).expect("the fixture is JSON");
        let runs = json["runs"]
            .as_array()
            .expect("runs")
            .iter()
            .map(|run| {
                let h = &run["hyperparameters"];
                let kind = match run["optimizer"].as_str() {
                    Some("sgd") => Kind::Sgd,
                    Some("adam") => Kind::Adam,
                    _ => Kind::AdamW,
                };
                let betas = if kind == Kind::Sgd { vec![0.9, 0.999] } else { numbers(&h["betas"]) };
                let hyper = Hyper {
                    kind,
                    lr: number(h, "lr"),
                    momentum: if kind == Kind::Sgd { number(h, "momentum") } else { 0.0 },
                    dampening: if kind == Kind::Sgd { number(h, "dampening") } else { 0.0 },
                    weight_decay: number(h, "weight_decay"),
                    nesterov: h["nesterov"].as_bool().unwrap_or(false),
                    betas: (betas[0], betas[1]),
                    eps: if kind == Kind::Sgd { 1e-8 } else { number(h, "eps") },
                    amsgrad: h["amsgrad"].as_bool().unwrap_or(false),
                };
                let criterion = match run["criterion"].as_str() {
                    Some("half-mse") => exercise_05::Criterion::HalfMse,
                    _ => exercise_05::Criterion::Mse,
                };
                TorchRun {
                    name: run["name"].as_str().expect("name").to_string(),
                    hyper,
                    criterion,
                    loss_before_step: numbers(&run["loss_before_step"]),
                    w_after_step: numbers(&run["w_after_step"]),
                    b_after_step: numbers(&run["b_after_step"]),
                }
            })
            .collect();
        TorchFixture {
            version: json["torch_version"].as_str().expect("torch_version").to_string(),
            start: Params {
                w: json["start"]["w"].as_f64().expect("w"),
                b: json["start"]["b"].as_f64().expect("b"),
            },
            train_x: numbers(&json["train_x"]),
            train_y: numbers(&json["train_y"]),
            runs,
        }
    })
}

/// The run of the fixture called `name`.
pub fn torch_run(name: &str) -> &'static TorchRun {
    torch()
        .runs
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("the fixture has a run {name}"))
}

// ---------------------------------------------------------------------------
// Steps with gradients given by hand
// ---------------------------------------------------------------------------

/// The parameters after each step with the given gradients, simulated.
pub fn simulate_steps(
    hyper: Hyper,
    mistake: Mistake,
    start: &[f64],
    gradients: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    let mut optimizer = Simulated::new(hyper, mistake);
    let mut params = start.to_vec();
    gradients
        .iter()
        .map(|g| {
            optimizer.step(&mut params, g);
            params.clone()
        })
        .collect()
}

/// Makes the learner's optimizer for `hyper`, steps it with the given
/// gradients from `start`, and checks the parameters after every step
/// against the rule worked out by hand; a wrong step is explained by the
/// mistake that gives it, if one does.
#[track_caller]
pub fn check_steps(hyper: Hyper, start: &[f64], gradients: &[Vec<f64>], fallback: &'static str) {
    let mut optimizer = hyper.learner();
    let text = format!(
        "let mut params = {start:?};\n{} then .step(&mut params, g) for g in {gradients:?}",
        hyper.constructor()
    );
    let mut params = start.to_vec();
    let mut got = Vec::new();
    for g in gradients {
        let result = call(&text, fallback, || optimizer.step(&mut params, g));
        if let Err(e) = result {
            fail(&text, format!("Err({e:?}): \"{e}\""), "Ok(()): the lengths agree", fallback);
        }
        got.push(params.clone());
    }
    let expected = simulate_steps(hyper, Mistake::None, start, gradients);
    if !same_trajectory(&got, &expected) {
        let right = &expected;
        let hints: Vec<&'static str> = MISTAKES
            .iter()
            .filter(|(m, _)| {
                let wrong = simulate_steps(hyper, *m, start, gradients);
                !same_trajectory(&wrong, right) && same_trajectory(&got, &wrong)
            })
            .map(|(_, h)| *h)
            .collect();
        let hint = match hints.as_slice() {
            [h, ..] if hints.iter().all(|x| x == h) => h,
            _ => fallback,
        };
        fail(
            &text,
            format!("params after each step: {got:?}"),
            format!("{expected:?} ({TOL})"),
            hint,
        );
    }
}
