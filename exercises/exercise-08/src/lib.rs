//! # Exercise 08: a hidden layer with ReLU, and dropout
//!
//! Exercises 01 to 06 fitted a line. This crate builds the smallest neural
//! network that is more than a line, the lecture's house network: `d`
//! inputs, one hidden layer of `h` units with the ReLU activation, and one
//! output,
//!
//! ```text
//! model = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, 1))
//! ```
//!
//! one idea at a time:
//!
//! 1. **The parameters** ([`Shape`], [`Network`], [`init`]): PyTorch's
//!    layout, `W₁` (h × d), `b₁`, `W₂` (1 × h), `b₂`, in one vector, and
//!    PyTorch's default initialisation drawn from the course's generator.
//! 2. **Forward** ([`relu`], [`forward_example`], [`predict`]).
//! 3. **Backward by hand** ([`relu_derivative`], [`backward_example`],
//!    [`gradient`]): the chain rule through the ReLU, checked against
//!    central differences as in exercise 03.
//! 4. **Dropout** ([`dropout_mask`]): `nn.Dropout(p)` in training, the
//!    identity in evaluation.
//! 5. **Training** ([`train`]): exercise 05's loop and optimizers, with a
//!    network instead of a line; and a dead ReLU unit ([`dead_units`]).
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Work from the top of the file down: each function may
//! use the ones above it. Chapter 8 of the book, "A hidden layer", explains
//! every step.

use std::io::Write;

#[allow(unused_imports)]
use rand::RngExt;
/// The course's generator (exercise 01).
pub use solution_01::{ChaCha8Rng, seeded_rng};
/// The problems with examples that exercise 03 describes.
pub use solution_03::GradientError;
#[allow(unused_imports)]
use solution_03::check_feature_examples;
/// What exercise 04 defined: the settings of a run, its history and outcome.
pub use solution_04::{Descent, History, Outcome, Settings};
#[allow(unused_imports)]
use solution_04::{has_diverged, is_log_epoch, progress_line, shuffled_order};
/// What exercise 05 defined: the criterion, examples with many features,
/// and the optimizers.
pub use solution_05::{
    AdamConfig, Criterion, Examples, FeatureSplit, Optimizer, OptimizerConfig, SgdConfig,
    StepError, optimizer,
};
use thiserror::Error;

// ---------------------------------------------------------------------------
// 1. The parameters
// ---------------------------------------------------------------------------

// ANCHOR: shape
/// The size of a network: `inputs` features (d) go into `hidden` hidden
/// units (h), which go into one output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// d, the number of features of an example.
    pub inputs: usize,
    /// h, the number of hidden units.
    pub hidden: usize,
}
// ANCHOR_END: shape

impl Shape {
    // ANCHOR: parameter_count
    /// How many numbers the network has, the length of its parameter
    /// vector: `W₁` has `h·d`, `b₁` has `h`, `W₂` has `h` and `b₂` has 1,
    ///
    /// ```text
    /// h·d + h + h + 1
    /// ```
    ///
    /// The lecture's house network (4 inputs, 3 hidden units) has 19.
    pub fn parameter_count(self) -> usize {
        todo!("h·d weights and h biases of the hidden layer, h weights and 1 bias of the output")
    }
    // ANCHOR_END: parameter_count
}

// ANCHOR: layers
/// The four parts of a parameter vector, in the order PyTorch's
/// `model.parameters()` lists them for `nn.Sequential(nn.Linear(d, h),
/// nn.ReLU(), nn.Linear(h, 1))`:
///
/// - `w1`: the hidden layer's weights `W₁`, an h × d matrix stored row by
///   row: `w1[j * d + k]` is the weight from input `k` to hidden unit `j`
///   (PyTorch's `weight[j][k]`);
/// - `b1`: the hidden layer's `h` biases;
/// - `w2`: the output's `h` weights, `w2[j]` from hidden unit `j`;
/// - `b2`: the output's bias.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layers<'a> {
    /// `W₁`, row by row (h rows of d).
    pub w1: &'a [f64],
    /// `b₁`, one per hidden unit.
    pub b1: &'a [f64],
    /// `W₂`, one per hidden unit.
    pub w2: &'a [f64],
    /// `b₂`.
    pub b2: f64,
}
// ANCHOR_END: layers

