//! The experiments: a sweep over learning rates, and the best learning rate
//! and number of epochs by validation loss.

use exercise_05::{
    Choice, Criterion, History, OptimizerConfig, Outcome, Settings, Training, Trial,
};
use support::{call, check, fail};

use crate::pytorch::reference_config;
use crate::*;

/// A trial with the given losses, as a sweep would return it.
fn trial(learning_rate: f64, train: &[f64], validation: &[f64]) -> Trial {
    Trial {
        learning_rate,
        training: Training {
            params: UNTRAINED,
            history: History { train: train.to_vec(), validation: validation.to_vec() },
            outcome: Outcome::MaxEpochs,
        },
    }
}

fn show(trials: &[Trial]) -> String {
    let parts: Vec<String> = trials
        .iter()
        .map(|t| {
            format!(
                "Trial {{ learning_rate: {:?}, train: {:?}, validation: {:?} }}",
                t.learning_rate, t.training.history.train, t.training.history.validation
            )
        })
        .collect();
    format!("&[{}]", parts.join(", "))
}

#[test]
fn the_best_choice_is_the_smallest_validation_loss_at_any_epoch() {
    // The second epoch of the first run is best (validation 1.0). The
    // smallest training loss is the last epoch of the first run; the best
    // last epoch is the second run's.
    let trials = [
        trial(0.1, &[5.0, 2.0, 1.0, 0.5], &[5.0, 1.0, 3.0, 4.0]),
        trial(0.01, &[5.0, 4.0, 3.0, 2.5], &[5.0, 4.0, 3.0, 2.0]),
    ];
    let text = format!("best_choice({})", show(&trials));
    let got = call(&text, BEST, || exercise_05::best_choice(&trials));
    let expected = Some(Choice { learning_rate: 0.1, epochs: 1, validation_loss: 1.0 });
    let hint = match got {
        Some(Choice { learning_rate: 0.1, epochs: 3, .. }) => BEST_BY_TRAINING,
        Some(Choice { learning_rate: 0.01, epochs: 3, .. }) => BEST_LAST_EPOCH,
        Some(Choice { learning_rate: 0.1, epochs: 2, validation_loss: 1.0 }) => EPOCHS_FROM_ONE,
        _ => BEST,
    };
    check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn on_a_tie_the_earlier_choice_wins() {
    let trials = [
        trial(0.001, &[3.0, 2.0, 2.0], &[3.0, 2.0, 2.0]),
        trial(0.01, &[3.0, 1.0, 2.0], &[3.0, 2.0, 2.0]),
    ];
    let text = format!("best_choice({})", show(&trials));
    let got = call(&text, BEST, || exercise_05::best_choice(&trials));
    let expected = Some(Choice { learning_rate: 0.001, epochs: 1, validation_loss: 2.0 });
    check(
        got == expected,
        &text,
        format!("{got:?}"),
        format!("{expected:?}"),
        "on a tie keep the first: replace the best only when a loss is strictly smaller, with < (see 'Learning rates and epochs' in chapter 5)",
    );
}

#[test]
fn no_trials_have_no_best_choice() {
    let empty: [Trial; 0] = [];
    let got = call("best_choice(&[])", BEST, || exercise_05::best_choice(&empty));
    check(got.is_none(), "best_choice(&[])", format!("{got:?}"), "None", BEST);
    // A run that diverged at once has an empty history, and is skipped.
    let trials = [trial(10.0, &[], &[]), trial(0.1, &[2.0], &[1.5])];
    let text = format!("best_choice({})", show(&trials));
    let got = call(&text, BEST, || exercise_05::best_choice(&trials));
    let expected = Some(Choice { learning_rate: 0.1, epochs: 0, validation_loss: 1.5 });
    check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), BEST);
}

#[test]
fn a_nan_anywhere_in_a_history_is_never_the_best() {
    // The first run's history starts with NaN and has another in the
    // middle; NaN is never smaller than anything, and never the best.
    let trials = [
        trial(0.1, &[5.0, 4.0, 3.0, 2.0], &[f64::NAN, 4.0, f64::NAN, 2.5]),
        trial(0.01, &[5.0, 4.0, 3.0], &[3.0, f64::NAN, 2.0]),
    ];
    let text = format!("best_choice({})", show(&trials));
    let got = call(&text, NAN_STOPS_SEARCH, || exercise_05::best_choice(&trials));
    let expected = Some(Choice { learning_rate: 0.01, epochs: 2, validation_loss: 2.0 });
    let hint = match got {
        Some(c) if c.validation_loss.is_nan() => NAN_KEPT,
        _ => BEST,
    };
    check(
        format!("{got:?}") == format!("{expected:?}"),
        &text,
        format!("{got:?}"),
        format!("{expected:?}"),
        hint,
    );
}

