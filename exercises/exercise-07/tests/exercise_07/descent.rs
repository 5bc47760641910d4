//! Gradient descent raw and scaled, the least-squares answer on scaled
//! features, and the condition number of the bowl.

use exercise_07::{Descent, ModelError, ScaledModel};
use support::{call, check, fail};

use crate::*;

/// The learning rate and epochs of chapter 7's scaled run.
pub const SCALED_RATE: f64 = 0.5;
pub const SCALED_EPOCHS: usize = 100;

/// Exercise 06's QR answer on the raw training houses, as a model.
pub fn qr_answer(data: &exercise_07::Split) -> Linear {
    let design = solution_06::add_intercept(&data.train_x);
    let fit = solution_06::least_squares(&design, &data.train_y, solution_06::Solver::Qr)
        .expect("the houses have a single answer");
    let c = fit.coefficients;
    model(&[c[1], c[2], c[3], c[4]], c[0])
}

fn show_run(run: &Descent) -> String {
    let last = run.losses.last().copied().unwrap_or(f64::NAN);
    format!(
        "{} losses, the first {:?}, the last {last:?}, diverged: {}, model {}",
        run.losses.len(),
        run.losses.first(),
        run.diverged,
        show_model(&run.model)
    )
}

#[test]
fn descend_takes_two_steps_on_the_feature_table_by_hand() {
    // From zeros, with α = 1e-7: the first gradient is (−1 740 000, −2 660)
    // and −850 (chapter 3), so the first step lands on
    // w = (0.174, 0.000266), b = 0.000085.
    let (x, y) = (table_x(), table_y());
    let text = "descend(&x, &y, 1e-7, 2) on the feature table";
    let got = call(text, DESCEND, || exercise_07::descend(&x, &y, 1e-7, 2));
    let run = expect_ok(text, got, "Ok(a run of 2 epochs)", DESCEND);
    let expected =
        reference::descend(&x, &y, 1e-7, 2).expect("the reference descends on the table");
    check(
        run.losses.len() == 3,
        text,
        show_run(&run),
        "3 losses: before the first step, and after each of the 2",
        LOSS_COUNT,
    );
    let first = 0.25 * (300f64.powi(2) + 400f64.powi(2) + 480f64.powi(2) + 520f64.powi(2));
    check(
        close(run.losses[0], first),
        text,
        show_run(&run),
        format!("the first loss {first:?}, the MSE of the zero model: mean(y²)"),
        DESCEND,
    );
    let ok = pairwise(&run.losses, &expected.losses, close)
        && same_model(&run.model, &from_reference(&expected.model), 1e-9)
        && !run.diverged;
    check(
        ok,
        text,
        show_run(&run),
        format!(
            "losses {:?} and the model {}",
            expected.losses,
            show_model(&from_reference(&expected.model))
        ),
        DESCEND,
    );
}

#[test]
fn descend_refuses_a_bad_learning_rate() {
    let (x, y) = (table_x(), table_y());
    for rate in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        let text = format!("descend(&x, &y, {rate:?}, 10)");
        let got = call(&text, DESCEND, || exercise_07::descend(&x, &y, rate, 10));
        check_error(
            &text,
            got,
            &ModelError::BadLearningRate { rate },
            &["learning rate"],
            DESCEND,
            DESCEND,
        );
    }
    let text = "descend(&x, &y, 0.1, 10) with 4 rows and 3 targets";
    let short = vector(&[1.0, 2.0, 3.0]);
    let got = call(text, DESCEND, || exercise_07::descend(&x, &short, 0.1, 10));
    check_error(
        text,
        got,
        &ModelError::LengthMismatch { rows: 4, targets: 3 },
        &["4 rows"],
        DESCEND,
        DESCEND,
    );
}

#[test]
fn raw_descent_on_the_houses_diverges_or_crawls() {
    let data = housing();
    // Above 2/λ_max ≈ 2·10⁻⁷ it runs away within a few epochs ...
    let text = "descend(&houses, &prices, 1e-6, 200) on the raw features";
    let got = call(text, DESCEND, || exercise_07::descend(&data.train_x, &data.train_y, 1e-6, 200));
    let run = expect_ok(text, got, "Ok(a diverged run)", DESCEND);
    check(
        run.diverged && run.losses.len() < 50,
        text,
        show_run(&run),
        "diverged: true, stopped within a few dozen epochs (the loss grows about sixty-fold per epoch)",
        RUNS_AWAY,
    );
    // ... below it, it crawls: 200 epochs later the loss is still 10 times the best.
    let text = "descend(&houses, &prices, 1e-7, 200) on the raw features";
    let got = call(text, DESCEND, || exercise_07::descend(&data.train_x, &data.train_y, 1e-7, 200));
    let run = expect_ok(text, got, "Ok(a slow run)", DESCEND);
    let expected = reference::descend(&data.train_x, &data.train_y, 1e-7, 200).unwrap();
    check(
        !run.diverged && pairwise(&run.losses, &expected.losses, close),
        text,
        show_run(&run),
        show_run(&Descent {
            model: from_reference(&expected.model),
            losses: expected.losses.clone(),
            diverged: false,
        }),
        DESCEND,
    );
}