// ANCHOR: network
/// A network: its shape and its parameters, one vector in the layout of
/// [`Layers`] (the vector an optimizer of exercise 05 steps).
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// d and h.
    pub shape: Shape,
    /// `W₁` row by row, `b₁`, `W₂`, `b₂`: [`Shape::parameter_count`] numbers.
    pub params: Vec<f64>,
}

impl Network {
    /// A network of `shape` with the parameters `params`, after checking
    /// that the shape has at least one input and one hidden unit and that
    /// `params` has [`Shape::parameter_count`] numbers. (Written for you.)
    pub fn new(shape: Shape, params: Vec<f64>) -> Result<Network, NetworkError> {
        check_shape(shape)?;
        let expected = shape.parameter_count();
        if params.len() != expected {
            return Err(NetworkError::ParameterCount { got: params.len(), expected, shape });
        }
        Ok(Network { shape, params })
    }

    /// The parameters split into their four parts ([`Layers`]). (Written
    /// for you.)
    ///
    /// # Panics
    ///
    /// If `params` is shorter than the shape says.
    pub fn layers(&self) -> Layers<'_> {
        let Shape { inputs, hidden } = self.shape;
        let (w1, rest) = self.params.split_at(hidden * inputs);
        let (b1, rest) = rest.split_at(hidden);
        let (w2, rest) = rest.split_at(hidden);
        Layers { w1, b1, w2, b2: rest[0] }
    }
}
// ANCHOR_END: network

// ANCHOR: check_shape
/// Checks that a network of `shape` can exist: at least one input
/// ([`NetworkError::NoInputs`]) and at least one hidden unit
/// ([`NetworkError::NoHiddenUnits`]). (Written for you.)
pub fn check_shape(shape: Shape) -> Result<(), NetworkError> {
    if shape.inputs == 0 {
        return Err(NetworkError::NoInputs);
    }
    if shape.hidden == 0 {
        return Err(NetworkError::NoHiddenUnits);
    }
    Ok(())
}
// ANCHOR_END: check_shape

// ANCHOR: init_bound
/// The bound of PyTorch's default initialisation of an `nn.Linear` with
/// `fan_in` inputs: its weights and its biases are drawn uniformly from
/// `[−1/√fan_in, 1/√fan_in)`, so
///
/// ```text
/// bound = 1 / √fan_in
/// ```
///
/// The fan-in is the number of inputs of the layer: d for the hidden layer,
/// h for the output.
pub fn init_bound(fan_in: usize) -> f64 {
    todo!("one over the square root of the fan-in")
}
// ANCHOR_END: init_bound

// ANCHOR: uniform
/// One draw from the uniform distribution on `[−bound, bound)`, as
/// PyTorch's `tensor.uniform_(-bound, bound)` computes it from a uniform
/// number `u = rng.random::<f64>()` in `[0, 1)`:
///
/// ```text
/// −bound + (bound − (−bound))·u  =  −bound + 2·bound·u
/// ```
///
/// Exactly one number is drawn from `rng`.
pub fn uniform(bound: f64, rng: &mut ChaCha8Rng) -> f64 {
    todo!("one u = rng.random::<f64>(), then −bound + 2·bound·u")
}
// ANCHOR_END: uniform

// ANCHOR: init
/// A network of `shape` with PyTorch's default initialisation, every
/// number drawn with [`uniform`] from `rng`, in the order of the parameter
/// vector:
///
/// 1. `W₁`, row by row (`w1[j * d + k]`, j the hidden unit, k the input),
///    with the bound `init_bound(d)`;
/// 2. `b₁`, with the same bound `init_bound(d)`;
/// 3. `W₂`, with the bound `init_bound(h)`;
/// 4. `b₂`, with the bound `init_bound(h)`.
///
/// Returns [`NetworkError::NoInputs`] or [`NetworkError::NoHiddenUnits`]
/// ([`check_shape`]) before drawing anything.
pub fn init(shape: Shape, rng: &mut ChaCha8Rng) -> Result<Network, NetworkError> {
    todo!(
        "check_shape, then h·d + h draws with the bound of fan-in d, then h + 1 draws with the bound of fan-in h"
    )
}
// ANCHOR_END: init

