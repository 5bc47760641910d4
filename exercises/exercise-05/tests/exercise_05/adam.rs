//! Adam and AdamW, one rule at a time: the moving averages, the bias
//! correction, the decoupled decay, and whole steps with gradients given by
//! hand.

use exercise_05::{Adam, AdamConfig};
use support::{call, check, check_close};

use crate::*;

const PARAMS: [f64; 2] = [1.0, 2.0];

#[test]
fn a_moving_average_moves_a_fraction_of_the_way_to_the_new_value() {
    for (average, value, beta, expected) in
        [(0.0, 2.0, 0.9, 0.2), (1.0, 3.0, 0.75, 1.5), (4.0, 0.0, 0.5, 2.0)]
    {
        let text = format!("moving_average({average:?}, {value:?}, {beta:?})");
        let got = call(&text, MOVING_AVERAGE, || exercise_05::moving_average(average, value, beta));
        check_close(&text, got, expected, TOL, MOVING_AVERAGE);
    }
}

#[test]
fn the_bias_correction_is_one_minus_beta_to_the_t() {
    for (beta, t, expected) in
        [(0.9, 1, 0.1), (0.9, 2, 0.19), (0.999, 1, 0.001), (0.999, 2, 0.001999)]
    {
        let text = format!("bias_correction({beta:?}, {t})");
        let got = call(&text, BIAS_CORRECTION, || exercise_05::bias_correction(beta, t));
        check_close(&text, got, expected, TOL, BIAS_CORRECTION);
    }
    // PyTorch computes beta ** t with the C library's pow; powf is the same
    // function, so the numbers agree to the last bit. (powi multiplies in
    // another order: at these t its last bits differ.)
    for (beta, t) in [(0.999f64, 37), (0.999, 6), (0.9, 4), (0.9, 13)] {
        let text = format!("bias_correction({beta:?}, {t})");
        let got = call(&text, BIAS_CORRECTION, || exercise_05::bias_correction(beta, t));
        let expected = 1.0 - beta.powf(t as f64);
        check(
            got == expected,
            &text,
            format!("{got:?}"),
            format!("{expected:?}, 1.0 - {beta:?}f64.powf({t}.0) to the last bit"),
            POWF,
        );
    }
}

#[test]
fn the_bias_correction_after_the_most_steps_is_1() {
    // After 2³² steps (or u64::MAX) βᵗ underflows to 0 and the correction is
    // exactly 1; t as i32 would wrap to 0 (or −1) on the way.
    for (beta, t) in [(0.9, 1u64 << 32), (0.999, 1u64 << 32), (0.999, u64::MAX)] {
        let text = format!("bias_correction({beta:?}, {t})");
        let got = call(&text, POWF, || exercise_05::bias_correction(beta, t));
        check(got == 1.0, &text, format!("{got:?}"), "1.0", POWF);
    }
}

#[test]
fn adamw_decay_shrinks_every_parameter_the_bias_too() {
    let mut params = PARAMS;
    let text = format!("let mut params = {PARAMS:?}; decay_parameters(&mut params, 0.1, 0.5)");
    call(&text, DECAY_PARAMETERS, || exercise_05::decay_parameters(&mut params, 0.1, 0.5));
    let expected = [0.95, 1.9];
    let hint =
        if same_numbers(&params, &[0.95, 2.0]) { BIAS_NOT_DECAYED } else { DECAY_PARAMETERS };
    check(
        same_numbers(&params, &expected),
        &text,
        format!("params = {params:?}"),
        format!("params = {expected:?}"),
        hint,
    );
}

#[test]
fn the_first_adam_step_moves_each_parameter_by_about_the_learning_rate() {
    // At t = 1 the corrected moments are m̂ = g and v̂ = g², so each
    // parameter moves by γ·g/(|g| + ε): almost exactly γ, against the sign of
    // its gradient, however large or small the gradient.
    let config = AdamConfig::new(0.1);
    let gradients = vec![vec![0.5, -1000.0]];
    let expected =
        simulate_steps(Hyper::adam(Kind::Adam, config), Mistake::None, &PARAMS, &gradients);
    assert!(
        (expected[0][0] - 0.9).abs() < 1e-7 && (expected[0][1] - 2.1).abs() < 1e-7,
        "{expected:?}"
    );
    check_steps(Hyper::adam(Kind::Adam, config), &PARAMS, &gradients, ADAM_STEP);
}

