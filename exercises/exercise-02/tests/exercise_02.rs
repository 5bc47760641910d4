//! The tests of exercise 02, "The model and the loss".
//!
//! Run them with `cargo test -p exercise-02`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter 2
//! to read. Start with the first failing test: the functions build on each
//! other in the order of `src/lib.rs`.
//!
//! Three kinds of tests:
//! - known values, worked out by hand (the workshop's untrained model, the
//!   lecture's house table);
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones), and agreement with the reference solution;
//! - snapshots of what your code produces for the house table, compared with
//!   the files in `tests/snapshots/`.

use std::fmt::Debug;

use exercise_02::{Argument, InputError};
use proptest::collection::vec;
use proptest::prelude::*;
use support::{Tolerance, call, check, check_close, fail};

// ---------------------------------------------------------------------------
// The data and the hints
// ---------------------------------------------------------------------------

/// The lecture's house table.
use support::data::{HOUSE_PRICES, HOUSE_SIZES};

/// The workshop's untrained model (PyTorch, `torch.manual_seed(100)`).
const UNTRAINED_W: f64 = -0.7767;
const UNTRAINED_B: f64 = 0.6317;

const PREDICT: &str = "ŷ = w·x + b: multiply the input x by the weight w, then add the bias b (see 'The model' in chapter 2)";
const PREDICT_ALL: &str = "return one prediction for every input, in the same order, by calling predict for each x (see 'A batch of inputs' in chapter 2)";
const FEATURES: &str = "w·x multiplies each weight by its own feature and adds the products up; the prediction adds the bias b once, after the dot product (see 'Many features' in chapter 2)";
const SQUARED: &str =
    "the squared error is (ŷ − y)²: subtract first, then square (see 'Squared error' in chapter 2)";
const HALF: &str = "the half squared error is ½·(ŷ − y)², half of squared_error (see 'The ½ convention' in chapter 2)";
const MEAN: &str = "the mean squared error is (1/n)·Σ(ŷᵢ − yᵢ)²: square each difference, add them up, divide by n, the number of pairs (see 'Mean squared error' in chapter 2)";
const HALF_MEAN: &str = "the half mean squared error is (1/n)·Σ½·(ŷᵢ − yᵢ)², exactly half the MSE (see 'The ½ convention' in chapter 2)";
const MEAN_LOSS: &str = "mean_loss calls loss(ŷᵢ, yᵢ) for every pair, adds the results up and divides by n, the number of pairs (see 'Loss and cost' in chapter 2)";
const ERRORS: &str = "check_pairs looks for different lengths first, then for empty slices, then for values that are not finite (see 'When the inputs are wrong' in chapter 2)";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-02/misconceptions/) checks that each mistake is caught
// by a test whose message contains its hint.
const W_AND_B_SWAPPED: &str = "it looks like w and b swapped places: you computed b·x + w, but the weight w multiplies x and the bias b is added (see 'The model' in chapter 2)";
const FORGOT_BIAS: &str = "you forgot to add the bias b: without it every line goes through the origin (see 'The model' and 'Many features' in chapter 2)";
const ABSOLUTE: &str = "that is the absolute error |ŷ − y|, not the squared error: square the difference instead of taking its absolute value (see 'Squared error' in chapter 2)";
const NOT_SQUARED: &str =
    "that is the difference ŷ − y itself: square it (see 'Squared error' in chapter 2)";
const SQUARED_BEFORE_SUBTRACTING: &str = "you squared each value before subtracting, but ŷ² − y² is not (ŷ − y)²: subtract first, then square (see 'Squared error' in chapter 2)";
const HALF_WHERE_IT_DOES_NOT_BELONG: &str = "that is half the expected value: the ½ belongs only in the half_ functions, not in squared_error or mean_squared_error (see 'The ½ convention' in chapter 2)";
const FORGOT_HALF: &str = "that is twice the expected value: you forgot the ½, which the half_ functions multiply by (see 'The ½ convention' in chapter 2)";
const HALF_TWICE: &str = "that is half the expected value: the ½ was applied twice; apply it once, in half_squared_error (see 'The ½ convention' in chapter 2)";
const N_MINUS_1: &str = "you divided by n − 1, but a mean divides by n, the number of pairs (n − 1 belongs to the sample variance, not to a mean loss) (see 'Mean squared error' in chapter 2)";
const SUM_NOT_MEAN: &str = "you returned the sum of the squared errors, not their mean: divide the sum by n, the number of pairs (see 'Mean squared error' in chapter 2)";
const ZIP_TRUNCATES: &str = "zip stops at the shorter slice, so the extra values were dropped without a word: compare the lengths first and return InputError::LengthMismatch (see 'When the inputs are wrong' in chapter 2)";
const EMPTY_IS_NAN: &str = "with no pairs the mean is 0/0, which is NaN: check for empty slices and return InputError::Empty (see 'When the inputs are wrong' in chapter 2)";
const NOT_FINITE: &str = "one NaN or infinity makes the whole mean NaN or infinite: check every value with f64::is_finite and return InputError::NotFinite with its index (see 'When the inputs are wrong' in chapter 2)";
const LENGTHS_FIRST: &str = "check the lengths before emptiness: one empty slice next to one that is not is a length mismatch (see 'When the inputs are wrong' in chapter 2)";
const LENGTHS_BEFORE_VALUES: &str = "check the lengths first, then emptiness, then the values: slices of different lengths are a length mismatch, whatever values they hold (see 'When the inputs are wrong' in chapter 2)";
const Y_HAT_FIRST: &str = "look through all of y_hat first, then through y: the first value of y_hat that is not finite is reported before any value of y, wherever it is (see 'When the inputs are wrong' in chapter 2)";
const FIRST_BAD_VALUE: &str = "report the first value that is not finite, the one with the lowest index: stop at the first one, as position does, instead of remembering every one you meet (see 'When the inputs are wrong' in chapter 2)";
const LOSS_ARGUMENTS: &str = "call loss(ŷᵢ, yᵢ): the prediction first, then the target; the squared error is symmetric and hides a swap, other losses don't (see 'Loss and cost' in chapter 2)";
const MORE_WEIGHTS: &str = "more weights than features is a mismatch too: compare w.len() != x.len(), or zip drops the extra weights without a word (see 'Many features' in chapter 2)";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Close enough for numbers computed in a different but correct order.
const TOL: Tolerance = support::compare::ROUNDING;

