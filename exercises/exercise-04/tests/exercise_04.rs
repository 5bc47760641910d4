//! The tests of exercise 04, "The update loop".
//!
//! Run them with `cargo test -p exercise-04`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter 4
//! to read. Start with the first failing test: the functions build on each
//! other in the order of `src/lib.rs`.
//!
//! Three kinds of tests:
//! - known values, worked out by hand (one step on chapter 3's three points,
//!   ⌈2000 / 500⌉ = 4, a run whose loss quarters every epoch, the lecture's
//!   progress log);
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones), and agreement with the reference solution;
//! - snapshots of the loss histories your code produces on the lecture's
//!   data, compared with the files in `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use exercise_04::{
    Dataset, Descent, History, Outcome, Params, Settings, Split, TrainError, Training,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use support::{Tolerance, call, check, fail};

#[path = "exercise_04/one_step.rs"]
mod one_step;

#[path = "exercise_04/batches.rs"]
mod batches;

#[path = "exercise_04/watching.rs"]
mod watching;

#[path = "exercise_04/training.rs"]
mod training;

#[path = "exercise_04/errors.rs"]
mod errors;

#[path = "exercise_04/plots.rs"]
mod plots;

#[path = "exercise_04/properties.rs"]
mod properties;

#[path = "exercise_04/snapshots.rs"]
mod snapshots;

// ---------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------

/// Chapter 3's three points on the line y = 2x + 1.
pub use support::data::{THREE_X, THREE_Y};

/// The three points as a data set.
pub fn three_points() -> Dataset {
    Dataset { x: THREE_X.to_vec(), y: THREE_Y.to_vec() }
}

/// The three points for training, and two more points of the same line for
/// validation: (0.5, 2) and (2.5, 6).
pub fn three_point_split() -> Split {
    Split { train: three_points(), validation: Dataset { x: vec![0.5, 2.5], y: vec![2.0, 6.0] } }
}