// ---------------------------------------------------------------------------
// 2. Forward
// ---------------------------------------------------------------------------

// ANCHOR: relu
/// The rectified linear unit, `max(z, 0)`: `z` when `z > 0`, else 0.
pub fn relu(z: f64) -> f64 {
    todo!("z when z > 0, else 0")
}
// ANCHOR_END: relu

// ANCHOR: activations
/// What the forward pass computes for one example, kept for the backward
/// pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Activations {
    /// The hidden units' inputs before the ReLU, `zⱼ = Σₖ W₁[j][k]·xₖ + b₁ⱼ`.
    pub pre: Vec<f64>,
    /// The hidden units' outputs, `aⱼ = relu(zⱼ)·mⱼ` (`mⱼ` the dropout
    /// mask's entry, 1 without dropout).
    pub hidden: Vec<f64>,
    /// The network's prediction, `ŷ = Σⱼ W₂[j]·aⱼ + b₂`.
    pub output: f64,
}
// ANCHOR_END: activations

// ANCHOR: forward_example
/// The forward pass for one example, `row` (d features):
///
/// ```text
/// zⱼ = Σₖ W₁[j][k]·xₖ + b₁ⱼ         for every hidden unit j (sum over k in order, then + b₁ⱼ)
/// aⱼ = relu(zⱼ) · mⱼ                 mⱼ = mask[j], or no factor without a mask
/// ŷ  = Σⱼ W₂[j]·aⱼ + b₂              (sum over j in order, then + b₂)
/// ```
///
/// `mask` is one row of a [`dropout_mask`] (0 for a dropped unit,
/// `1/(1 − p)` for a kept one), or `None` in evaluation. The lengths were
/// checked before, so nothing is checked here.
pub fn forward_example(network: &Network, row: &[f64], mask: Option<&[f64]>) -> Activations {
    todo!("z, then a = relu(z) times the mask's entry, then the output")
}
// ANCHOR_END: forward_example

// ANCHOR: predict
/// The network's predictions for every row of `xs`, in order, in
/// **evaluation** mode: no dropout, `forward_example(network, row, None)`.
pub fn predict(network: &Network, xs: &[Vec<f64>]) -> Vec<f64> {
    todo!("the output of forward_example without a mask, for every row")
}
// ANCHOR_END: predict

// ---------------------------------------------------------------------------
// 3. Backward
// ---------------------------------------------------------------------------

// ANCHOR: relu_derivative
/// The derivative of the ReLU: 1 where `z > 0`, 0 where `z < 0`, and, as
/// PyTorch takes it, 0 at `z = 0`.
pub fn relu_derivative(z: f64) -> f64 {
    todo!("1 when z > 0, else 0 (0 at 0, as PyTorch)")
}
// ANCHOR_END: relu_derivative

// ANCHOR: backward_example
/// The backward pass for one example: given `delta = ∂L/∂ŷ` for this
/// example (from the criterion's `output_gradient`), the forward pass's
/// `activations` and the same `mask` as the forward pass, **adds** this
/// example's part of the gradient to `gradient` (laid out as the
/// parameters), by the chain rule:
///
/// ```text
/// ∂b₂      += δ
/// ∂W₂[j]   += δ · aⱼ
/// gⱼ        = δ · W₂[j] · mⱼ · relu'(zⱼ)    (mⱼ = 1 without a mask)
/// ∂b₁ⱼ     += gⱼ
/// ∂W₁[j][k] += gⱼ · xₖ
/// ```
///
/// `gradient` has [`Shape::parameter_count`] numbers; the lengths were
/// checked before.
pub fn backward_example(
    network: &Network,
    row: &[f64],
    activations: &Activations,
    mask: Option<&[f64]>,
    delta: f64,
    gradient: &mut [f64],
) {
    todo!("the output's bias and weights, then for every hidden unit gⱼ and its bias and weights")
}
// ANCHOR_END: backward_example