/// `close(got, expected)`: within [`TOL`] (an infinity matches only the same
/// infinity, NaN nothing); `same_numbers`: the same length, and close one by one.
use support::compare::{close, same_numbers};

/// A slice as the learner would type it: `&[1.0, 2.0]`.
fn lit(values: &[f64]) -> String {
    format!("&{values:?}")
}

/// The hint for a wrong answer `got`: the hint of the one known mistake that
/// gives exactly `got`, or `fallback` when none does or when several do (then
/// the numbers can't tell the mistakes apart).
fn diagnose(
    got: f64,
    expected: f64,
    mistakes: &[(f64, &'static str)],
    fallback: &'static str,
) -> &'static str {
    let mut hints: Vec<&'static str> = mistakes
        .iter()
        .filter(|(wrong, _)| close(got, *wrong) && !close(*wrong, expected))
        .map(|(_, hint)| *hint)
        .collect();
    hints.dedup();
    match hints.as_slice() {
        [hint] => hint,
        _ => fallback,
    }
}

/// What the common wrong predictions look like.
fn diagnose_prediction(got: f64, w: f64, b: f64, x: f64, fallback: &'static str) -> &'static str {
    let mistakes = [(b * x + w, W_AND_B_SWAPPED), (w * x, FORGOT_BIAS)];
    diagnose(got, w * x + b, &mistakes, fallback)
}

/// What went wrong in a batch of predictions: the diagnosis of the first one
/// that is wrong.
fn diagnose_batch(got: &[f64], w: f64, b: f64, xs: &[f64]) -> &'static str {
    if got.len() != xs.len() {
        return "there must be exactly one prediction for every input (see 'A batch of inputs' in chapter 2)";
    }
    got.iter()
        .zip(xs)
        .find(|(p, x)| !close(**p, w * **x + b))
        .map_or(PREDICT_ALL, |(p, x)| diagnose_prediction(*p, w, b, *x, PREDICT_ALL))
}

/// What the common wrong per-example losses look like. `half` is whether the
/// expected loss carries the ½.
fn diagnose_squared_error(got: f64, y_hat: f64, y: f64, half: bool) -> &'static str {
    let scale = if half { 0.5 } else { 1.0 };
    let error = y_hat - y;
    let mut mistakes = vec![
        (scale * error.abs(), ABSOLUTE),
        (scale * error, NOT_SQUARED),
        (scale * (y_hat * y_hat - y * y), SQUARED_BEFORE_SUBTRACTING),
        (scale * (y * y - y_hat * y_hat), SQUARED_BEFORE_SUBTRACTING),
    ];
    if half {
        mistakes.push((error * error, FORGOT_HALF));
        mistakes.push((0.25 * error * error, HALF_TWICE));
    } else {
        mistakes.push((0.5 * error * error, HALF_WHERE_IT_DOES_NOT_BELONG));
    }
    diagnose(got, scale * error * error, &mistakes, if half { HALF } else { SQUARED })
}

/// What the common wrong means of squared errors look like.
fn diagnose_mean(got: f64, y_hat: &[f64], y: &[f64], half: bool) -> &'static str {
    let scale = if half { 0.5 } else { 1.0 };
    let n = y.len() as f64;
    let sum_squares: f64 = y_hat.iter().zip(y).map(|(p, t)| (p - t) * (p - t)).sum();
    let sum_abs: f64 = y_hat.iter().zip(y).map(|(p, t)| (p - t).abs()).sum();
    let sum_square_differences: f64 = y_hat.iter().zip(y).map(|(p, t)| p * p - t * t).sum();
    // With one pair, n − 1 is 0, and a positive sum divided by 0 is infinite.
    let over_n_minus_1 = if y.len() == 1 { f64::INFINITY } else { scale * sum_squares / (n - 1.0) };
    let mut mistakes = vec![
        (over_n_minus_1, N_MINUS_1),
        (scale * sum_squares, SUM_NOT_MEAN),
        (scale * sum_abs / n, ABSOLUTE),
        (scale * sum_square_differences / n, SQUARED_BEFORE_SUBTRACTING),
        (-scale * sum_square_differences / n, SQUARED_BEFORE_SUBTRACTING),
    ];
    if half {
        mistakes.push((sum_squares / n, FORGOT_HALF));
        mistakes.push((0.25 * sum_squares / n, HALF_TWICE));
    } else {
        mistakes.push((0.5 * sum_squares / n, HALF_WHERE_IT_DOES_NOT_BELONG));
    }
    diagnose(got, scale * sum_squares / n, &mistakes, if half { HALF_MEAN } else { MEAN })
}

/// Checks a mean squared error (or its half) against the value worked out
/// by hand, and explains a wrong answer.
#[track_caller]
fn check_mean(
    call_text: &str,
    got: Result<f64, InputError>,
    y_hat: &[f64],
    y: &[f64],
    expected: f64,
    half: bool,
) {
    match got {
        Ok(value) => {
            check_close(call_text, value, expected, TOL, diagnose_mean(value, y_hat, y, half))
        }
        Err(e) => fail(
            call_text,
            format!("Err({e:?}): \"{e}\""),
            format!("Ok({expected:?})"),
            "these pairs have the same length, are not empty and are all finite, so there is nothing to report: return Ok with the mean (see 'When the inputs are wrong' in chapter 2)",
        ),
    }
}

/// Checks that a call returned exactly the `expected` error, and that the
/// error's message mentions each of `mentions` (see `support::check_error`).
#[track_caller]
fn check_error<T: Debug>(
    call_text: &str,
    got: Result<T, InputError>,
    expected: InputError,
    mentions: &[&str],
    if_ok: &str,
    if_other_error: &str,
) {
    support::check_error(
        call_text,
        got,
        expected,
        mentions,
        if_ok,
        if_other_error,
        "the message comes from the #[error(...)] attributes of InputError; put them back as they were (see 'When the inputs are wrong' in chapter 2)",
    )
}

