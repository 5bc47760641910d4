//! The strongest tests: PyTorch's own trajectories. `scripts/torch-reference.py`
//! trained `nn.Linear(1, 1)` in float64 on the lecture's 80 training
//! examples, full batch, from the untrained model, with `torch.optim.SGD`,
//! `Adam` and `AdamW`, and recorded the parameters after every step
//! (`tests/fixtures/torch-trajectories.json`). Your optimizers are given the
//! same gradients and must take the same steps, to 12 digits.

use exercise_05::{OptimizerConfig, Settings};
use support::{call, check, fail};

use crate::*;

/// The fixture's training data as rows, after checking that they are the
/// course's lecture data bit for bit (so that the comparison is fair).
fn torch_data() -> (Vec<Vec<f64>>, Vec<f64>) {
    let fixture = torch();
    let split = lecture();
    let same = |a: &[f64], b: &[f64]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
    };
    assert!(
        same(&fixture.train_x, &split.train.x) && same(&fixture.train_y, &split.train.y),
        "tests/fixtures/torch-trajectories.json was made from other data than lecture_split(); \
         a course author regenerates it with scripts/torch-reference.py (see its doc comment)"
    );
    // Each option must make a difference, or a test below could pass with
    // the option ignored.
    let differs = |a: &str, b: &str| torch_run(a).w_after_step != torch_run(b).w_after_step;
    for (a, b) in [
        ("adam", "adam-amsgrad"),
        ("adam", "adam-weight-decay"),
        ("adam-weight-decay", "adamw"),
        ("sgd-momentum", "sgd-nesterov"),
        ("sgd-momentum", "sgd-dampening"),
    ] {
        assert!(differs(a, b), "the fixture's runs {a} and {b} must differ");
    }
    let xs: Vec<Vec<f64>> = fixture.train_x.iter().map(|&x| vec![x]).collect();
    // And the tests' own rules must be PyTorch's, or their diagnoses would
    // be wrong.
    let start = [fixture.start.w, fixture.start.b];
    for run in &fixture.runs {
        let steps = run.w_after_step.len();
        let simulated =
            simulate(run.hyper, Mistake::None, run.criterion, &start, &xs, &fixture.train_y, steps);
        let agrees = simulated.iter().enumerate().all(|(k, p)| {
            TORCH_TOL.accepts(p[0], run.w_after_step[k])
                && TORCH_TOL.accepts(p[1], run.b_after_step[k])
        });
        assert!(
            agrees,
            "the tests' own simulation of {} disagrees with PyTorch's trajectory",
            run.name
        );
    }
    (xs, fixture.train_y.clone())
}

/// Makes the learner's optimizer for a run of the fixture, with the call as text.
type MakeOptimizer = dyn Fn(&TorchRun) -> (String, Box<dyn Optimizer>);

/// The learner's optimizer for the fixture's run `name`, stepped with the
/// same gradients as PyTorch's, compared after every step.
#[track_caller]
fn check_against_pytorch(name: &str, make: &MakeOptimizer, fallback: &'static str) {
    let run = torch_run(name);
    let (xs, y) = torch_data();
    let fixture = torch();
    let start = [fixture.start.w, fixture.start.b];
    let steps = run.w_after_step.len();
    let (constructor, mut optimizer) = make(run);
    let text = format!(
        "{constructor}, stepped {steps} times with the gradient of {:?} on the lecture's 80 training examples (full batch), from [w, b] = {start:?}",
        run.criterion
    );
    let got =
        call(&text, fallback, || drive(optimizer.as_mut(), run.criterion, &start, &xs, &y, steps));
    let trajectory = match got {
        Ok(t) => t,
        Err(e) => {
            fail(&text, format!("Err({e:?}) at some step: \"{e}\""), "Ok at every step", SGD_STEP)
        }
    };
    for (step, params) in trajectory.iter().enumerate() {
        let (w, b) = (run.w_after_step[step], run.b_after_step[step]);
        let ok =
            params.len() == 2 && TORCH_TOL.accepts(params[0], w) && TORCH_TOL.accepts(params[1], b);
        if !ok {
            fail(
                &format!("{text}\n  after step {} of {steps}", step + 1),
                format!("{params:?}"),
                format!("[{w:?}, {b:?}] (PyTorch {}'s {}, {TORCH_TOL})", fixture.version, run.name),
                diagnose(&trajectory, run.hyper, run.criterion, &start, &xs, &y, fallback),
            );
        }
    }
}

