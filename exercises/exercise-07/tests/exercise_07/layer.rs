//! The linear layer: predict, check_shapes, mse and the gradient, on the
//! lecture's feature table worked by hand.

use exercise_07::{Gradient, ModelError};
use support::{call, check, check_close, fail};

use crate::*;

/// What a wrong gradient on the feature table looks like.
fn diagnose_gradient(
    got: &Gradient,
    expected_w: &DVector<f64>,
    expected_b: f64,
    n: f64,
) -> &'static str {
    let scaled = |f: f64| same_vector(&got.w, &(expected_w * f)) && close(got.b, f * expected_b);
    if scaled(0.5) {
        MISSING_2
    } else if scaled(-1.0) {
        WRONG_SIGN
    } else if same_vector(&got.w, expected_w) && close(got.b, n * expected_b) {
        BIAS_SUM
    } else {
        GRADIENT
    }
}

#[test]
fn predict_on_the_feature_table() {
    let x = table_x();
    let text = format!("predict(&{}, &{})", show_matrix(&x), show_model(&guess()));
    let got = call(&text, PREDICT, || exercise_07::predict(&x, &guess()));
    let expected = vector(&GUESS_PREDICTIONS);
    check(
        same_vector(&got, &expected),
        &text,
        show_vector(&got),
        format!("{} (0.15·size + 20·bedrooms + 80, chapter 7)", show_vector(&expected)),
        PREDICT,
    );
}

#[test]
fn mse_on_the_feature_table() {
    let (x, y) = (table_x(), table_y());
    let text = format!("mse(&x, &{}, &y) on the feature table", show_model(&guess()));
    let got = call(&text, MSE, || exercise_07::mse(&x, &guess(), &y));
    let got = expect_ok(&text, got, "Ok(2731.25)", MSE);
    let hint = if close(got, 4.0 * GUESS_MSE) {
        "that is the sum of the squared errors: divide by N, the number of rows (see 'The linear layer' in chapter 7)"
    } else {
        MSE
    };
    check_close(&text, got, GUESS_MSE, TOL, hint);
}

#[test]
fn gradient_on_the_feature_table() {
    let (x, y) = (table_x(), table_y());
    let text = format!("gradient(&x, &{}, &y) on the feature table", show_model(&guess()));
    let got = call(&text, GRADIENT, || exercise_07::gradient(&x, &guess(), &y));
    let g = expect_ok(&text, got, "Ok(Gradient { w: [68750.0, 67.5], b: 7.5 })", GRADIENT);
    let expected_w = vector(&GUESS_GRADIENT_W);
    check(
        same_vector(&g.w, &expected_w) && close(g.b, GUESS_GRADIENT_B),
        &text,
        format!("Gradient {{ w: {}, b: {:?} }}", show_vector(&g.w), g.b),
        "Gradient { w: [68750.0, 67.5], b: 7.5 }, worked out by hand in chapter 7",
        diagnose_gradient(&g, &expected_w, GUESS_GRADIENT_B, 4.0),
    );
}

#[test]
fn gradient_has_one_entry_per_weight_with_more_rows_than_features() {
    // 5 rows, 2 features: Xᵀe has 2 entries, X·e does not even fit.
    let x = matrix(&[&[1.0, 0.0], &[2.0, 1.0], &[3.0, -1.0], &[0.5, 2.0], &[-1.0, 4.0]]);
    let y = vector(&[1.0, 2.0, 0.0, -3.0, 5.0]);
    let m = model(&[0.5, -1.0], 2.0);
    let text = format!("gradient(&{}, &{}, &{})", show_matrix(&x), show_model(&m), show_vector(&y));
    let got = call(&text, GRADIENT, || exercise_07::gradient(&x, &m, &y));
    let g = expect_ok(&text, got, "Ok(a gradient)", GRADIENT);
    // By hand: ŷ = (2.5, 2, 4.5, 0.25, −2.5), so e = ŷ − y = (1.5, 0, 4.5, 3.25, −7.5).
    // ∇w = (2/5)·Xᵀe: column 0 gives 1.5 + 0 + 13.5 + 1.625 + 7.5 = 24.125,
    // column 1 gives 0 + 0 − 4.5 + 6.5 − 30 = −28; ∇b = (2/5)·1.75.
    let (dw0, dw1, db) = (0.4 * 24.125, 0.4 * -28.0, 0.4 * 1.75);
    let expected_w = vector(&[dw0, dw1]);
    check(
        same_vector(&g.w, &expected_w) && close(g.b, db),
        &text,
        format!("Gradient {{ w: {}, b: {:?} }}", show_vector(&g.w), g.b),
        format!("Gradient {{ w: {}, b: {db:?} }}", show_vector(&expected_w)),
        diagnose_gradient(&g, &expected_w, db, 5.0),
    );
}

