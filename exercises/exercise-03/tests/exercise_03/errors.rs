//! When the inputs are wrong: every variant of GradientError, and the
//! messages that go with them.

use exercise_03::{Argument, GradientError, InputError};
use support::call;

use crate::*;

// ---------------------------------------------------------------------------
// One input
// ---------------------------------------------------------------------------

#[test]
fn gradient_of_x_and_y_of_different_lengths_is_an_error() {
    let (text, got) =
        mse_gradient_of(1.0, 0.0, &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0], CHECK_EXAMPLES);
    let expected = GradientError::Input(InputError::LengthMismatch {
        first: Argument::X,
        first_len: 3,
        second: Argument::Y,
        second_len: 4,
    });
    let hint = diagnose_examples_error(
        &got,
        "report the lengths with exercise 02's InputError::LengthMismatch, x first, then y, wrapped in GradientError::Input (see 'When the inputs are wrong' in chapter 3)",
    );
    check_error(&text, got, expected, &["x has 3", "y has 4"], ZIP_TRUNCATES, hint);
}

#[test]
fn gradient_of_one_empty_slice_is_a_length_mismatch() {
    let (text, got) = mse_gradient_of(1.0, 0.0, &[], &[7.0], CHECK_EXAMPLES);
    let expected = GradientError::Input(InputError::LengthMismatch {
        first: Argument::X,
        first_len: 0,
        second: Argument::Y,
        second_len: 1,
    });
    let hint = diagnose_examples_error(
        &got,
        "check the lengths before emptiness: one empty slice next to one that is not is a length mismatch (see 'When the inputs are wrong' in chapter 3)",
    );
    check_error(&text, got, expected, &["x has 0", "y has 1"], ZIP_TRUNCATES, hint);
}

#[test]
fn gradient_of_no_examples_is_an_error() {
    let (text, got) = mse_gradient_of(1.0, 0.0, &[], &[], CHECK_EXAMPLES);
    let hint = diagnose_examples_error(
        &got,
        "two empty slices have the same length; what is wrong is that there are no examples: return GradientError::NoExamples (see 'When the inputs are wrong' in chapter 3)",
    );
    check_error(&text, got, GradientError::NoExamples, &["no examples", "0/0"], EMPTY_IS_NAN, hint);
}

#[test]
fn gradient_with_nan_in_x_names_its_index() {
    let (text, got) =
        mse_gradient_of(1.0, 0.0, &[1.0, f64::NAN, 3.0], &[1.0, 2.0, 3.0], CHECK_EXAMPLES);
    let expected = GradientError::Input(InputError::NotFinite {
        argument: Argument::X,
        index: 1,
        value: f64::NAN,
    });
    let hint = diagnose_examples_error(
        &got,
        "report which argument holds the bad value and at which index, with InputError::NotFinite wrapped in GradientError::Input (see 'When the inputs are wrong' in chapter 3)",
    );
    check_error(&text, got, expected, &["x[1]", "NaN"], NOT_FINITE, hint);
}

#[test]
fn gradient_with_infinity_in_y_names_its_index() {
    let (text, got) =
        mse_gradient_of(1.0, 0.0, &[1.0, 2.0, 3.0], &[1.0, 2.0, f64::INFINITY], CHECK_EXAMPLES);
    let expected = GradientError::Input(InputError::NotFinite {
        argument: Argument::Y,
        index: 2,
        value: f64::INFINITY,
    });
    check_error(
        &text,
        got,
        expected,
        &["y[2]", "inf"],
        NOT_FINITE,
        "look through x first, then y, and report the first value that is not finite with its argument and index (see 'When the inputs are wrong' in chapter 3)",
    );
}

#[test]
fn check_examples_compares_the_lengths_before_the_values() {
    // Two problems at once: the lengths differ, and x holds a NaN.
    let text = "check_examples(&[NaN, 1.0], &[1.0, 2.0, 3.0])";
    let got = call(text, CHECK_EXAMPLES, || {
        exercise_03::check_examples(&[f64::NAN, 1.0], &[1.0, 2.0, 3.0])
    });
    let expected = GradientError::Input(InputError::LengthMismatch {
        first: Argument::X,
        first_len: 2,
        second: Argument::Y,
        second_len: 3,
    });
    let hint = diagnose_examples_error(&got, LENGTHS_BEFORE_VALUES);
    check_error(text, got, expected, &["x has 2", "y has 3"], ZIP_TRUNCATES, hint);
}