fn learner(run: &TorchRun) -> (String, Box<dyn Optimizer>) {
    (run.hyper.constructor(), run.hyper.learner())
}

#[test]
fn plain_sgd_takes_pytorchs_steps() {
    check_against_pytorch("sgd", &learner, SGD_STEP);
}

#[test]
fn sgd_with_momentum_takes_pytorchs_steps() {
    check_against_pytorch("sgd-momentum", &learner, MOMENTUM);
}

#[test]
fn sgd_with_dampening_takes_pytorchs_steps() {
    check_against_pytorch("sgd-dampening", &learner, MOMENTUM);
}

#[test]
fn sgd_with_nesterov_momentum_takes_pytorchs_steps() {
    check_against_pytorch("sgd-nesterov", &learner, NESTEROV);
}

#[test]
fn sgd_with_weight_decay_takes_pytorchs_steps() {
    check_against_pytorch("sgd-weight-decay", &learner, WEIGHT_DECAY);
}

#[test]
fn sgd_with_momentum_and_weight_decay_takes_pytorchs_steps() {
    check_against_pytorch("sgd-momentum-weight-decay", &learner, WEIGHT_DECAY);
}

#[test]
fn sgd_on_half_the_mse_takes_pytorchs_steps() {
    check_against_pytorch("sgd-half-mse", &learner, MOMENTUM);
}

#[test]
fn adam_with_pytorchs_defaults_takes_pytorchs_steps() {
    check_against_pytorch("adam-defaults", &learner, ADAM_STEP);
}

#[test]
fn adam_takes_pytorchs_steps() {
    check_against_pytorch("adam", &learner, ADAM_STEP);
}

#[test]
fn adam_with_amsgrad_takes_pytorchs_steps() {
    check_against_pytorch("adam-amsgrad", &learner, AMSGRAD_IGNORED);
}

#[test]
fn adam_with_other_betas_and_eps_takes_pytorchs_steps() {
    check_against_pytorch("adam-betas-eps", &learner, ADAM_STEP);
}

#[test]
fn adam_with_weight_decay_takes_pytorchs_steps() {
    check_against_pytorch("adam-weight-decay", &learner, WEIGHT_DECAY);
}

#[test]
fn adam_on_half_the_mse_takes_pytorchs_steps() {
    check_against_pytorch("adam-half-mse", &learner, ADAM_STEP);
}

#[test]
fn adamw_takes_pytorchs_steps() {
    check_against_pytorch("adamw", &learner, DECAY_PARAMETERS);
}

#[test]
fn adamw_with_amsgrad_takes_pytorchs_steps() {
    check_against_pytorch("adamw-amsgrad", &learner, DECAY_PARAMETERS);
}

/// The fixture's run as an `OptimizerConfig`.
fn config(run: &TorchRun) -> OptimizerConfig {
    match run.hyper.kind {
        Kind::Sgd => OptimizerConfig::Sgd(run.hyper.sgd_config()),
        Kind::Adam => OptimizerConfig::Adam(run.hyper.adam_config()),
        Kind::AdamW => OptimizerConfig::AdamW(run.hyper.adam_config()),
    }
}

#[test]
fn the_optimizer_made_from_a_config_takes_pytorchs_steps() {
    for name in ["sgd-nesterov", "adam-amsgrad", "adamw"] {
        check_against_pytorch(
            name,
            &|run| {
                let c = config(run);
                let text = format!("optimizer(&{c:?})");
                let made = call(&text, OPTIMIZER, || exercise_05::optimizer(&c));
                let optimizer = made.unwrap_or_else(|e| {
                    fail(
                        &text,
                        format!("Err({e:?})"),
                        "Ok(an optimizer): these hyperparameters are fine",
                        OPTIMIZER,
                    )
                });
                (text, optimizer)
            },
            OPTIMIZER,
        );
    }
}

