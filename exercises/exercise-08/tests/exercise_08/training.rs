//! Training: exercise 05's loop with a network, a new dropout mask every
//! step, evaluation-mode losses, and a dead unit that stays dead.

use exercise_08::{
    AdamConfig, Criterion, Descent, GradientError, NetworkError, NetworkRun, Optimizer,
    OptimizerConfig, Settings, SgdConfig, Shape, StepError, TrainError,
};
use support::{call, check, check_eq, fail};

use crate::*;

/// An optimizer that remembers every gradient it is given, then steps as
/// `inner` does.
#[derive(Debug)]
pub struct Spy {
    pub inner: Box<dyn Optimizer>,
    pub gradients: Vec<Vec<f64>>,
}

impl Optimizer for Spy {
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        self.gradients.push(gradient.to_vec());
        self.inner.step(params, gradient)
    }
}

pub fn spy(config: &OptimizerConfig) -> Spy {
    Spy {
        inner: exercise_08::optimizer(config).expect("valid hyperparameters"),
        gradients: Vec::new(),
    }
}

pub fn adam() -> OptimizerConfig {
    OptimizerConfig::Adam(AdamConfig::new(0.05))
}

pub fn settings(epochs: usize, descent: Descent) -> Settings {
    Settings { epochs, descent, seed: 100, stop_below: 0.0 }
}

/// The learner's run.
#[track_caller]
pub fn learner_train(
    start: &Network,
    config: &OptimizerConfig,
    settings: &Settings,
    dropout: f64,
) -> (String, NetworkRun, Vec<Vec<f64>>) {
    let text = format!(
        "train(&{}, &curve_split(), Criterion::Mse, &mut optimizer(&{config:?})?, &{settings:?}, {dropout:?}, &mut log)",
        describe(start)
    );
    let mut optimizer = spy(config);
    let run = call(&text, TRAIN, || {
        exercise_08::train(
            start,
            &curve_split(),
            Criterion::Mse,
            &mut optimizer,
            settings,
            dropout,
            &mut std::io::sink(),
        )
    })
    .unwrap_or_else(|e| fail(&text, format!("Err({e:?}): \"{e}\""), "Ok(a run)", TRAIN));
    (text, run, optimizer.gradients)
}

/// The reference solution's run.
pub fn reference_train(
    start: &Network,
    config: &OptimizerConfig,
    settings: &Settings,
    dropout: f64,
) -> reference::NetworkRun {
    let start = reference::Network {
        shape: reference::Shape { inputs: start.shape.inputs, hidden: start.shape.hidden },
        params: start.params.clone(),
    };
    let mut optimizer = exercise_08::optimizer(config).expect("valid hyperparameters");
    reference::train(
        &start,
        &curve_split(),
        Criterion::Mse,
        optimizer.as_mut(),
        settings,
        dropout,
        &mut std::io::sink(),
    )
    .expect("the reference trains")
}

/// The tests' own loop, drawing one mask only, before the first epoch (a
/// mistake), and returning the gradients of its steps.
fn simulate_same_mask(
    start: &Network,
    config: &OptimizerConfig,
    settings: &Settings,
    dropout: f64,
) -> Vec<Vec<f64>> {
    let data = curve_split();
    let batch = settings.descent.batch_size(data.train.len()).expect("a batch size");
    let mut r = rng(settings.seed);
    let mut optimizer = exercise_08::optimizer(config).expect("valid hyperparameters");
    let mask = crate::dropout::sim_mask(dropout, batch, start.shape.hidden, &mut r);
    let mut net = start.clone();
    let mut gradients = Vec::new();
    for _ in 0..settings.epochs {
        let order = solution_04::shuffled_order(data.train.len(), &mut r);
        for rows in order.chunks(batch) {
            let examples = data.train.rows(rows);
            let g = sim_gradient(
                &net,
                Criterion::Mse,
                &examples.xs,
                &examples.y,
                Some(&mask[..rows.len()]),
                Mistake::None,
            );
            optimizer.step(&mut net.params, &g).expect("a step");
            gradients.push(g);
        }
    }
    gradients
}

/// Whether a run is the reference's: the same history and parameters.
fn same_run(run: &NetworkRun, expected: &reference::NetworkRun) -> bool {
    same_numbers(&run.history.train, &expected.history.train)
        && same_numbers(&run.history.validation, &expected.history.validation)
        && same_numbers(&run.network.params, &expected.network.params)
        && format!("{:?}", run.outcome) == format!("{:?}", expected.outcome)
}