#[test]
fn check_examples_looks_through_x_before_y() {
    // A bad target at index 0 and a bad input at index 2: x is looked
    // through first, so its NaN is the one reported.
    let text = "check_examples(&[1.0, 2.0, NaN], &[inf, 2.0, 3.0])";
    let got = call(text, CHECK_EXAMPLES, || {
        exercise_03::check_examples(&[1.0, 2.0, f64::NAN], &[f64::INFINITY, 2.0, 3.0])
    });
    let expected = GradientError::Input(InputError::NotFinite {
        argument: Argument::X,
        index: 2,
        value: f64::NAN,
    });
    let hint = match &got {
        Err(GradientError::Input(InputError::NotFinite { argument: Argument::Y, .. })) => X_FIRST,
        _ => diagnose_examples_error(&got, CHECK_EXAMPLES),
    };
    check_error(text, got, expected, &["x[2]", "NaN"], NOT_FINITE, hint);
}

#[test]
fn gradient_at_a_nan_or_infinite_parameter_is_not_finite_and_not_an_error() {
    // A training run that diverged hands the gradient NaN or infinite
    // parameters; the gradient must say so with its numbers, not refuse.
    for (w, b) in [(f64::NAN, 0.0), (0.0, f64::INFINITY)] {
        let (text, got) = mse_gradient_of(w, b, &THREE_X, &THREE_Y, GRADIENT);
        match got {
            Ok(g) => check(
                !g.dw.is_finite() && !g.db.is_finite(),
                &text,
                grad(g),
                "a gradient whose dw and db are NaN or infinite",
                GRADIENT,
            ),
            Err(e) => fail(
                &text,
                format!("Err({e:?}): \"{e}\""),
                "Ok(a NaN or infinite gradient)",
                NAN_WEIGHT,
            ),
        }
    }
}

#[test]
fn gradient_check_at_a_nan_weight_is_a_check_that_fails() {
    let text = "check_mse_gradient(NaN, 0.0, &[1.0, 2.0, 3.0], &[3.0, 5.0, 7.0])";
    let got =
        call(text, CHECK, || exercise_03::check_mse_gradient(f64::NAN, 0.0, &THREE_X, &THREE_Y));
    match got {
        Ok(report) => check(
            !report.passed(),
            text,
            format!("{report:?}, which passed"),
            "a GradientCheck with NaN gradients and relative errors, which does not pass",
            CHECK,
        ),
        Err(e) => fail(
            text,
            format!("Err({e:?}): \"{e}\""),
            "Ok(a GradientCheck that does not pass)",
            NAN_WEIGHT,
        ),
    }
}

#[test]
fn half_gradient_checks_its_inputs_too() {
    let text = "half_mse_gradient(1.0, 0.0, &[], &[])";
    let got = call(text, HALF, || exercise_03::half_mse_gradient(1.0, 0.0, &[], &[]));
    let hint = diagnose_examples_error(
        &got,
        "half_mse_gradient goes through mse_gradient, which checks the examples (see 'The ½ convention' in chapter 3)",
    );
    check_error(text, got, GradientError::NoExamples, &["no examples"], EMPTY_IS_NAN, hint);
}

#[test]
fn gradient_check_checks_its_inputs_too() {
    let text = "check_mse_gradient(1.0, 0.0, &[1.0, 2.0], &[1.0])";
    let got = call(text, CHECK, || exercise_03::check_mse_gradient(1.0, 0.0, &[1.0, 2.0], &[1.0]));
    let expected = GradientError::Input(InputError::LengthMismatch {
        first: Argument::X,
        first_len: 2,
        second: Argument::Y,
        second_len: 1,
    });
    let hint = diagnose_examples_error(
        &got,
        "check_mse_gradient starts with mse_gradient(w, b, x, y)?, which checks the examples (see 'The gradient check' in chapter 3)",
    );
    check_error(text, got, expected, &["x has 2", "y has 1"], ZIP_TRUNCATES, hint);
}

