//! The refactored loop: forward, criterion, a fresh gradient, the
//! optimizer's step, epoch after epoch. These tests use the reference
//! solution's optimizers, so that they test your loop, not your optimizers.

use exercise_05::{
    Criterion, Descent, Examples, FeatureSplit, History, OptimizerConfig, Outcome, Run, Settings,
};
use support::{call, check, fail};

use crate::pytorch::reference_optimizer;
use crate::*;

/// A mistake the loop's simulation can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopMistake {
    None,
    Accumulate,
    LossAfterUpdate,
    NoShuffle,
    ReseedEveryEpoch,
    ValidationOnTrain,
    WholeSetGradient,
}

const LOOP_MISTAKES: [(LoopMistake, &str); 6] = [
    (LoopMistake::WholeSetGradient, WHOLE_SET_GRADIENT),
    (LoopMistake::Accumulate, ACCUMULATED),
    (
        LoopMistake::LossAfterUpdate,
        "the history holds each epoch's loss after its updates; record the loss before the epoch's steps, as PyTorch's loop does (see 'The refactored loop' in chapter 5)",
    ),
    (
        LoopMistake::NoShuffle,
        "the examples were never shuffled: every epoch needs order = shuffled_order(n, &mut rng) (see 'The refactored loop' in chapter 5)",
    ),
    (
        LoopMistake::ReseedEveryEpoch,
        "every epoch saw the same order: make the generator once, before the epochs, with seeded_rng(settings.seed) (see 'The refactored loop' in chapter 5)",
    ),
    (
        LoopMistake::ValidationOnTrain,
        "the validation loss was computed on the training set; use data.validation (see 'The refactored loop' in chapter 5)",
    ),
];

/// Everything that defines a run of `train`.
#[derive(Clone, Debug)]
pub struct Case {
    pub start: Vec<f64>,
    pub data: FeatureSplit,
    pub criterion: Criterion,
    pub config: OptimizerConfig,
    pub settings: Settings,
}

impl Case {
    pub fn text(&self, what: &str) -> String {
        format!(
            "train(&{:?}, &{what}, Criterion::{:?}, optimizer(&{:?})?.as_mut(), &{:?}, &mut log)",
            self.start, self.criterion, self.config, self.settings
        )
    }
}

fn criterion_loss(criterion: Criterion, params: &[f64], examples: &Examples) -> f64 {
    let (w, b) = params.split_at(params.len() - 1);
    let n = examples.y.len() as f64;
    let sum: f64 = examples
        .xs
        .iter()
        .zip(&examples.y)
        .map(|(row, y)| {
            let p: f64 = row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>() + b[0];
            (p - y) * (p - y)
        })
        .sum();
    let mse = sum / n;
    if criterion == Criterion::HalfMse { 0.5 * mse } else { mse }
}

fn batch_size(descent: Descent, n: usize) -> usize {
    match descent {
        Descent::Batch => n.max(1),
        Descent::Stochastic => 1,
        Descent::MiniBatch(size) => size,
    }
}

/// The run `train` makes for `case`, with `mistake` made on purpose.
pub fn simulate_run(case: &Case, mistake: LoopMistake) -> Run {
    let s = case.settings;
    let mut optimizer = reference_optimizer(&case.config);
    let mut rng = solution_01::seeded_rng(s.seed);
    let mut params = case.start.clone();
    let mut accumulated = vec![0.0; params.len()];
    let mut history = History::default();
    let train = &case.data.train;
    let epoch_of_steps = |params: &mut Vec<f64>,
                          rng: &mut solution_04::ChaCha8Rng,
                          acc: &mut Vec<f64>,
                          opt: &mut Box<dyn Optimizer>| {
        let order = if mistake == LoopMistake::NoShuffle {
            (0..train.len()).collect()
        } else {
            solution_04::shuffled_order(train.len(), rng)
        };
        for batch in order.chunks(batch_size(s.descent, train.len())) {
            let rows = if mistake == LoopMistake::WholeSetGradient {
                train.clone()
            } else {
                train.rows(batch)
            };
            let g = reference_gradient(case.criterion, params, &rows.xs, &rows.y);
            let used = if mistake == LoopMistake::Accumulate {
                for (a, g) in acc.iter_mut().zip(&g) {
                    *a += g;
                }
                acc.clone()
            } else {
                g
            };
            opt.step(params, &used).expect("lengths agree");
        }
    };
    for epoch in 0..s.epochs {
        if mistake == LoopMistake::ReseedEveryEpoch {
            rng = solution_01::seeded_rng(s.seed);
        }
        if mistake == LoopMistake::LossAfterUpdate {
            epoch_of_steps(&mut params, &mut rng, &mut accumulated, &mut optimizer);
        }
        let train_loss = criterion_loss(case.criterion, &params, train);
        let initial = history.train.first().copied().unwrap_or(train_loss);
        if !train_loss.is_finite() || train_loss > 1e6 * initial {
            return Run { params, history, outcome: Outcome::Diverged { epoch, loss: train_loss } };
        }
        let watched =
            if mistake == LoopMistake::ValidationOnTrain { train } else { &case.data.validation };
        let validation_loss = criterion_loss(case.criterion, &params, watched);
        history.train.push(train_loss);
        history.validation.push(validation_loss);
        if validation_loss < s.stop_below {
            return Run { params, history, outcome: Outcome::Converged { epoch } };
        }
        if mistake != LoopMistake::LossAfterUpdate {
            epoch_of_steps(&mut params, &mut rng, &mut accumulated, &mut optimizer);
        }
    }
    Run { params, history, outcome: Outcome::MaxEpochs }
}

