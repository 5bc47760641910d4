//! The whole loop: histories worked out by hand, the stopping rule,
//! divergence, the progress log, and the update rule as a parameter.

use exercise_04::{
    Dataset, Descent, Gradient, History, Outcome, Params, Settings, Split, Training,
};
use support::{call, check, fail};

use crate::*;

fn settings(epochs: usize, descent: Descent, stop_below: f64) -> Settings {
    Settings { epochs, descent, seed: 100, stop_below }
}

#[test]
fn two_epochs_of_batch_descent_on_the_three_points() {
    // Epoch 0 starts at w = 0, b = 0: training loss 83/3 (errors −3, −5, −7),
    // validation loss (2² + 6²)/2 = 20. Its one step goes to w = 6.8/3,
    // b = 1 ('One step by hand'). Epoch 1 starts there: training loss
    // 224/675, validation loss ((2/15)² + (10/15)²)/2 = 52/225; its step,
    // with dw = 112/45 and db = 16/15, ends at w = 6.8/3 − 0.1·112/45,
    // b = 1 − 0.1·16/15.
    let case = Case {
        start: Params { w: 0.0, b: 0.0 },
        split: three_point_split(),
        learning_rate: 0.1,
        settings: settings(2, Descent::Batch, 0.0),
    };
    let expected = Training {
        params: Params { w: 6.8 / 3.0 - 0.1 * 112.0 / 45.0, b: 1.0 - 0.1 * 16.0 / 15.0 },
        history: History {
            train: vec![83.0 / 3.0, 224.0 / 675.0],
            validation: vec![20.0, 52.0 / 225.0],
        },
        outcome: Outcome::MaxEpochs,
    };
    let (text, got) = train_case(&case, "three_point_split", TRAIN);
    check_run(&text, got, &expected, &case, TRAIN);
}

#[test]
fn mini_batch_descent_reshuffles_every_epoch_and_keeps_the_last_batch() {
    // Seven examples in batches of 3 (3 + 3 + 1), five epochs: the losses
    // depend on the order of every epoch, so they show whether the order
    // is shuffled, reshuffled each epoch from the one generator, and cut
    // with the short batch kept.
    let case = Case {
        start: Params { w: 0.0, b: 0.0 },
        split: seven_point_split(),
        learning_rate: 0.5,
        settings: settings(5, Descent::MiniBatch(3), 0.0),
    };
    let expected = simulate(&case, Mistake::None);
    let (text, got) = train_case(&case, "seven_point_split", TRAIN);
    check_run(&text, got, &expected, &case, TRAIN);
}

#[test]
fn stochastic_descent_reshuffles_every_epoch() {
    let case = Case {
        start: UNTRAINED,
        split: seven_point_split(),
        learning_rate: 0.3,
        settings: settings(4, Descent::Stochastic, 0.0),
    };
    let expected = simulate(&case, Mistake::None);
    let (text, got) = train_case(&case, "seven_point_split", TRAIN);
    check_run(&text, got, &expected, &case, TRAIN);
}

/// Two examples at x = 0 with y = 1, so that only the bias learns: with
/// α = 0.25 each step halves the bias's distance to 1, and the loss
/// quarters every epoch.
fn bias_only(validation_y: f64) -> Split {
    Split {
        train: Dataset { x: vec![0.0, 0.0], y: vec![1.0, 1.0] },
        validation: Dataset { x: vec![0.0], y: vec![validation_y] },
    }
}

#[test]
fn the_stopping_rule_fires_at_the_first_validation_loss_below_a_ten_thousandth() {
    // b = 1 − 2⁻ᵉ at the start of epoch e, so both losses are 4⁻ᵉ:
    // 4⁻⁶ ≈ 0.000244 is not below 0.0001, 4⁻⁷ ≈ 0.000061 is. The run stops
    // at the start of epoch 7, with b = 1 − 2⁻⁷ and 8 entries in the history.
    let case = Case {
        start: Params { w: 0.0, b: 0.0 },
        split: bias_only(1.0),
        learning_rate: 0.25,
        settings: settings(100, Descent::Batch, 1e-4),
    };
    let quarters: Vec<f64> = (0..8).map(|e| 0.25f64.powi(e)).collect();
    let expected = Training {
        params: Params { w: 0.0, b: 1.0 - 0.5f64.powi(7) },
        history: History { train: quarters.clone(), validation: quarters },
        outcome: Outcome::Converged { epoch: 7 },
    };
    let (text, got) = train_case(&case, "bias_only", TRAIN);
    check_run(
        &text,
        got,
        &expected,
        &case,
        "stop as soon as the validation loss is below settings.stop_below, at the start of the epoch, after recording it (see 'Validation and the stopping rule' in chapter 4)",
    );
}

