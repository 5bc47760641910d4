//! SGD, one rule at a time: weight decay, the momentum buffer, Nesterov's
//! direction, and whole steps with gradients given by hand.

use exercise_05::{Sgd, SgdConfig};
use support::{call, check};

use crate::*;

const PARAMS: [f64; 2] = [1.0, 2.0];

/// The learner's `Sgd::new(config)`, which must accept these good
/// hyperparameters.
#[track_caller]
fn new_sgd(config: SgdConfig) -> Sgd {
    let text = format!("Sgd::new({config:?})");
    call(&text, NEW, || Sgd::new(config))
        .unwrap_or_else(|e| support::fail(&text, format!("Err({e:?})"), "Ok(an Sgd)", NEW))
}

/// Two gradients, one per step: [0.5, −1] and then [0.25, 0.5].
fn gradients() -> Vec<Vec<f64>> {
    vec![vec![0.5, -1.0], vec![0.25, 0.5]]
}

#[test]
fn weight_decay_adds_lambda_times_every_parameter_the_bias_too() {
    let g = [0.5, -1.0];
    let text = format!("with_weight_decay({}, {}, 0.1)", lit(&g), lit(&PARAMS));
    let got = call(&text, WEIGHT_DECAY, || exercise_05::with_weight_decay(&g, &PARAMS, 0.1));
    let expected = [0.6, -0.8];
    let hint = if same_numbers(&got, &[0.6, -1.0]) { BIAS_NOT_DECAYED } else { WEIGHT_DECAY };
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);

    let text = format!("with_weight_decay({}, {}, 0.0)", lit(&g), lit(&PARAMS));
    let got = call(&text, WEIGHT_DECAY, || exercise_05::with_weight_decay(&g, &PARAMS, 0.0));
    check(
        got == g,
        &text,
        format!("{got:?}"),
        format!("{g:?}, the gradient unchanged"),
        WEIGHT_DECAY,
    );
}

#[test]
fn a_weight_decay_of_zero_leaves_the_gradient_of_runaway_parameters_alone() {
    // PyTorch skips the addition when weight_decay == 0. Adding 0·θ is not
    // the same: for a parameter that ran away, 0·∞ and 0·NaN are NaN.
    let g = [0.5, -1.0, 2.0];
    let params = [f64::INFINITY, 1.0, f64::NAN];
    let text = format!("with_weight_decay({}, &[inf, 1.0, NaN], 0.0)", lit(&g));
    let got = call(&text, DECAY_OF_ZERO, || exercise_05::with_weight_decay(&g, &params, 0.0));
    check(
        got == g,
        &text,
        format!("{got:?}"),
        format!("{g:?}, the gradient unchanged"),
        DECAY_OF_ZERO,
    );
}

#[test]
fn the_first_momentum_buffer_is_the_gradient_itself() {
    let g = [0.5, -1.0];
    let text = format!("momentum_buffer(None, {}, 0.9, 0.1)", lit(&g));
    let got = call(&text, MOMENTUM, || exercise_05::momentum_buffer(None, &g, 0.9, 0.1));
    let hint = if same_numbers(&got, &[0.45, -0.9]) { FIRST_STEP_DAMPENED } else { MOMENTUM };
    check(
        same_numbers(&got, &g),
        &text,
        format!("{got:?}"),
        format!("{g:?}, the gradient itself"),
        hint,
    );
}

