//! Known values of the gradient with many inputs: ∇w = (2/N)·Xᵀe.

use exercise_03::{FeatureGradient, GradientError};
use support::{call, check, fail};

use crate::*;

#[track_caller]
fn feature_gradient_of(
    w: &[f64],
    b: f64,
    xs: &[Vec<f64>],
    y: &[f64],
    hint: &str,
) -> (String, Result<FeatureGradient, GradientError>) {
    let text = format!("mse_gradient_features({}, {b:?}, {}, {})", lit(w), rows_lit(xs), lit(y));
    let got = call(&text, hint, || exercise_03::mse_gradient_features(w, b, xs, y));
    (text, got)
}

#[track_caller]
fn check_feature_gradient(
    text: &str,
    got: Result<FeatureGradient, GradientError>,
    expected: FeatureGradient,
    (w, b, xs, y): (&[f64], f64, &[Vec<f64>], &[f64]),
) {
    match got {
        Ok(g) => check(
            same_numbers(&g.dw, &expected.dw) && close(g.db, expected.db),
            text,
            format!("{g:?}"),
            format!("{expected:?} ({TOL})"),
            diagnose_feature_gradient(&g, w, b, xs, y),
        ),
        Err(e) => fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            format!("Ok({expected:?})"),
            "one row per target, each row with one feature per weight, all finite: there is nothing to report (see 'When the inputs are wrong' in chapter 3)",
        ),
    }
}

#[test]
fn errors_of_the_two_feature_house_table() {
    // w = (0.15, 20), b = 80 predicts 300, 365, 440, 610 (chapter 2).
    let xs = two_feature_houses();
    let text = format!(
        "errors_features(&[0.15, 20.0], 80.0, {}, {})",
        rows_lit(&xs),
        lit(&TWO_FEATURE_PRICES)
    );
    let got = call(&text, ERRORS_FEATURES, || {
        exercise_03::errors_features(&[0.15, 20.0], 80.0, &xs, &TWO_FEATURE_PRICES)
    });
    let expected = [0.0, -35.0, -40.0, 90.0];
    match got {
        Ok(values) => {
            let hint = if same_numbers(&values, &[0.0, 35.0, 40.0, -90.0]) {
                WRONG_SIGN
            } else {
                ERRORS_FEATURES
            };
            check(
                same_numbers(&values, &expected),
                &text,
                format!("{values:?}"),
                format!("{expected:?}"),
                hint,
            );
        }
        Err(e) => fail(
            &text,
            format!("Err({e:?})"),
            format!("Ok({expected:?})"),
            "four rows of two features, two weights, four targets: there is nothing to report (see 'When the inputs are wrong' in chapter 3)",
        ),
    }
}

#[test]
fn feature_gradient_of_the_two_feature_house_table() {
    // Errors e = (0, −35, −40, 90), N = 4.
    // dw₁ = (2/4)·(0·1200 − 35·1500 − 40·2000 + 90·3000) = 68750
    // dw₂ = (2/4)·(0·2 − 35·3 − 40·3 + 90·4) = 67.5
    // db  = (2/4)·(0 − 35 − 40 + 90) = 7.5
    // X is 4 × 2, so Xᵀe has 2 entries, one per weight; X·e can't be formed.
    let xs = two_feature_houses();
    let w = [0.15, 20.0];
    let (text, got) = feature_gradient_of(&w, 80.0, &xs, &TWO_FEATURE_PRICES, FEATURES);
    let expected = FeatureGradient { dw: vec![68_750.0, 67.5], db: 7.5 };
    check_feature_gradient(&text, got, expected, (&w, 80.0, &xs, &TWO_FEATURE_PRICES));
}

#[test]
fn feature_gradient_of_a_square_x_uses_the_transpose() {
    // X = [[1, 2], [3, 4]], w = 0, b = 0, y = (−1, −2): errors e = (1, 2).
    // Xᵀe = (1·1 + 3·2, 2·1 + 4·2) = (7, 10), and 2/N = 1.
    // X·e would be (1·1 + 2·2, 3·1 + 4·2) = (5, 11): the transposition matters.
    let xs = vec![vec![1.0, 2.0], vec![3.0, 4.0]];
    let (w, y) = ([0.0, 0.0], [-1.0, -2.0]);
    let (text, got) = feature_gradient_of(&w, 0.0, &xs, &y, FEATURES);
    let expected = FeatureGradient { dw: vec![7.0, 10.0], db: 3.0 };
    check_feature_gradient(&text, got, expected, (&w, 0.0, &xs, &y));
}

#[test]
fn feature_gradient_with_no_features_is_the_bias_slope_alone() {
    // A model with no features predicts b for every example: w and every
    // row are empty, dw is empty, and db = 2·mean(b − y) = 2·(1 − 2) = −2.
    let xs: Vec<Vec<f64>> = vec![vec![], vec![]];
    let y = [1.0, 3.0];
    let (text, got) = feature_gradient_of(&[], 1.0, &xs, &y, FEATURES);
    let expected = FeatureGradient { dw: vec![], db: -2.0 };
    check_feature_gradient(&text, got, expected, (&[], 1.0, &xs, &y));
}
