//! When something is wrong: every variant of HyperparameterError, StepError
//! and TrainError, and the messages that go with them.

use std::io::{self, Write};

use exercise_05::{
    Adam, Criterion, Descent, Examples, FeatureSplit, GradientError, HyperparameterError,
    OptimizerConfig, Settings, Sgd, TrainError,
};
use support::{call, check, check_error};

use crate::pytorch::reference_optimizer;
use crate::*;

const MESSAGES: &str = "the messages come from the #[error(...)] attributes of the error enums; put them back as they were (see 'When the hyperparameters are wrong' in chapter 5)";

/// The hint when a check accepted the bad value of `expected`: NaN and
/// infinity slip through comparisons that look right.
fn accepted_hint(expected: &HyperparameterError) -> &'static str {
    let value = match *expected {
        HyperparameterError::LearningRate { value }
        | HyperparameterError::Momentum { value }
        | HyperparameterError::Dampening { value }
        | HyperparameterError::Beta { value, .. }
        | HyperparameterError::Epsilon { value }
        | HyperparameterError::WeightDecay { value } => value,
        HyperparameterError::Nesterov { .. } => 0.0,
    };
    if value.is_nan() {
        NAN_PASSES
    } else if value.is_infinite() {
        INFINITY_PASSES
    } else {
        "this hyperparameter is out of range and must be refused (see 'When the hyperparameters are wrong' in chapter 5)"
    }
}

#[track_caller]
fn check_sgd(config: SgdConfig, expected: HyperparameterError, mentions: &[&str]) {
    let text = format!("{config:?}.check()");
    let got = call(&text, CHECKS, || config.check());
    let if_ok = accepted_hint(&expected);
    check_error(
        &text,
        got,
        expected,
        mentions,
        if_ok,
        "check the hyperparameters in the order of the doc comment, and return the first problem with its value (see 'When the hyperparameters are wrong' in chapter 5)",
        MESSAGES,
    );
}

#[track_caller]
fn check_adam(config: AdamConfig, expected: HyperparameterError, mentions: &[&str]) {
    let text = format!("{config:?}.check()");
    let got = call(&text, CHECKS, || config.check());
    let if_ok = accepted_hint(&expected);
    check_error(
        &text,
        got,
        expected,
        mentions,
        if_ok,
        "check the hyperparameters in PyTorch's order (learning rate, eps, betas, weight decay), and return the first problem with its value (see 'When the hyperparameters are wrong' in chapter 5)",
        MESSAGES,
    );
}

#[test]
fn a_learning_rate_that_is_negative_or_not_a_number_is_refused() {
    for value in [-0.1, f64::NAN, f64::INFINITY] {
        check_sgd(
            SgdConfig::new(value),
            HyperparameterError::LearningRate { value },
            &["Invalid learning rate", &format!("{value}")],
        );
        check_adam(
            AdamConfig::new(value),
            HyperparameterError::LearningRate { value },
            &["Invalid learning rate", &format!("{value}")],
        );
    }
}

#[test]
fn a_momentum_outside_zero_to_one_is_refused() {
    for value in [-0.5, 1.0, 1.5, f64::NAN] {
        check_sgd(
            SgdConfig { momentum: value, ..SgdConfig::new(0.1) },
            HyperparameterError::Momentum { value },
            &["Invalid momentum value", &format!("{value}")],
        );
    }
}

#[test]
fn a_dampening_outside_zero_to_one_is_refused() {
    for value in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
        check_sgd(
            SgdConfig { momentum: 0.9, dampening: value, ..SgdConfig::new(0.1) },
            HyperparameterError::Dampening { value },
            &["Invalid dampening value", &format!("{value}")],
        );
    }
}

#[test]
fn nesterov_needs_momentum_and_no_dampening() {
    check_sgd(
        SgdConfig { nesterov: true, ..SgdConfig::new(0.1) },
        HyperparameterError::Nesterov { momentum: 0.0, dampening: 0.0 },
        &["Nesterov momentum requires a momentum and zero dampening", "momentum is 0"],
    );
    check_sgd(
        SgdConfig { nesterov: true, momentum: 0.9, dampening: 0.1, ..SgdConfig::new(0.1) },
        HyperparameterError::Nesterov { momentum: 0.9, dampening: 0.1 },
        &["momentum is 0.9", "dampening is 0.1"],
    );
}