#[test]
fn gradient_equals_exercise_03s_loops_on_the_houses() {
    let data = housing();
    let m = model(&[0.01, 2.0, -0.3, -1.0], 20.0);
    let rows: Vec<Vec<f64>> =
        data.train_x.row_iter().map(|r| r.iter().copied().collect()).collect();
    let y: Vec<f64> = data.train_y.iter().copied().collect();
    let loops = solution_03::mse_gradient_features(m.w.as_slice(), m.b, &rows, &y)
        .expect("exercise 03's reference accepts the houses");
    let text = format!("gradient(&houses, &{}, &prices) (160 training houses)", show_model(&m));
    let got = call(&text, GRADIENT, || exercise_07::gradient(&data.train_x, &m, &data.train_y));
    let g = expect_ok(&text, got, "Ok(exercise 03's gradient)", GRADIENT);
    let expected_w = vector(&loops.dw);
    check(
        same_vector(&g.w, &expected_w) && close(g.b, loops.db),
        &text,
        format!("Gradient {{ w: {}, b: {:?} }}", show_vector(&g.w), g.b),
        format!(
            "Gradient {{ w: {}, b: {:?} }}, what exercise 03's mse_gradient_features computes with loops",
            show_vector(&expected_w),
            loops.db
        ),
        diagnose_gradient(&g, &expected_w, loops.db, 160.0),
    );
}

/// What is wrong, x, the model, y, the error expected and a part of its message.
type Case<'a> = (&'a str, DMatrix<f64>, Linear, DVector<f64>, ModelError, &'a str);

#[test]
fn check_shapes_reports_the_first_problem() {
    let m2 = model(&[1.0, 2.0], 0.0);
    let cases: Vec<Case<'_>> = vec![
        (
            "3 rows, 2 targets",
            matrix(&[&[1.0, 2.0], &[3.0, 4.0], &[5.0, 6.0]]),
            m2.clone(),
            vector(&[1.0, 2.0]),
            ModelError::LengthMismatch { rows: 3, targets: 2 },
            "3 rows but y has 2 values",
        ),
        ("no rows", DMatrix::zeros(0, 2), m2.clone(), vector(&[]), ModelError::NoRows, "no rows"),
        (
            "3 columns, 2 weights",
            matrix(&[&[1.0, 2.0, 3.0], &[3.0, 4.0, 5.0]]),
            m2.clone(),
            vector(&[1.0, 2.0]),
            ModelError::WeightCount { columns: 3, weights: 2 },
            "3 columns but the model has 2 weights",
        ),
        (
            "two values of x that are not finite",
            matrix(&[&[1.0, 2.0], &[3.0, f64::INFINITY], &[f64::NAN, 6.0]]),
            m2.clone(),
            vector(&[1.0, 2.0, 3.0]),
            ModelError::NotFiniteFeature { row: 1, column: 1, value: f64::INFINITY },
            "x[(1, 1)] is inf",
        ),
        (
            "a NaN in y",
            matrix(&[&[1.0, 2.0], &[3.0, 4.0]]),
            m2.clone(),
            vector(&[1.0, f64::NAN]),
            ModelError::NotFiniteTarget { row: 1, value: f64::NAN },
            "y[1] is NaN",
        ),
    ];
    for (what, x, m, y, expected, mention) in cases {
        let text = format!("check_shapes(&x, &m, &y) with {what}");
        let got = call(&text, CHECK_SHAPES, || exercise_07::check_shapes(&x, &m, &y));
        check_error(&text, got, &expected, &[mention], CHECK_SHAPES, CHECK_SHAPES);
    }
}