// ANCHOR: loss
/// The criterion's loss of the network on `xs`, `y`, with the dropout
/// `masks` (one row per example) or, with `None`, in evaluation mode:
/// `criterion.loss` of the outputs of [`forward_example`]. (Written for
/// you.)
pub fn loss(
    network: &Network,
    criterion: Criterion,
    xs: &[Vec<f64>],
    y: &[f64],
    masks: Option<&[Vec<f64>]>,
) -> f64 {
    let outputs: Vec<f64> = xs
        .iter()
        .enumerate()
        .map(|(i, row)| forward_example(network, row, masks.map(|m| m[i].as_slice())).output)
        .collect();
    criterion.loss(&outputs, y)
}
// ANCHOR_END: loss

// ANCHOR: gradient
/// The gradient of the criterion's loss with respect to the network's
/// parameters on the examples `xs`, `y`, with the dropout `masks` (row `i`
/// for example `i`) or without (`None`): what PyTorch's `loss.backward()`
/// leaves in the parameters' `.grad`. In this order:
///
/// 1. the forward pass of every example, with its mask row;
/// 2. `δ = criterion.output_gradient(&outputs, y)`;
/// 3. a gradient of zeros, one per parameter, and [`backward_example`] of
///    every example in order, with its activations, mask row and `δᵢ`.
///
/// Computed afresh by every call: nothing is added to an earlier gradient.
pub fn gradient(
    network: &Network,
    criterion: Criterion,
    xs: &[Vec<f64>],
    y: &[f64],
    masks: Option<&[Vec<f64>]>,
) -> Vec<f64> {
    todo!(
        "forward every example with its mask row, the criterion's δ, then backward_example of every example into a fresh gradient"
    )
}
// ANCHOR_END: gradient

// ---------------------------------------------------------------------------
// 4. Dropout
// ---------------------------------------------------------------------------

// ANCHOR: check_dropout
/// Checks a dropout probability: a finite number with `0 ≤ p < 1`
/// ([`NetworkError::Dropout`] otherwise). With `p = 1` every unit would be
/// dropped and the survivors' scale `1/(1 − p)` infinite.
pub fn check_dropout(p: f64) -> Result<(), NetworkError> {
    todo!("Ok for 0 ≤ p < 1, a range NaN is not in; else the error with p")
}
// ANCHOR_END: check_dropout

// ANCHOR: dropout_mask
/// A fresh dropout mask, as `nn.Dropout(p)` draws one in training: one row
/// per example of the batch (`rows`), one entry per hidden unit
/// (`hidden`), each drawn on its own, row by row, unit by unit, with one
/// `u = rng.random::<f64>()`:
///
/// ```text
/// mᵢⱼ = 0            if u < p     (the unit is off for this example)
/// mᵢⱼ = 1 / (1 − p)  otherwise    (kept, and scaled up: "inverted" dropout)
/// ```
///
/// The scale keeps the expected value of every unit's output what it is
/// without dropout, so evaluation, which keeps every unit, needs no
/// rescaling. `p` was checked before ([`check_dropout`]).
pub fn dropout_mask(p: f64, rows: usize, hidden: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    todo!("rows × hidden draws, 0 when u < p, else 1/(1 − p)")
}
// ANCHOR_END: dropout_mask

// ---------------------------------------------------------------------------
// 5. Training
// ---------------------------------------------------------------------------

// ANCHOR: run
/// The result of a run of [`train`].
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkRun {
    /// The network at the end.
    pub network: Network,
    /// The criterion's losses in evaluation mode (no dropout), epoch by
    /// epoch, before each epoch's updates.
    pub history: History,
    /// How the run ended.
    pub outcome: Outcome,
}
// ANCHOR_END: run

// ANCHOR: check_run
/// Checks everything before a run starts and returns the batch size, in
/// this order: the network's shape and parameter count
/// ([`Network::new`]), the dropout probability ([`check_dropout`]), the
/// training set, then the validation set (exercise 03's
/// `check_feature_examples`, every row with d features), then the batch
/// size. (Written for you.)
pub fn check_run(
    start: &Network,
    data: &FeatureSplit,
    settings: &Settings,
    dropout: f64,
) -> Result<usize, TrainError> {
    Network::new(start.shape, start.params.clone())?;
    check_dropout(dropout)?;
    let weights = vec![0.0; start.shape.inputs];
    check_feature_examples(&weights, &data.train.xs, &data.train.y)
        .map_err(TrainError::TrainingSet)?;
    check_feature_examples(&weights, &data.validation.xs, &data.validation.y)
        .map_err(TrainError::ValidationSet)?;
    settings.descent.batch_size(data.train.len()).map_err(|_| TrainError::ZeroBatchSize)
}
// ANCHOR_END: check_run

