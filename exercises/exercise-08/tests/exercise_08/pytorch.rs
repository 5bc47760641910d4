//! The strongest tests: PyTorch's own steps. `scripts/torch-network-reference.py`
//! trained `nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1))` in
//! float64 on 24 examples of a curve, from PyTorch's default initialisation,
//! with `torch.optim.SGD`, `Adam` and `AdamW`, full batch, mini-batch and
//! stochastic, with and without dropout, and recorded every batch, mask,
//! loss and the parameters after every step
//! (`tests/fixtures/torch-network.json`). Your gradient, fed the same batches
//! and masks, drives exercise 05's optimizers, and must take the same steps,
//! to 12 digits.

use exercise_08::{AdamConfig, Criterion, OptimizerConfig, SgdConfig};
use serde_json::Value;
use support::{call, check, fail};

use crate::*;

fn number(run: &TorchRun, name: &str) -> f64 {
    run.hyperparameters[name].as_f64().expect("a number")
}

/// The run's optimizer, as exercise 05 configures it.
pub fn config(run: &TorchRun) -> OptimizerConfig {
    let lr = number(run, "lr");
    let decay = number(run, "weight_decay");
    if run.optimizer == "sgd" {
        return OptimizerConfig::Sgd(SgdConfig {
            learning_rate: lr,
            momentum: number(run, "momentum"),
            dampening: number(run, "dampening"),
            weight_decay: decay,
            nesterov: run.hyperparameters["nesterov"] == Value::Bool(true),
        });
    }
    let betas = run.hyperparameters["betas"].as_array().expect("two betas");
    let adam = AdamConfig {
        learning_rate: lr,
        betas: (betas[0].as_f64().expect("β₁"), betas[1].as_f64().expect("β₂")),
        eps: number(run, "eps"),
        weight_decay: decay,
        amsgrad: run.hyperparameters["amsgrad"] == Value::Bool(true),
    };
    if run.optimizer == "adam" { OptimizerConfig::Adam(adam) } else { OptimizerConfig::AdamW(adam) }
}

pub fn criterion(run: &TorchRun) -> Criterion {
    if run.criterion == "mse" { Criterion::Mse } else { Criterion::HalfMse }
}

/// The step's masks: 1/(1 − p) for a kept unit, 0 for a dropped one.
pub fn masks(run: &TorchRun, step: &TorchStep) -> Option<Vec<Vec<f64>>> {
    let kept = 1.0 / (1.0 - run.dropout);
    step.keep.as_ref().map(|keep| {
        keep.iter()
            .map(|row| row.iter().map(|&k| if k == 1 { kept } else { 0.0 }).collect())
            .collect()
    })
}

/// The tests' own network must take PyTorch's steps too, or its diagnoses
/// would be wrong; and the fixture must exercise what it claims to.
fn check_fixture() {
    let t = torch();
    assert_eq!(t.start.len(), t.hidden * t.inputs + 2 * t.hidden + 1, "the fixture's start");
    assert!(t.runs.iter().any(|r| r.dropout > 0.0) && t.runs.iter().any(|r| r.dropout == 0.0));
    for run in &t.runs {
        let mut opt = exercise_08::optimizer(&config(run)).expect("the fixture's hyperparameters");
        let mut net = torch_start();
        for (k, step) in run.steps.iter().enumerate() {
            let data = torch_examples().rows(&step.rows);
            let masks = masks(run, step);
            let g = sim_gradient(
                &net,
                criterion(run),
                &data.xs,
                &data.y,
                masks.as_deref(),
                Mistake::None,
            );
            opt.step(&mut net.params, &g).expect("a step");
            let agrees =
                net.params.iter().zip(&step.params).all(|(a, b)| TORCH_TOL.accepts(*a, *b));
            assert!(
                agrees,
                "the tests' own network disagrees with PyTorch in {} at step {}",
                run.name,
                k + 1
            );
        }
    }
}