use support::explain;

/// A number as Rust prints it with `{:?}`: `2.0`, not `2`.
fn num(value: f64) -> String {
    format!("{value:?}")
}

/// The number of random cases each property tries.
const CASES: u32 = 64;

/// Runs `property` on random cases from this exercise's fixed seed (see
/// `support::properties::for_all`).
#[track_caller]
fn for_all<S>(strategy: S, property: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    support::properties::for_all(20_02, strategy, property)
}

/// Numbers of the size a regression meets; the properties stay away from
/// overflow, which is not what they are about.
fn number() -> impl Strategy<Value = f64> {
    -1000.0..1000.0f64
}

/// Predictions and targets of the same length, 1 to 20 pairs.
fn pairs() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..=20).prop_flat_map(|n| (vec(number(), n), vec(number(), n)))
}

/// The mean squared error of a few fixed pairs, called once before a property
/// runs, so that a function that still says todo!() fails with one clear
/// message instead of one per random case.
#[track_caller]
fn mse_once(hint: &str) {
    call("mean_squared_error(&[1.0, 3.0], &[2.0, 5.0])", hint, || {
        exercise_02::mean_squared_error(&[1.0, 3.0], &[2.0, 5.0])
    })
    .ok();
}

#[track_caller]
fn mse_of(y_hat: &[f64], y: &[f64], hint: &str) -> (String, Result<f64, InputError>) {
    let text = format!("mean_squared_error({}, {})", lit(y_hat), lit(y));
    let got = call(&text, hint, || exercise_02::mean_squared_error(y_hat, y));
    (text, got)
}

/// The value of an MSE that must be `Ok`, or the explanation why it isn't.
#[track_caller]
fn ok_mse(y_hat: &[f64], y: &[f64], hint: &str) -> Result<f64, String> {
    let (text, got) = mse_of(y_hat, y, hint);
    got.map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a number)", "these pairs are fine: equal lengths, not empty, all finite (see 'When the inputs are wrong' in chapter 2)"))
}

use support::fixed;

// ---------------------------------------------------------------------------
// The model: one input
// ---------------------------------------------------------------------------

#[test]
fn untrained_model_predicts_minus_0_9217_at_x_2() {
    let text = "predict(-0.7767, 0.6317, 2.0)";
    let got = call(text, PREDICT, || exercise_02::predict(UNTRAINED_W, UNTRAINED_B, 2.0));
    let hint = diagnose_prediction(got, UNTRAINED_W, UNTRAINED_B, 2.0, PREDICT);
    check_close(text, got, -0.9217, Tolerance::Absolute(1e-12), hint);
}

#[test]
fn prediction_at_x_0_is_the_bias() {
    let text = "predict(3.0, -2.0, 0.0)";
    let got = call(text, PREDICT, || exercise_02::predict(3.0, -2.0, 0.0));
    check_close(
        text,
        got,
        -2.0,
        Tolerance::Absolute(1e-12),
        diagnose_prediction(got, 3.0, -2.0, 0.0, PREDICT),
    );
}

#[test]
fn a_good_line_predicts_the_house_prices_closely() {
    // w = 0.02 lakhs per square foot, b = -5 lakhs: the row 800 -> 13.
    let text = "predict(0.02, -5.0, 800.0)";
    let got = call(text, PREDICT, || exercise_02::predict(0.02, -5.0, 800.0));
    check_close(text, got, 11.0, TOL, diagnose_prediction(got, 0.02, -5.0, 800.0, PREDICT));
}

// ---------------------------------------------------------------------------
// The model: a batch of inputs
// ---------------------------------------------------------------------------

#[test]
fn predict_all_gives_one_prediction_per_house_in_order() {
    let text = format!("predict_all(0.02, -5.0, {})", lit(&HOUSE_SIZES));
    let got = call(&text, PREDICT_ALL, || exercise_02::predict_all(0.02, -5.0, &HOUSE_SIZES));
    let expected = [5.0, 7.0, 9.0, 11.0, 13.0, 17.0, 19.0];
    let hint = diagnose_batch(&got, 0.02, -5.0, &HOUSE_SIZES);
    check(same_numbers(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn predict_all_of_no_inputs_is_no_predictions() {
    let text = "predict_all(0.02, -5.0, &[])";
    let got = call(text, PREDICT_ALL, || exercise_02::predict_all(0.02, -5.0, &[]));
    check(got.is_empty(), text, format!("{got:?}"), "[]", PREDICT_ALL);
}

// ---------------------------------------------------------------------------
// The model: many features
// ---------------------------------------------------------------------------

#[test]
fn dot_product_multiplies_pairs_and_adds_them_up() {
    let text = "dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0])";
    let got = call(text, FEATURES, || exercise_02::dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]));
    match got {
        Ok(value) => check_close(
            text,
            value,
            32.0,
            TOL,
            "1·4 + 2·5 + 3·6 = 32: multiply the pairs, then add the products (see 'Many features' in chapter 2)",
        ),
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            "Ok(32.0)",
            "both slices have 3 values, so there is nothing to report (see 'Many features' in chapter 2)",
        ),
    }
}

#[test]
fn dot_product_of_no_features_is_zero() {
    let text = "dot(&[], &[])";
    let got = call(text, FEATURES, || exercise_02::dot(&[], &[]));
    match got {
        Ok(value) => check_close(
            text,
            value,
            0.0,
            TOL,
            "a sum with no terms is 0 (see 'Many features' in chapter 2)",
        ),
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            "Ok(0.0)",
            "two empty slices have the same length, so their dot product is the empty sum, 0 (see 'Many features' in chapter 2)",
        ),
    }
}