#[test]
fn a_later_momentum_buffer_keeps_mu_times_the_previous_one() {
    // μ·b + (1 − τ)·g = 0.9·[1, −2] + 0.9·[0.5, 0.5] = [1.35, −1.35]
    let previous = [1.0, -2.0];
    let g = [0.5, 0.5];
    let text = format!("momentum_buffer(Some({}), {}, 0.9, 0.1)", lit(&previous), lit(&g));
    let got = call(&text, MOMENTUM, || exercise_05::momentum_buffer(Some(&previous), &g, 0.9, 0.1));
    let expected = [1.35, -1.35];
    let hint = if same_numbers(&got, &[1.35, 1.35]) {
        SLIDES_MOMENTUM
    } else if same_numbers(&got, &[0.95, -1.75]) {
        DAMPENING_WEIGHT
    } else if same_numbers(&got, &[1.4, -1.3]) {
        "the gradient enters the velocity with the weight 1 − τ (the dampening), not 1 (see 'Dampening and Nesterov' in chapter 5)"
    } else {
        MOMENTUM
    };
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn nesterov_steps_along_the_gradient_plus_mu_times_the_buffer() {
    // g + μ·b = [0.5, −1] + 0.9·[1, 2] = [1.4, 0.8]
    let g = [0.5, -1.0];
    let b = [1.0, 2.0];
    let text = format!("nesterov_direction({}, {}, 0.9)", lit(&g), lit(&b));
    let got = call(&text, NESTEROV, || exercise_05::nesterov_direction(&g, &b, 0.9));
    let expected = [1.4, 0.8];
    let hint = if same_numbers(&got, &b) { NESTEROV_BUFFER } else { NESTEROV };
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn one_step_of_plain_sgd_moves_against_the_gradient() {
    // θ − γ·g = [1, 2] − 0.1·[0.5, −1] = [0.95, 2.1]
    let mut sgd = new_sgd(SgdConfig::new(0.1));
    let g = [0.5, -1.0];
    let mut params = PARAMS;
    let text = format!(
        "let mut params = {PARAMS:?}; Sgd::new(SgdConfig::new(0.1))?.step(&mut params, {})",
        lit(&g)
    );
    let got = call(&text, SGD_STEP, || sgd.step(&mut params, &g));
    check(got.is_ok(), &text, format!("{got:?}"), "Ok(())", SGD_STEP);
    let expected = [0.95, 2.1];
    let hint = if same_numbers(&params, &[1.05, 1.9]) {
        "the step went uphill: θ ← θ − γ·g subtracts (see 'Plain SGD and weight decay' in chapter 5)"
    } else {
        SGD_STEP
    };
    check(
        same_numbers(&params, &expected),
        &text,
        format!("params = {params:?}"),
        format!("params = {expected:?}"),
        hint,
    );
    check(
        sgd.velocity.is_none(),
        &text,
        format!("velocity = {:?}", sgd.velocity),
        "velocity = None: without momentum there is nothing to remember",
        SGD_STEP,
    );
}

#[test]
fn two_steps_of_sgd_with_momentum_and_dampening() {
    // Step 1: b = g₁ = [0.5, −1], θ = [0.95, 2.1].
    // Step 2: b = 0.9·[0.5, −1] + 0.9·[0.25, 0.5] = [0.675, −0.45],
    //         θ = [0.95, 2.1] − 0.1·b = [0.8825, 2.145].
    let config = SgdConfig { momentum: 0.9, dampening: 0.1, ..SgdConfig::new(0.1) };
    let expected = simulate_steps(Hyper::sgd(config), Mistake::None, &PARAMS, &gradients());
    assert!(same_numbers(&expected[1], &[0.8825, 2.145]), "the tests' own rule: {expected:?}");
    check_steps(Hyper::sgd(config), &PARAMS, &gradients(), MOMENTUM);
}

#[test]
fn the_velocity_is_kept_between_steps() {
    let config = SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) };
    let mut sgd = new_sgd(config);
    let mut params = PARAMS;
    let text =
        format!("let mut sgd = Sgd::new({config:?})?; sgd.step(&mut {PARAMS:?}, &[0.5, -1.0])");
    let got = call(&text, SGD_STEP, || sgd.step(&mut params, &[0.5, -1.0]));
    check(got.is_ok(), &text, format!("{got:?}"), "Ok(())", SGD_STEP);
    check(
        sgd.velocity.as_deref().is_some_and(|v| same_numbers(v, &[0.5, -1.0])),
        &text,
        format!("sgd.velocity = {:?}", sgd.velocity),
        "sgd.velocity = Some([0.5, -1.0]): the first buffer, kept for the next step",
        "keep the new buffer in self.velocity = Some(buffer) after each step with momentum (see 'Momentum' in chapter 5)",
    );
}

#[test]
fn two_steps_of_sgd_with_nesterov_momentum() {
    // Step 1: b = [0.5, −1], d = g + 0.9·b = [0.95, −1.9], θ = [0.905, 2.19].
    let config = SgdConfig { momentum: 0.9, nesterov: true, ..SgdConfig::new(0.1) };
    let expected = simulate_steps(Hyper::sgd(config), Mistake::None, &PARAMS, &gradients());
    assert!(same_numbers(&expected[0], &[0.905, 2.19]), "the tests' own rule: {expected:?}");
    check_steps(Hyper::sgd(config), &PARAMS, &gradients(), NESTEROV);
}

#[test]
fn two_steps_of_sgd_with_momentum_and_weight_decay() {
    // Step 1: g = [0.5, −1] + 0.1·[1, 2] = [0.6, −0.8], θ = [0.94, 2.08].
    let config = SgdConfig { momentum: 0.9, weight_decay: 0.1, ..SgdConfig::new(0.1) };
    let expected = simulate_steps(Hyper::sgd(config), Mistake::None, &PARAMS, &gradients());
    assert!(same_numbers(&expected[0], &[0.94, 2.08]), "the tests' own rule: {expected:?}");
    check_steps(Hyper::sgd(config), &PARAMS, &gradients(), WEIGHT_DECAY);
}