#[test]
fn the_stopping_rule_watches_the_validation_loss_not_the_training_loss() {
    // The same training set, but the validation point is (0, 1.5): the
    // training loss still quarters (4⁻ᵉ), while the validation loss
    // (0.5 + 2⁻ᵉ)² only falls towards 0.25, never below 0.0001. So the run
    // goes on for all its 12 epochs.
    let case = Case {
        start: Params { w: 0.0, b: 0.0 },
        split: bias_only(1.5),
        learning_rate: 0.25,
        settings: settings(12, Descent::Batch, 1e-4),
    };
    let expected = Training {
        params: Params { w: 0.0, b: 1.0 - 0.5f64.powi(12) },
        history: History {
            train: (0..12).map(|e| 0.25f64.powi(e)).collect(),
            validation: (0..12).map(|e| (0.5 + 0.5f64.powi(e)).powi(2)).collect(),
        },
        outcome: Outcome::MaxEpochs,
    };
    let (text, got) = train_case(&case, "bias_only_with_validation_at_1_5", TRAIN);
    check_run(&text, got, &expected, &case, TRAIN);
}

#[test]
fn with_the_rule_off_a_perfect_line_runs_every_epoch() {
    // The true line y = 2x + 1 fits the three points and both validation
    // points exactly: every loss is 0, every gradient 0. A stop_below of 0
    // turns the rule off (no loss is below 0), so all 3 epochs run.
    let case = Case {
        start: Params { w: 2.0, b: 1.0 },
        split: three_point_split(),
        learning_rate: 0.1,
        settings: settings(3, Descent::Batch, 0.0),
    };
    let expected = Training {
        params: Params { w: 2.0, b: 1.0 },
        history: History { train: vec![0.0; 3], validation: vec![0.0; 3] },
        outcome: Outcome::MaxEpochs,
    };
    let (text, got) = train_case(&case, "three_point_split", TRAIN);
    check_run(&text, got, &expected, &case, TRAIN);
}

#[test]
fn the_epoch_that_converges_gets_its_progress_line() {
    // Starting on the true line, the validation loss of epoch 0 is 0, below
    // 0.0001: the run converges at once. Epoch 0 is a logged epoch, and its
    // line is written before the stopping rule is checked.
    let settings = settings(100, Descent::Batch, 1e-4);
    let start = Params { w: 2.0, b: 1.0 };
    let text = format!(
        "train({}, &three_point_split, 0.1, &{settings:?}, &mut log) with log = Vec::new()",
        params(start)
    );
    let mut log: Vec<u8> = Vec::new();
    let got = call(&text, TRAIN, || {
        exercise_04::train(start, &three_point_split(), 0.1, &settings, &mut log)
    });
    let run = got.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a run)", TRAIN));
    let expected_run = Training {
        params: start,
        history: History { train: vec![0.0], validation: vec![0.0] },
        outcome: Outcome::Converged { epoch: 0 },
    };
    let hint = if run.history.train.is_empty() { CONVERGED_NOT_RECORDED } else { TRAIN };
    check(same_run(&run, &expected_run), &text, describe(&run), describe(&expected_run), hint);
    let written = String::from_utf8_lossy(&log).to_string();
    let expected = "epoch    0  train loss 0.000000  validation loss 0.000000\n";
    let hint = if written.is_empty() { STOP_BEFORE_LOG } else { TRAIN };
    check(
        written == expected,
        &text,
        format!("a log of {written:?}"),
        format!("a log of {expected:?}"),
        hint,
    );
}

#[test]
fn a_run_away_is_measured_against_the_first_loss() {
    // Only the bias learns (x = 0), and α = 5.5 multiplies its distance to 1
    // by 1 − 2α = −10 every epoch: the loss is 100ᵉ at epoch e. Epoch 3's
    // loss, 10⁶, is exactly GROWTH_LIMIT times the first and still allowed;
    // epoch 4's, 10⁸, is more: Diverged { epoch: 4, loss: 1e8 }. A loss that
    // grows 100-fold per epoch never grows a millionfold in one epoch.
    let case = Case {
        start: Params { w: 0.0, b: 0.0 },
        split: bias_only(1.0),
        learning_rate: 5.5,
        settings: settings(200, Descent::Batch, 0.0),
    };
    let losses = vec![1.0, 100.0, 1e4, 1e6];
    let expected = Training {
        params: Params { w: 0.0, b: 1.0 - 1e4 },
        history: History { train: losses.clone(), validation: losses },
        outcome: Outcome::Diverged { epoch: 4, loss: 1e8 },
    };
    let (text, got) = train_case(&case, "bias_only", TRAIN);
    check_run(&text, got, &expected, &case, DIVERGED);
}

