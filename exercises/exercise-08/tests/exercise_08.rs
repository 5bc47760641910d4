//! The tests of exercise 08, "A hidden layer".
//!
//! Run them with `cargo test -p exercise-08`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter 8
//! to read. Start with the first failing test: the functions build on each
//! other in the order of `src/lib.rs`.
//!
//! Three kinds of tests:
//! - known values: the parameter layout, the initialisation, the forward and
//!   backward pass worked out by hand, and, strongest of all, PyTorch's own
//!   steps: `scripts/torch-network-reference.py` trained
//!   `nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1))` in float64
//!   with SGD, Adam and AdamW, full batch and mini-batch, with and without
//!   dropout, and your gradients must take the very same steps, to 12 digits;
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones): the gradient against central differences,
//!   the claims the slides make about dropout, and agreement with the
//!   reference solution;
//! - snapshots of what your code produces, compared with the files in
//!   `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::Debug;
use std::sync::OnceLock;

use exercise_08::{ChaCha8Rng, Network, Shape};
use proptest::prelude::*;
use serde::Deserialize;
use support::{Tolerance, call, fail};

#[path = "exercise_08/parameters.rs"]
mod parameters;

#[path = "exercise_08/forward.rs"]
mod forward;

#[path = "exercise_08/backward.rs"]
mod backward;

#[path = "exercise_08/dropout.rs"]
mod dropout;

#[path = "exercise_08/pytorch.rs"]
mod pytorch;

#[path = "exercise_08/training.rs"]
mod training;

#[path = "exercise_08/properties.rs"]
mod properties;

#[path = "exercise_08/snapshots.rs"]
mod snapshots;

// ---------------------------------------------------------------------------
// The hints
// ---------------------------------------------------------------------------

pub const PARAMETER_COUNT: &str = "a network of d inputs and h hidden units has h·d + h + h + 1 parameters: W₁ (h·d), b₁ (h), W₂ (h) and b₂ (1) (see 'The network' in chapter 8)";
pub const INIT_BOUND: &str = "the bound of PyTorch's default initialisation is 1/√fan_in: 1.0 / (fan_in as f64).sqrt() (see 'Initialisation' in chapter 8)";
pub const UNIFORM: &str = "one draw u = rng.random::<f64>(), then −bound + 2·bound·u, as PyTorch's uniform_(-bound, bound) (see 'Initialisation' in chapter 8)";
pub const INIT: &str = "init draws every parameter with uniform, in the order of the vector: W₁ and b₁ with init_bound(d), then W₂ and b₂ with init_bound(h) (see 'Initialisation' in chapter 8)";
pub const RELU: &str = "relu(z) is z when z > 0, else 0 (see 'Forward' in chapter 8)";
pub const FORWARD: &str = "zⱼ = Σₖ W₁[j][k]·xₖ + b₁ⱼ with W₁[j][k] = w1[j * d + k], aⱼ = relu(zⱼ)·mⱼ, ŷ = Σⱼ W₂[j]·aⱼ + b₂ (see 'Forward' in chapter 8)";
pub const PREDICT: &str = "predict is the output of forward_example(network, row, None) for every row, in order (see 'Forward' in chapter 8)";
pub const RELU_DERIVATIVE: &str =
    "relu'(z) is 1 when z > 0, else 0 (see 'Backward through the ReLU' in chapter 8)";
