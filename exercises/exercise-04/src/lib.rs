//! # Exercise 04: the update loop
//!
//! Exercise 03 computed the gradient: which way is uphill for the cost, and
//! how steep. Training steps the other way, again and again. This crate is
//! that loop, built up one idea at a time:
//!
//! 1. **One update** ([`gradient_step`]): `w ← w − α·dw`, `b ← b − α·db`;
//!    and the cost it lowers ([`loss`]).
//! 2. **Batches** ([`Descent`], [`iterations_per_epoch`], [`shuffled_order`],
//!    [`batches`], [`run_epoch`]): one epoch is one pass over the training
//!    set, in one step (batch descent), one step per example (stochastic
//!    descent) or one step per mini-batch, in a freshly shuffled order.
//! 3. **Watching and stopping** ([`check_split`], [`has_diverged`],
//!    [`is_log_epoch`], [`progress_line`]): the validation loss, the
//!    lecture's stopping rule, a progress line every tenth epoch, and a clear
//!    verdict when a learning rate is too large.
//! 4. **The loop** ([`train_with`], [`train`]): epochs, a [`History`] of
//!    losses, and an [`Outcome`].
//! 5. **Pictures** ([`plot_fit`], [`plot_losses`]).
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Work from the top of the file down: each function may
//! use the ones above it. Chapter 4 of the book, "The update loop", explains
//! every step.

use std::io::Write;
use std::path::Path;

// The traits below bring methods into scope: `slice.shuffle(&mut rng)`
// (SliceRandom).
#[allow(unused_imports)]
use rand::seq::SliceRandom;
pub use rand_chacha::ChaCha8Rng;
/// The data sets of exercise 01: a [`Dataset`] of examples, and a [`Split`]
/// into a training and a validation set.
pub use solution_01::{Dataset, Split, SplitError};
#[allow(unused_imports)]
use solution_01::{Recipe, seeded_rng};
#[allow(unused_imports)]
use solution_02::{predict, squared_error};
/// The gradient of exercise 03, and its error type.
pub use solution_03::{Gradient, GradientError};
#[allow(unused_imports)]
use solution_03::{check_examples, mse_gradient};
pub use support::plot::PlotError;
#[allow(unused_imports)]
use support::plot::{Labels, Scale, Series, chart};
use thiserror::Error;

// ANCHOR: constants
/// The lecture's learning rate, `lr = 0.1`.
pub const LEARNING_RATE: f64 = 0.1;

/// The lecture's number of epochs, `for i in range(100)`.
pub const EPOCHS: usize = 100;

/// The lecture's stopping rule: training stops as soon as the validation
/// loss is below this, `if valLoss < 0.0001: break`.
pub const STOP_BELOW: f64 = 1e-4;

/// A progress line is written every `LOG_EVERY` epochs, as the workshop's
/// `if i % 10 == 0: print(i, loss)` does.
pub const LOG_EVERY: usize = 10;

/// How much the training loss may grow before training counts as diverged:
/// a loss more than `GROWTH_LIMIT` times the first loss of the history is
/// not a bad step any more, it is a run away.
pub const GROWTH_LIMIT: f64 = 1e6;
// ANCHOR_END: constants

// ---------------------------------------------------------------------------
// The parameters, and the lecture's data
// ---------------------------------------------------------------------------

// ANCHOR: params
/// The two parameters of the line `ŷ = w·x + b`: what training changes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Params {
    /// The weight: the slope of the line.
    pub w: f64,
    /// The bias: where the line crosses x = 0.
    pub b: f64,
}

impl Params {
    /// The workshop's untrained model (`nn.Linear(1, 1)` after
    /// `torch.manual_seed(100)`): `w = −0.7767`, `b = 0.6317`. Training
    /// starts here in this course; the lecture starts from two random draws.
    pub const UNTRAINED: Params =
        Params { w: solution_02::UNTRAINED_W, b: solution_02::UNTRAINED_B };
}
// ANCHOR_END: params

// ANCHOR: lecture_split
/// The lecture's data, as exercise 01 made it: 100 examples of the lecture's
/// recipe (`x` uniform on [0, 1), `y = 2x + 1 + 0.1·noise`) at the course's
/// seed 100, split 80/20 into a training and a validation set with the same
/// seed. (This function is written for you.)
pub fn lecture_split() -> Result<Split, SplitError> {
    let data = solution_01::generate(&Recipe::lecture(), solution_01::EXAMPLES, solution_01::SEED);
    solution_01::split(&data, solution_01::TRAIN_FRACTION, solution_01::SEED)
}
// ANCHOR_END: lecture_split