#[test]
fn training_without_dropout_is_exercise_05s_loop() {
    let start = torch_start();
    for descent in [Descent::Batch, Descent::MiniBatch(5)] {
        let s = settings(30, descent);
        let (text, run, _) = learner_train(&start, &adam(), &s, 0.0);
        let expected = reference_train(&start, &adam(), &s, 0.0);
        check(
            same_run(&run, &expected),
            &text,
            format!(
                "training losses {}, final params {}",
                short(&run.history.train),
                short(&run.network.params)
            ),
            format!(
                "training losses {}, final params {} ({TOL})",
                short(&expected.history.train),
                short(&expected.network.params)
            ),
            TRAIN,
        );
    }
}

#[test]
fn the_history_is_measured_without_dropout() {
    let start = torch_start();
    let (text, run, _) = learner_train(&start, &adam(), &settings(3, Descent::MiniBatch(6)), 0.5);
    let data = curve_split();
    let train = reference_loss(&start, &data.train);
    let validation = reference_loss(&start, &data.validation);
    let got = (run.history.train.first().copied(), run.history.validation.first().copied());
    let ok = got.0.is_some_and(|l| close(l, train)) && got.1.is_some_and(|l| close(l, validation));
    check(
        ok,
        &text,
        format!("losses before the first epoch {got:?}"),
        format!("(Some({train:?}), Some({validation:?})), the losses of the start with every unit"),
        DROPOUT_IN_EVALUATION,
    );
}

fn reference_loss(net: &Network, data: &exercise_08::Examples) -> f64 {
    let outputs: Vec<f64> =
        data.xs.iter().map(|r| sim_forward(net, r, None, Mistake::None).2).collect();
    Criterion::Mse.loss(&outputs, &data.y)
}

#[test]
fn every_step_draws_a_new_mask() {
    // With a learning rate of 0 the parameters never move, so the full-batch
    // gradients of two steps differ only by their masks.
    let start = torch_start();
    let sgd = OptimizerConfig::Sgd(SgdConfig::new(0.0));
    let (text, _, gradients) = learner_train(&start, &sgd, &settings(4, Descent::Batch), 0.5);
    check(
        gradients.len() == 4,
        &text,
        format!("{} optimizer steps", gradients.len()),
        "4 steps, one per epoch",
        TRAIN,
    );
    for k in 1..gradients.len() {
        let same = same_numbers(&gradients[k], &gradients[k - 1]);
        check(
            !same,
            &text,
            format!("the same gradient at steps {k} and {}: the same mask", k + 1),
            "a different mask, so a different gradient, at every step",
            SAME_MASK,
        );
    }
}

#[test]
fn training_with_dropout_agrees_with_the_reference() {
    let start = torch_start();
    for (descent, p) in [(Descent::MiniBatch(6), 0.5), (Descent::Batch, 0.2)] {
        let s = settings(20, descent);
        let (text, run, gradients) = learner_train(&start, &adam(), &s, p);
        let expected = reference_train(&start, &adam(), &s, p);
        let same_mask = simulate_same_mask(&start, &adam(), &s, p);
        let hint = if gradients.len() == same_mask.len()
            && gradients.iter().zip(&same_mask).all(|(a, b)| same_numbers(a, b))
        {
            SAME_MASK
        } else {
            TRAIN
        };
        check(
            same_run(&run, &expected),
            &text,
            format!(
                "training losses {}, final params {}",
                short(&run.history.train),
                short(&run.network.params)
            ),
            format!(
                "training losses {}, final params {} ({TOL})",
                short(&expected.history.train),
                short(&expected.network.params)
            ),
            hint,
        );
    }
}

#[test]
fn the_progress_log_is_exercise_05s() {
    let start = torch_start();
    let s = settings(25, Descent::Batch);
    let text = "train(…, 25 epochs, dropout 0.0, &mut log) with log a Vec<u8>";
    let mut log = Vec::new();
    let mut optimizer = exercise_08::optimizer(&adam()).expect("valid");
    let _ = call(text, TRAIN, || {
        exercise_08::train(
            &start,
            &curve_split(),
            Criterion::Mse,
            optimizer.as_mut(),
            &s,
            0.0,
            &mut log,
        )
    });
    let expected = reference_train(&start, &adam(), &s, 0.0);
    let lines: Vec<String> = [0usize, 10, 20]
        .iter()
        .map(|&e| {
            solution_04::progress_line(e, expected.history.train[e], expected.history.validation[e])
        })
        .collect();
    let got = String::from_utf8_lossy(&log).to_string();
    check_eq(text, &got, &format!("{}\n", lines.join("\n")), TRAIN);
}