#[test]
fn check_shapes_looks_at_the_shape_before_the_values() {
    // A NaN and too few targets: the lengths are the first problem.
    let x = matrix(&[&[f64::NAN, 2.0], &[3.0, 4.0], &[5.0, 6.0]]);
    let y = vector(&[1.0, f64::NAN]);
    let m = model(&[1.0, 2.0], 0.0);
    let text = "check_shapes(&x, &m, &y) with a NaN in x and 3 rows for 2 targets";
    let got = call(text, CHECK_SHAPES, || exercise_07::check_shapes(&x, &m, &y));
    check_error(
        text,
        got,
        &ModelError::LengthMismatch { rows: 3, targets: 2 },
        &["3 rows"],
        CHECK_SHAPES,
        SHAPE_FIRST,
    );
    // A NaN and a wrong number of weights.
    let y = vector(&[1.0, 2.0, 3.0]);
    let m3 = model(&[1.0, 2.0, 3.0], 0.0);
    let text = "check_shapes(&x, &m, &y) with a NaN in x and 3 weights for 2 columns";
    let got = call(text, CHECK_SHAPES, || exercise_07::check_shapes(&x, &m3, &y));
    check_error(
        text,
        got,
        &ModelError::WeightCount { columns: 2, weights: 3 },
        &["2 columns"],
        CHECK_SHAPES,
        SHAPE_FIRST,
    );
}

#[test]
fn mse_and_gradient_check_the_shapes_first() {
    let x = matrix(&[&[1.0, 2.0], &[3.0, 4.0]]);
    let y = vector(&[1.0, 2.0, 3.0]);
    let m = model(&[1.0, 2.0], 0.0);
    let expected = ModelError::LengthMismatch { rows: 2, targets: 3 };
    let text = "mse(&x, &m, &y) with 2 rows and 3 targets";
    let got = call(text, MSE, || exercise_07::mse(&x, &m, &y));
    check_error(text, got, &expected, &["2 rows"], MSE, MSE);
    let text = "gradient(&x, &m, &y) with 2 rows and 3 targets";
    let got = call(text, GRADIENT, || exercise_07::gradient(&x, &m, &y));
    check_error(text, got, &expected, &["2 rows"], GRADIENT, GRADIENT);
}

#[test]
fn the_gradient_is_zero_at_the_least_squares_answer() {
    // Exercise 06's answer for the houses: the gradient must vanish there,
    // up to rounding.
    let data = housing();
    let design = solution_06::add_intercept(&data.train_x);
    let fit = solution_06::least_squares(&design, &data.train_y, solution_06::Solver::Qr)
        .expect("the houses have a single answer");
    let c = &fit.coefficients;
    let best = model(&[c[1], c[2], c[3], c[4]], c[0]);
    let text = format!("gradient(&houses, &{}, &prices)", show_model(&best));
    let got = call(&text, GRADIENT, || exercise_07::gradient(&data.train_x, &best, &data.train_y));
    let g = expect_ok(&text, got, "Ok(a gradient of zeros)", GRADIENT);
    // Each entry is a sum of products of size ~ |x|·|e|; 1e-9 of that is rounding.
    let small = g.w.iter().all(|v| v.abs() < 1e-6) && g.b.abs() < 1e-9;
    if !small {
        fail(
            &text,
            format!("Gradient {{ w: {}, b: {:?} }}", show_vector(&g.w), g.b),
            "zeros (up to rounding): at the least-squares answer the cost is flat",
            GRADIENT,
        );
    }
}
