//! The backward pass through the ReLU, worked out on the small network.

use exercise_08::Criterion;
use support::{call, check};

use crate::forward::rows;
use crate::*;

#[test]
fn relu_derivative_is_one_above_zero_and_zero_elsewhere() {
    for (z, expected) in [(2.0, 1.0), (1e-300, 1.0), (-1.0, 0.0), (0.0, 0.0)] {
        let text = format!("relu_derivative({z:?})");
        let got = call(&text, RELU_DERIVATIVE, || exercise_08::relu_derivative(z));
        let hint = if z == 0.0 && got == 1.0 { RELU_AT_ZERO } else { RELU_DERIVATIVE };
        check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), hint);
    }
}

/// The learner's backward_example of one row of [`rows`], into `start`.
#[track_caller]
fn learner_backward(
    row: &[f64],
    mask: Option<&[f64]>,
    delta: f64,
    start: &[f64],
) -> (String, Vec<f64>) {
    let net = small();
    let text = format!(
        "backward_example(&{}, {}, &forward_example(…), {mask:?}, {delta:?}, &mut gradient) with gradient = vec!{start:?}",
        describe(&net),
        lit(row)
    );
    let got = call(&text, BACKWARD, || {
        let activations = exercise_08::forward_example(&net, row, mask);
        let mut gradient = start.to_vec();
        exercise_08::backward_example(&net, row, &activations, mask, delta, &mut gradient);
        gradient
    });
    (text, got)
}

/// What the simulation's gradient of one row gives for `delta`, as a
/// backward_example would add it (the half criterion on one example makes
/// δ = ŷ − y; the target is chosen to give `delta`).
fn sim_backward(row: &[f64], mask: Option<&[f64]>, delta: f64, mistake: Mistake) -> Vec<f64> {
    let net = small();
    let out = sim_forward(&net, row, mask, mistake).2;
    let masks = mask.map(|m| vec![m.to_vec()]);
    sim_gradient(
        &net,
        Criterion::HalfMse,
        &[row.to_vec()],
        &[out - delta],
        masks.as_deref(),
        mistake,
    )
}

#[test]
fn backward_example_by_hand() {
    // Row [2, −1]: z = [4.5, −1, −0.75], a = [4.5, 0, 0]; with δ = 1:
    // ∂b₂ = 1, ∂W₂ = a = [4.5, 0, 0]; g = δ·W₂·relu'(z) = [2, 0, 0];
    // ∂b₁ = g, ∂W₁ = g·xᵀ = [[4, −2], [0, 0], [0, 0]].
    let row = [2.0, -1.0];
    let expected = [4.0, -2.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 4.5, 0.0, 0.0, 1.0];
    let zeros = [0.0; 13];
    let (text, got) = learner_backward(&row, None, 1.0, &zeros);
    let hint = diagnose(|m| same_numbers(&got, &sim_backward(&row, None, 1.0, m)), BACKWARD);
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn backward_example_for_every_row_matches_the_chain_rule() {
    let zeros = [0.0; 13];
    for row in rows() {
        let delta = -0.75;
        let (text, got) = learner_backward(&row, None, delta, &zeros);
        let expected = sim_backward(&row, None, delta, Mistake::None);
        let hint = diagnose(|m| same_numbers(&got, &sim_backward(&row, None, delta, m)), BACKWARD);
        check(
            same_numbers(&got, &expected),
            &text,
            format!("{got:?}"),
            format!("{expected:?}"),
            hint,
        );
    }
}

#[test]
fn no_gradient_flows_through_a_unit_whose_input_is_exactly_zero() {
    // Row [1, 0.5]: z = [0.5, 0, −1.25]; unit 1 sits exactly at 0.
    let row = [1.0, 0.5];
    let zeros = [0.0; 13];
    let (text, got) = learner_backward(&row, None, 1.0, &zeros);
    let expected = sim_backward(&row, None, 1.0, Mistake::None);
    let hint = diagnose(|m| same_numbers(&got, &sim_backward(&row, None, 1.0, m)), BACKWARD);
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn backward_example_goes_through_the_mask() {
    let row = [-1.0, -1.0];
    let mask = [2.0, 0.0, 2.0];
    let zeros = [0.0; 13];
    let (text, got) = learner_backward(&row, Some(&mask), 0.5, &zeros);
    let expected = sim_backward(&row, Some(&mask), 0.5, Mistake::None);
    let hint = diagnose(|m| same_numbers(&got, &sim_backward(&row, Some(&mask), 0.5, m)), BACKWARD);
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn backward_example_adds_to_the_gradient_it_is_given() {
    let row = [-1.0, -1.0];
    let ones = [1.0; 13];
    let (text, got) = learner_backward(&row, None, 1.0, &ones);
    let expected: Vec<f64> =
        sim_backward(&row, None, 1.0, Mistake::None).iter().map(|g| g + 1.0).collect();
    check(
        same_numbers(&got, &expected),
        &text,
        format!("{got:?}"),
        format!("{expected:?}"),
        "backward_example adds (+=) this example's part to each entry of gradient; it does not overwrite it (see 'Backward through the ReLU' in chapter 8)",
    );
}

#[test]
fn gradient_of_four_examples() {
    let net = small();
    let xs = rows();
    let y = [1.0, 8.0, 10.0, -1.0];
    for criterion in [Criterion::Mse, Criterion::HalfMse] {
        let text = format!(
            "gradient(&{}, Criterion::{criterion:?}, &{xs:?}, {}, None)",
            describe(&net),
            lit(&y)
        );
        let got = call(&text, GRADIENT, || exercise_08::gradient(&net, criterion, &xs, &y, None));
        let expected = sim_gradient(&net, criterion, &xs, &y, None, Mistake::None);
        let hint = diagnose(
            |m| same_numbers(&got, &sim_gradient(&net, criterion, &xs, &y, None, m)),
            GRADIENT,
        );
        check(
            same_numbers(&got, &expected),
            &text,
            format!("{got:?}"),
            format!("{expected:?}"),
            hint,
        );
    }
}

#[test]
fn gradient_with_dropout_masks() {
    let net = small();
    let xs = rows();
    let y = [1.0, 8.0, 10.0, -1.0];
    let masks =
        vec![vec![2.0, 2.0, 0.0], vec![0.0, 2.0, 2.0], vec![2.0, 0.0, 2.0], vec![2.0, 2.0, 2.0]];
    let text = format!(
        "gradient(&{}, Criterion::Mse, &{xs:?}, {}, Some(&{masks:?}))",
        describe(&net),
        lit(&y)
    );
    let got = call(&text, GRADIENT, || {
        exercise_08::gradient(&net, Criterion::Mse, &xs, &y, Some(&masks))
    });
    let sim = |m| sim_gradient(&net, Criterion::Mse, &xs, &y, Some(&masks), m);
    let hint = diagnose(|m| same_numbers(&got, &sim(m)), GRADIENT);
    let expected = sim(Mistake::None);
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn gradient_is_computed_afresh_by_every_call() {
    let net = small();
    let xs = rows();
    let y = [1.0, 8.0, 10.0, -1.0];
    let text =
        format!("gradient(&{}, Criterion::Mse, &{xs:?}, {}, None), twice", describe(&net), lit(&y));
    let (first, second) = call(&text, GRADIENT, || {
        let first = exercise_08::gradient(&net, Criterion::Mse, &xs, &y, None);
        (first, exercise_08::gradient(&net, Criterion::Mse, &xs, &y, None))
    });
    check(
        same_numbers(&first, &second),
        &text,
        format!("{second:?} the second time"),
        format!("{first:?}, as the first time"),
        GRADIENT,
    );
}