#[test]
fn dot_product_of_different_lengths_is_an_error() {
    let text = "dot(&[1.0, 2.0], &[1.0, 2.0, 3.0])";
    let got = call(text, FEATURES, || exercise_02::dot(&[1.0, 2.0], &[1.0, 2.0, 3.0]));
    let expected = InputError::LengthMismatch {
        first: Argument::W,
        first_len: 2,
        second: Argument::X,
        second_len: 3,
    };
    check_error(
        text,
        got,
        expected,
        &["w has 2", "x has 3"],
        ZIP_TRUNCATES,
        "name w first, then x, with their lengths (see 'Many features' in chapter 2)",
    );
}

#[test]
fn dot_product_with_more_weights_than_features_is_an_error() {
    let text = "dot(&[1.0, 2.0, 3.0], &[4.0, 5.0])";
    let got = call(text, FEATURES, || exercise_02::dot(&[1.0, 2.0, 3.0], &[4.0, 5.0]));
    let expected = InputError::LengthMismatch {
        first: Argument::W,
        first_len: 3,
        second: Argument::X,
        second_len: 2,
    };
    check_error(
        text,
        got,
        expected,
        &["w has 3", "x has 2"],
        MORE_WEIGHTS,
        "name w first, then x, with their lengths (see 'Many features' in chapter 2)",
    );
}

#[test]
fn house_with_two_features_is_priced_by_the_dot_product_plus_bias() {
    // The lecture's second table: size and bedrooms -> price in 1000 $.
    // With w = [0.15, 20], b = 80: 0.15·1200 + 20·2 + 80 = 300.
    let text = "predict_features(&[0.15, 20.0], 80.0, &[1200.0, 2.0])";
    let got =
        call(text, FEATURES, || exercise_02::predict_features(&[0.15, 20.0], 80.0, &[1200.0, 2.0]));
    match got {
        Ok(value) => {
            let hint = if close(value, 220.0) {
                FORGOT_BIAS
            } else if close(value, 460.0) {
                "you added the bias once for every feature; add it once, after the dot product (see 'Many features' in chapter 2)"
            } else {
                FEATURES
            };
            check_close(text, value, 300.0, TOL, hint)
        }
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            "Ok(300.0)",
            "two weights and two features pair up, so there is nothing to report (see 'Many features' in chapter 2)",
        ),
    }
}

#[test]
fn predict_features_with_a_missing_weight_is_an_error() {
    let text = "predict_features(&[0.15], 80.0, &[1200.0, 2.0])";
    let got = call(text, FEATURES, || exercise_02::predict_features(&[0.15], 80.0, &[1200.0, 2.0]));
    let expected = InputError::LengthMismatch {
        first: Argument::W,
        first_len: 1,
        second: Argument::X,
        second_len: 2,
    };
    check_error(
        text,
        got,
        expected,
        &["w has 1", "x has 2"],
        ZIP_TRUNCATES,
        "pass on the error of dot with ? (see 'Many features' in chapter 2)",
    );
}

// ---------------------------------------------------------------------------
// The loss of one example
// ---------------------------------------------------------------------------

#[test]
fn squared_error_of_2_against_5_is_9() {
    let text = "squared_error(2.0, 5.0)";
    let got = call(text, SQUARED, || exercise_02::squared_error(2.0, 5.0));
    check_close(text, got, 9.0, TOL, diagnose_squared_error(got, 2.0, 5.0, false));
}

#[test]
fn squared_error_of_a_perfect_prediction_is_zero() {
    let text = "squared_error(-0.9217, -0.9217)";
    let got = call(text, SQUARED, || exercise_02::squared_error(-0.9217, -0.9217));
    check_close(text, got, 0.0, Tolerance::Absolute(0.0), SQUARED);
}

#[test]
fn half_squared_error_of_2_against_5_is_4_5() {
    let text = "half_squared_error(2.0, 5.0)";
    let got = call(text, HALF, || exercise_02::half_squared_error(2.0, 5.0));
    check_close(text, got, 4.5, TOL, diagnose_squared_error(got, 2.0, 5.0, true));
}

// ---------------------------------------------------------------------------
// The cost of a data set
// ---------------------------------------------------------------------------

#[test]
fn mse_of_a_small_example_by_hand_is_3_5() {
    // Errors 2, 0, 3, -1; squares 4, 0, 9, 1; sum 14; mean 14 / 4 = 3.5.
    let (y_hat, y) = ([3.0, 1.0, 6.0, 2.0], [1.0, 1.0, 3.0, 3.0]);
    let (text, got) = mse_of(&y_hat, &y, MEAN);
    check_mean(&text, got, &y_hat, &y, 3.5, false);
}

#[test]
fn half_mse_of_the_same_example_is_1_75() {
    let (y_hat, y) = ([3.0, 1.0, 6.0, 2.0], [1.0, 1.0, 3.0, 3.0]);
    let text = format!("half_mean_squared_error({}, {})", lit(&y_hat), lit(&y));
    let got = call(&text, HALF_MEAN, || exercise_02::half_mean_squared_error(&y_hat, &y));
    check_mean(&text, got, &y_hat, &y, 1.75, true);
}

#[test]
fn mse_of_a_single_pair_is_its_squared_error() {
    let (y_hat, y) = ([4.0], [1.0]);
    let (text, got) = mse_of(&y_hat, &y, MEAN);
    check_mean(&text, got, &y_hat, &y, 9.0, false);
}

#[test]
fn mse_of_the_house_table_for_w_0_02_and_b_minus_5_is_8_over_7() {
    // Predictions 5, 7, 9, 11, 13, 17, 19; errors 0, -1, 0, -2, 1, -1, -1;
    // squares add up to 8; there are 7 houses.
    let y_hat = [5.0, 7.0, 9.0, 11.0, 13.0, 17.0, 19.0];
    let (text, got) = mse_of(&y_hat, &HOUSE_PRICES, MEAN);
    check_mean(&text, got, &y_hat, &HOUSE_PRICES, 8.0 / 7.0, false);
}

#[test]
fn mse_of_the_untrained_model_on_the_house_table_is_huge() {
    // The untrained line predicts about -388 for a 500 square-foot house.
    let y_hat: Vec<f64> = HOUSE_SIZES.iter().map(|x| UNTRAINED_W * x + UNTRAINED_B).collect();
    let (text, got) = mse_of(&y_hat, &HOUSE_PRICES, MEAN);
    check_mean(&text, got, &y_hat, &HOUSE_PRICES, 464_925.033_170_032_7, false);
}