#[test]
fn a_weight_decay_that_is_negative_or_not_a_number_is_refused() {
    for value in [-0.01, f64::NAN, f64::INFINITY] {
        check_sgd(
            SgdConfig { weight_decay: value, ..SgdConfig::new(0.1) },
            HyperparameterError::WeightDecay { value },
            &["Invalid weight_decay value", &format!("{value}")],
        );
        check_adam(
            AdamConfig { weight_decay: value, ..AdamConfig::new(0.1) },
            HyperparameterError::WeightDecay { value },
            &["Invalid weight_decay value", &format!("{value}")],
        );
    }
}

#[test]
fn betas_outside_zero_to_one_are_refused_with_their_index() {
    check_adam(
        AdamConfig { betas: (1.0, 0.999), ..AdamConfig::new(0.1) },
        HyperparameterError::Beta { index: 0, value: 1.0 },
        &["Invalid beta parameter at index 0", ": 1"],
    );
    check_adam(
        AdamConfig { betas: (0.9, -0.1), ..AdamConfig::new(0.1) },
        HyperparameterError::Beta { index: 1, value: -0.1 },
        &["Invalid beta parameter at index 1", "-0.1"],
    );
    check_adam(
        AdamConfig { betas: (0.9, f64::NAN), ..AdamConfig::new(0.1) },
        HyperparameterError::Beta { index: 1, value: f64::NAN },
        &["Invalid beta parameter at index 1", "NaN"],
    );
    check_adam(
        AdamConfig { betas: (f64::NAN, 0.999), ..AdamConfig::new(0.1) },
        HyperparameterError::Beta { index: 0, value: f64::NAN },
        &["Invalid beta parameter at index 0", "NaN"],
    );
}

#[test]
fn an_eps_that_is_not_a_positive_number_is_refused() {
    for value in [0.0, -1e-8, f64::NAN, f64::INFINITY] {
        check_adam(
            AdamConfig { eps: value, ..AdamConfig::new(0.1) },
            HyperparameterError::Epsilon { value },
            &["Invalid epsilon value", &format!("{value}")],
        );
    }
}

#[test]
fn the_first_problem_is_reported_in_pytorchs_order() {
    // A bad learning rate comes first; for Adam eps comes before the betas.
    check_sgd(
        SgdConfig {
            learning_rate: -1.0,
            momentum: 2.0,
            dampening: 0.0,
            weight_decay: -1.0,
            nesterov: true,
        },
        HyperparameterError::LearningRate { value: -1.0 },
        &["-1"],
    );
    check_adam(
        AdamConfig {
            learning_rate: 0.1,
            betas: (2.0, 2.0),
            eps: 0.0,
            weight_decay: -1.0,
            amsgrad: false,
        },
        HyperparameterError::Epsilon { value: 0.0 },
        &["Invalid epsilon value"],
    );
}

#[test]
fn good_hyperparameters_at_the_edges_are_accepted() {
    // PyTorch accepts a learning rate of 0, betas of 0 and a dampening of 1.
    let sgd = SgdConfig {
        learning_rate: 0.0,
        momentum: 0.0,
        dampening: 1.0,
        weight_decay: 0.0,
        nesterov: false,
    };
    let adam = AdamConfig {
        learning_rate: 0.0,
        betas: (0.0, 0.0),
        eps: 1e-12,
        weight_decay: 0.0,
        amsgrad: true,
    };
    let got = call(&format!("{sgd:?}.check()"), CHECKS, || sgd.check());
    check(got.is_ok(), &format!("{sgd:?}.check()"), format!("{got:?}"), "Ok(())", CHECKS);
    let got = call(&format!("{adam:?}.check()"), CHECKS, || adam.check());
    check(got.is_ok(), &format!("{adam:?}.check()"), format!("{got:?}"), "Ok(())", CHECKS);
}