/// The training losses of the fixture's run with gradients that accumulate
/// (batch descent on the lecture's data).
pub fn accumulated_losses(run: &TorchRun) -> Vec<f64> {
    let config = match run.hyper.kind {
        Kind::Sgd => OptimizerConfig::Sgd(run.hyper.sgd_config()),
        Kind::Adam => OptimizerConfig::Adam(run.hyper.adam_config()),
        Kind::AdamW => OptimizerConfig::AdamW(run.hyper.adam_config()),
    };
    let case = Case {
        start: vec![UNTRAINED.w, UNTRAINED.b],
        data: FeatureSplit::from_split(&lecture()),
        criterion: run.criterion,
        config,
        settings: Settings {
            epochs: run.loss_before_step.len(),
            stop_below: 0.0,
            ..Settings::lecture()
        },
    };
    simulate_run(&case, LoopMistake::Accumulate).history.train
}

fn same_outcome(a: Outcome, b: Outcome) -> bool {
    match (a, b) {
        (Outcome::Diverged { epoch: x, loss: l }, Outcome::Diverged { epoch: y, loss: m }) => {
            x == y && close(l, m)
        }
        (a, b) => a == b,
    }
}

pub fn same_run(a: &Run, b: &Run) -> bool {
    same_outcome(a.outcome, b.outcome)
        && same_numbers(&a.history.train, &b.history.train)
        && same_numbers(&a.history.validation, &b.history.validation)
        && same_numbers(&a.params, &b.params)
}

pub fn describe(run: &Run) -> String {
    format!(
        "{:?} with train {}, validation {}, ending at {:?}",
        run.outcome,
        short(&run.history.train),
        short(&run.history.validation),
        run.params
    )
}

/// The learner's `train` on `case`, with the reference optimizer.
#[track_caller]
pub fn train_case(case: &Case, what: &str) -> (String, Result<Run, exercise_05::TrainError>) {
    let text = case.text(what);
    let mut optimizer = reference_optimizer(&case.config);
    let got = call(&text, TRAIN, || {
        exercise_05::train(
            &case.start,
            &case.data,
            case.criterion,
            optimizer.as_mut(),
            &case.settings,
            &mut std::io::sink(),
        )
    });
    (text, got)
}

/// Checks a run of `train` against the expected run, and explains a wrong one.
#[track_caller]
pub fn check_run(text: &str, got: Result<Run, exercise_05::TrainError>, case: &Case) {
    let expected = simulate_run(case, LoopMistake::None);
    match got {
        Err(e) => fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            format!("Ok: {}", describe(&expected)),
            TRAIN,
        ),
        Ok(run) => {
            let hint = LOOP_MISTAKES
                .iter()
                .find(|(m, _)| {
                    let wrong = simulate_run(case, *m);
                    !same_run(&wrong, &expected) && same_run(&run, &wrong)
                })
                .map_or(TRAIN, |(_, h)| *h);
            check(
                same_run(&run, &expected),
                text,
                describe(&run),
                format!("{} ({TOL})", describe(&expected)),
                hint,
            );
        }
    }
}

fn three_points() -> FeatureSplit {
    FeatureSplit::from_split(&three_point_split())
}