#[test]
fn mean_loss_averages_any_per_example_loss() {
    // With the absolute error as the loss: (2 + 0 + 3 + 1) / 4 = 1.5.
    let text =
        "mean_loss(&[3.0, 1.0, 6.0, 2.0], &[1.0, 1.0, 3.0, 3.0], |y_hat, y| (y_hat - y).abs())";
    let got = call(text, MEAN_LOSS, || {
        exercise_02::mean_loss(&[3.0, 1.0, 6.0, 2.0], &[1.0, 1.0, 3.0, 3.0], |p, t| (p - t).abs())
    });
    match got {
        Ok(value) => {
            let hint = if close(value, 6.0) {
                SUM_NOT_MEAN
            } else if close(value, 2.0) {
                N_MINUS_1
            } else if close(value, 3.5) {
                "you used squared_error; call the loss you were given, loss(ŷᵢ, yᵢ) (see 'Loss and cost' in chapter 2)"
            } else {
                MEAN_LOSS
            };
            check_close(text, value, 1.5, TOL, hint)
        }
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            "Ok(1.5)",
            "these pairs are fine, so there is nothing to report (see 'When the inputs are wrong' in chapter 2)",
        ),
    }
}

#[test]
fn mean_loss_calls_the_loss_with_the_prediction_first() {
    // With the signed error ŷ − y as the loss, the order shows:
    // (2 + 0 + 3 − 1) / 4 = 1, and −1 with the arguments swapped.
    let text = "mean_loss(&[3.0, 1.0, 6.0, 2.0], &[1.0, 1.0, 3.0, 3.0], |y_hat, y| y_hat - y)";
    let got = call(text, MEAN_LOSS, || {
        exercise_02::mean_loss(&[3.0, 1.0, 6.0, 2.0], &[1.0, 1.0, 3.0, 3.0], |p, t| p - t)
    });
    match got {
        Ok(value) => {
            let hint = if close(value, -1.0) {
                LOSS_ARGUMENTS
            } else if close(value, 4.0) {
                SUM_NOT_MEAN
            } else if close(value, 4.0 / 3.0) {
                N_MINUS_1
            } else if close(value, 3.5) {
                "you used squared_error; call the loss you were given, loss(ŷᵢ, yᵢ) (see 'Loss and cost' in chapter 2)"
            } else {
                MEAN_LOSS
            };
            check_close(text, value, 1.0, TOL, hint)
        }
        Err(e) => fail(
            text,
            format!("Err({e:?})"),
            "Ok(1.0)",
            "these pairs are fine, so there is nothing to report (see 'When the inputs are wrong' in chapter 2)",
        ),
    }
}

// ---------------------------------------------------------------------------
// When the inputs are wrong
// ---------------------------------------------------------------------------

#[test]
fn good_pairs_pass_the_check() {
    let text = "check_pairs(&[1.0, 2.0], &[3.0, 4.0])";
    let got = call(text, ERRORS, || exercise_02::check_pairs(&[1.0, 2.0], &[3.0, 4.0]));
    check(got.is_ok(), text, format!("{got:?}"), "Ok(())", ERRORS);
}

#[test]
fn mse_of_slices_of_different_lengths_is_an_error() {
    let (text, got) = mse_of(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0], ERRORS);
    let expected = InputError::LengthMismatch {
        first: Argument::YHat,
        first_len: 3,
        second: Argument::Y,
        second_len: 4,
    };
    check_error(
        &text,
        got,
        expected,
        &["y_hat has 3", "y has 4"],
        ZIP_TRUNCATES,
        "report the lengths with y_hat first, then y (see 'When the inputs are wrong' in chapter 2)",
    );
}

#[test]
fn mse_of_one_empty_slice_is_a_length_mismatch() {
    let (text, got) = mse_of(&[], &[7.0], ERRORS);
    let expected = InputError::LengthMismatch {
        first: Argument::YHat,
        first_len: 0,
        second: Argument::Y,
        second_len: 1,
    };
    check_error(&text, got, expected, &["y_hat has 0", "y has 1"], ZIP_TRUNCATES, LENGTHS_FIRST);
}

#[test]
fn mse_of_empty_slices_is_an_error() {
    let (text, got) = mse_of(&[], &[], ERRORS);
    check_error(
        &text,
        got,
        InputError::Empty,
        &["empty"],
        EMPTY_IS_NAN,
        "two empty slices have the same length; what is wrong is that there is nothing to average (see 'When the inputs are wrong' in chapter 2)",
    );
}

#[test]
fn mse_with_nan_in_the_predictions_names_its_index() {
    let (text, got) = mse_of(&[1.0, f64::NAN, 3.0], &[1.0, 2.0, 3.0], ERRORS);
    let expected = InputError::NotFinite { argument: Argument::YHat, index: 1, value: f64::NAN };
    check_error(
        &text,
        got,
        expected,
        &["y_hat[1]", "NaN"],
        NOT_FINITE,
        "report which argument holds the bad value and at which index (see 'When the inputs are wrong' in chapter 2)",
    );
}

#[test]
fn mse_with_infinity_in_the_targets_names_its_index() {
    let (text, got) = mse_of(&[1.0, 2.0, 3.0], &[1.0, 2.0, f64::INFINITY], ERRORS);
    let expected = InputError::NotFinite { argument: Argument::Y, index: 2, value: f64::INFINITY };
    check_error(
        &text,
        got,
        expected,
        &["y[2]", "inf"],
        NOT_FINITE,
        "report which argument holds the bad value and at which index (see 'When the inputs are wrong' in chapter 2)",
    );
}

#[test]
fn half_mse_checks_its_inputs_too() {
    let text = "half_mean_squared_error(&[-inf, 0.0], &[0.0, 0.0])";
    let got = call(text, HALF_MEAN, || {
        exercise_02::half_mean_squared_error(&[f64::NEG_INFINITY, 0.0], &[0.0, 0.0])
    });
    let expected =
        InputError::NotFinite { argument: Argument::YHat, index: 0, value: f64::NEG_INFINITY };
    check_error(
        text,
        got,
        expected,
        &["y_hat[0]", "-inf"],
        NOT_FINITE,
        "half_mean_squared_error goes through mean_loss, which checks the pairs with check_pairs (see 'The ½ convention' in chapter 2)",
    );
}