#[test]
fn the_moments_after_the_first_step() {
    let config = AdamConfig::new(0.1);
    let text = format!("Adam::new({config:?})");
    let mut adam = call(&text, NEW, || Adam::new(config))
        .unwrap_or_else(|e| support::fail(&text, format!("Err({e:?})"), "Ok(an Adam)", NEW));
    let mut params = PARAMS;
    let g = [0.5, -1.0];
    let text = format!(
        "let mut adam = Adam::new(AdamConfig::new(0.1))?; adam.step(&mut {PARAMS:?}, {})",
        lit(&g)
    );
    let got = call(&text, ADAM_STEP, || adam.step(&mut params, &g));
    check(got.is_ok(), &text, format!("{got:?}"), "Ok(())", ADAM_STEP);
    let hint = "before the first step m, v and v_max start as zeros; then m = 0.9·0 + 0.1·g and v = 0.999·0 + 0.001·g² (see 'Adam' in chapter 5)";
    check(
        adam.steps == 1,
        &text,
        format!("adam.steps = {}", adam.steps),
        "adam.steps = 1",
        STEP_FROM_ZERO,
    );
    let m = [0.05, -0.1];
    let v = [0.00025, 0.001];
    check(
        same_numbers(&adam.m, &m),
        &text,
        format!("adam.m = {:?}", adam.m),
        format!("adam.m = {m:?}"),
        hint,
    );
    let hint_v = if same_numbers(&adam.v, &[0.0005, -0.001]) { V_NOT_SQUARED } else { hint };
    check(
        same_numbers(&adam.v, &v),
        &text,
        format!("adam.v = {:?}", adam.v),
        format!("adam.v = {v:?}"),
        hint_v,
    );
}

/// Three gradients, one per step: large, then small twice, so that the
/// running average of the square falls (and AMSGrad's maximum differs).
fn falling_gradients() -> Vec<Vec<f64>> {
    vec![vec![2.0, -3.0], vec![0.1, 0.2], vec![0.05, -0.1]]
}

#[test]
fn three_adam_steps() {
    let config = AdamConfig::new(0.1);
    check_steps(Hyper::adam(Kind::Adam, config), &PARAMS, &falling_gradients(), ADAM_STEP);
}

#[test]
fn three_adam_steps_with_other_betas() {
    let config = AdamConfig { betas: (0.5, 0.75), ..AdamConfig::new(0.05) };
    check_steps(Hyper::adam(Kind::Adam, config), &PARAMS, &falling_gradients(), ADAM_STEP);
}

#[test]
fn eps_is_added_after_the_square_root_and_the_bias_correction() {
    // With tiny gradients, ε decides the size of the step, and where it is
    // added shows: at t = 1, √v̂ = |g| = 1e-6, so the denominator is
    // 1e-6 + 1e-4; added before the correction, ε would count 1/√0.001 ≈ 32
    // times as much.
    let config = AdamConfig { eps: 1e-4, ..AdamConfig::new(0.1) };
    let gradients = vec![vec![1e-6, -1e-6], vec![2e-6, 1e-6]];
    check_steps(Hyper::adam(Kind::Adam, config), &PARAMS, &gradients, EPS_PLACE);
}

#[test]
fn amsgrad_divides_by_the_largest_second_moment_so_far() {
    let config = AdamConfig { betas: (0.9, 0.5), amsgrad: true, ..AdamConfig::new(0.1) };
    let hyper = Hyper::adam(Kind::Adam, config);
    let plain = Hyper { amsgrad: false, ..hyper };
    assert!(
        simulate_steps(hyper, Mistake::None, &PARAMS, &falling_gradients())
            != simulate_steps(plain, Mistake::None, &PARAMS, &falling_gradients()),
        "AMSGrad must make a difference here"
    );
    check_steps(hyper, &PARAMS, &falling_gradients(), AMSGRAD_IGNORED);
}

#[test]
fn adams_weight_decay_enters_the_gradient() {
    let config = AdamConfig { weight_decay: 0.5, ..AdamConfig::new(0.1) };
    check_steps(Hyper::adam(Kind::Adam, config), &PARAMS, &falling_gradients(), WEIGHT_DECAY);
}

#[test]
fn adamw_shrinks_the_parameters_before_the_step() {
    // Step 1: θ·(1 − 0.1·0.5) = [0.95, 1.9], then the Adam step of ≈ 0.1
    // against the gradient's sign: ≈ [0.85, 2.0].
    let config = AdamConfig { weight_decay: 0.5, ..AdamConfig::adamw(0.1) };
    let hyper = Hyper::adam(Kind::AdamW, config);
    let expected = simulate_steps(hyper, Mistake::None, &PARAMS, &falling_gradients());
    assert!(
        (expected[0][0] - 0.85).abs() < 1e-7 && (expected[0][1] - 2.0).abs() < 1e-7,
        "{expected:?}"
    );
    check_steps(hyper, &PARAMS, &falling_gradients(), DECAY_PARAMETERS);
}