// ---------------------------------------------------------------------------
// Many inputs
// ---------------------------------------------------------------------------

#[track_caller]
fn feature_gradient_error(
    w: &[f64],
    xs: &[Vec<f64>],
    y: &[f64],
) -> (String, Result<exercise_03::FeatureGradient, GradientError>) {
    let text = format!("mse_gradient_features({}, 0.0, {}, {})", lit(w), rows_lit(xs), lit(y));
    let got = call(&text, CHECK_FEATURES, || exercise_03::mse_gradient_features(w, 0.0, xs, y));
    (text, got)
}

#[test]
fn feature_gradient_with_more_targets_than_rows_is_an_error() {
    let xs = vec![vec![1.0, 2.0], vec![3.0, 4.0]];
    let (text, got) = feature_gradient_error(&[1.0, 1.0], &xs, &[1.0, 2.0, 3.0]);
    check_error(
        &text,
        got,
        GradientError::RowCount { rows: 2, targets: 3 },
        &["2 rows", "3 targets"],
        ZIP_TRUNCATES,
        "compare the number of rows with the number of targets first, and return GradientError::RowCount (see 'When the inputs are wrong' in chapter 3)",
    );
}

#[test]
fn feature_gradient_of_no_examples_is_an_error() {
    let (text, got) = feature_gradient_error(&[1.0], &[], &[]);
    check_error(
        &text,
        got,
        GradientError::NoExamples,
        &["no examples"],
        EMPTY_IS_NAN,
        "no rows and no targets: return GradientError::NoExamples (see 'When the inputs are wrong' in chapter 3)",
    );
}

#[test]
fn feature_gradient_with_a_short_row_names_the_row() {
    // Row 1 has one feature, but there are two weights.
    let xs = vec![vec![1.0, 2.0], vec![3.0], vec![5.0, 6.0]];
    let (text, got) = feature_gradient_error(&[1.0, 1.0], &xs, &[1.0, 2.0, 3.0]);
    check_error(
        &text,
        got,
        GradientError::RowLength { row: 1, len: 1, weights: 2 },
        &["row 1", "1 features", "2 weights"],
        ROW_LENGTH,
        ROW_LENGTH,
    );
}

#[test]
fn feature_gradient_with_nan_in_a_feature_names_row_and_column() {
    let xs = vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, f64::NAN]];
    let (text, got) = feature_gradient_error(&[1.0, 1.0], &xs, &[1.0, 2.0, 3.0]);
    check_error(
        &text,
        got,
        GradientError::NotFiniteFeature { row: 2, column: 1, value: f64::NAN },
        &["xs[2][1]", "NaN"],
        NOT_FINITE,
        "report a bad feature with GradientError::NotFiniteFeature, its row and its column (see 'When the inputs are wrong' in chapter 3)",
    );
}

#[test]
fn feature_rows_are_checked_row_by_row() {
    // Row 0 holds a NaN, row 1 is short: row 0 comes first.
    let xs = vec![vec![f64::NAN, 1.0], vec![1.0]];
    let (text, got) = feature_gradient_error(&[1.0, 1.0], &xs, &[1.0, 2.0]);
    let hint = match &got {
        Err(GradientError::RowLength { row: 1, .. }) => ROW_BY_ROW,
        _ => CHECK_FEATURES,
    };
    check_error(
        &text,
        got,
        GradientError::NotFiniteFeature { row: 0, column: 0, value: f64::NAN },
        &["xs[0][0]", "NaN"],
        NOT_FINITE,
        hint,
    );
}

#[test]
fn feature_targets_are_checked_after_every_row() {
    // A NaN feature in row 1 and an infinite target at index 0: the rows
    // come first.
    let xs = vec![vec![1.0], vec![f64::NAN]];
    let (text, got) = feature_gradient_error(&[1.0], &xs, &[f64::INFINITY, 2.0]);
    let hint = match &got {
        Err(GradientError::Input(InputError::NotFinite { argument: Argument::Y, .. })) => {
            TARGETS_LAST
        }
        _ => CHECK_FEATURES,
    };
    check_error(
        &text,
        got,
        GradientError::NotFiniteFeature { row: 1, column: 0, value: f64::NAN },
        &["xs[1][0]", "NaN"],
        NOT_FINITE,
        hint,
    );
}