#[test]
fn check_pairs_compares_the_lengths_before_the_values() {
    // Two problems at once: the lengths differ, and y_hat holds a NaN.
    let text = "check_pairs(&[NaN, 1.0], &[1.0, 2.0, 3.0])";
    let got = call(text, ERRORS, || exercise_02::check_pairs(&[f64::NAN, 1.0], &[1.0, 2.0, 3.0]));
    let expected = InputError::LengthMismatch {
        first: Argument::YHat,
        first_len: 2,
        second: Argument::Y,
        second_len: 3,
    };
    check_error(
        text,
        got,
        expected,
        &["y_hat has 2", "y has 3"],
        ZIP_TRUNCATES,
        LENGTHS_BEFORE_VALUES,
    );
}

#[test]
fn check_pairs_looks_through_y_hat_before_y() {
    // A bad target at index 0 and a bad prediction at index 2: y_hat is
    // looked through first, so its NaN is the one reported.
    let text = "check_pairs(&[1.0, 2.0, NaN], &[inf, 2.0, 3.0])";
    let got = call(text, ERRORS, || {
        exercise_02::check_pairs(&[1.0, 2.0, f64::NAN], &[f64::INFINITY, 2.0, 3.0])
    });
    let expected = InputError::NotFinite { argument: Argument::YHat, index: 2, value: f64::NAN };
    let hint = match &got {
        Err(InputError::NotFinite { argument: Argument::Y, .. }) => Y_HAT_FIRST,
        _ => ERRORS,
    };
    check_error(text, got, expected, &["y_hat[2]", "NaN"], NOT_FINITE, hint);
}

#[test]
fn check_pairs_reports_the_first_of_several_bad_values() {
    // NaN in the middle and an infinity further on: the NaN comes first.
    let text = "check_pairs(&[1.0, NaN, 3.0, inf, 5.0], &[1.0, 2.0, 3.0, 4.0, 5.0])";
    let got = call(text, ERRORS, || {
        exercise_02::check_pairs(
            &[1.0, f64::NAN, 3.0, f64::INFINITY, 5.0],
            &[1.0, 2.0, 3.0, 4.0, 5.0],
        )
    });
    let expected = InputError::NotFinite { argument: Argument::YHat, index: 1, value: f64::NAN };
    let hint = match &got {
        Err(InputError::NotFinite { argument: Argument::YHat, index: 3, .. }) => FIRST_BAD_VALUE,
        _ => ERRORS,
    };
    check_error(text, got, expected, &["y_hat[1]", "NaN"], NOT_FINITE, hint);
}

// ---------------------------------------------------------------------------
// Properties: what must hold for any numbers
// ---------------------------------------------------------------------------

#[test]
fn mse_is_never_negative() {
    mse_once(MEAN);
    for_all(pairs(), |(y_hat, y)| {
        let got = ok_mse(&y_hat, &y, MEAN)?;
        if got >= 0.0 {
            return Ok(());
        }
        let text = format!("mean_squared_error({}, {})", lit(&y_hat), lit(&y));
        Err(explain(
            &text,
            num(got),
            "a number ≥ 0: a mean of squares cannot be negative",
            diagnose_mean(got, &y_hat, &y, false),
        ))
    });
}

#[test]
fn mse_of_identical_vectors_is_zero() {
    mse_once(MEAN);
    for_all(vec(number(), 1..=20), |y| {
        let got = ok_mse(&y, &y, MEAN)?;
        if got == 0.0 {
            return Ok(());
        }
        let text = format!("mean_squared_error({}, {})", lit(&y), lit(&y));
        Err(explain(&text, num(got), "0.0: every prediction is exact", MEAN))
    });
}

#[test]
fn mse_is_positive_when_any_prediction_is_off() {
    mse_once(MEAN);
    let cases =
        (1usize..=20).prop_flat_map(|n| (vec(number(), n), 0..n, 0.001..100.0f64, any::<bool>()));
    for_all(cases, |(y, index, offset, below)| {
        let mut y_hat = y.clone();
        y_hat[index] += if below { -offset } else { offset };
        let got = ok_mse(&y_hat, &y, MEAN)?;
        if got > 0.0 {
            return Ok(());
        }
        let text = format!("mean_squared_error({}, {})", lit(&y_hat), lit(&y));
        Err(explain(
            &text,
            num(got),
            format!("a number > 0: prediction {index} is off"),
            diagnose_mean(got, &y_hat, &y, false),
        ))
    });
}

#[test]
fn mse_is_symmetric() {
    mse_once(MEAN);
    for_all(pairs(), |(a, b)| {
        let ab = ok_mse(&a, &b, MEAN)?;
        let ba = ok_mse(&b, &a, MEAN)?;
        if close(ab, ba) {
            return Ok(());
        }
        let text =
            format!("mean_squared_error({}, {}) and with the arguments swapped", lit(&a), lit(&b));
        Err(explain(
            &text,
            format!("{ab:?} and {ba:?}"),
            "the same number twice: (ŷ − y)² = (y − ŷ)²",
            SQUARED_BEFORE_SUBTRACTING,
        ))
    });
}

#[test]
fn half_mse_is_half_of_mse() {
    mse_once(MEAN);
    for_all(pairs(), |(y_hat, y)| {
        let full = ok_mse(&y_hat, &y, MEAN)?;
        let text = format!("half_mean_squared_error({}, {})", lit(&y_hat), lit(&y));
        let half = call(&text, HALF_MEAN, || exercise_02::half_mean_squared_error(&y_hat, &y))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a number)", HALF_MEAN))?;
        if close(half, full / 2.0) {
            return Ok(());
        }
        let hint = if close(half, full) {
            "the two are equal: the ½ is either missing from the half_ functions or also in the plain ones; it belongs only in the half_ functions (see 'The ½ convention' in chapter 2)"
        } else {
            HALF_MEAN
        };
        Err(explain(
            &text,
            num(half),
            format!("{:?}, half of mean_squared_error's {full:?}", full / 2.0),
            hint,
        ))
    });
}