// ---------------------------------------------------------------------------
// 1. One update, and the loss it lowers
// ---------------------------------------------------------------------------

// ANCHOR: gradient_step
/// One step of gradient descent with learning rate `α`: each parameter
/// moves against its slope,
///
/// ```text
/// w ← w − α · dw
/// b ← b − α · db
/// ```
///
/// With the three points (1, 3), (2, 5), (3, 7) of chapter 3, the line
/// `w = 0, b = 0` has the gradient `dw = −68/3, db = −10`; a step with
/// `α = 0.1` gives `w = 2.2667, b = 1`.
pub fn gradient_step(params: Params, gradient: Gradient, learning_rate: f64) -> Params {
    todo!("return Params with w − α·dw and b − α·db")
}
// ANCHOR_END: gradient_step

// ANCHOR: loss
/// The mean squared error of the line `params` on the examples of `data`:
///
/// ```text
/// J(w, b) = (1/n) · Σᵢ (w·xᵢ + b − yᵢ)²
/// ```
///
/// added up in the order of the examples with `squared_error(predict(w, b,
/// xᵢ), yᵢ)` from exercise 02, then divided by `n`. Unlike exercise 02's
/// `mean_squared_error`, this returns a plain number and checks nothing:
/// the data are checked once, before training ([`check_split`]), and
/// parameters that have run away to infinity or NaN must give an infinite
/// or NaN loss, which is how training notices ([`has_diverged`]).
pub fn loss(params: Params, data: &Dataset) -> f64 {
    todo!("add up squared_error(predict(w, b, xᵢ), yᵢ) over the examples and divide by n")
}
// ANCHOR_END: loss

// ---------------------------------------------------------------------------
// 2. Epochs and batches
// ---------------------------------------------------------------------------

// ANCHOR: descent
/// How many examples each step of gradient descent looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Descent {
    /// Batch gradient descent: every step uses the whole training set, so
    /// an epoch is one step.
    Batch,
    /// Stochastic gradient descent (SGD): every step uses one example, so
    /// an epoch of `N` examples is `N` steps.
    Stochastic,
    /// Mini-batch gradient descent: every step uses a batch of this many
    /// examples (the last batch of an epoch may be smaller).
    MiniBatch(usize),
}
// ANCHOR_END: descent

// ANCHOR: batch_size
impl Descent {
    /// How many examples one step uses when the training set has `examples`
    /// examples:
    ///
    /// - `Batch`: all of them, `examples` (at least 1, so that an empty set
    ///   gives no division by zero later);
    /// - `Stochastic`: 1;
    /// - `MiniBatch(size)`: `size`, which may be larger than `examples`
    ///   (then one batch holds them all).
    ///
    /// `MiniBatch(0)` is [`TrainError::ZeroBatchSize`]: a batch of no
    /// examples has no gradient.
    pub fn batch_size(self, examples: usize) -> Result<usize, TrainError> {
        todo!(
            "match on self: Batch → examples.max(1), Stochastic → 1, MiniBatch(0) → Err(ZeroBatchSize), MiniBatch(size) → size"
        )
    }
}
// ANCHOR_END: batch_size

// ANCHOR: iterations_per_epoch
/// How many steps (iterations) one epoch over `examples` examples takes:
///
/// ```text
/// iterations = ⌈N / B⌉        N examples, batch size B
/// ```
///
/// rounded *up*, because the last, partial batch is a step too: 2000
/// examples in batches of 500 take 4 iterations, 2001 examples take 5.
/// `usize::div_ceil` rounds up. Errors as in [`Descent::batch_size`].
pub fn iterations_per_epoch(examples: usize, descent: Descent) -> Result<usize, TrainError> {
    todo!("⌈examples / batch size⌉, with the batch size from descent.batch_size(examples)?")
}
// ANCHOR_END: iterations_per_epoch

// ANCHOR: shuffled_order
/// The order in which one epoch visits the `examples` examples: the
/// numbers `0, 1, …, examples − 1` shuffled by `rng`.
///
/// Start from a fresh `(0..examples).collect::<Vec<usize>>()` every time
/// and shuffle it with `SliceRandom::shuffle(&mut order, rng)` (that is,
/// `order.shuffle(rng)`). The generator is *not* made here: training makes
/// one, once, and every epoch's call moves it on, so each epoch gets a
/// different order, and the whole run repeats from the same seed.
pub fn shuffled_order(examples: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    todo!("(0..examples) collected into a Vec, then shuffled with rng")
}
// ANCHOR_END: shuffled_order