pub const BACKWARD: &str = "backward_example adds δ to ∂b₂, δ·aⱼ to ∂W₂[j], and with gⱼ = δ·W₂[j]·mⱼ·relu'(zⱼ), gⱼ to ∂b₁ⱼ and gⱼ·xₖ to ∂W₁[j][k] (see 'Backward through the ReLU' in chapter 8)";
pub const GRADIENT: &str = "gradient: forward every example with its mask row, δ = criterion.output_gradient(&outputs, y), then backward_example of every example into a fresh vector of zeros (see 'Backward through the ReLU' in chapter 8)";
pub const CENTRAL_DIFFERENCES: &str = "your gradient differs from the central differences (f(θ + h) − f(θ − h))/2h of the loss: one of the chain rule's links is wrong (see 'Checking the gradient' in chapter 8)";
pub const CHECK_DROPOUT: &str = "a dropout probability must be a finite number with 0 ≤ p < 1: (0.0..1.0).contains(&p) is false for NaN too (see 'Dropout' in chapter 8)";
pub const DROPOUT_MASK: &str = "dropout_mask draws one u = rng.random::<f64>() per example and hidden unit, row by row: 0 when u < p, else 1/(1 − p) (see 'Dropout' in chapter 8)";
pub const TRAIN: &str = "follow the steps of train's doc comment in order: check_run, one generator, then for each epoch the evaluation-mode losses, the divergence check, the history, the progress line, the stopping rule, and for every batch a new mask (when dropout > 0), its gradient and one optimizer.step (see 'Training' in chapter 8)";
pub const DEAD_UNITS: &str = "a unit is dead when its zⱼ is at most 0 for every example: no gradient reaches it (see 'A dead unit' in chapter 8)";
pub const PYTORCH: &str = "your steps differ from PyTorch's: the optimizers are exercise 05's, so the gradient is wrong; check it against central differences first (see 'Checking against PyTorch' in chapter 8)";
pub const CHECKS: &str = "see 'When something is wrong' in chapter 8";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-08/misconceptions/) checks that each is caught by a
// test whose message contains its hint.
pub const OUTPUT_BIAS_NOT_COUNTED: &str = "the output's bias b₂ is a parameter too: h·d + h + h + 1, not h·d + 2h (see 'The network' in chapter 8)";
pub const BOUND_WITHOUT_SQRT: &str = "the bound is one over the square root of the fan-in, 1/√fan_in, not 1/fan_in (see 'Initialisation' in chapter 8)";
pub const ONE_BOUND: &str = "each layer has its own fan-in: W₁ and b₁ are drawn with init_bound(d), W₂ and b₂ with init_bound(h), the number of hidden units feeding the output (see 'Initialisation' in chapter 8)";
pub const UNIFORM_POSITIVE: &str = "the draws must cover [−bound, bound): −bound + 2·bound·u, not bound·u, which is never negative (see 'Initialisation' in chapter 8)";
pub const TRANSPOSED: &str = "W₁ is stored row by row, one row per hidden unit, as PyTorch's weight of shape (out_features, in_features): W₁[j][k] = w1[j * d + k], not w1[k * h + j] (see 'The network' in chapter 8)";
pub const RELU_ON_OUTPUT: &str = "the ReLU belongs to the hidden layer only: the output ŷ = Σⱼ W₂[j]·aⱼ + b₂ is linear and may be negative (see 'Forward' in chapter 8)";
pub const RELU_AT_ZERO: &str = "the ReLU's derivative at exactly 0 is taken as 0, as PyTorch does: z > 0.0, not z >= 0.0 (see 'Backward through the ReLU' in chapter 8)";
pub const SKIPS_RELU: &str = "the gradient passes back through the ReLU only where zⱼ > 0: multiply by relu'(zⱼ), or units that are off still learn (see 'Backward through the ReLU' in chapter 8)";
pub const W2_FROM_PRE: &str = "∂W₂[j] is δ·aⱼ, the hidden unit's output after the ReLU and the mask, not δ·zⱼ, its input (see 'Backward through the ReLU' in chapter 8)";
pub const W2_MISSING: &str = "the chain from the output to hidden unit j goes through the output's weight: gⱼ = δ·W₂[j]·mⱼ·relu'(zⱼ), not δ·mⱼ·relu'(zⱼ) (see 'Backward through the ReLU' in chapter 8)";
pub const BACKWARD_IGNORES_MASK: &str = "backward must go through the same mask as forward: a dropped unit gets no gradient, a kept one is scaled by 1/(1 − p), gⱼ = δ·W₂[j]·mⱼ·relu'(zⱼ) (see 'Dropout' in chapter 8)";
pub const NOT_SCALED: &str = "the units kept by dropout are scaled up by 1/(1 − p) (inverted dropout), so that evaluation, which keeps every unit, needs no rescaling (see 'Dropout' in chapter 8)";
pub const SCALED_BY_KEEP: &str = "the kept units are multiplied by 1/(1 − p), not by 1 − p: dropout scales the survivors up, not down (see 'Dropout' in chapter 8)";
pub const KEEP_WITH_P: &str = "p is the probability of dropping a unit (nn.Dropout(p) zeroes each with probability p): a unit is off when u < p (see 'Dropout' in chapter 8)";
pub const ONE_MASK_PER_BATCH: &str = "every example of a batch draws its own mask, one number per example and unit, as nn.Dropout zeroes each element of its input on its own (see 'Dropout' in chapter 8)";
pub const SAME_MASK: &str = "dropout draws a new mask for every step (every batch), different each step: a mask drawn once and reused switches the same units off all the time (see 'Dropout' in chapter 8)";
pub const DROPOUT_IN_EVALUATION: &str = "dropout is for training only: the losses of the history, like predict, are computed in evaluation mode, with every unit and no mask (see 'Dropout' in chapter 8)";