#[test]
fn train_refuses_bad_dropout_shapes_and_data() {
    let start = torch_start();
    let s = settings(2, Descent::Batch);
    let sgd = OptimizerConfig::Sgd(SgdConfig::new(0.1));
    let mut wide = curve_split();
    wide.train.xs[3].push(1.0);
    let cases: Vec<(String, Network, exercise_08::FeatureSplit, f64, TrainError)> = vec![
        (
            "dropout 1.0".into(),
            start.clone(),
            curve_split(),
            1.0,
            TrainError::Network(NetworkError::Dropout { value: 1.0 }),
        ),
        (
            "dropout -0.5".into(),
            start.clone(),
            curve_split(),
            -0.5,
            TrainError::Network(NetworkError::Dropout { value: -0.5 }),
        ),
        (
            "a network with 0 hidden units".into(),
            network(2, 0, &[0.0]),
            curve_split(),
            0.0,
            TrainError::Network(NetworkError::NoHiddenUnits),
        ),
        (
            "a network with 20 parameters for 21".into(),
            network(2, 5, &start.params[..20]),
            curve_split(),
            0.0,
            TrainError::Network(NetworkError::ParameterCount {
                got: 20,
                expected: 21,
                shape: Shape { inputs: 2, hidden: 5 },
            }),
        ),
        (
            "a training row of 3 features".into(),
            start.clone(),
            wide,
            0.0,
            TrainError::TrainingSet(GradientError::RowLength { row: 3, len: 3, weights: 2 }),
        ),
    ];
    for (what, net, data, p, expected) in cases {
        let text = format!("train(…) with {what}");
        let mut optimizer = exercise_08::optimizer(&sgd).expect("valid");
        let got = call(&text, TRAIN, || {
            exercise_08::train(
                &net,
                &data,
                Criterion::Mse,
                optimizer.as_mut(),
                &s,
                p,
                &mut std::io::sink(),
            )
        });
        match got {
            Err(e) if e == expected => {}
            other => fail(
                &text,
                format!("{:?}", other.map(|r| r.outcome)),
                format!("Err({expected:?})"),
                TRAIN,
            ),
        }
    }
}

#[test]
fn dead_units_by_hand() {
    let net = small();
    for (xs, expected) in [
        (crate::forward::rows(), vec![]),
        (crate::forward::rows()[..2].to_vec(), vec![1, 2]),
        (vec![vec![0.0, 2.0]], vec![0, 2]),
    ] {
        let text = format!("dead_units(&{}, &{xs:?})", describe(&net));
        let got = call(&text, DEAD_UNITS, || exercise_08::dead_units(&net, &xs));
        check_eq(&text, &got, &expected, DEAD_UNITS);
    }
}

#[test]
fn a_dead_unit_stays_dead() {
    let mut start = torch_start();
    let (d, h) = (start.shape.inputs, start.shape.hidden);
    start.params[h * d] = -100.0; // b₁ of unit 0: z₀ < 0 for every example
    let xs = curve_split().train.xs;
    let text =
        format!("dead_units(&network, &training rows) with b₁[0] = -100, {}", describe(&start));
    let dead = call(&text, DEAD_UNITS, || exercise_08::dead_units(&start, &xs));
    check_eq(&text, &dead, &vec![0], DEAD_UNITS);
    let sgd = OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.01) });
    let (text, run, _) = learner_train(&start, &sgd, &settings(30, Descent::MiniBatch(4)), 0.0);
    let unit = |p: &[f64]| vec![p[0], p[1], p[h * d], p[h * d + h]];
    let (before, after) = (unit(&start.params), unit(&run.network.params));
    check(
        before == after,
        &text,
        format!("unit 0's W₁ row, b₁ and W₂ after training: {after:?}"),
        format!("{before:?}, unchanged: no gradient reaches a dead unit"),
        SKIPS_RELU,
    );
}

#[test]
fn the_stopping_rule_is_exercise_05s() {
    let start = torch_start();
    let validation = reference_loss(&start, &curve_split().validation);
    for (stop_below, converged_at_0) in [(10.0, true), (validation, false)] {
        let s = Settings { stop_below, ..settings(3, Descent::Batch) };
        let (text, run, _) = learner_train(&start, &adam(), &s, 0.0);
        let expected = reference_train(&start, &adam(), &s, 0.0);
        check(
            format!("{:?}", run.outcome) == format!("{:?}", expected.outcome)
                && run.history.validation.len() == expected.history.validation.len(),
            &text,
            format!("{:?} after {} epochs", run.outcome, run.history.validation.len()),
            format!("{:?} after {} epochs", expected.outcome, expected.history.validation.len()),
            "stop when validation_loss < settings.stop_below, a strict <, checked after the history and the log line (see 'Training' in chapter 8)",
        );
        let stopped = matches!(run.outcome, exercise_08::Outcome::Converged { epoch: 0 });
        check(
            stopped == converged_at_0,
            &text,
            format!("{:?}", run.outcome),
            if converged_at_0 { "Converged { epoch: 0 }" } else { "a run that goes on" },
            "stop when validation_loss < settings.stop_below, a strict <: a loss equal to stop_below does not stop the run (see 'Training' in chapter 8)",
        );
    }
}