#[test]
fn a_run_that_diverges_at_epoch_0_writes_no_progress_line() {
    // A NaN start diverges at epoch 0, before its losses count: no history,
    // and no progress line, although epoch 0 is a logged epoch.
    let settings = settings(100, Descent::Batch, 1e-4);
    let start = Params { w: f64::NAN, b: 0.0 };
    let text = format!(
        "train({}, &three_point_split, 0.1, &{settings:?}, &mut log) with log = Vec::new()",
        params(start)
    );
    let mut log: Vec<u8> = Vec::new();
    let got = call(&text, TRAIN, || {
        exercise_04::train(start, &three_point_split(), 0.1, &settings, &mut log)
    });
    if let Err(e) = got {
        fail(&text, format!("Err({e:?})"), "Ok(a run that diverged)", TRAIN);
    }
    let written = String::from_utf8_lossy(&log).to_string();
    check(written.is_empty(), &text, format!("a log of {written:?}"), "an empty log", LOG_DIVERGED);
}

#[test]
fn on_the_lecture_data_the_stopping_rule_never_fires() {
    // The noise of the lecture's recipe has a standard deviation of 0.1, so
    // even the true line has a loss of about 0.1² = 0.01: a validation loss
    // below 0.0001 is out of reach, and all 100 epochs run.
    let case = Case {
        start: UNTRAINED,
        split: lecture(),
        learning_rate: 0.1,
        settings: Settings::lecture(),
    };
    let (text, got) = train_case(&case, "lecture_split()?", TRAIN);
    let expected = simulate(&case, Mistake::None);
    check_run(&text, got, &expected, &case, TRAIN);
}

#[test]
fn too_large_a_learning_rate_diverges_and_says_so() {
    // On the lecture's data any rate above about 0.78 makes batch descent
    // overshoot further each step. With 1.0 the training loss grows about
    // 2.4 times per epoch, from 3.84 to more than a million times that at
    // the start of epoch 16: Diverged { epoch: 16, .. }, with the 16 sound
    // epochs in the history.
    let case = Case {
        start: UNTRAINED,
        split: lecture(),
        learning_rate: 1.0,
        settings: Settings::lecture(),
    };
    let (text, got) = train_case(&case, "lecture_split()?", TRAIN);
    let expected = simulate(&case, Mistake::None);
    check(
        matches!(expected.outcome, Outcome::Diverged { epoch: 16, .. }),
        "the tests' own run of the lecture at learning rate 1.0",
        format!("{:?}", expected.outcome),
        "Diverged { epoch: 16, .. }",
        "this is a problem of the tests, not of your code",
    );
    check_run(&text, got, &expected, &case, DIVERGED);
}

#[test]
fn a_nan_start_is_reported_as_diverged_at_epoch_0() {
    // Parameters that are NaN give a NaN loss from the first epoch on: the
    // run must end at once, with an empty history, and not run 100 epochs
    // of NaN and call that a success.
    let case = Case {
        start: Params { w: f64::NAN, b: 0.0 },
        split: three_point_split(),
        learning_rate: 0.1,
        settings: settings(100, Descent::Batch, 1e-4),
    };
    let (text, got) = train_case(&case, "three_point_split", TRAIN);
    let expected = Training {
        params: case.start,
        history: History::default(),
        outcome: Outcome::Diverged { epoch: 0, loss: f64::NAN },
    };
    check_run(&text, got, &expected, &case, DIVERGED);
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_another() {
    let case = Case {
        start: UNTRAINED,
        split: lecture(),
        learning_rate: 0.1,
        settings: settings(5, Descent::Stochastic, 0.0),
    };
    let (text, first) = train_case(&case, "lecture_split()?", TRAIN);
    let (_, second) = train_case(&case, "lecture_split()?", TRAIN);
    let other_case = Case { settings: Settings { seed: 101, ..case.settings }, ..case.clone() };
    let (other_text, other) = train_case(&other_case, "lecture_split()?", TRAIN);
    let (Ok(first), Ok(second), Ok(other)) = (first, second, other) else {
        fail(&text, "an error", "Ok, three times", TRAIN)
    };
    check(
        first.history == second.history && first.params == second.params,
        &format!("{text}, twice"),
        format!("{} and then {}", short_history(&first.history), short_history(&second.history)),
        "the very same history twice: one seed, one generator, the same numbers",
        "make the generator from settings.seed and nothing else: no thread_rng, no clock (see 'Shuffling, once per epoch' in chapter 4)",
    );
    check(
        first.history.train.get(1..) != other.history.train.get(1..),
        &format!("{text}, and {other_text}"),
        format!("the same history for seeds 100 and 101: {}", short_history(&first.history)),
        "different histories: another seed shuffles the examples into other orders",
        "make the generator from settings.seed, so that the seed decides the orders (see 'Shuffling, once per epoch' in chapter 4)",
    );
}

/// The epochs named by the lines of a progress log.
fn logged_epochs(log: &str) -> Vec<String> {
    log.lines().map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string()).collect()
}