// ANCHOR: batches
/// Cuts an epoch's `order` into consecutive batches of
/// `descent.batch_size(order.len())?` indices, in order. The last batch
/// holds what is left, and is **kept** even when it is smaller: every
/// example is visited exactly once per epoch. `order.chunks(size)` does
/// exactly this; `chunks_exact` would drop the rest.
///
/// For the order `[0, 1, …, 9]` and `Descent::MiniBatch(4)`:
/// `[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]`. Errors as in
/// [`Descent::batch_size`].
pub fn batches(order: &[usize], descent: Descent) -> Result<Vec<&[usize]>, TrainError> {
    todo!(
        "the chunks of order, of descent.batch_size(order.len())? indices each, the last one kept"
    )
}
// ANCHOR_END: batches

// ANCHOR: run_epoch
/// One epoch of training: one pass over the training set `train`, batch by
/// batch, starting from `params`. In this order:
///
/// 1. refuse bad input before anything moves: `check_examples(&train.x,
///    &train.y)?` (exercise 03's: lengths, no examples, a value that is not
///    finite, with its index in `train`), then
///    `descent.batch_size(train.len())?`. A refused call has drawn nothing
///    from `rng` and never called `update`: the next call goes on as if it
///    had not happened;
/// 2. `order = shuffled_order(train.len(), rng)`;
/// 3. for each batch of [`batches`]`(&order, descent)?`, in order:
///    - the batch's examples: `train.rows(batch)` (exercise 01);
///    - their gradient at the current parameters, with exercise 03's
///      `mse_gradient(params.w, params.b, &x, &y)?`;
///    - the update: `params = update(params, gradient)`.
///
/// Returns the parameters after the last step. `update` is the update rule:
/// [`train`] passes one that calls [`gradient_step`]; exercise 05 passes an
/// optimizer.
pub fn run_epoch(
    params: Params,
    train: &Dataset,
    descent: Descent,
    rng: &mut ChaCha8Rng,
    mut update: impl FnMut(Params, Gradient) -> Params,
) -> Result<Params, TrainError> {
    todo!(
        "refuse bad data and a batch size of 0, then shuffle the order, then for every batch: its rows, their gradient, params = update(params, gradient)"
    )
}
// ANCHOR_END: run_epoch

// ---------------------------------------------------------------------------
// 3. Watching and stopping
// ---------------------------------------------------------------------------

// ANCHOR: check_split
/// Checks the data before training starts, so that nothing inside the loop
/// can fail on them: the training set, then the validation set, each with
/// exercise 03's `check_examples(&x, &y)` (lengths, no examples, values
/// that are not finite). A problem with the training set is
/// [`TrainError::TrainingSet`] (`?` converts it by itself); one with the
/// validation set is [`TrainError::ValidationSet`]
/// (`.map_err(TrainError::ValidationSet)?`).
pub fn check_split(data: &Split) -> Result<(), TrainError> {
    todo!(
        "check_examples on the training set, then on the validation set, each error in its own variant"
    )
}
// ANCHOR_END: check_split

// ANCHOR: has_diverged
/// Whether training has diverged, judged from the training loss of an
/// epoch and the first loss of the run:
///
/// ```text
/// diverged  ⇔  loss is not finite  or  loss > GROWTH_LIMIT · initial_loss
/// ```
///
/// "Not finite" catches infinity and NaN (`f64::is_finite`): parameters
/// that have run away to infinity or NaN always give such a loss. The check
/// must come first, because NaN compares false with everything:
/// `NaN > x` is false for every `x`. The growth rule catches a run away
/// long before it overflows.
pub fn has_diverged(loss: f64, initial_loss: f64) -> bool {
    todo!("true if the loss is not finite or is more than GROWTH_LIMIT times the initial loss")
}
// ANCHOR_END: has_diverged

// ANCHOR: is_log_epoch
/// Whether epoch `epoch` (counted from 0) gets a progress line: epochs 0,
/// 10, 20, …, the epochs `i` with `i % LOG_EVERY == 0`, as in the workshop.
/// Epoch 0 is logged, so the first line shows the loss before any training.
pub fn is_log_epoch(epoch: usize) -> bool {
    todo!("epoch is a multiple of LOG_EVERY")
}
// ANCHOR_END: is_log_epoch