/// Seven points near y = 2x + 1, scattered, so that the order in which
/// stochastic and mini-batch descent visit them shows in the losses; and
/// three for validation.
pub fn seven_point_split() -> Split {
    Split {
        train: Dataset {
            x: vec![0.1, 0.9, 0.4, 0.7, 0.2, 0.6, 0.3],
            y: vec![1.3, 2.7, 1.9, 2.5, 1.2, 2.3, 1.5],
        },
        validation: Dataset { x: vec![0.05, 0.5, 0.8], y: vec![1.0, 2.1, 2.6] },
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

pub const STEP: &str = "w ← w − α·dw and b ← b − α·db: each parameter moves against its own slope, by the learning rate times that slope (see 'One step by hand' in chapter 4)";
pub const LOSS: &str = "the loss is the mean of squared_error(predict(w, b, xᵢ), yᵢ) over the examples: add them up, then divide by n; it returns a plain f64 and checks nothing (see 'One step by hand' in chapter 4)";
pub const BATCH_SIZE: &str = "Batch uses all the examples (at least 1), Stochastic 1, MiniBatch(size) size, and MiniBatch(0) is Err(TrainError::ZeroBatchSize) (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const ITERATIONS: &str = "iterations per epoch = ⌈N / B⌉, examples.div_ceil(batch size), with the batch size from descent.batch_size(examples)? (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const SHUFFLE: &str = "start from (0..examples).collect::<Vec<usize>>() and call order.shuffle(rng) once, with the generator you are given (see 'Shuffling, once per epoch' in chapter 4)";
pub const BATCHES: &str = "order.chunks(batch size) cuts the order into consecutive batches, in order, the last one smaller if need be (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const EPOCH: &str = "run_epoch shuffles with shuffled_order(train.len(), rng), then for each batch takes train.rows(batch), its mse_gradient at the current parameters, and params = update(params, gradient) (see 'Shuffling, once per epoch' in chapter 4)";
pub const CHECK_SPLIT: &str = "check_split runs check_examples on the training set (its error becomes TrainError::TrainingSet through ?), then on the validation set (.map_err(TrainError::ValidationSet)?) (see 'When the inputs are wrong' in chapter 4)";
pub const DIVERGED: &str = "training has diverged when the loss is not finite, or more than GROWTH_LIMIT times the initial loss (see 'When the learning rate is too large' in chapter 4)";
pub const LOG_EPOCH: &str = "epochs count from 0, and epochs 0, 10, 20, … get a progress line: epoch % LOG_EVERY == 0 (see 'A line of progress' in chapter 4)";
pub const PROGRESS: &str = "the line is format!(\"epoch {epoch:>4}  train loss {train_loss:.6}  validation loss {validation_loss:.6}\") (see 'A line of progress' in chapter 4)";
pub const TRAIN: &str = "follow the steps of train_with's doc comment in order: check, one generator, then for each epoch the training loss, the divergence check, the validation loss, the history, the progress line, the stopping rule, run_epoch (see 'The whole loop' in chapter 4)";
pub const TRAIN_RATE: &str = "train checks the learning rate, then calls train_with with the update |params, gradient| gradient_step(params, gradient, learning_rate) (see 'The whole loop' in chapter 4)";
pub const PLOT: &str = "see 'Pictures' in chapter 4";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-04/misconceptions/) checks that each mistake is caught
// by a test whose message contains its hint.
pub const PLUS_SIGN: &str = "the step went uphill: it added α·gradient, and gradient descent subtracts it, w ← w − α·dw (see 'One step by hand' in chapter 4)";
pub const NO_RATE: &str = "the step ignored the learning rate: it subtracted the whole gradient; multiply the gradient by α first (see 'One step by hand' in chapter 4)";
pub const FLOOR: &str = "that is ⌊N / B⌋: the last, partial batch was not counted; iterations per epoch = ⌈N / B⌉ (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const DROPPED_LAST: &str = "the last, partial batch was dropped, so some examples are never visited in that epoch: use chunks, not chunks_exact, and keep the short batch (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const NO_SHUFFLE: &str = "the examples were never shuffled: every epoch visits them in the order 0, 1, 2, …; shuffle the order with the generator (see 'Shuffling, once per epoch' in chapter 4)";
pub const RESEEDED: &str = "every epoch saw the same order: the generator was made again from the seed for each epoch; make it once, before the loop, and let every epoch move it on (see 'Shuffling, once per epoch' in chapter 4)";
pub const LOSS_AFTER: &str = "the history holds each epoch's loss after its updates; record the loss before the epoch's updates, as PyTorch's loop does, so that train[0] is the loss of the starting line (see 'Epochs and the history' in chapter 4)";
pub const VAL_ON_TRAIN: &str = "the validation loss was computed on the training set; compute it on data.validation, the examples training never learns from (see 'Validation and the stopping rule' in chapter 4)";
pub const STOP_ON_TRAIN: &str = "training stopped on the training loss; the stopping rule looks at the validation loss (see 'Validation and the stopping rule' in chapter 4)";
pub const DIVERGENCE_AS_SUCCESS: &str = "divergence reported as success: the losses ran away, yet the outcome is not Diverged; check has_diverged on every epoch's training loss before adding it to the history (see 'When the learning rate is too large' in chapter 4)";
pub const NAN_COMPARES_FALSE: &str = "NaN compares false with everything, so NaN > limit is false: check loss.is_finite() first (see 'When the learning rate is too large' in chapter 4)";
pub const WRONG_LOG_EPOCHS: &str = "the progress lines are on the wrong epochs: epochs count from 0, and the lines belong to epochs 0, 10, 20, …, those with epoch % LOG_EVERY == 0 (see 'A line of progress' in chapter 4)";
pub const SLOPES_SWAPPED: &str = "w and b took each other's slope: w moves by α·dw and b by α·db, each parameter against its own slope (see 'One step by hand' in chapter 4)";
pub const LOSS_REFUSES: &str = "loss must not refuse or panic on runaway parameters: it returns a plain f64 and checks nothing, so NaN parameters give a NaN loss; exercise 02's mean_squared_error returns an Err for a NaN prediction, and unwrapping it panics; add up squared_error(predict(w, b, xᵢ), yᵢ) yourself (see 'One step by hand' in chapter 4)";
pub const EMPTY_BATCH: &str = "Batch's size is examples.max(1), at least 1: with Ok(examples) an empty set gets a batch size of 0, and chunks(0) or div_ceil(0) panics instead of giving no batches (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const ONE_TOO_MANY: &str = "that is ⌊N / B⌋ + 1, one iteration too many when B divides N (2000 examples in batches of 500 make 4 batches, not 5): use examples.div_ceil(size) (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const THROUGH_F64: &str = "the count went through f64, and f64 holds whole numbers exactly only up to 2⁵³: (N as f64 / B as f64).ceil() is off for larger N; examples.div_ceil(size) stays in integers (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const ADD_OVERFLOWS: &str = "for the largest counts (N + B − 1) / B overflows a usize before it divides; examples.div_ceil(size) rounds up without overflowing (see 'Batch, stochastic and mini-batch descent' in chapter 4)";
pub const NEVER_MOVED: &str = "the parameters never moved: assign each step's result to the parameters the next step starts from, params = update(params, gradient), with let mut params = params; before the loop; a `let params = …` inside the loop is a new variable, dropped at the end of each pass (see 'Shuffling, once per epoch' in chapter 4)";
pub const LATE_DATA_CHECK: &str = "run_epoch must refuse bad data before its first step: check_examples(&train.x, &train.y)? first, so that no update has happened yet and the error names the example's index in the training set, not in its batch (see 'Shuffling, once per epoch' in chapter 4)";
pub const MOVED_ON_REFUSAL: &str = "a refused call moved the generator on: check descent.batch_size(train.len())? before shuffled_order, so that the epochs after a refused call get the orders they would have had (see 'Shuffling, once per epoch' in chapter 4)";
pub const VALIDATION_AS_TRAINING: &str = "the validation set's problem was reported as the training set's: ? turns a GradientError into TrainError::TrainingSet by itself, so the validation set's check needs .map_err(TrainError::ValidationSet)? (see 'When the inputs are wrong' in chapter 4)";
pub const VALIDATION_FIRST: &str = "both sets have a problem, and the validation set's was reported: check the training set first, then the validation set (see 'When the inputs are wrong' in chapter 4)";
pub const BATCH_BEFORE_DATA: &str = "the data and the batch size are both wrong, and the batch size was reported: train_with checks the data first, check_split(data)?, then the batch size (see 'The whole loop' in chapter 4)";
pub const RATE_NAN: &str = "NaN compares false with everything, so learning_rate <= 0.0 lets NaN through: refuse unless learning_rate.is_finite() && learning_rate > 0.0 (see 'When the inputs are wrong' in chapter 4)";
pub const RATE_INFINITE: &str = "an infinite learning rate is not a rate a step can use, though it is > 0: refuse unless learning_rate.is_finite() && learning_rate > 0.0 (see 'When the inputs are wrong' in chapter 4)";
pub const DATA_BEFORE_RATE: &str = "the learning rate and the data are both wrong, and the data's problem was reported: train checks the learning rate first, before train_with looks at the data (see 'The whole loop' in chapter 4)";
pub const GROWTH_INCLUSIVE: &str = "a loss of exactly GROWTH_LIMIT times the initial loss has not diverged: the rule is loss > GROWTH_LIMIT · initial_loss, strictly greater (see 'When the learning rate is too large' in chapter 4)";
pub const PREVIOUS_LOSS: &str = "the growth was measured against the previous epoch's loss: a run away grows by a steady factor, never a millionfold in one epoch; initial is the first training loss of the history, history.train.first() (see 'When the learning rate is too large' in chapter 4)";
pub const DIVERGED_IN_HISTORY: &str = "the diverged epoch's losses went into the history: check has_diverged before pushing, so that the history holds only the sound epochs before it (see 'The whole loop' in chapter 4)";
pub const CONVERGED_NOT_RECORDED: &str = "the epoch at which the rule fired is missing from the history: push both losses and write the progress line before checking the stopping rule (see 'Validation and the stopping rule' in chapter 4)";
pub const STOP_INCLUSIVE: &str = "the run stopped on a validation loss equal to stop_below: the rule is strictly below, validation_loss < stop_below, which is what lets stop_below = 0.0 turn it off (see 'Validation and the stopping rule' in chapter 4)";
pub const LOG_DIVERGED: &str = "a progress line was written for an epoch that diverged: the divergence check comes before the history and the progress line, and a diverged epoch gets neither (see 'The whole loop' in chapter 4)";
pub const STOP_BEFORE_LOG: &str = "the epoch at which the rule fired got no progress line: write the line (step 5 of train_with) before checking the stopping rule (step 6) (see 'The whole loop' in chapter 4)";

// ---------------------------------------------------------------------------
// Comparing numbers
// ---------------------------------------------------------------------------

/// Close enough for numbers computed in a different but correct order.
pub const TOL: Tolerance = support::compare::ROUNDING;

/// `close(got, expected)`: within [`TOL`] (an infinity matches only the same
/// infinity), and here NaN matches NaN, because a run that diverges can end
/// on a NaN loss, the expected run as well as yours; `same_numbers`: the same
/// length, and close one by one.
pub use support::compare::{close_or_both_nan as close, same_numbers_or_both_nan as same_numbers};

pub fn close_params(got: Params, expected: Params) -> bool {
    close(got.w, expected.w) && close(got.b, expected.b)
}

pub fn same_outcome(got: Outcome, expected: Outcome) -> bool {
    match (got, expected) {
        (Outcome::Diverged { epoch: a, loss: x }, Outcome::Diverged { epoch: b, loss: y }) => {
            a == b && close(x, y)
        }
        (a, b) => a == b,
    }
}

/// Whether two runs are the same, up to rounding.
pub fn same_run(got: &Training, expected: &Training) -> bool {
    same_outcome(got.outcome, expected.outcome)
        && same_numbers(&got.history.train, &expected.history.train)
        && same_numbers(&got.history.validation, &expected.history.validation)
        && close_params(got.params, expected.params)
}

/// A slice as the learner would type it.
pub fn lit(values: &[f64]) -> String {
    format!("&{values:?}")
}

/// Parameters as Rust prints them.
pub fn params(p: Params) -> String {
    format!("Params {{ w: {:?}, b: {:?} }}", p.w, p.b)
}

pub use support::fixed;

/// A history, shortened for a message: the first entries of each list.
pub fn short_history(h: &History) -> String {
    let cut = |v: &[f64]| {
        let shown: Vec<String> = v.iter().take(6).map(|x| format!("{x:?}")).collect();
        let more = if v.len() > 6 { format!(", … ({} in all)", v.len()) } else { String::new() };
        format!("[{}{more}]", shown.join(", "))
    };
    format!("train {}, validation {}", cut(&h.train), cut(&h.validation))
}

/// A run, shortened for a message.
pub fn describe(t: &Training) -> String {
    format!("{:?} with {}, ending at {}", t.outcome, short_history(&t.history), params(t.params))
}

/// A scratch file for this test process.
pub fn scratch(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("exercise-04-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("cargo's scratch folder can be created");
    dir.join(name)
}

// ---------------------------------------------------------------------------
// A training run, worked out here: the tests' own version of the loop, which
// can also make each of the common mistakes on purpose, so that a wrong
// history can be recognised.
// ---------------------------------------------------------------------------

/// A mistake the simulation can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    None,
    PlusSign,
    DropLastBatch,
    NoShuffle,
    ReseedEveryEpoch,
    LossAfterUpdate,
    ValidationOnTrain,
    StopOnTrainLoss,
    NoDivergenceCheck,
    NanNotCaught,
    GrowthInclusive,
    PreviousLoss,
    DivergedInHistory,
    StopBeforeRecording,
    StopInclusive,
}

/// Everything that defines a run of `train`.
#[derive(Clone, Debug)]
pub struct Case {
    pub start: Params,
    pub split: Split,
    pub learning_rate: f64,
    pub settings: Settings,
}

impl Case {
    /// The call as the learner would write it.
    pub fn text(&self, what: &str) -> String {
        format!(
            "train({}, &{what}, {:?}, &{:?}, &mut log)",
            params(self.start),
            self.learning_rate,
            self.settings
        )
    }
}

fn mse(p: Params, data: &Dataset) -> f64 {
    let n = data.x.len() as f64;
    data.x.iter().zip(&data.y).map(|(x, y)| (p.w * x + p.b - y).powi(2)).sum::<f64>() / n
}

fn batch_size(descent: Descent, n: usize) -> usize {
    match descent {
        Descent::Batch => n.max(1),
        Descent::Stochastic => 1,
        Descent::MiniBatch(size) => size,
    }
}

fn one_epoch(mut p: Params, case: &Case, rng: &mut ChaCha8Rng, mistake: Mistake) -> Params {
    let train = &case.split.train;
    let mut order: Vec<usize> = (0..train.x.len()).collect();
    if mistake != Mistake::NoShuffle {
        order.shuffle(rng);
    }
    let size = batch_size(case.settings.descent, order.len());
    let chunks: Vec<&[usize]> = if mistake == Mistake::DropLastBatch {
        order.chunks_exact(size).collect()
    } else {
        order.chunks(size).collect()
    };
    for batch in chunks {
        let n = batch.len() as f64;
        let errors: Vec<f64> = batch.iter().map(|&i| p.w * train.x[i] + p.b - train.y[i]).collect();
        let dw = 2.0 * (errors.iter().zip(batch).map(|(e, &i)| e * train.x[i]).sum::<f64>() / n);
        let db = 2.0 * (errors.iter().sum::<f64>() / n);
        let sign = if mistake == Mistake::PlusSign { -1.0 } else { 1.0 };
        p = Params {
            w: p.w - sign * case.learning_rate * dw,
            b: p.b - sign * case.learning_rate * db,
        };
    }
    p
}

/// The run `train` makes for `case`, with `mistake` made on purpose.
pub fn simulate(case: &Case, mistake: Mistake) -> Training {
    let settings = case.settings;
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    let mut p = case.start;
    let mut history = History::default();
    for epoch in 0..settings.epochs {
        if mistake == Mistake::ReseedEveryEpoch {
            rng = ChaCha8Rng::seed_from_u64(settings.seed);
        }
        if mistake == Mistake::LossAfterUpdate {
            p = one_epoch(p, case, &mut rng, mistake);
        }
        let train_loss = mse(p, &case.split.train);
        let initial = if mistake == Mistake::PreviousLoss {
            history.train.last().copied().unwrap_or(train_loss)
        } else {
            history.train.first().copied().unwrap_or(train_loss)
        };
        let diverged = match mistake {
            Mistake::NoDivergenceCheck => false,
            Mistake::NanNotCaught => train_loss > 1e6 * initial,
            Mistake::GrowthInclusive => !train_loss.is_finite() || train_loss >= 1e6 * initial,
            _ => !train_loss.is_finite() || train_loss > 1e6 * initial,
        };
        let watched = if mistake == Mistake::ValidationOnTrain {
            &case.split.train
        } else {
            &case.split.validation
        };
        let validation_loss = mse(p, watched);
        if mistake == Mistake::DivergedInHistory {
            history.train.push(train_loss);
            history.validation.push(validation_loss);
        }
        if diverged {
            return Training {
                params: p,
                history,
                outcome: Outcome::Diverged { epoch, loss: train_loss },
            };
        }
        let rule = if mistake == Mistake::StopOnTrainLoss { train_loss } else { validation_loss };
        let stops = if mistake == Mistake::StopInclusive {
            rule <= settings.stop_below
        } else {
            rule < settings.stop_below
        };
        if mistake == Mistake::StopBeforeRecording && stops {
            return Training { params: p, history, outcome: Outcome::Converged { epoch } };
        }
        if mistake != Mistake::DivergedInHistory {
            history.train.push(train_loss);
            history.validation.push(validation_loss);
        }
        if stops {
            return Training { params: p, history, outcome: Outcome::Converged { epoch } };
        }
        if mistake != Mistake::LossAfterUpdate {
            p = one_epoch(p, case, &mut rng, mistake);
        }
    }
    Training { params: p, history, outcome: Outcome::MaxEpochs }
}

/// The hint of the known mistake that gives the run `got` (the hints of all
/// of them when several give the same run), or `fallback` when none does.
pub fn diagnose_run(got: &Training, case: &Case, fallback: &str) -> String {
    let expected = simulate(case, Mistake::None);
    let mistakes = [
        (Mistake::PlusSign, PLUS_SIGN),
        (Mistake::DropLastBatch, DROPPED_LAST),
        (Mistake::NoShuffle, NO_SHUFFLE),
        (Mistake::ReseedEveryEpoch, RESEEDED),
        (Mistake::LossAfterUpdate, LOSS_AFTER),
        (Mistake::ValidationOnTrain, VAL_ON_TRAIN),
        (Mistake::StopOnTrainLoss, STOP_ON_TRAIN),
        (Mistake::NoDivergenceCheck, DIVERGENCE_AS_SUCCESS),
        (Mistake::NanNotCaught, NAN_COMPARES_FALSE),
        (Mistake::GrowthInclusive, GROWTH_INCLUSIVE),
        (Mistake::PreviousLoss, PREVIOUS_LOSS),
        (Mistake::DivergedInHistory, DIVERGED_IN_HISTORY),
        (Mistake::StopBeforeRecording, CONVERGED_NOT_RECORDED),
        (Mistake::StopInclusive, STOP_INCLUSIVE),
    ];
    let mut hints: Vec<&'static str> = mistakes
        .iter()
        .map(|&(m, hint)| (simulate(case, m), hint))
        .filter(|(wrong, _)| !same_run(wrong, &expected) && same_run(got, wrong))
        .map(|(_, hint)| hint)
        .collect();
    hints.dedup();
    match hints.as_slice() {
        [hint] => hint.to_string(),
        [] => {
            // A few mistakes show without matching a whole run.
            let finite =
                got.history.train.iter().chain(&got.history.validation).all(|v| v.is_finite());
            if !finite && !matches!(got.outcome, Outcome::Diverged { .. }) {
                DIVERGENCE_AS_SUCCESS.to_string()
            } else {
                fallback.to_string()
            }
        }
        several => {
            format!(
                "{} mistakes give this very run: either {}",
                several.len(),
                several.join("; or ")
            )
        }
    }
}

/// Runs the learner's `train` on `case`, with a log that is thrown away.
#[track_caller]
pub fn train_case(case: &Case, what: &str, hint: &str) -> (String, Result<Training, TrainError>) {
    let text = case.text(what);
    let got = call(&text, hint, || {
        exercise_04::train(
            case.start,
            &case.split,
            case.learning_rate,
            &case.settings,
            &mut std::io::sink(),
        )
    });
    (text, got)
}

/// Checks a run of `train` against the expected run, and explains a wrong
/// one.
#[track_caller]
pub fn check_run(
    text: &str,
    got: Result<Training, TrainError>,
    expected: &Training,
    case: &Case,
    fallback: &str,
) {
    match got {
        Err(e) => fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            format!("Ok: {}", describe(expected)),
            "these data and settings are fine, so there is nothing to report: train and return Ok (see 'When the inputs are wrong' in chapter 4)",
        ),
        Ok(run) => check(
            same_run(&run, expected),
            text,
            describe(&run),
            format!("{} ({TOL})", describe(expected)),
            &diagnose_run(&run, case, fallback),
        ),
    }
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

pub use support::explain;

/// The number of random cases each property tries.
pub const CASES: u32 = 64;

/// Runs `property` on random cases from this exercise's fixed seed (see
/// `support::properties::for_all`).
#[track_caller]
pub fn for_all<S>(strategy: S, property: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    support::properties::for_all(20_04, strategy, property)
}