#[test]
fn two_epochs_of_sgd_on_three_points_are_exercise_4s() {
    // From the flat line with α = 0.1: the loss 83/3 before the first step,
    // and the loss of (2.2667, 1) before the second, as in chapter 4.
    let case = Case {
        start: vec![0.0, 0.0],
        data: three_points(),
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig::new(0.1)),
        settings: Settings { epochs: 2, stop_below: 0.0, ..Settings::lecture() },
    };
    let (text, got) = train_case(&case, "three_points");
    if let Ok(run) = &got {
        check(
            run.history.train.first().is_some_and(|l| close(*l, 83.0 / 3.0)),
            &text,
            format!("history.train = {:?}", run.history.train),
            "history.train[0] = 27.666…, the loss 83/3 of the starting line",
            "record the loss of the current parameters before the epoch's steps (see 'The refactored loop' in chapter 5)",
        );
    }
    check_run(&text, got, &case);
}

#[test]
fn the_gradient_is_computed_afresh_for_every_step() {
    // Stochastic descent takes 3 steps per epoch on the three points: a loop
    // whose gradients pile up goes wrong from the second step on.
    let case = Case {
        start: vec![0.0, 0.0],
        data: three_points(),
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig::new(0.02)),
        settings: Settings {
            epochs: 4,
            descent: Descent::Stochastic,
            stop_below: 0.0,
            ..Settings::lecture()
        },
    };
    let (text, got) = train_case(&case, "three_points");
    check_run(&text, got, &case);
}

#[test]
fn plain_sgd_through_the_new_loop_is_exercise_4s_train() {
    let split = lecture();
    for descent in [Descent::Batch, Descent::MiniBatch(32), Descent::Stochastic] {
        let settings = Settings { descent, epochs: 30, ..Settings::lecture() };
        let case = Case {
            start: vec![UNTRAINED.w, UNTRAINED.b],
            data: FeatureSplit::from_split(&split),
            criterion: Criterion::Mse,
            config: OptimizerConfig::Sgd(SgdConfig::new(0.1)),
            settings,
        };
        let (text, got) = train_case(&case, "FeatureSplit::from_split(&lecture_split()?)");
        let old = solution_04::train(UNTRAINED, &split, 0.1, &settings, &mut std::io::sink())
            .expect("exercise 04's run");
        if let Ok(run) = &got {
            check(
                same_numbers(&run.history.train, &old.history.train)
                    && same_numbers(&run.history.validation, &old.history.validation),
                &text,
                describe(run),
                format!(
                    "exercise 04's train with α = 0.1: train {}, validation {}",
                    short(&old.history.train),
                    short(&old.history.validation)
                ),
                TRAIN,
            );
        }
        check_run(&text, got, &case);
    }
}

#[test]
fn adam_with_mini_batches_on_the_lecture_data() {
    let case = Case {
        start: vec![UNTRAINED.w, UNTRAINED.b],
        data: FeatureSplit::from_split(&lecture()),
        criterion: Criterion::HalfMse,
        config: OptimizerConfig::Adam(AdamConfig::new(0.05)),
        settings: Settings { descent: Descent::MiniBatch(16), epochs: 25, ..Settings::lecture() },
    };
    let (text, got) = train_case(&case, "FeatureSplit::from_split(&lecture_split()?)");
    check_run(&text, got, &case);
}

/// Two features: y = 1 + 2·x₁ − x₂ plus a little noise, 12 training and 4
/// validation examples.
pub fn two_features() -> FeatureSplit {
    let rows = |n: usize, shift: f64| -> Examples {
        let xs: Vec<Vec<f64>> = (0..n)
            .map(|i| vec![(i as f64 * 0.37 + shift).sin(), (i as f64 * 0.61 + shift).cos()])
            .collect();
        let y = xs
            .iter()
            .enumerate()
            .map(|(i, r)| 1.0 + 2.0 * r[0] - r[1] + 0.05 * (i as f64 * 1.3).sin())
            .collect();
        Examples { xs, y }
    };
    FeatureSplit { train: rows(12, 0.0), validation: rows(4, 0.5) }
}

#[test]
fn train_works_with_two_features() {
    let case = Case {
        start: vec![0.0, 0.0, 0.0],
        data: two_features(),
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig {
            momentum: 0.9,
            nesterov: true,
            ..SgdConfig::new(0.05)
        }),
        settings: Settings {
            descent: Descent::MiniBatch(5),
            epochs: 40,
            stop_below: 0.0,
            ..Settings::lecture()
        },
    };
    let (text, got) = train_case(&case, "two_features");
    check_run(&text, got, &case);
}