// ANCHOR: progress_line
/// The progress line of one epoch, without a line break:
///
/// ```text
/// format!("epoch {epoch:>4}  train loss {train_loss:.6}  validation loss {validation_loss:.6}")
/// ```
///
/// the epoch right-aligned in four characters, each loss with six decimals,
/// and two spaces between the parts: `progress_line(10, 0.123456789, 0.5)`
/// is `"epoch   10  train loss 0.123457  validation loss 0.500000"`.
pub fn progress_line(epoch: usize, train_loss: f64, validation_loss: f64) -> String {
    todo!("the format! of the doc comment")
}
// ANCHOR_END: progress_line

// ---------------------------------------------------------------------------
// 4. The loop
// ---------------------------------------------------------------------------

// ANCHOR: settings
/// Everything about a training run except the update rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The most epochs to run.
    pub epochs: usize,
    /// Batch, stochastic or mini-batch descent.
    pub descent: Descent,
    /// The seed of the one generator that shuffles every epoch.
    pub seed: u64,
    /// Stop as soon as the validation loss is below this. No loss is below
    /// 0, so `0.0` turns the rule off.
    pub stop_below: f64,
}

impl Settings {
    /// The lecture's settings: [`EPOCHS`] epochs of batch descent, the
    /// course's seed 100, and the stopping rule [`STOP_BELOW`].
    pub fn lecture() -> Settings {
        Settings {
            epochs: EPOCHS,
            descent: Descent::Batch,
            seed: solution_01::SEED,
            stop_below: STOP_BELOW,
        }
    }
}
// ANCHOR_END: settings

// ANCHOR: history
/// The losses of a run, one of each per epoch, in the order of the epochs:
/// `train[e]` and `validation[e]` are the losses of the parameters that
/// epoch `e` starts from, before any of its updates (so `train[0]` is the
/// loss of the starting line, and `train[e]` the loss after `e` epochs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// The mean squared error on the training set.
    pub train: Vec<f64>,
    /// The mean squared error on the validation set.
    pub validation: Vec<f64>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// The stopping rule fired: at the start of epoch `epoch` the
    /// validation loss was below `stop_below`. The returned parameters are
    /// the ones that reached it, and the history ends with that epoch.
    Converged { epoch: usize },
    /// Every epoch ran, and the rule never fired.
    MaxEpochs,
    /// At the start of epoch `epoch` the training loss was `loss`, which
    /// [`has_diverged`]: not finite, or more than [`GROWTH_LIMIT`] times
    /// the first loss. The history holds the epochs before it (every loss
    /// in it is finite); the returned parameters are the runaway ones.
    Diverged { epoch: usize, loss: f64 },
}

/// The result of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    /// The parameters at the end.
    pub params: Params,
    /// The losses, epoch by epoch.
    pub history: History,
    /// How the run ended.
    pub outcome: Outcome,
}
// ANCHOR_END: history

// ANCHOR: train_with
/// Trains the line from `start` on `data.train`, watching `data.validation`,
/// with the update rule `update`. In this order:
///
/// 1. refuse bad input before any work: `check_split(data)?`, then
///    `settings.descent.batch_size(data.train.len())?`;
/// 2. make the generator **once**: `let mut rng = seeded_rng(settings.seed);`
///    (exercise 01's), for the whole run;
/// 3. for each `epoch` in `0..settings.epochs`, with `params` the current
///    parameters:
///    1. `train_loss = loss(params, &data.train)`, *before* the epoch's
///       updates;
///    2. if `has_diverged(train_loss, initial)`, where `initial` is the
///       first training loss of the history (for epoch 0, `train_loss`
///       itself), return `Outcome::Diverged { epoch, loss: train_loss }`,
///       without adding it to the history;
///    3. `validation_loss = loss(params, &data.validation)`;
///    4. push both losses onto the history;
///    5. if `is_log_epoch(epoch)`, write `progress_line(…)` and a line break
///       to `log` (`writeln!(log, "{}", …)`); a write error becomes
///       [`TrainError::Log`] with the error's text;
///    6. if `validation_loss < settings.stop_below`, return
///       `Outcome::Converged { epoch }`;
///    7. `params = run_epoch(params, &data.train, settings.descent, &mut rng, &mut update)?`
///       (a `&mut` to a closure is a closure too);
/// 4. after the last epoch, return `Outcome::MaxEpochs`.
///
/// The loss of an epoch is computed before that epoch's updates, as in
/// PyTorch's `loss = criterion(model(x), y); loss.backward();
/// optimizer.step()`. The loss of the parameters returned after the last
/// epoch is therefore not in the history: `loss(training.params, …)` gives
/// it.
pub fn train_with(
    start: Params,
    data: &Split,
    settings: &Settings,
    log: &mut dyn Write,
    mut update: impl FnMut(Params, Gradient) -> Params,
) -> Result<Training, TrainError> {
    todo!(
        "check, one generator, then epoch by epoch: loss, divergence, validation loss, history, log, stopping rule, run_epoch"
    )
}
// ANCHOR_END: train_with