/// The learner's whole loop, batch descent on the lecture's data for as many
/// epochs as PyTorch took steps: the loss before each epoch is PyTorch's
/// loss before each step, and the final parameters are PyTorch's after the
/// last step.
#[track_caller]
fn check_loop_against_pytorch(name: &str) {
    let run = torch_run(name);
    torch_data();
    let fixture = torch();
    let steps = run.loss_before_step.len();
    let settings = Settings { epochs: steps, stop_below: 0.0, ..Settings::lecture() };
    let c = config(run);
    let text = format!(
        "train_line({:?}, &lecture_split()?, Criterion::{:?}, optimizer(&{c:?})?.as_mut(), &{settings:?}, &mut log)",
        fixture.start, run.criterion
    );
    let mut optimizer = reference_optimizer(&c);
    let got = call(&text, TRAIN, || {
        exercise_05::train_line(
            fixture.start,
            &lecture(),
            run.criterion,
            optimizer.as_mut(),
            &settings,
            &mut std::io::sink(),
        )
    });
    let training = got.unwrap_or_else(|e| {
        fail(&text, format!("Err({e:?}): \"{e}\""), "Ok(a training run)", TRAIN)
    });
    let losses = &training.history.train;
    let matches = losses.len() == steps
        && losses.iter().zip(&run.loss_before_step).all(|(a, b)| TORCH_TOL.accepts(*a, *b));
    let hint = if matches { TRAIN } else { diagnose_loop(losses, run) };
    check(
        matches,
        &text,
        format!("history.train = {}", short(losses)),
        format!(
            "PyTorch's losses before each step, {} ({TORCH_TOL})",
            short(&run.loss_before_step)
        ),
        hint,
    );
    let (w, b) = (run.w_after_step[steps - 1], run.b_after_step[steps - 1]);
    check(
        TORCH_TOL.accepts(training.params.w, w) && TORCH_TOL.accepts(training.params.b, b),
        &text,
        format!("{:?}", training.params),
        format!("Params {{ w: {w:?}, b: {b:?} }}, PyTorch's after the last step ({TORCH_TOL})"),
        TRAIN,
    );
}

/// The reference solution's optimizer (the loop tests test your loop, not
/// your optimizers).
pub fn reference_optimizer(c: &OptimizerConfig) -> Box<dyn Optimizer> {
    Box::new(ReferenceOptimizer(
        reference::optimizer(&reference_config(c)).expect("good hyperparameters"),
    ))
}

/// The learner's config as the reference solution's.
pub fn reference_config(c: &OptimizerConfig) -> reference::OptimizerConfig {
    let sgd = |c: &SgdConfig| reference::SgdConfig {
        learning_rate: c.learning_rate,
        momentum: c.momentum,
        dampening: c.dampening,
        weight_decay: c.weight_decay,
        nesterov: c.nesterov,
    };
    let adam = |c: &AdamConfig| reference::AdamConfig {
        learning_rate: c.learning_rate,
        betas: c.betas,
        eps: c.eps,
        weight_decay: c.weight_decay,
        amsgrad: c.amsgrad,
    };
    match c {
        OptimizerConfig::Sgd(c) => reference::OptimizerConfig::Sgd(sgd(c)),
        OptimizerConfig::Adam(c) => reference::OptimizerConfig::Adam(adam(c)),
        OptimizerConfig::AdamW(c) => reference::OptimizerConfig::AdamW(adam(c)),
    }
}

/// The reference solution's optimizer, behind your crate's trait.
#[derive(Debug)]
pub struct ReferenceOptimizer(pub Box<dyn reference::Optimizer>);

impl Optimizer for ReferenceOptimizer {
    fn step(&mut self, params: &mut [f64], gradient: &[f64]) -> Result<(), StepError> {
        self.0.step(params, gradient).map_err(|e| match e {
            reference::StepError::GradientLength { params, gradient } => {
                StepError::GradientLength { params, gradient }
            }
            reference::StepError::StateLength { state, params } => {
                StepError::StateLength { state, params }
            }
        })
    }
}

/// What a loop whose losses differ from PyTorch's probably did.
fn diagnose_loop(losses: &[f64], run: &TorchRun) -> &'static str {
    if losses.first().is_some_and(|l| !TORCH_TOL.accepts(*l, run.loss_before_step[0])) {
        return "the first loss is the loss of the starting line: criterion.loss(&forward(&params, &data.train.xs), &data.train.y) before any step (see 'The refactored loop' in chapter 5)";
    }
    let accumulated = crate::training::accumulated_losses(run);
    if losses.len() == accumulated.len()
        && losses.iter().zip(&accumulated).all(|(a, b)| close(*a, *b))
    {
        return ACCUMULATED;
    }
    TRAIN
}

#[test]
fn the_loop_with_sgd_and_momentum_records_pytorchs_losses() {
    check_loop_against_pytorch("sgd-momentum");
}

#[test]
fn the_loop_with_adam_records_pytorchs_losses() {
    check_loop_against_pytorch("adam");
}

#[test]
fn the_loop_on_half_the_mse_records_pytorchs_losses() {
    check_loop_against_pytorch("sgd-half-mse");
}
