//! Snapshots: what your code produces, at fixed precision, compared with the
//! files in `tests/snapshots/`. The first one is also the table of chapter 3,
//! "Why central beats forward".

use exercise_03::GradientError;
use support::{call, fail};

use crate::*;

#[track_caller]
fn value_of(text: &str, got: Result<f64, GradientError>, hint: &str) -> f64 {
    got.unwrap_or_else(|e| fail(text, format!("Err({e:?})"), "Ok(a number)", hint))
}

#[test]
fn snapshot_of_forward_and_central_differences_of_a_cube() {
    let cube = |a: f64| a * a * a;
    let mut report = String::from(
        "f(a) = a³ at a = 2, where the true slope is f'(2) = 12\n\n     h    forward difference     error    central difference     error\n",
    );
    for k in 1..=12 {
        let h = 10f64.powi(-k);
        let text = format!("forward_difference(|a| a * a * a, 2.0, {h:?})");
        let forward = value_of(
            &text,
            call(&text, FORWARD, || exercise_03::forward_difference(cube, 2.0, h)),
            FORWARD,
        );
        let text = format!("central_difference(|a| a * a * a, 2.0, {h:?})");
        let central = value_of(
            &text,
            call(&text, CENTRAL, || exercise_03::central_difference(cube, 2.0, h)),
            CENTRAL,
        );
        report.push_str(&format!(
            "{:>6} {:>21} {:>9.1e} {:>21} {:>9.1e}\n",
            format!("1e-{k}"),
            fixed(forward, 12),
            (forward - 12.0).abs(),
            fixed(central, 12),
            (central - 12.0).abs(),
        ));
    }
    insta::with_settings!({
        description => "Your forward_difference and central_difference of f(a) = a³ at a = 2 (true slope 12) for steps h from 0.1 down to 10⁻¹², with their errors. \
            Going down the table, the forward error shrinks like 6h and the central error like h², until rounding takes over: below h ≈ 10⁻⁵ for central, 10⁻⁸ for forward. \
            A '-' line is the expected value, a '+' line is yours: a difference in the 'forward' columns points at forward_difference, in the 'central' columns at central_difference.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("forward_and_central_differences_of_a_cube", report);
    });
}

#[test]
fn snapshot_of_the_gradient_along_the_cost_curve() {
    // The text version of the chapter's first figure: the three points, the
    // bias held at b = 1, the weight from 0 to 4.
    let b = 1.0;
    let mut report = String::from(
        "three points (1, 3), (2, 5), (3, 7); b = 1\n        w   cost J(w)       dJ/dw       dJ/db\n",
    );
    for step in 0..=8 {
        let w = step as f64 * 0.5;
        let cost =
            solution_02::mean_squared_error(&solution_02::predict_all(w, b, &THREE_X), &THREE_Y)
                .expect("valid examples");
        let (text, got) = mse_gradient_of(w, b, &THREE_X, &THREE_Y, GRADIENT);
        let g =
            got.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a gradient)", GRADIENT));
        report.push_str(&format!(
            "{:>9} {:>11} {:>11} {:>11}\n",
            fixed(w, 2),
            fixed(cost, 6),
            fixed(g.dw, 6),
            fixed(g.db, 6),
        ));
    }
    insta::with_settings!({
        description => "Your mse_gradient for the three points on y = 2x + 1, with the bias held at b = 1 and the weight w from 0 to 4. \
            The cost (from exercise 02's reference) is the parabola (w − 2)²·14/3; its slope dJ/dw = (w − 2)·28/3 is negative left of the bottom at w = 2, zero there, positive to the right. \
            A '-' line is the expected value, a '+' line is yours.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("gradient_along_the_cost_curve", report);
    });
}

#[test]
fn snapshot_of_the_feature_gradient_on_the_two_feature_house_table() {
    let xs = two_feature_houses();
    let mut report = String::from("size, bedrooms -> price (thousand dollars)\n");
    for (w, b) in [([0.15, 20.0], 80.0), ([0.0, 0.0], 0.0), ([0.1, 50.0], 30.0)] {
        let text = format!(
            "mse_gradient_features({}, {b:?}, {}, {})",
            lit(&w),
            rows_lit(&xs),
            lit(&TWO_FEATURE_PRICES)
        );
        let g = call(&text, FEATURES, || {
            exercise_03::mse_gradient_features(&w, b, &xs, &TWO_FEATURE_PRICES)
        })
        .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a gradient)", FEATURES));
        let dw: Vec<String> = g.dw.iter().map(|v| fixed(*v, 6)).collect();
        report.push_str(&format!(
            "w = {w:?}, b = {b}:\n  dJ/dw = [{}]\n  dJ/db = {}\n",
            dw.join(", "),
            fixed(g.db, 6)
        ));
    }
    insta::with_settings!({
        description => "Your mse_gradient_features on the lecture's table of four houses (size, bedrooms -> price), at three settings of the weights and bias. \
            dJ/dw has one entry per feature: the first is large because sizes are in the thousands, the second small because bedrooms are a handful. \
            A '-' line is the expected value, a '+' line is yours.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("feature_gradient_on_the_two_feature_house_table", report);
    });
}