// ANCHOR: train
/// Trains the line from `start` with plain gradient descent at
/// `learning_rate`: [`train_with`] with the update rule
/// `|params, gradient| gradient_step(params, gradient, learning_rate)`.
///
/// The learning rate is checked first: it must be a finite number greater
/// than 0, or this returns [`TrainError::BadLearningRate`]. (A rate that is
/// merely too large is not an error: it makes the run diverge, and the
/// [`Outcome`] says so.)
pub fn train(
    start: Params,
    data: &Split,
    learning_rate: f64,
    settings: &Settings,
    log: &mut dyn Write,
) -> Result<Training, TrainError> {
    todo!(
        "refuse a learning rate that is not finite and positive, then train_with and a closure that calls gradient_step"
    )
}
// ANCHOR_END: train

// ---------------------------------------------------------------------------
// 5. Pictures
// ---------------------------------------------------------------------------

// ANCHOR: plot_fit
/// Draws the data and the line `params` on one chart and writes it to
/// `path` as an SVG file, with `support::plot::chart`:
///
/// - the title `title`, the x axis labelled `x`, the y axis `y`, a linear
///   scale;
/// - `Series::Points` labelled `training (N points)` and
///   `validation (M points)`, as in exercise 01;
/// - a `Series::Line` from the smallest to the largest `x` of both sets,
///   through the two predictions there (`predict`), labelled
///   `format!("line: w = {:.3}, b = {:.3}", params.w, params.b)`.
///
/// A problem is returned as the [`PlotError`].
pub fn plot_fit(params: Params, data: &Split, title: &str, path: &Path) -> Result<(), PlotError> {
    todo!("two scatters and the line between the smallest and the largest x")
}
// ANCHOR_END: plot_fit

// ANCHOR: plot_losses
/// Draws loss curves on one chart, one `Series::Line` per `(label, losses)`
/// pair with the label in the legend, and writes it to `path` as an SVG
/// file, with `support::plot::chart`:
///
/// - the title `title`, the x axis labelled `epoch`, the y axis
///   `loss (MSE)`;
/// - a **logarithmic** y axis (`Scale::Log`), on which a loss that falls by
///   the same factor every epoch is a straight line; every loss must then
///   be greater than 0;
/// - the loss `losses[e]` drawn at `x = e` (as an `f64`).
///
/// `plot_losses(&[("training", &history.train), ("validation",
/// &history.validation)], "Loss per epoch", path)` draws a run's history. A
/// problem is returned as the [`PlotError`].
pub fn plot_losses(curves: &[(&str, &[f64])], title: &str, path: &Path) -> Result<(), PlotError> {
    todo!("one Series::Line per curve, x = 0, 1, 2, … as f64, on a log scale")
}
// ANCHOR_END: plot_losses

// ---------------------------------------------------------------------------
// When something is wrong
// ---------------------------------------------------------------------------

// ANCHOR: train_error
/// Why training could not run. (A run that diverges is not an error: it
/// ran, and its [`Outcome`] says how it ended.)
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TrainError {
    /// The learning rate is 0, negative, infinite or NaN.
    #[error(
        "the learning rate is {learning_rate}, but it must be a finite number greater than 0; the lecture uses 0.1"
    )]
    BadLearningRate { learning_rate: f64 },

    /// `Descent::MiniBatch(0)`.
    #[error(
        "a mini-batch of 0 examples has no gradient; use a batch size of at least 1 (Descent::Stochastic is a batch size of 1)"
    )]
    ZeroBatchSize,

    /// A problem with the training set, as exercise 03 describes it.
    #[error("the training set: {0}")]
    TrainingSet(#[from] GradientError),

    /// A problem with the validation set, as exercise 03 describes it.
    #[error("the validation set: {0}")]
    ValidationSet(GradientError),

    /// The progress log could not be written.
    #[error(
        "could not write the progress log: {message}; pass a writer that accepts text, such as &mut std::io::stdout() or a &mut Vec<u8>"
    )]
    Log { message: String },
}
// ANCHOR_END: train_error