#[test]
fn the_constructors_and_the_entry_point_check_the_hyperparameters() {
    let bad_sgd = SgdConfig { momentum: 1.0, ..SgdConfig::new(0.1) };
    let text = format!("Sgd::new({bad_sgd:?})");
    let got = call(&text, CHECKS, || Sgd::new(bad_sgd).map(|_| ()));
    check(
        got == Err(HyperparameterError::Momentum { value: 1.0 }),
        &text,
        format!("{got:?}"),
        "Err(Momentum { value: 1.0 })",
        "Sgd::new calls config.check()? first (see 'When the hyperparameters are wrong' in chapter 5)",
    );
    let bad_adam = AdamConfig { eps: 0.0, ..AdamConfig::new(0.1) };
    for (text, got) in [
        (
            format!("Adam::new({bad_adam:?})"),
            call("Adam::new", CHECKS, || Adam::new(bad_adam).map(|_| ())),
        ),
        (
            format!("Adam::adamw({bad_adam:?})"),
            call("Adam::adamw", CHECKS, || Adam::adamw(bad_adam).map(|_| ())),
        ),
    ] {
        check(
            got == Err(HyperparameterError::Epsilon { value: 0.0 }),
            &text,
            format!("{got:?}"),
            "Err(Epsilon { value: 0.0 })",
            "Adam::new calls config.check()? first (see 'When the hyperparameters are wrong' in chapter 5)",
        );
    }
    for config in [
        OptimizerConfig::Sgd(bad_sgd),
        OptimizerConfig::Adam(bad_adam),
        OptimizerConfig::AdamW(bad_adam),
    ] {
        let text = format!("optimizer(&{config:?})");
        let got = call(&text, OPTIMIZER, || exercise_05::optimizer(&config).map(|_| ()));
        check(got.is_err(), &text, format!("{got:?}"), "Err(the HyperparameterError)", OPTIMIZER);
    }
}

#[test]
fn a_gradient_of_the_wrong_length_is_an_error_that_changes_nothing() {
    let optimizers: Vec<(String, Box<dyn Optimizer>)> = vec![
        (
            "Sgd::new(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) })?".into(),
            Hyper::sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) }).learner(),
        ),
        (
            "Adam::new(AdamConfig::new(0.1))?".into(),
            Hyper::adam(Kind::Adam, AdamConfig::new(0.1)).learner(),
        ),
    ];
    for (made, mut optimizer) in optimizers {
        let mut params = [1.0, 2.0];
        let text = format!("{made}.step(&mut [1.0, 2.0], &[0.5, 0.5, 0.5])");
        let got = call(
            &text,
            "call check_lengths(params, gradient, state)? first (see 'The optimizer' in chapter 5)",
            || optimizer.step(&mut params, &[0.5, 0.5, 0.5]),
        );
        check_error(
            &text,
            got,
            StepError::GradientLength { params: 2, gradient: 3 },
            &["3 numbers", "2 parameters"],
            "a gradient with 3 numbers for 2 parameters is an error: call check_lengths(params, gradient, state)? first (see 'The optimizer' in chapter 5)",
            "call check_lengths(params, gradient, state)? first (see 'The optimizer' in chapter 5)",
            MESSAGES,
        );
        check(
            params == [1.0, 2.0],
            &text,
            format!("params = {params:?}"),
            "params = [1.0, 2.0], unchanged",
            "check the lengths before changing anything (see 'The optimizer' in chapter 5)",
        );
    }
}

