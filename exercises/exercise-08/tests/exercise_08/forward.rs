//! The forward pass, worked out by hand on a small network.

use support::{call, check};

use crate::*;

/// Four examples for [`small`], with (z, a, ŷ) worked out by hand.
pub fn rows() -> Vec<Vec<f64>> {
    vec![vec![1.0, 0.5], vec![2.0, -1.0], vec![-1.0, -1.0], vec![0.0, 2.0]]
}

/// ŷ of [`small`] on [`rows`], by hand: 0.5, 8.5, 9.25, −1.5.
pub const OUTPUTS: [f64; 4] = [0.5, 8.5, 9.25, -1.5];

#[test]
fn relu_keeps_positive_numbers_and_zeroes_the_rest() {
    for (z, expected) in [(2.0, 2.0), (0.25, 0.25), (-3.0, 0.0), (0.0, 0.0), (-1e-300, 0.0)] {
        let text = format!("relu({z:?})");
        let got = call(&text, RELU, || exercise_08::relu(z));
        check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), RELU);
    }
}

#[test]
fn forward_example_by_hand() {
    let net = small();
    let expected_pre = [
        vec![0.5, 0.0, -1.25],
        vec![4.5, -1.0, -0.75],
        vec![1.5, -2.5, 2.25],
        vec![-3.5, 1.0, -1.75],
    ];
    let expected_hidden =
        [vec![0.5, 0.0, 0.0], vec![4.5, 0.0, 0.0], vec![1.5, 0.0, 2.25], vec![0.0, 1.0, 0.0]];
    for (i, row) in rows().iter().enumerate() {
        let text = format!("forward_example(&{}, {}, None)", describe(&net), lit(row));
        let got = call(&text, FORWARD, || exercise_08::forward_example(&net, row, None));
        let hint = diagnose(
            |m| {
                let (z, a, out) = sim_forward(&net, row, None, m);
                same_numbers(&got.pre, &z)
                    && same_numbers(&got.hidden, &a)
                    && close(got.output, out)
            },
            FORWARD,
        );
        let ok = same_numbers(&got.pre, &expected_pre[i])
            && same_numbers(&got.hidden, &expected_hidden[i])
            && close(got.output, OUTPUTS[i]);
        check(
            ok,
            &text,
            format!("{got:?}"),
            format!(
                "Activations {{ pre: {:?}, hidden: {:?}, output: {:?} }}",
                expected_pre[i], expected_hidden[i], OUTPUTS[i]
            ),
            hint,
        );
    }
}

#[test]
fn forward_example_multiplies_the_hidden_units_by_the_mask() {
    let net = small();
    let row = [-1.0, -1.0];
    let mask = [2.0, 0.0, 2.0];
    let text = format!("forward_example(&{}, {}, Some({}))", describe(&net), lit(&row), lit(&mask));
    let got = call(&text, FORWARD, || exercise_08::forward_example(&net, &row, Some(&mask)));
    // z = [1.5, −2.5, 2.25]; a = relu(z)·m = [3, 0, 4.5]; ŷ = 2·3 + 3·4.5 − 0.5 = 19.
    let ok = same_numbers(&got.pre, &[1.5, -2.5, 2.25])
        && same_numbers(&got.hidden, &[3.0, 0.0, 4.5])
        && close(got.output, 19.0);
    check(
        ok,
        &text,
        format!("{got:?}"),
        "Activations { pre: [1.5, -2.5, 2.25], hidden: [3.0, 0.0, 4.5], output: 19.0 }",
        FORWARD,
    );
}

#[test]
fn predict_is_the_forward_pass_of_every_row_without_dropout() {
    let net = small();
    let xs = rows();
    let text = format!("predict(&{}, &{xs:?})", describe(&net));
    let got = call(&text, PREDICT, || exercise_08::predict(&net, &xs));
    let hint = diagnose(
        |m| {
            let sim: Vec<f64> = xs.iter().map(|r| sim_forward(&net, r, None, m).2).collect();
            same_numbers(&got, &sim)
        },
        PREDICT,
    );
    check(same_numbers(&got, &OUTPUTS), &text, format!("{got:?}"), format!("{OUTPUTS:?}"), hint);
}

#[test]
fn the_output_can_be_negative() {
    let net = small();
    let row = [0.0, 2.0];
    let text = format!("forward_example(&{}, {}, None).output", describe(&net), lit(&row));
    let got = call(&text, FORWARD, || exercise_08::forward_example(&net, &row, None).output);
    let hint = if got == 0.0 { RELU_ON_OUTPUT } else { FORWARD };
    check(close(got, -1.5), &text, format!("{got:?}"), "-1.5", hint);
}