/// Steps the learner's gradient through the fixture's run `name`.
#[track_caller]
fn check_run(name: &str) {
    check_fixture();
    let t = torch();
    let run = t.runs.iter().find(|r| r.name == name).expect("a run of the fixture");
    let criterion = criterion(run);
    let mut optimizer =
        exercise_08::optimizer(&config(run)).expect("the fixture's hyperparameters");
    let mut net = torch_start();
    for (k, step) in run.steps.iter().enumerate() {
        let data = torch_examples().rows(&step.rows);
        let masks = masks(run, step);
        let text = format!(
            "PyTorch's run {name} ({:?}, {criterion:?}, dropout {}), step {} of {}: gradient(&network, Criterion::{criterion:?}, rows {:?} of the fixture, {}) from {}",
            config(run),
            run.dropout,
            k + 1,
            run.steps.len(),
            step.rows,
            if masks.is_some() { "PyTorch's mask" } else { "None" },
            short(&net.params),
        );
        let loss = call(&text, FORWARD, || {
            exercise_08::loss(&net, criterion, &data.xs, &data.y, masks.as_deref())
        });
        let hint = diagnose(
            |m| {
                let out: Vec<f64> = data
                    .xs
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        sim_forward(&net, r, masks.as_ref().map(|m| m[i].as_slice()), m).2
                    })
                    .collect();
                close(loss, criterion.loss(&out, &data.y))
            },
            FORWARD,
        );
        check(
            TORCH_TOL.accepts(loss, step.loss),
            &format!("{text}\n  the batch's loss before the step"),
            format!("{loss:?}"),
            format!("{:?} (PyTorch {}, {TORCH_TOL})", step.loss, t.torch),
            hint,
        );
        let g = call(&text, GRADIENT, || {
            exercise_08::gradient(&net, criterion, &data.xs, &data.y, masks.as_deref())
        });
        let hint = diagnose(
            |m| {
                same_numbers(
                    &g,
                    &sim_gradient(&net, criterion, &data.xs, &data.y, masks.as_deref(), m),
                )
            },
            PYTORCH,
        );
        if g.len() != net.params.len() {
            fail(
                &text,
                format!("a gradient of {} numbers", g.len()),
                format!("{} numbers", net.params.len()),
                GRADIENT,
            );
        }
        optimizer.step(&mut net.params, &g).expect("a step with one number per parameter");
        let worst = net
            .params
            .iter()
            .zip(&step.params)
            .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
            .fold(0.0, f64::max);
        if !net.params.iter().zip(&step.params).all(|(a, b)| TORCH_TOL.accepts(*a, *b)) {
            fail(
                &format!("{text}\n  then optimizer.step(&mut network.params, &gradient)"),
                format!("params {} (off by {worst:.1e} relative)", short(&net.params)),
                format!("params {} (PyTorch {}, {TORCH_TOL})", short(&step.params), t.torch),
                hint,
            );
        }
    }
}

#[test]
fn sgd_full_batch_takes_pytorchs_steps() {
    check_run("sgd-batch");
}

#[test]
fn sgd_with_momentum_on_mini_batches_takes_pytorchs_steps() {
    check_run("sgd-momentum-minibatch");
}

#[test]
fn sgd_nesterov_with_weight_decay_and_half_mse_takes_pytorchs_steps() {
    check_run("sgd-nesterov-decay");
}

#[test]
fn adam_full_batch_takes_pytorchs_steps() {
    check_run("adam-batch");
}

#[test]
fn adam_amsgrad_on_mini_batches_takes_pytorchs_steps() {
    check_run("adam-amsgrad-minibatch");
}

#[test]
fn adamw_one_example_at_a_time_takes_pytorchs_steps() {
    check_run("adamw-stochastic");
}

#[test]
fn sgd_with_dropout_takes_pytorchs_steps() {
    check_run("sgd-dropout-minibatch");
}

#[test]
fn adam_with_dropout_takes_pytorchs_steps() {
    check_run("adam-dropout-batch");
}

#[test]
fn adamw_with_dropout_and_half_mse_takes_pytorchs_steps() {
    check_run("adamw-dropout-minibatch");
}