#[test]
fn a_refused_step_leaves_the_optimizer_as_it_was() {
    // A step whose gradient has the wrong length is refused. Afterwards the
    // optimizer must be exactly the new one it was, so that the next step,
    // here on three parameters, is a first step, as if the refused one had
    // never happened.
    let start = [1.0, 2.0, 3.0];
    let g = [0.5, -1.0, 0.25];
    for hyper in [
        Hyper::sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) }),
        Hyper::adam(Kind::Adam, AdamConfig::new(0.1)),
        Hyper::adam(Kind::AdamW, AdamConfig::adamw(0.1)),
    ] {
        let text = format!(
            "let mut o = {}; o.step(&mut [1.0, 2.0], &[0.5, 0.5, 0.5]) (refused); o.step(&mut {start:?}, &{g:?})",
            hyper.constructor()
        );
        let (refused, unchanged, second, params) = call(&text, REFUSED_STEP, || {
            let (refused, unchanged, mut optimizer): (_, bool, Box<dyn Optimizer>) =
                match hyper.kind {
                    Kind::Sgd => {
                        let mut o = Sgd::new(hyper.sgd_config()).expect("good hyperparameters");
                        let refused = o.step(&mut [1.0, 2.0], &[0.5, 0.5, 0.5]);
                        let fresh = Sgd::new(hyper.sgd_config()).expect("good hyperparameters");
                        (refused, o == fresh, Box::new(o))
                    }
                    Kind::Adam | Kind::AdamW => {
                        let make = |c| {
                            if hyper.kind == Kind::Adam { Adam::new(c) } else { Adam::adamw(c) }
                        };
                        let mut o = make(hyper.adam_config()).expect("good hyperparameters");
                        let refused = o.step(&mut [1.0, 2.0], &[0.5, 0.5, 0.5]);
                        let fresh = make(hyper.adam_config()).expect("good hyperparameters");
                        (refused, o == fresh, Box::new(o))
                    }
                };
            let mut params = start;
            let second = optimizer.step(&mut params, &g);
            (refused, unchanged, second, params)
        });
        check(
            refused == Err(StepError::GradientLength { params: 2, gradient: 3 }),
            &text,
            format!("{refused:?} from the first step"),
            "Err(GradientLength { params: 2, gradient: 3 }) from the first step",
            "call check_lengths(params, gradient, state)? first (see 'The optimizer' in chapter 5)",
        );
        check(
            unchanged,
            &text,
            "an optimizer that differs from a new one after the refused step",
            "the optimizer exactly as it was made: no velocity, no moments, no steps",
            REFUSED_STEP,
        );
        let expected = simulate_steps(hyper, Mistake::None, &start, &[g.to_vec()]);
        check(
            second.is_ok() && same_numbers(&params, &expected[0]),
            &text,
            format!("{second:?} from the second step, and params = {params:?}"),
            format!("Ok(()), and params = {:?}, a first step", expected[0]),
            REFUSED_STEP,
        );
    }
}

#[test]
fn an_optimizer_used_on_another_model_is_an_error() {
    let optimizers: Vec<(String, Box<dyn Optimizer>)> = vec![
        (
            "Sgd::new(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) })?".into(),
            Hyper::sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) }).learner(),
        ),
        (
            "Adam::new(AdamConfig::new(0.1))?".into(),
            Hyper::adam(Kind::Adam, AdamConfig::new(0.1)).learner(),
        ),
        (
            "Adam::adamw(AdamConfig::adamw(0.1))?".into(),
            Hyper::adam(Kind::AdamW, AdamConfig::adamw(0.1)).learner(),
        ),
    ];
    for (made, mut optimizer) in optimizers {
        let text = format!(
            "let mut o = {made}; o.step(&mut [1.0, 2.0, 3.0], &[0.1, 0.2, 0.3])?; o.step(&mut [1.0, 2.0], &[0.5, 0.5])"
        );
        let hint = "once the optimizer has a state, check_lengths gets its length: Some(velocity.len()) for SGD, Some(m.len()) for Adam after the first step (see 'The optimizer' in chapter 5)";
        let first = call(&text, hint, || optimizer.step(&mut [1.0, 2.0, 3.0], &[0.1, 0.2, 0.3]));
        check(
            first.is_ok(),
            &text,
            format!("{first:?} from the first step"),
            "Ok(()) from the first step",
            hint,
        );
        let mut params = [1.0, 2.0];
        let got = call(&text, hint, || optimizer.step(&mut params, &[0.5, 0.5]));
        check_error(
            &text,
            got,
            StepError::StateLength { state: 3, params: 2 },
            &["remembers 3 numbers", "2 parameters"],
            hint,
            hint,
            MESSAGES,
        );
        check(
            params == [1.0, 2.0],
            &text,
            format!("params = {params:?}"),
            "params = [1.0, 2.0], unchanged",
            hint,
        );
    }
}

fn train_with(
    start: &[f64],
    data: &FeatureSplit,
    settings: &Settings,
) -> (String, Result<exercise_05::Run, TrainError>) {
    let text =
        format!("train(&{start:?}, &data, Criterion::Mse, sgd.as_mut(), &{settings:?}, &mut log)");
    let mut optimizer = reference_optimizer(&OptimizerConfig::Sgd(SgdConfig::new(0.1)));
    let got = call(&text, TRAIN, || {
        exercise_05::train(
            start,
            data,
            Criterion::Mse,
            optimizer.as_mut(),
            settings,
            &mut io::sink(),
        )
    });
    (text, got)
}

const CHECK_RUN: &str = "call check_run(start, data, settings)? before anything else; it is written for you (see 'The refactored loop' in chapter 5)";

#[track_caller]
fn check_train_error(
    text: &str,
    got: Result<exercise_05::Run, TrainError>,
    expected: TrainError,
    mentions: &[&str],
) {
    check_error(text, got.map(|r| r.outcome), expected, mentions, CHECK_RUN, CHECK_RUN, MESSAGES);
}