#[test]
fn scaled_descent_lands_on_exercise_06s_answer() {
    let data = housing();
    let text = format!("fit_scaled(&houses, &prices, {SCALED_RATE}, {SCALED_EPOCHS})");
    let got = call(&text, FIT_SCALED, || {
        exercise_07::fit_scaled(&data.train_x, &data.train_y, SCALED_RATE, SCALED_EPOCHS)
    });
    let (scaled, run) = expect_ok(&text, got, "Ok((model, run))", FIT_SCALED);
    let mean_square = data.train_y.norm_squared() / 160.0;
    check(
        close(run.losses[0], mean_square),
        &text,
        show_run(&run),
        format!(
            "a first loss of {mean_square:?}, the mean of the squared prices (the zero model's MSE)"
        ),
        if run.losses[0] < 2.0 { TARGET_SCALED } else { FIT_SCALED },
    );
    let original = call("model.to_original()", TO_ORIGINAL, || scaled.to_original());
    let best = qr_answer(&data);
    check(
        same_model(&original, &best, 1e-8),
        &format!("{text}, then .to_original()"),
        show_model(&original),
        format!("{} (exercise 06's QR answer, within 1e-8 relative)", show_model(&best)),
        FIT_SCALED,
    );
}

#[test]
fn a_scaled_model_predicts_raw_validation_houses() {
    let data = housing();
    let (reference_model, _) = reference::fit_scaled(&data.train_x, &data.train_y, SCALED_RATE, 60)
        .expect("the reference trains");
    let mine = ScaledModel {
        scaler: exercise_07::Scaler {
            mean: reference_model.scaler.mean.clone(),
            scale: reference_model.scaler.scale.clone(),
        },
        model: from_reference(&reference_model.model),
    };
    let text = "model.predict(&validation_x) with the model fit_scaled trains on the houses";
    let got = call(text, PREDICT_SCALED, || mine.predict(&data.validation_x));
    let got = expect_ok(text, got, "Ok(40 prices)", PREDICT_SCALED);
    let expected = reference_model.predict(&data.validation_x).unwrap();
    let unscaled = reference::predict(&data.validation_x, &reference_model.model);
    check(
        same_vector(&got, &expected),
        text,
        format!("prices starting {:?}", &got.as_slice()[..3.min(got.len())]),
        format!("prices starting {:?}", &expected.as_slice()[..3]),
        if same_vector(&got, &unscaled) { NOT_SCALED } else { PREDICT_SCALED },
    );
    let text = "model.predict(&[[1.0, 2.0]]) with a model of 4 features";
    let got = call(text, PREDICT_SCALED, || mine.predict(&matrix(&[&[1.0, 2.0]])));
    check_error(
        text,
        got,
        &ModelError::ColumnCount { fitted: 4, got: 2 },
        &["4 features"],
        PREDICT_SCALED,
        PREDICT_SCALED,
    );
}

#[test]
fn fit_scaled_predicts_validation_houses_in_lakh() {
    let data = housing();
    let text = format!(
        "fit_scaled(&houses, &prices, {SCALED_RATE}, {SCALED_EPOCHS}), then predict(&validation_x)"
    );
    let got = call(&text, FIT_SCALED, || {
        exercise_07::fit_scaled(&data.train_x, &data.train_y, SCALED_RATE, SCALED_EPOCHS)
    });
    let (m, _) = expect_ok(&text, got, "Ok((model, run))", FIT_SCALED);
    let got = call(&text, PREDICT_SCALED, || m.predict(&data.validation_x));
    let got = expect_ok(&text, got, "Ok(40 prices)", PREDICT_SCALED);
    let best = to_reference(&qr_answer(&data));
    let expected = reference::predict(&data.validation_x, &best);
    let worst = (&got - &expected).amax();
    let y_mean = data.train_y.mean();
    let hint = if got.mean().abs() < 0.5 * y_mean.abs() { TARGET_SCALED } else { FIT_SCALED };
    check(
        worst < 1e-6,
        &text,
        format!(
            "prices starting {:?} (off by up to {worst:e})",
            &got.as_slice()[..3.min(got.len())]
        ),
        format!("prices starting {:?}, those of exercise 06's answer", &expected.as_slice()[..3]),
        hint,
    );
}

#[test]
fn least_squares_scaled_is_exercise_06s_answer_in_the_original_units() {
    let data = housing();
    let text = "least_squares_scaled(&houses, &prices)";
    let got = call(text, LEAST_SQUARES, || {
        exercise_07::least_squares_scaled(&data.train_x, &data.train_y)
    });
    let best = qr_answer(&data);
    let hint = match &got {
        Err(ModelError::Fit(solution_06::FitError::DependentColumns { .. })) => ONES_SCALED,
        _ => LEAST_SQUARES,
    };
    let m = expect_ok(text, got, &show_model(&best), hint);
    check(
        same_model(&m, &best, 1e-10),
        text,
        show_model(&m),
        format!("{} (exercise 06's QR answer on the raw features)", show_model(&best)),
        LEAST_SQUARES,
    );
}