#[test]
fn scaling_every_error_by_k_scales_mse_by_k_squared() {
    mse_once(MEAN);
    for_all((pairs(), -10.0..10.0f64), |((y_hat, y), k)| {
        let base = ok_mse(&y_hat, &y, MEAN)?;
        let scaled_y_hat: Vec<f64> = y_hat.iter().map(|v| k * v).collect();
        let scaled_y: Vec<f64> = y.iter().map(|v| k * v).collect();
        let scaled = ok_mse(&scaled_y_hat, &scaled_y, MEAN)?;
        if close(scaled, k * k * base) {
            return Ok(());
        }
        let hint = if close(scaled.abs(), k.abs() * base.abs()) { ABSOLUTE } else { MEAN };
        let text =
            format!("mean_squared_error({}, {}), both scaled by k = {k}", lit(&y_hat), lit(&y));
        Err(explain(
            &text,
            num(scaled),
            format!("{:?}: k² = {:?} times the unscaled {base:?}", k * k * base, k * k),
            hint,
        ))
    });
}

#[test]
fn mse_does_not_depend_on_the_order_of_the_pairs() {
    mse_once(MEAN);
    let cases = pairs().prop_flat_map(|(y_hat, y)| {
        let order: Vec<usize> = (0..y.len()).collect();
        (Just(y_hat), Just(y), Just(order).prop_shuffle())
    });
    for_all(cases, |(y_hat, y, order)| {
        let before = ok_mse(&y_hat, &y, MEAN)?;
        let shuffled_y_hat: Vec<f64> = order.iter().map(|&i| y_hat[i]).collect();
        let shuffled_y: Vec<f64> = order.iter().map(|&i| y[i]).collect();
        let after = ok_mse(&shuffled_y_hat, &shuffled_y, MEAN)?;
        if close(after, before) {
            return Ok(());
        }
        let text = format!("mean_squared_error({}, {})", lit(&shuffled_y_hat), lit(&shuffled_y));
        Err(explain(
            &text,
            num(after),
            format!("{before:?}, as before the pairs were shuffled"),
            "every pair counts the same, wherever it is: treat all pairs alike (see 'Mean squared error' in chapter 2)",
        ))
    });
}

#[test]
fn a_model_with_one_feature_is_the_one_input_model() {
    call("predict(1.0, 2.0, 3.0)", PREDICT, || exercise_02::predict(1.0, 2.0, 3.0));
    for_all((number(), number(), number()), |(w, b, x)| {
        let text = format!("predict({w:?}, {b:?}, {x:?})");
        let one = call(&text, PREDICT, || exercise_02::predict(w, b, x));
        if !close(one, w * x + b) {
            let hint = diagnose_prediction(one, w, b, x, PREDICT);
            return Err(explain(&text, num(one), num(w * x + b), hint));
        }
        let text = format!("predict_features(&[{w:?}], {b:?}, &[{x:?}])");
        let many = call(&text, FEATURES, || exercise_02::predict_features(&[w], b, &[x]))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a number)", FEATURES))?;
        if close(many, one) {
            return Ok(());
        }
        let hint = diagnose_prediction(many, w, b, x, FEATURES);
        Err(explain(
            &text,
            num(many),
            format!("{one:?}, what predict({w:?}, {b:?}, {x:?}) gives"),
            hint,
        ))
    });
}

#[test]
fn losses_agree_with_the_reference_solution() {
    mse_once(MEAN);
    for_all(pairs(), |(y_hat, y)| {
        let expected = reference::mean_squared_error(&y_hat, &y).expect("valid pairs");
        let got = ok_mse(&y_hat, &y, MEAN)?;
        if !close(got, expected) {
            let text = format!("mean_squared_error({}, {})", lit(&y_hat), lit(&y));
            return Err(explain(
                &text,
                num(got),
                num(expected),
                diagnose_mean(got, &y_hat, &y, false),
            ));
        }
        let expected = reference::half_mean_squared_error(&y_hat, &y).expect("valid pairs");
        let text = format!("half_mean_squared_error({}, {})", lit(&y_hat), lit(&y));
        let got = call(&text, HALF_MEAN, || exercise_02::half_mean_squared_error(&y_hat, &y))
            .map_err(|e| explain(&text, format!("Err({e:?})"), num(expected), HALF_MEAN))?;
        if !close(got, expected) {
            return Err(explain(
                &text,
                num(got),
                num(expected),
                diagnose_mean(got, &y_hat, &y, true),
            ));
        }
        Ok(())
    });
}

#[test]
fn predictions_agree_with_the_reference_solution() {
    call("predict_all(1.0, 2.0, &[3.0])", PREDICT_ALL, || {
        exercise_02::predict_all(1.0, 2.0, &[3.0])
    });
    let cases =
        (number(), number(), (0usize..=10).prop_flat_map(|n| (vec(number(), n), vec(number(), n))));
    for_all(cases, |(w, b, (ws, xs))| {
        let expected = reference::predict_all(w, b, &xs);
        let text = format!("predict_all({w:?}, {b:?}, {})", lit(&xs));
        let got = call(&text, PREDICT_ALL, || exercise_02::predict_all(w, b, &xs));
        if !same_numbers(&got, &expected) {
            return Err(explain(
                &text,
                format!("{got:?}"),
                format!("{expected:?}"),
                diagnose_batch(&got, w, b, &xs),
            ));
        }
        let expected = reference::predict_features(&ws, b, &xs).expect("same lengths");
        let text = format!("predict_features({}, {b:?}, {})", lit(&ws), lit(&xs));
        let got = call(&text, FEATURES, || exercise_02::predict_features(&ws, b, &xs))
            .map_err(|e| explain(&text, format!("Err({e:?})"), num(expected), FEATURES))?;
        if !Tolerance::Absolute(1e-9).accepts(got, expected) && !close(got, expected) {
            return Err(explain(
                &text,
                num(got),
                num(expected),
                diagnose(got, expected, &[(expected - b, FORGOT_BIAS)], FEATURES),
            ));
        }
        Ok(())
    });
}