#[test]
fn the_stopping_rule_ends_a_run_that_has_converged() {
    // Two examples at x = 0, y = 1, from b = 0 with α = 0.25: the bias halves
    // its distance to 1 every step, the loss is 4^−e, and 4^−7 < 0.0001.
    let example = Examples { xs: vec![vec![0.0], vec![0.0]], y: vec![1.0, 1.0] };
    let case = Case {
        start: vec![0.0, 0.0],
        data: FeatureSplit { train: example.clone(), validation: example },
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig::new(0.25)),
        settings: Settings::lecture(),
    };
    let (text, got) = train_case(&case, "two examples at x = 0, y = 1");
    if let Ok(run) = &got {
        check(
            run.outcome == Outcome::Converged { epoch: 7 },
            &text,
            format!("{:?}", run.outcome),
            "Converged { epoch: 7 }",
            "check validation_loss < settings.stop_below after recording the losses, and return Outcome::Converged { epoch } (see 'The refactored loop' in chapter 5)",
        );
    }
    check_run(&text, got, &case);
}

#[test]
fn a_run_away_ends_as_diverged() {
    let case = Case {
        start: vec![UNTRAINED.w, UNTRAINED.b],
        data: FeatureSplit::from_split(&lecture()),
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(2.0) }),
        settings: Settings::lecture(),
    };
    let (text, got) = train_case(&case, "FeatureSplit::from_split(&lecture_split()?)");
    if let Ok(run) = &got {
        check(
            matches!(run.outcome, Outcome::Diverged { .. }),
            &text,
            format!("{:?}", run.outcome),
            "Outcome::Diverged { … }",
            "check has_diverged(train_loss, initial) on every epoch's training loss, before adding it to the history (see 'The refactored loop' in chapter 5)",
        );
    }
    check_run(&text, got, &case);
}

#[test]
fn the_progress_log_is_exercise_4s() {
    let split = lecture();
    let settings = Settings { epochs: 25, ..Settings::lecture() };
    let config = OptimizerConfig::Adam(AdamConfig::new(0.1));
    let text = format!(
        "train_line({UNTRAINED:?}, &lecture_split()?, Criterion::Mse, optimizer(&{config:?})?.as_mut(), &{settings:?}, &mut log)"
    );
    let mut log: Vec<u8> = Vec::new();
    let mut optimizer = reference_optimizer(&config);
    let got = call(&text, TRAIN, || {
        exercise_05::train_line(
            UNTRAINED,
            &split,
            Criterion::Mse,
            optimizer.as_mut(),
            &settings,
            &mut log,
        )
    });
    let run =
        got.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a training run)", TRAIN));
    let h = &run.history;
    let expected: String = [0, 10, 20]
        .iter()
        .filter(|&&e| e < h.train.len())
        .map(|&e| format!("{}\n", solution_04::progress_line(e, h.train[e], h.validation[e])))
        .collect();
    let log = String::from_utf8_lossy(&log).to_string();
    check(
        log == expected,
        &text,
        format!("a log of {log:?}"),
        format!("{expected:?}"),
        "write progress_line(epoch, train_loss, validation_loss) and a line break when is_log_epoch(epoch) (see 'The refactored loop' in chapter 5)",
    );
}

#[test]
fn with_the_rule_off_a_perfect_line_runs_every_epoch() {
    // The true line y = 2x + 1 fits the three points and both validation
    // points exactly: every loss is 0, every gradient 0. A stop_below of 0
    // turns the rule off (no loss is below 0), so all 3 epochs run.
    let case = Case {
        start: vec![2.0, 1.0],
        data: three_points(),
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig::new(0.1)),
        settings: Settings { epochs: 3, descent: Descent::Batch, seed: 100, stop_below: 0.0 },
    };
    let (text, got) = train_case(&case, "three_points() on their own line, with stop_below 0");
    if let Ok(run) = &got {
        check(
            run.outcome == Outcome::MaxEpochs,
            &text,
            format!("{:?}", run.outcome),
            "MaxEpochs",
            "a loss equal to stop_below has not fallen below it: stop when validation_loss < settings.stop_below, not <= (see 'The refactored loop' in chapter 5)",
        );
    }
    check_run(&text, got, &case);
}