#[test]
fn the_progress_log_of_25_epochs_of_the_lecture() {
    let settings = Settings { epochs: 25, ..Settings::lecture() };
    let text = format!(
        "train({}, &lecture_split()?, 0.1, &{settings:?}, &mut log) with log = Vec::new()",
        params(UNTRAINED)
    );
    let mut log: Vec<u8> = Vec::new();
    let got =
        call(&text, TRAIN, || exercise_04::train(UNTRAINED, &lecture(), 0.1, &settings, &mut log));
    if let Err(e) = got {
        fail(&text, format!("Err({e:?})"), "Ok(a training run)", TRAIN);
    }
    let written = String::from_utf8_lossy(&log).to_string();
    let expected = "\
epoch    0  train loss 3.844310  validation loss 3.781692
epoch   10  train loss 0.286971  validation loss 0.196126
epoch   20  train loss 0.210285  validation loss 0.139444
";
    let hint = if logged_epochs(&written) != logged_epochs(expected) {
        WRONG_LOG_EPOCHS
    } else {
        "each line is progress_line(epoch, train_loss, validation_loss) followed by a line break, writeln!(log, \"{}\", …), with the losses of the epoch before its updates (see 'A line of progress' in chapter 4)"
    };
    check(
        written == expected,
        &text,
        format!("a log of\n{written}"),
        format!("a log of\n{expected}"),
        hint,
    );
}

#[test]
fn train_with_steps_with_the_update_rule_it_is_given() {
    // An update rule that counts its calls and takes plain steps of 0.05:
    // 3 epochs of batches of 32 out of 80 examples are 3 · 3 = 9 calls, and
    // the run is the one train makes with the learning rate 0.05.
    let settings =
        Settings { epochs: 3, descent: Descent::MiniBatch(32), seed: 100, stop_below: 0.0 };
    let text = format!(
        "train_with({}, &lecture_split()?, &{settings:?}, &mut log, |p, g| {{ calls += 1; Params {{ w: p.w - 0.05 * g.dw, b: p.b - 0.05 * g.db }} }})",
        params(UNTRAINED)
    );
    let mut calls = 0;
    let got = call(&text, TRAIN, || {
        exercise_04::train_with(
            UNTRAINED,
            &lecture(),
            &settings,
            &mut std::io::sink(),
            |p: Params, g: Gradient| {
                calls += 1;
                Params { w: p.w - 0.05 * g.dw, b: p.b - 0.05 * g.db }
            },
        )
    });
    let case = Case { start: UNTRAINED, split: lecture(), learning_rate: 0.05, settings };
    let expected = simulate(&case, Mistake::None);
    let hint = if calls == 6 { DROPPED_LAST } else { TRAIN };
    check(
        calls == 9,
        &text,
        format!("{calls} calls of the update rule"),
        "9 calls: 3 epochs of ⌈80 / 32⌉ = 3 steps",
        hint,
    );
    check_run(&text, got, &expected, &case, TRAIN);
}

#[test]
fn train_is_train_with_plain_gradient_steps() {
    let case = Case {
        start: UNTRAINED,
        split: lecture(),
        learning_rate: 0.2,
        settings: settings(10, Descent::MiniBatch(16), 0.0),
    };
    let (text, got) = train_case(&case, "lecture_split()?", TRAIN_RATE);
    let expected = simulate(&case, Mistake::None);
    check_run(&text, got, &expected, &case, TRAIN_RATE);
}