#[test]
fn any_length_mismatch_is_an_error_naming_both_lengths() {
    mse_once(ERRORS);
    let cases = (0usize..=8, 0usize..=8)
        .prop_filter("different lengths", |(a, b)| a != b)
        .prop_flat_map(|(a, b)| (vec(number(), a), vec(number(), b)));
    for_all(cases, |(y_hat, y)| {
        let (text, got) = mse_of(&y_hat, &y, ERRORS);
        let expected = InputError::LengthMismatch {
            first: Argument::YHat,
            first_len: y_hat.len(),
            second: Argument::Y,
            second_len: y.len(),
        };
        match got {
            Err(e) if e == expected => Ok(()),
            Err(e) => Err(explain(
                &text,
                format!("Err({e:?})"),
                format!("Err({expected:?})"),
                LENGTHS_FIRST,
            )),
            Ok(value) => Err(explain(
                &text,
                format!("Ok({value:?})"),
                format!("Err({expected:?})"),
                ZIP_TRUNCATES,
            )),
        }
    });
}

// ---------------------------------------------------------------------------
// Snapshots: what your code produces for the house table
// ---------------------------------------------------------------------------

/// The table of predictions and losses of one line on the house table, all
/// computed by your functions.
#[track_caller]
fn house_table_report(w: f64, b: f64) -> String {
    let text = format!("predict_all({w:?}, {b:?}, {})", lit(&HOUSE_SIZES));
    let y_hat = call(&text, PREDICT_ALL, || exercise_02::predict_all(w, b, &HOUSE_SIZES));
    let mut out = format!("line: w = {w}, b = {b}\n");
    out.push_str("   x (sq ft)   y (lakhs)            ŷ        ŷ − y     (ŷ − y)²    ½(ŷ − y)²\n");
    for ((x, y), p) in HOUSE_SIZES.iter().zip(&HOUSE_PRICES).zip(&y_hat) {
        let squared = call(&format!("squared_error({p:?}, {y:?})"), SQUARED, || {
            exercise_02::squared_error(*p, *y)
        });
        let half = call(&format!("half_squared_error({p:?}, {y:?})"), HALF, || {
            exercise_02::half_squared_error(*p, *y)
        });
        out.push_str(&format!(
            "{:>12} {:>11} {:>12} {:>12} {:>12} {:>12}\n",
            fixed(*x, 0),
            fixed(*y, 0),
            fixed(*p, 4),
            fixed(p - y, 4),
            fixed(squared, 4),
            fixed(half, 4)
        ));
    }
    let (text, mse) = mse_of(&y_hat, &HOUSE_PRICES, MEAN);
    let mse = mse.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a number)", MEAN));
    let text = format!("half_mean_squared_error({}, {})", lit(&y_hat), lit(&HOUSE_PRICES));
    let half =
        call(&text, HALF_MEAN, || exercise_02::half_mean_squared_error(&y_hat, &HOUSE_PRICES))
            .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a number)", HALF_MEAN));
    out.push_str(&format!("mean squared error      = {}\n", fixed(mse, 6)));
    out.push_str(&format!("half mean squared error = {}\n", fixed(half, 6)));
    out
}

#[test]
fn snapshot_of_a_good_line_on_the_house_table() {
    let report = house_table_report(0.02, -5.0);
    insta::with_settings!({
        description => "Your predictions and losses for the house table with the line w = 0.02, b = -5 (the hand-worked example of chapter 2). \
            Column ŷ comes from predict_all, the next from subtracting y, the last two from squared_error and half_squared_error, \
            the last lines from mean_squared_error and half_mean_squared_error. \
            A '-' line is the expected value, a '+' line is yours: the first column that differs names the function to fix.",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("house_table_with_a_good_line", report);
    });
}

#[test]
fn snapshot_of_the_untrained_model_on_the_house_table() {
    let report = house_table_report(UNTRAINED_W, UNTRAINED_B);
    insta::with_settings!({
        description => "Your predictions and losses for the house table with the workshop's untrained model, w = -0.7767, b = 0.6317. \
            Its predictions are negative prices and its mean squared error is in the hundreds of thousands: that is what training will fix. \
            A '-' line is the expected value, a '+' line is yours: the first column that differs names the function to fix.",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("house_table_with_the_untrained_model", report);
    });
}

#[test]
fn snapshot_of_the_mse_as_the_weight_changes() {
    // The text version of the chapter's figure: b fixed at -5, w from 0 to 0.03.
    let b = -5.0;
    let mut rows = Vec::new();
    for step in 0..=12 {
        let w = step as f64 * 0.0025;
        let text = format!("predict_all({w:?}, {b:?}, {})", lit(&HOUSE_SIZES));
        let y_hat = call(&text, PREDICT_ALL, || exercise_02::predict_all(w, b, &HOUSE_SIZES));
        let (text, mse) = mse_of(&y_hat, &HOUSE_PRICES, MEAN);
        let mse = mse.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a number)", MEAN));
        rows.push((w, mse));
    }
    let largest = rows.iter().map(|(_, mse)| *mse).fold(0.0, f64::max);
    let mut report =
        format!("mean squared error on the house table, b = {b}\n        w          MSE\n");
    for (w, mse) in rows {
        let bar = "#".repeat((mse / largest * 40.0).round() as usize);
        let line = format!("{:>9} {:>12}  {bar}", fixed(w, 4), fixed(mse, 4));
        report.push_str(line.trim_end());
        report.push('\n');
    }
    insta::with_settings!({
        description => "Your mean squared error of the house table for the lines y = w·x - 5, with w from 0 to 0.03: \
            the cost as a function of one parameter. It falls to its lowest near w = 0.02 and rises on both sides, a parabola: \
            gradient descent (chapter 3) walks down this curve. \
            A '-' line is the expected value, a '+' line is yours.",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("mse_as_the_weight_changes", report);
    });
}