#[test]
fn least_squares_scaled_on_the_feature_table() {
    // 4 houses, 3 parameters: the least-squares plane, worked out in chapter 7.
    let (x, y) = (table_x(), table_y());
    let text = "least_squares_scaled(&x, &y) on the feature table";
    let got = call(text, LEAST_SQUARES, || exercise_07::least_squares_scaled(&x, &y));
    let hint = match &got {
        Err(ModelError::Fit(solution_06::FitError::DependentColumns { .. })) => ONES_SCALED,
        _ => LEAST_SQUARES,
    };
    // The normal equations of [1 size bedrooms] solved with fractions:
    // b = 12 350/99, w = (19/495, 830/11).
    let expected = model(&[19.0 / 495.0, 830.0 / 11.0], 12350.0 / 99.0);
    let m = expect_ok(text, got, &show_model(&expected), hint);
    check(
        same_model(&m, &expected, 1e-9),
        text,
        show_model(&m),
        format!("{}: price = (19/495)·size + (830/11)·bedrooms + 12 350/99", show_model(&expected)),
        LEAST_SQUARES,
    );
}

#[test]
fn the_condition_number_of_the_bowl() {
    let data = housing();
    let expected_raw = reference::hessian_condition(&data.train_x);
    let kappa = solution_06::condition_number(&solution_06::add_intercept(&data.train_x));
    let without_ones = solution_06::condition_number(&data.train_x).powi(2);
    let text = "hessian_condition(&houses) on the raw features";
    let got = call(text, CONDITION, || exercise_07::hessian_condition(&data.train_x));
    let hint = if Tolerance::Relative(1e-6).accepts(got, kappa) {
        NOT_SQUARED
    } else if Tolerance::Relative(1e-6).accepts(got, without_ones) {
        NO_ONES
    } else {
        CONDITION
    };
    check(
        Tolerance::Relative(1e-6).accepts(got, expected_raw),
        text,
        format!("{got:e}"),
        format!("{expected_raw:e}: κ([1 X])² = ({kappa:.1})²"),
        hint,
    );
    let scaled = reference::Scaler::fit(&data.train_x).unwrap().transform(&data.train_x).unwrap();
    let text = "hessian_condition(&scaled houses) on the standardised features";
    let got = call(text, CONDITION, || exercise_07::hessian_condition(&scaled));
    let expected = reference::hessian_condition(&scaled);
    if !(Tolerance::Relative(1e-6).accepts(got, expected) && got < 10.0) {
        fail(text, format!("{got:e}"), format!("{expected:e}, a round bowl"), CONDITION);
    }
}

#[test]
fn descend_stops_when_the_loss_exceeds_a_million_times_the_first() {
    // Just above the limit 2/λ_max ≈ 2.31e-7 the loss grows by about a
    // third per epoch: it passes a million times the first loss (7860)
    // after some 45 epochs, and the run stops there, not before.
    let data = housing();
    let text = "descend(&houses, &prices, 2.5e-7, 80) on the raw features";
    let got =
        call(text, DESCEND, || exercise_07::descend(&data.train_x, &data.train_y, 2.5e-7, 80));
    let run = expect_ok(text, got, "Ok(a diverged run)", DESCEND);
    let expected = reference::descend(&data.train_x, &data.train_y, 2.5e-7, 80).unwrap();
    let expected = Descent {
        model: from_reference(&expected.model),
        losses: expected.losses,
        diverged: expected.diverged,
    };
    check(
        run.diverged == expected.diverged && pairwise(&run.losses, &expected.losses, close),
        text,
        show_run(&run),
        format!(
            "{}: the run stops at the first loss above DIVERGENCE_FACTOR · {:?}",
            show_run(&expected),
            expected.losses[0]
        ),
        RUNS_AWAY,
    );
    // One house, x = 1 and y = 1: the zero model's loss is 1, and one step
    // of α = 250.25 lands on ŷ = 1001, a loss of exactly 10⁶ = 10⁶ · 1. That
    // does not exceed the limit: the run is not diverged.
    let (x, y) = (matrix(&[&[1.0]]), vector(&[1.0]));
    let text = "descend(&[[1.0]], &[1.0], 250.25, 1)";
    let got = call(text, DESCEND, || exercise_07::descend(&x, &y, 250.25, 1));
    let run = expect_ok(text, got, "Ok(a run of one step)", DESCEND);
    check(
        !run.diverged && run.losses == [1.0, 1e6],
        text,
        show_run(&run),
        "losses [1.0, 1000000.0] and diverged: false: a loss equal to DIVERGENCE_FACTOR times the first does not exceed it",
        RUNS_AWAY,
    );
}