#[test]
fn an_infinite_validation_loss_can_still_be_the_best() {
    // Every validation loss overflowed: they are losses all the same, and
    // the first of the smallest is the choice, not None.
    let trials = [trial(0.1, &[1e300, 1e301], &[f64::INFINITY, f64::INFINITY])];
    let text = format!("best_choice({})", show(&trials));
    let got = call(&text, BEST, || exercise_05::best_choice(&trials));
    let expected = Some(Choice { learning_rate: 0.1, epochs: 0, validation_loss: f64::INFINITY });
    let hint = if got.is_none() { INFINITE_LOSS } else { BEST };
    check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn a_sweep_keeps_the_runs_that_diverged() {
    // Plain SGD on the lecture's data runs away above a learning rate of
    // about 0.78: the run at 5.0 diverges, and is a trial like the others.
    let config = OptimizerConfig::Sgd(SgdConfig::new(0.1));
    let settings = Settings { epochs: 30, ..Settings::lecture() };
    let rates = [0.1, 5.0, 0.01];
    let text = format!(
        "sweep({UNTRAINED:?}, &lecture_split()?, Criterion::Mse, &{config:?}, &{rates:?}, &{settings:?})"
    );
    let got = call(&text, SWEEP, || {
        exercise_05::sweep(UNTRAINED, &lecture(), Criterion::Mse, &config, &rates, &settings)
    });
    let trials = got
        .unwrap_or_else(|e| fail(&text, format!("Err({e:?}): \"{e}\""), "Ok(three trials)", SWEEP));
    let outcomes: Vec<(f64, Outcome)> =
        trials.iter().map(|t| (t.learning_rate, t.training.outcome)).collect();
    let diverged = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Diverged { .. })).count();
    let hint = if trials.len() == 2 && diverged == 0 { DIVERGED_DROPPED } else { SWEEP };
    check(
        trials.len() == 3 && matches!(outcomes[1], (5.0, Outcome::Diverged { .. })),
        &text,
        format!("{} trials: {outcomes:?}", trials.len()),
        "3 trials, in the order of the rates, the one at 5.0 Diverged",
        hint,
    );
}

#[test]
fn the_sweep_trains_once_per_learning_rate() {
    let config = OptimizerConfig::Adam(AdamConfig::new(0.5));
    let settings = Settings { epochs: 20, ..Settings::lecture() };
    let rates = [0.001, 0.01, 0.1];
    let text = format!(
        "sweep({UNTRAINED:?}, &lecture_split()?, Criterion::Mse, &{config:?}, &{rates:?}, &{settings:?})"
    );
    let got = call(&text, SWEEP, || {
        exercise_05::sweep(UNTRAINED, &lecture(), Criterion::Mse, &config, &rates, &settings)
    });
    let trials = got
        .unwrap_or_else(|e| fail(&text, format!("Err({e:?}): \"{e}\""), "Ok(three trials)", SWEEP));
    let expected = reference::sweep(
        UNTRAINED,
        &lecture(),
        reference::Criterion::Mse,
        &reference_config(&config),
        &rates,
        &settings,
    )
    .expect("the reference sweep");
    let got_rates: Vec<f64> = trials.iter().map(|t| t.learning_rate).collect();
    check(
        got_rates == rates,
        &text,
        format!("trials for the learning rates {got_rates:?}"),
        format!("trials for {rates:?}"),
        SWEEP,
    );
    let all_alike = trials.len() > 1
        && trials
            .iter()
            .all(|t| same_numbers(&t.training.history.train, &trials[0].training.history.train));
    for (got, want) in trials.iter().zip(&expected) {
        let same = same_numbers(&got.training.history.train, &want.training.history.train)
            && same_numbers(&got.training.history.validation, &want.training.history.validation);
        check(
            same,
            &text,
            format!(
                "the run at {}: train {}",
                got.learning_rate,
                short(&got.training.history.train)
            ),
            format!("train {} ({TOL})", short(&want.training.history.train)),
            if all_alike { SAME_RATE } else { SWEEP },
        );
    }
}

#[test]
fn the_sweep_refuses_a_bad_learning_rate() {
    let config = OptimizerConfig::Sgd(SgdConfig::new(0.1));
    let settings = Settings { epochs: 3, ..Settings::lecture() };
    let rates = [0.01, -0.5];
    let text = format!(
        "sweep({UNTRAINED:?}, &lecture_split()?, Criterion::Mse, &{config:?}, &{rates:?}, &{settings:?})"
    );
    let got = call(&text, SWEEP, || {
        exercise_05::sweep(UNTRAINED, &lecture(), Criterion::Mse, &config, &rates, &settings)
    });
    let expected =
        exercise_05::TrainError::Hyperparameter(exercise_05::HyperparameterError::LearningRate {
            value: -0.5,
        });
    check(
        matches!(&got, Err(e) if *e == expected),
        &text,
        format!("{:?}", got.as_ref().map(|t| t.len())),
        format!("Err({expected:?})"),
        "make every run's optimizer with optimizer(&config.with_learning_rate(rate))? and pass its error on with ? (see 'Learning rates and epochs' in chapter 5)",
    );
}
