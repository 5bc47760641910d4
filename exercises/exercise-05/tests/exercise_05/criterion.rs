//! The criterion: the loss as a value, and its derivative with respect to
//! each prediction.

use exercise_05::Criterion;
use support::{call, check, check_close};

use crate::*;

/// The flat line ŷ = 0 on the three points: errors −3, −5, −7.
const FLAT: [f64; 3] = [0.0, 0.0, 0.0];

#[test]
fn the_mse_of_the_flat_line_on_three_points_is_83_thirds() {
    // (9 + 25 + 49) / 3
    let text = format!("Criterion::Mse.loss({}, {})", lit(&FLAT), lit(&THREE_Y));
    let got = call(&text, CRITERION, || Criterion::Mse.loss(&FLAT, &THREE_Y));
    check_close(&text, got, 83.0 / 3.0, TOL, CRITERION);
}

#[test]
fn the_half_mse_is_exactly_half_the_mse() {
    let text = format!("Criterion::HalfMse.loss({}, {})", lit(&FLAT), lit(&THREE_Y));
    let got = call(&text, CRITERION, || Criterion::HalfMse.loss(&FLAT, &THREE_Y));
    check_close(&text, got, 83.0 / 6.0, TOL, CRITERION);
    let predictions = [2.9, 5.3, 6.4];
    let text = format!(
        "Criterion::HalfMse.loss({}, {}) and Criterion::Mse.loss(…)",
        lit(&predictions),
        lit(&THREE_Y)
    );
    let (half, full) = call(&text, CRITERION, || {
        (
            Criterion::HalfMse.loss(&predictions, &THREE_Y),
            Criterion::Mse.loss(&predictions, &THREE_Y),
        )
    });
    check(
        half == 0.5 * full,
        &text,
        format!("{half:?} and {full:?}"),
        "a HalfMse loss that is exactly half of the Mse loss (halving is exact in floating point)",
        "compute the mean squared error, then multiply it by 0.5 for HalfMse (see 'The criterion' in chapter 5)",
    );
}

#[test]
fn the_loss_of_the_untrained_model_on_the_lecture_data_is_pytorchs() {
    // nn.MSELoss() of nn.Linear(1, 1) at w = −0.7767, b = 0.6317, in float64
    // (tests/fixtures/torch-trajectories.json, the loss before the first step).
    let split = lecture();
    let predictions: Vec<f64> =
        split.train.x.iter().map(|x| UNTRAINED.w * x + UNTRAINED.b).collect();
    let text =
        "Criterion::Mse.loss(&predictions of the untrained model, &lecture_split()?.train.y)";
    let got = call(text, CRITERION, || Criterion::Mse.loss(&predictions, &split.train.y));
    check_close(text, got, torch_run("sgd").loss_before_step[0], TORCH_TOL, CRITERION);
}

/// What the learner's output gradient probably got wrong.
fn output_gradient_hint(got: &[f64], criterion: Criterion, predictions: &[f64]) -> &'static str {
    let n = predictions.len() as f64;
    let errors: Vec<f64> = predictions.iter().zip(THREE_Y).map(|(p, y)| p - y).collect();
    let scaled = |factor: f64| -> Vec<f64> { errors.iter().map(|e| factor * e / n).collect() };
    match criterion {
        Criterion::Mse if same_numbers(got, &scaled(1.0)) => NO_FACTOR_TWO,
        _ if same_numbers(got, &scaled(-2.0)) || same_numbers(got, &scaled(-1.0)) => {
            "the signs are reversed: the error is prediction minus target, ŷᵢ − yᵢ (see 'The criterion' in chapter 5)"
        }
        _ if same_numbers(got, &scaled(2.0 * n)) || same_numbers(got, &scaled(n)) => {
            "divide by N, the number of predictions: the loss is a mean (see 'The criterion' in chapter 5)"
        }
        _ => OUTPUT_GRADIENT,
    }
}

#[test]
fn the_output_gradient_of_the_mse_on_three_points() {
    let text = format!("Criterion::Mse.output_gradient({}, {})", lit(&FLAT), lit(&THREE_Y));
    let got = call(&text, OUTPUT_GRADIENT, || Criterion::Mse.output_gradient(&FLAT, &THREE_Y));
    let expected = [-2.0, -10.0 / 3.0, -14.0 / 3.0];
    check(
        same_numbers(&got, &expected),
        &text,
        format!("{got:?}"),
        format!("{expected:?} ({TOL})"),
        output_gradient_hint(&got, Criterion::Mse, &FLAT),
    );
}

#[test]
fn the_output_gradient_of_the_half_mse_on_three_points() {
    let predictions = [4.0, 4.0, 4.0];
    let text =
        format!("Criterion::HalfMse.output_gradient({}, {})", lit(&predictions), lit(&THREE_Y));
    let got =
        call(&text, OUTPUT_GRADIENT, || Criterion::HalfMse.output_gradient(&predictions, &THREE_Y));
    let expected = [1.0 / 3.0, -1.0 / 3.0, -1.0];
    check(
        same_numbers(&got, &expected),
        &text,
        format!("{got:?}"),
        format!("{expected:?} ({TOL})"),
        output_gradient_hint(&got, Criterion::HalfMse, &predictions),
    );
}