// ---------------------------------------------------------------------------
// Comparing numbers
// ---------------------------------------------------------------------------

/// Close enough for numbers computed in a different but correct order.
pub const TOL: Tolerance = support::compare::ROUNDING;

/// How close your steps must be to PyTorch's: 12 digits.
pub const TORCH_TOL: Tolerance = Tolerance::Relative(1e-12);

pub use support::compare::{close, same_numbers};

/// A slice as the learner would type it.
pub fn lit(values: &[f64]) -> String {
    format!("&{values:?}")
}

/// A vector, shortened for a message.
pub fn short(values: &[f64]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(|x| format!("{x:?}")).collect();
    let more =
        if values.len() > 8 { format!(", … ({} in all)", values.len()) } else { String::new() };
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
    support::properties::for_all(20_08, strategy, property)
}

/// The course's generator.
pub fn rng(seed: u64) -> ChaCha8Rng {
    exercise_08::seeded_rng(seed)
}

/// A network from its shape and parameters, as the tests build them (the
/// constructor is written for you).
pub fn network(inputs: usize, hidden: usize, params: &[f64]) -> Network {
    Network { shape: Shape { inputs, hidden }, params: params.to_vec() }
}

/// How a test writes a network in a message.
pub fn describe(net: &Network) -> String {
    format!(
        "Network {{ shape: Shape {{ inputs: {}, hidden: {} }}, params: vec!{:?} }}",
        net.shape.inputs, net.shape.hidden, net.params
    )
}

/// A hand-made network of 2 inputs and 3 hidden units, used across the
/// tests: W₁ = [[1, −2], [0.5, 1], [−1, −1]], b₁ = [0.5, −1, 0.25],
/// W₂ = [2, −1, 3], b₂ = −0.5.
pub fn small() -> Network {
    network(2, 3, &[1.0, -2.0, 0.5, 1.0, -1.0, -1.0, 0.5, -1.0, 0.25, 2.0, -1.0, 3.0, -0.5])
}

// ---------------------------------------------------------------------------
// The tests' own network, which can also make each of the common mistakes on
// purpose, so that a wrong answer can be recognised.
// ---------------------------------------------------------------------------

/// A mistake the simulation can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    None,
    Transposed,
    ReluOnOutput,
    ReluAtZero,
    SkipsRelu,
    W2FromPre,
    W2Missing,
    BackwardIgnoresMask,
}

/// The mistakes of forward and backward, with the hints that name them.
pub const MISTAKES: [(Mistake, &str); 7] = [
    (Mistake::Transposed, TRANSPOSED),
    (Mistake::ReluOnOutput, RELU_ON_OUTPUT),
    (Mistake::ReluAtZero, RELU_AT_ZERO),
    (Mistake::SkipsRelu, SKIPS_RELU),
    (Mistake::W2FromPre, W2_FROM_PRE),
    (Mistake::W2Missing, W2_MISSING),
    (Mistake::BackwardIgnoresMask, BACKWARD_IGNORES_MASK),
];

/// The weight from input `k` to hidden unit `j`, read as the mistake reads it.
fn w1(net: &Network, j: usize, k: usize, mistake: Mistake) -> f64 {
    let Shape { inputs: d, hidden: h } = net.shape;
    if mistake == Mistake::Transposed { net.params[k * h + j] } else { net.params[j * d + k] }
}

/// The simulation's forward pass of one example: (z, a, ŷ).
pub fn sim_forward(
    net: &Network,
    row: &[f64],
    mask: Option<&[f64]>,
    mistake: Mistake,
) -> (Vec<f64>, Vec<f64>, f64) {
    let Shape { inputs: d, hidden: h } = net.shape;
    let p = &net.params;
    let (mut z, mut a) = (Vec::new(), Vec::new());
    for j in 0..h {
        let zj = (0..d).map(|k| w1(net, j, k, mistake) * row[k]).sum::<f64>() + p[h * d + j];
        let r = if zj > 0.0 { zj } else { 0.0 };
        z.push(zj);
        a.push(mask.map_or(r, |m| r * m[j]));
    }
    let out = (0..h).map(|j| p[h * d + h + j] * a[j]).sum::<f64>() + p[h * d + 2 * h];
    let out = if mistake == Mistake::ReluOnOutput && out < 0.0 { 0.0 } else { out };
    (z, a, out)
}

