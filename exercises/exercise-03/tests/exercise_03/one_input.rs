//! Known values of the gradient with one input, worked out by hand.

use exercise_03::Gradient;
use support::{call, check, fail};

use crate::*;

#[test]
fn good_examples_pass_the_check() {
    let text = "check_examples(&[1.0, 2.0, 3.0], &[3.0, 5.0, 7.0])";
    let got = call(text, CHECK_EXAMPLES, || exercise_03::check_examples(&THREE_X, &THREE_Y));
    check(got.is_ok(), text, format!("{got:?}"), "Ok(())", CHECK_EXAMPLES);
}

#[test]
fn errors_are_predictions_minus_targets() {
    // The line w = 0, b = 0 predicts 0 everywhere: the errors are 0 − y.
    let text = "errors(0.0, 0.0, &[1.0, 2.0, 3.0], &[3.0, 5.0, 7.0])";
    let got = call(text, ERRORS, || exercise_03::errors(0.0, 0.0, &THREE_X, &THREE_Y));
    let expected = [-3.0, -5.0, -7.0];
    match got {
        Ok(values) => {
            let hint = if same_numbers(&values, &[3.0, 5.0, 7.0]) { WRONG_SIGN } else { ERRORS };
            check(
                same_numbers(&values, &expected),
                text,
                format!("{values:?}"),
                format!("{expected:?}"),
                hint,
            );
        }
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            format!("Ok({expected:?})"),
            "these examples are fine, so there is nothing to report (see 'When the inputs are wrong' in chapter 3)",
        ),
    }
}

#[test]
fn errors_of_a_line_above_the_data_are_positive() {
    // ŷ = 3x + 1 runs above y = 2x + 1 by exactly x.
    let text = "errors(3.0, 1.0, &[1.0, 2.0, 3.0], &[3.0, 5.0, 7.0])";
    let got = call(text, ERRORS, || exercise_03::errors(3.0, 1.0, &THREE_X, &THREE_Y));
    let expected = [1.0, 2.0, 3.0];
    match got {
        Ok(values) => {
            let hint = if same_numbers(&values, &[-1.0, -2.0, -3.0]) { WRONG_SIGN } else { ERRORS };
            check(
                same_numbers(&values, &expected),
                text,
                format!("{values:?}"),
                format!("{expected:?}"),
                hint,
            );
        }
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            format!("Ok({expected:?})"),
            "these examples are fine, so there is nothing to report (see 'When the inputs are wrong' in chapter 3)",
        ),
    }
}

#[test]
fn gradient_of_three_points_at_w_0_b_0_is_minus_68_thirds_and_minus_10() {
    // Errors −3, −5, −7. dw = 2·mean(−3·1, −5·2, −7·3) = 2·(−34/3) = −68/3;
    // db = 2·mean(−3, −5, −7) = 2·(−5) = −10.
    let (text, got) = mse_gradient_of(0.0, 0.0, &THREE_X, &THREE_Y, GRADIENT);
    let expected = Gradient { dw: -68.0 / 3.0, db: -10.0 };
    check_gradient(&text, got, expected, (0.0, 0.0, &THREE_X, &THREE_Y), false);
}

#[test]
fn gradient_of_a_line_above_the_data_is_positive() {
    // ŷ = 3x + 1: errors 1, 2, 3. dw = 2·mean(1, 4, 9) = 28/3; db = 2·2 = 4.
    let (text, got) = mse_gradient_of(3.0, 1.0, &THREE_X, &THREE_Y, GRADIENT);
    let expected = Gradient { dw: 28.0 / 3.0, db: 4.0 };
    check_gradient(&text, got, expected, (3.0, 1.0, &THREE_X, &THREE_Y), false);
}

#[test]
fn gradient_on_the_true_line_is_zero() {
    // Every error is 0, so both means are 0: the bottom of the bowl.
    let (text, got) = mse_gradient_of(2.0, 1.0, &THREE_X, &THREE_Y, GRADIENT);
    let expected = Gradient { dw: 0.0, db: 0.0 };
    check_gradient(&text, got, expected, (2.0, 1.0, &THREE_X, &THREE_Y), false);
}

#[test]
fn gradient_of_one_example_is_2_error_x_and_2_error() {
    // The untrained model at x = 2 predicts −0.9217; against y = 1 the error
    // is −1.9217, so dw = 2·(−1.9217)·2 = −7.6868 and db = 2·(−1.9217).
    let (x, y) = ([2.0], [1.0]);
    let (text, got) = mse_gradient_of(UNTRAINED_W, UNTRAINED_B, &x, &y, GRADIENT);
    let expected = Gradient { dw: -7.6868, db: -3.8434 };
    check_gradient(&text, got, expected, (UNTRAINED_W, UNTRAINED_B, &x, &y), false);
}

#[test]
fn gradient_of_the_untrained_model_on_the_house_table() {
    // The untrained line predicts far below every price (−387.7 for the
    // smallest house), so both slopes are large and negative: raising w or b
    // would lower the cost. Worked out with exact fractions:
    // dw = −205688807/175, db = −45854381/35000.
    let (text, got) =
        mse_gradient_of(UNTRAINED_W, UNTRAINED_B, &HOUSE_SIZES, &HOUSE_PRICES, GRADIENT);
    let expected = Gradient { dw: -205_688_807.0 / 175.0, db: -45_854_381.0 / 35_000.0 };
    check_gradient(
        &text,
        got,
        expected,
        (UNTRAINED_W, UNTRAINED_B, &HOUSE_SIZES, &HOUSE_PRICES),
        false,
    );
}

#[test]
fn gradient_of_the_guessed_line_on_the_house_table() {
    // ŷ = 0.02·x − 5: errors 0, −1, 0, −2, 1, −1, −1 (chapter 2).
    // Σ e·x = −600 − 1600 + 900 − 1100 − 1200 = −3600, so dw = 2·(−3600)/7;
    // Σ e = −4, so db = −8/7.
    let (text, got) = mse_gradient_of(0.02, -5.0, &HOUSE_SIZES, &HOUSE_PRICES, GRADIENT);
    let expected = Gradient { dw: -7200.0 / 7.0, db: -8.0 / 7.0 };
    check_gradient(&text, got, expected, (0.02, -5.0, &HOUSE_SIZES, &HOUSE_PRICES), false);
}

#[test]
fn half_gradient_of_three_points_is_minus_34_thirds_and_minus_5() {
    let text = "half_mse_gradient(0.0, 0.0, &[1.0, 2.0, 3.0], &[3.0, 5.0, 7.0])";
    let got = call(text, HALF, || exercise_03::half_mse_gradient(0.0, 0.0, &THREE_X, &THREE_Y));
    let expected = Gradient { dw: -34.0 / 3.0, db: -5.0 };
    check_gradient(text, got, expected, (0.0, 0.0, &THREE_X, &THREE_Y), true);
}
