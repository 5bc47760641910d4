//! The model: forward (predictions) and backward (the gradient of the
//! parameters), with any number of features.

use exercise_05::Criterion;
use support::{call, check};

use crate::*;

#[test]
fn forward_of_a_line_on_three_points() {
    // ŷ = 2x − 1, the parameters [w, b] = [2, −1].
    let params = [2.0, -1.0];
    let text = format!("forward({}, &[[1.0], [2.0], [3.0]])", lit(&params));
    let got = call(&text, FORWARD, || exercise_05::forward(&params, &three_rows()));
    let expected = [1.0, 3.0, 5.0];
    let hint = if same_numbers(&got, &[1.0, 0.0, -1.0]) {
        "the bias is the last parameter and the weights come first: [w, b], as nn.Linear lists them (see 'Forward and backward' in chapter 5)"
    } else {
        FORWARD
    };
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn forward_with_two_features() {
    // ŷ = 1·x₁ − 2·x₂ + 0.5
    let params = [1.0, -2.0, 0.5];
    let xs = vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![0.0, 0.0]];
    let text = format!("forward({}, &{xs:?})", lit(&params));
    let got = call(&text, FORWARD, || exercise_05::forward(&params, &xs));
    let expected = [-2.5, -4.5, 0.5];
    check(
        same_numbers(&got, &expected),
        &text,
        format!("{got:?}"),
        format!("{expected:?}"),
        FORWARD,
    );
}

#[test]
fn backward_of_a_line_on_three_points_is_chapter_3s_gradient() {
    // δ = ∂L/∂ŷ of the MSE at the flat line: 2·(−3, −5, −7)/3.
    let delta = [-2.0, -10.0 / 3.0, -14.0 / 3.0];
    let text = format!("backward(&[[1.0], [2.0], [3.0]], {}, 1)", lit(&delta));
    let got = call(&text, BACKWARD, || exercise_05::backward(&three_rows(), &delta, 1));
    let expected = [-68.0 / 3.0, -10.0];
    let averaged: Vec<f64> = expected.iter().map(|g| g / 3.0).collect();
    let hint = if same_numbers(&got, &averaged) { BACKWARD_AVERAGED } else { BACKWARD };
    check(
        same_numbers(&got, &expected),
        &text,
        format!("{got:?}"),
        format!("{expected:?} ({TOL})"),
        hint,
    );
}

#[test]
fn backward_with_two_features_is_x_transposed_times_delta() {
    let xs = vec![vec![1.0, 2.0], vec![3.0, 4.0]];
    let delta = [0.5, -1.0];
    let text = format!("backward(&{xs:?}, {}, 2)", lit(&delta));
    let got = call(&text, BACKWARD, || exercise_05::backward(&xs, &delta, 2));
    // Xᵀδ = [0.5 − 3, 1 − 4], then Σδ = −0.5.
    let expected = [-2.5, -3.0, -0.5];
    let hint = if same_numbers(&got, &[-1.5, -2.5, -0.5]) {
        "that is Xδ, one number per example; the gradient of the weights is Xᵀδ, one per feature: Σᵢ δᵢ·xᵢⱼ walks down column j (see 'Forward and backward' in chapter 5)"
    } else if same_numbers(&got, &[-1.25, -1.5, -0.25]) {
        BACKWARD_AVERAGED
    } else {
        BACKWARD
    };
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn the_gradient_of_the_flat_line_on_three_points() {
    let params = [0.0, 0.0];
    for (criterion, expected) in
        [(Criterion::Mse, [-68.0 / 3.0, -10.0]), (Criterion::HalfMse, [-34.0 / 3.0, -5.0])]
    {
        let text = format!(
            "gradient(Criterion::{criterion:?}, {}, &[[1.0], [2.0], [3.0]], {})",
            lit(&params),
            lit(&THREE_Y)
        );
        let got = call(&text, GRADIENT, || {
            exercise_05::gradient(criterion, &params, &three_rows(), &THREE_Y)
        });
        let hint = if criterion == Criterion::Mse && same_numbers(&got, &[-34.0 / 3.0, -5.0]) {
            NO_FACTOR_TWO
        } else {
            GRADIENT
        };
        check(
            same_numbers(&got, &expected),
            &text,
            format!("{got:?}"),
            format!("{expected:?} ({TOL})"),
            hint,
        );
    }
}

#[test]
fn the_gradient_with_two_features_is_exercise_3s() {
    let xs = vec![vec![1.0, 0.5], vec![2.0, -1.0], vec![0.0, 3.0], vec![1.5, 1.5]];
    let y = [2.0, 1.0, -1.0, 4.0];
    let params = [0.3, -0.2, 0.1];
    let text = format!("gradient(Criterion::Mse, {}, &{xs:?}, {})", lit(&params), lit(&y));
    let got = call(&text, GRADIENT, || exercise_05::gradient(Criterion::Mse, &params, &xs, &y));
    let g = solution_03::mse_gradient_features(&params[..2], params[2], &xs, &y)
        .expect("good examples");
    let expected = [g.dw[0], g.dw[1], g.db];
    check(
        same_numbers(&got, &expected),
        &text,
        format!("{got:?}"),
        format!("{expected:?} ({TOL}), exercise 03's mse_gradient_features"),
        GRADIENT,
    );
}