/// The simulation's gradient of the criterion's loss.
pub fn sim_gradient(
    net: &Network,
    criterion: exercise_08::Criterion,
    xs: &[Vec<f64>],
    y: &[f64],
    masks: Option<&[Vec<f64>]>,
    mistake: Mistake,
) -> Vec<f64> {
    let Shape { inputs: d, hidden: h } = net.shape;
    let p = &net.params;
    let n = xs.len() as f64;
    let factor = match criterion {
        exercise_08::Criterion::Mse => 2.0,
        exercise_08::Criterion::HalfMse => 1.0,
    };
    let mut g = vec![0.0; p.len()];
    for (i, row) in xs.iter().enumerate() {
        let mask = masks.map(|m| m[i].as_slice());
        let (z, a, out) = sim_forward(net, row, mask, mistake);
        let delta = factor * (out - y[i]) / n;
        g[h * d + 2 * h] += delta;
        for j in 0..h {
            g[h * d + h + j] += delta * if mistake == Mistake::W2FromPre { z[j] } else { a[j] };
            let kept = match (mask, mistake) {
                (_, Mistake::BackwardIgnoresMask) | (None, _) => 1.0,
                (Some(m), _) => m[j],
            };
            let slope = match mistake {
                Mistake::SkipsRelu => 1.0,
                Mistake::ReluAtZero if z[j] >= 0.0 => 1.0,
                _ if z[j] > 0.0 => 1.0,
                _ => 0.0,
            };
            let w2 = if mistake == Mistake::W2Missing { 1.0 } else { p[h * d + h + j] };
            let gj = delta * w2 * kept * slope;
            g[h * d + j] += gj;
            for (k, x) in row.iter().enumerate() {
                let index = if mistake == Mistake::Transposed { k * h + j } else { j * d + k };
                g[index] += gj * x;
            }
        }
    }
    g
}

/// The hint for a wrong result: the first mistake whose simulation gives
/// `got`, else `fallback`.
pub fn diagnose(got: impl Fn(Mistake) -> bool, fallback: &'static str) -> &'static str {
    MISTAKES.iter().find(|(m, _)| got(*m)).map_or(fallback, |(_, hint)| hint)
}

// ---------------------------------------------------------------------------
// PyTorch's fixture
// ---------------------------------------------------------------------------

/// `tests/fixtures/torch-network.json`, written by
/// `scripts/torch-network-reference.py`.
#[derive(Debug, Deserialize)]
pub struct Torch {
    pub torch: String,
    pub inputs: usize,
    pub hidden: usize,
    pub xs: Vec<Vec<f64>>,
    pub y: Vec<f64>,
    pub start: Vec<f64>,
    pub runs: Vec<TorchRun>,
}

/// One run of the fixture.
#[derive(Debug, Deserialize)]
pub struct TorchRun {
    pub name: String,
    pub optimizer: String,
    pub criterion: String,
    pub dropout: f64,
    pub hyperparameters: serde_json::Map<String, serde_json::Value>,
    pub steps: Vec<TorchStep>,
}

/// One step of a run: the batch's rows, which units were kept (per row of
/// the batch, 1 kept, 0 dropped; none without dropout), the batch's loss
/// before the step and the parameters after it.
#[derive(Debug, Deserialize)]
pub struct TorchStep {
    pub rows: Vec<usize>,
    pub keep: Option<Vec<Vec<u8>>>,
    pub loss: f64,
    pub params: Vec<f64>,
}

/// The fixture, read once.
pub fn torch() -> &'static Torch {
    static TORCH: OnceLock<Torch> = OnceLock::new();
    TORCH.get_or_init(|| {
        let text = include_str!("fixtures/torch-network.json");
        serde_json::from_str(text).expect("tests/fixtures/torch-network.json is valid")
    })
}

/// The fixture's data as training examples.
pub fn torch_examples() -> exercise_08::Examples {
    exercise_08::Examples { xs: torch().xs.clone(), y: torch().y.clone() }
}

/// The fixture's 24 examples split into 18 for training and 6 for
/// validation, as the training tests use them.
pub fn curve_split() -> exercise_08::FeatureSplit {
    let all = torch_examples();
    let train: Vec<usize> = (0..18).collect();
    let validation: Vec<usize> = (18..24).collect();
    exercise_08::FeatureSplit { train: all.rows(&train), validation: all.rows(&validation) }
}

/// The fixture's starting network.
pub fn torch_start() -> Network {
    network(torch().inputs, torch().hidden, &torch().start)
}

/// Calls the learner's `init`, failing with a message if it errs.
#[track_caller]
pub fn learner_init(shape: Shape, seed: u64) -> Network {
    let text = format!("init({shape:?}, &mut seeded_rng({seed}))");
    call(&text, INIT, || exercise_08::init(shape, &mut rng(seed)))
        .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a network)", INIT))
}