#[test]
fn a_start_of_the_wrong_length_is_an_error() {
    let data = FeatureSplit::from_split(&three_point_split());
    let (text, got) = train_with(&[0.0, 0.0, 0.0], &data, &Settings::lecture());
    check_train_error(
        &text,
        got,
        TrainError::StartLength { got: 3, features: 1 },
        &["start has 3 numbers", "2 parameters"],
    );
}

#[test]
fn bad_data_are_errors_that_name_the_set() {
    let good = Examples::from_dataset(&three_point_split().train);
    let empty = FeatureSplit { train: Examples::default(), validation: good.clone() };
    let (text, got) = train_with(&[0.0], &empty, &Settings::lecture());
    check_train_error(
        &text,
        got,
        TrainError::TrainingSet(GradientError::NoExamples),
        &["the training set", "no examples"],
    );

    let ragged = FeatureSplit {
        train: good.clone(),
        validation: Examples { xs: vec![vec![1.0], vec![2.0, 3.0]], y: vec![1.0, 2.0] },
    };
    let (text, got) = train_with(&[0.0, 0.0], &ragged, &Settings::lecture());
    check_train_error(
        &text,
        got,
        TrainError::ValidationSet(GradientError::RowLength { row: 1, len: 2, weights: 1 }),
        &["the validation set", "row 1"],
    );
}

#[test]
fn a_mini_batch_of_zero_is_an_error() {
    let data = FeatureSplit::from_split(&three_point_split());
    let settings = Settings { descent: Descent::MiniBatch(0), ..Settings::lecture() };
    let (text, got) = train_with(&[0.0, 0.0], &data, &settings);
    check_train_error(&text, got, TrainError::ZeroBatchSize, &["at least 1"]);
}

#[test]
fn an_optimizer_that_refuses_a_step_ends_the_run_with_its_error() {
    let data = FeatureSplit::from_split(&three_point_split());
    let mut optimizer = reference_optimizer(&OptimizerConfig::Adam(AdamConfig::new(0.1)));
    optimizer
        .step(&mut [1.0, 2.0, 3.0], &[0.1, 0.2, 0.3])
        .expect("a first step on three parameters");
    let text = "train(&[0.0, 0.0], &three_points, Criterion::Mse, adam_used_on_three_parameters, &Settings::lecture(), &mut log)";
    let got = call(text, TRAIN, || {
        exercise_05::train(
            &[0.0, 0.0],
            &data,
            Criterion::Mse,
            optimizer.as_mut(),
            &Settings::lecture(),
            &mut io::sink(),
        )
    });
    check_error(
        text,
        got.map(|r| r.outcome),
        TrainError::Step(StepError::StateLength { state: 3, params: 2 }),
        &["the optimizer's step", "remembers 3 numbers"],
        "pass the optimizer's error on: optimizer.step(&mut params, &gradient)? (see 'The refactored loop' in chapter 5)",
        "pass the optimizer's error on: optimizer.step(&mut params, &gradient)? (see 'The refactored loop' in chapter 5)",
        MESSAGES,
    );
}

/// A writer that refuses every write, like a full disk.
struct FullDisk;

impl Write for FullDisk {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("the disk is full"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_log_that_cannot_be_written_is_an_error_not_a_panic() {
    let data = FeatureSplit::from_split(&three_point_split());
    let mut optimizer = reference_optimizer(&OptimizerConfig::Sgd(SgdConfig::new(0.1)));
    let text = "train(&[0.0, 0.0], &three_points, Criterion::Mse, sgd, &Settings::lecture(), &mut a_writer_that_fails)";
    let got = call(text, TRAIN, || {
        exercise_05::train(
            &[0.0, 0.0],
            &data,
            Criterion::Mse,
            optimizer.as_mut(),
            &Settings::lecture(),
            &mut FullDisk,
        )
    });
    let hint = "turn the write's io::Error into TrainError::Log { message: e.to_string() } with map_err, and return it with ? (see 'The refactored loop' in chapter 5)";
    check_error(
        text,
        got.map(|r| r.outcome),
        TrainError::Log { message: "the disk is full".to_string() },
        &["progress log", "the disk is full"],
        hint,
        hint,
        MESSAGES,
    );
}