// ANCHOR: train
/// Trains the network `start` on `data.train`, watching
/// `data.validation`, with the loss `criterion`, the update rule
/// `optimizer` of exercise 05 and the dropout probability `dropout`
/// (0: no dropout). Exercise 05's loop, with a network:
///
/// 1. `let batch_size = check_run(start, data, settings, dropout)?;`
/// 2. make the generator once: `let mut rng = seeded_rng(settings.seed);`
/// 3. for each `epoch` in `0..settings.epochs`, with `network` a copy of
///    `start`:
///    1. the training loss in evaluation mode, [`loss`] with no masks;
///    2. if `has_diverged(train_loss, initial)` (`initial`: the first
///       training loss of the history, or this one for epoch 0), return
///       `Outcome::Diverged { epoch, loss: train_loss }`;
///    3. the validation loss, the same way;
///    4. push both losses onto the history;
///    5. if `is_log_epoch(epoch)`, write `progress_line(…)` and a line
///       break to `log`; a write error becomes [`TrainError::Log`];
///    6. if `validation_loss < settings.stop_below`, return
///       `Outcome::Converged { epoch }`;
///    7. the epoch's updates: `order = shuffled_order(n, &mut rng)`, and for
///       each batch of `order.chunks(batch_size)`, in order: the batch's
///       examples; when `dropout > 0`, a **new** mask for this step,
///       `dropout_mask(dropout, batch.len(), h, &mut rng)` (no draw at all
///       when `dropout == 0`); the [`gradient`] with that mask; and
///       `optimizer.step(&mut network.params, &gradient)?`;
/// 4. after the last epoch, return `Outcome::MaxEpochs`.
pub fn train(
    start: &Network,
    data: &FeatureSplit,
    criterion: Criterion,
    optimizer: &mut dyn Optimizer,
    settings: &Settings,
    dropout: f64,
    log: &mut dyn Write,
) -> Result<NetworkRun, TrainError> {
    todo!(
        "exercise 05's loop with evaluation-mode losses, and a new dropout mask for every step when dropout > 0"
    )
}
// ANCHOR_END: train

// ANCHOR: dead_units
/// The hidden units that are **dead** on `xs`: those whose input `zⱼ` is
/// at most 0 for every example, so that the ReLU outputs 0 and its
/// derivative is 0 for all of them. No gradient reaches such a unit's
/// weights or bias, so training never changes them: it stays dead. Returns
/// the units' indices j, in increasing order.
pub fn dead_units(network: &Network, xs: &[Vec<f64>]) -> Vec<usize> {
    todo!("the j for which no row's forward pass has zⱼ > 0")
}
// ANCHOR_END: dead_units

// ---------------------------------------------------------------------------
// When something is wrong
// ---------------------------------------------------------------------------

// ANCHOR: network_error
/// A network or a dropout probability that cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Error)]
pub enum NetworkError {
    /// A shape with no inputs.
    #[error("a network needs at least one input (d = 0); give every example one feature or more")]
    NoInputs,

    /// A shape with no hidden units.
    #[error(
        "a hidden layer needs at least one unit (h = 0): with none, the output is the constant b₂; use 1 or more"
    )]
    NoHiddenUnits,

    /// A parameter vector of the wrong length.
    #[error(
        "a network of {} inputs and {} hidden units has {expected} parameters (h·d + h + h + 1), but {got} were given", shape.inputs, shape.hidden
    )]
    ParameterCount { got: usize, expected: usize, shape: Shape },

    /// A dropout probability outside `[0, 1)`.
    #[error(
        "invalid dropout probability {value}: it must be at least 0 and below 1 (0.5 and 0.2 are usual; 0 turns dropout off)"
    )]
    Dropout { value: f64 },
}
// ANCHOR_END: network_error

// ANCHOR: train_error
/// Why training could not run. (A run that diverges is not an error: its
/// [`Outcome`] says so.)
#[derive(Clone, Debug, PartialEq, Error)]
pub enum TrainError {
    /// The network or the dropout probability.
    #[error("{0}")]
    Network(#[from] NetworkError),

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