#[test]
fn feature_gradient_at_a_nan_weight_is_nan_not_an_error() {
    // The weights are not checked: a NaN weight makes every error NaN, and
    // with it every entry of the gradient.
    let xs = vec![vec![1.0, 2.0], vec![3.0, 4.0]];
    let text = format!("mse_gradient_features(&[NaN, 1.0], 0.0, {}, &[1.0, 2.0])", rows_lit(&xs));
    let got = call(&text, FEATURES, || {
        exercise_03::mse_gradient_features(&[f64::NAN, 1.0], 0.0, &xs, &[1.0, 2.0])
    });
    match got {
        Ok(g) => check(
            g.dw.len() == 2 && g.dw.iter().all(|v| v.is_nan()) && g.db.is_nan(),
            &text,
            format!("{g:?}"),
            "FeatureGradient { dw: [NaN, NaN], db: NaN }",
            FEATURES,
        ),
        Err(e) => fail(
            &text,
            format!("Err({e:?}): \"{e}\""),
            "Ok(FeatureGradient { dw: [NaN, NaN], db: NaN })",
            NAN_WEIGHT,
        ),
    }
}

#[test]
fn feature_gradient_with_infinity_in_y_names_its_index() {
    let xs = vec![vec![1.0], vec![3.0]];
    let (text, got) = feature_gradient_error(&[1.0], &xs, &[f64::NEG_INFINITY, 2.0]);
    let expected = GradientError::Input(InputError::NotFinite {
        argument: Argument::Y,
        index: 0,
        value: f64::NEG_INFINITY,
    });
    check_error(
        &text,
        got,
        expected,
        &["y[0]", "-inf"],
        NOT_FINITE,
        "report a bad target with exercise 02's InputError::NotFinite, argument y, wrapped in GradientError::Input (see 'When the inputs are wrong' in chapter 3)",
    );
}

// ---------------------------------------------------------------------------
// The step of a finite difference
// ---------------------------------------------------------------------------

#[test]
fn central_difference_with_a_zero_step_is_an_error() {
    let text = "central_difference(|x| x * x, 1.0, 0.0)";
    let got = call(text, CENTRAL, || exercise_03::central_difference(|x| x * x, 1.0, 0.0));
    check_error(
        text,
        got,
        GradientError::BadStep { h: 0.0 },
        &["h is 0", "h > 0"],
        STEP_NOT_CHECKED,
        STEP,
    );
}

#[test]
fn forward_difference_with_a_negative_step_is_an_error() {
    let text = "forward_difference(|x| x * x, 1.0, -0.001)";
    let got = call(text, FORWARD, || exercise_03::forward_difference(|x| x * x, 1.0, -0.001));
    check_error(
        text,
        got,
        GradientError::BadStep { h: -0.001 },
        &["h is -0.001"],
        STEP_NOT_CHECKED,
        STEP,
    );
}

#[test]
fn a_step_that_is_nan_or_infinite_is_an_error() {
    for h in [f64::NAN, f64::INFINITY] {
        let text = format!("check_step({h:?})");
        let got = call(&text, STEP, || exercise_03::check_step(h));
        check_error(
            &text,
            got,
            GradientError::BadStep { h },
            &[&format!("h is {h}")],
            "NaN and infinity are no steps: check h.is_finite() as well as h > 0 (see 'Measuring a slope' in chapter 3)",
            STEP,
        );
    }
}

#[test]
fn numerical_gradient_with_a_zero_step_is_an_error() {
    let text = "numerical_gradient(|w, b| w * b, 1.0, 2.0, 0.0)";
    let got =
        call(text, NUMERICAL, || exercise_03::numerical_gradient(|w, b| w * b, 1.0, 2.0, 0.0));
    check_error(
        text,
        got,
        GradientError::BadStep { h: 0.0 },
        &["h is 0"],
        STEP_NOT_CHECKED,
        "pass on the error of central_difference with ? (see 'Measuring a gradient' in chapter 3)",
    );
}
