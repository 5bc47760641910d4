//! Lines: fit_line and fit_through_origin, and the same answer as gradient
//! descent would find.

use exercise_06::{FitError, Line};
use support::{call, check, check_close};

use crate::*;

/// What a wrong best line through the houses looks like.
fn diagnose_line(got: Line) -> &'static str {
    if close(got.w, BEST_B) && close(got.b, BEST_W) {
        SWAPPED
    } else if got.b == 0.0 && close(got.w, ORIGIN_W) {
        FORGOT_ONES
    } else {
        FIT_LINE
    }
}

#[test]
fn fit_line_finds_the_best_line_through_the_houses() {
    let text = format!("fit_line(&{HOUSE_SIZES:?}, &{HOUSE_PRICES:?})");
    let got = call(&text, FIT_LINE, || exercise_06::fit_line(&HOUSE_SIZES, &HOUSE_PRICES));
    let expected = Line { w: BEST_W, b: BEST_B };
    let line = expect_ok(&text, got, format!("{expected:?}"), FIT_LINE);
    check(
        close(line.w, BEST_W) && close(line.b, BEST_B),
        &text,
        format!("Ok({line:?})"),
        format!("Ok({expected:?}): w = 143/6900 and b = −347/69, worked out in chapter 6"),
        diagnose_line(line),
    );
}

#[test]
fn fit_through_origin_of_the_house_table() {
    let text = format!("fit_through_origin(&{HOUSE_SIZES:?}, &{HOUSE_PRICES:?})");
    let got = call(&text, THROUGH_ORIGIN, || {
        exercise_06::fit_through_origin(&HOUSE_SIZES, &HOUSE_PRICES)
    });
    let w = expect_ok(&text, got, ORIGIN_W, THROUGH_ORIGIN);
    let hint = if close(w, BEST_W) || close(w, BEST_B) {
        "that is a coefficient of the line with a bias: through the origin, the design matrix is x alone, without the column of ones (see 'The design matrix' in chapter 6)"
    } else {
        THROUGH_ORIGIN
    };
    check_close(&text, w, ORIGIN_W, TOL, hint);
}

#[test]
fn fit_through_origin_matches_nist_noint1_and_noint2() {
    for name in ["NoInt1", "NoInt2"] {
        let data = nist(name);
        let x: Vec<f64> = data.x.column(0).iter().copied().collect();
        let y: Vec<f64> = data.y.iter().copied().collect();
        let text = format!("fit_through_origin(&x, &y) on NIST's {name}");
        let got = call(&text, THROUGH_ORIGIN, || exercise_06::fit_through_origin(&x, &y));
        let certified = data.certified[0];
        let w = expect_ok(&text, got, certified, THROUGH_ORIGIN);
        let digits = reference::log_relative_error(w, certified);
        check(
            digits >= 12.0,
            &text,
            format!("{w:?} ({digits:.1} correct digits)"),
            format!("{certified:?}, NIST's certified value, to at least 12 digits"),
            THROUGH_ORIGIN,
        );
    }
}

#[test]
fn fit_line_fits_inputs_far_from_zero() {
    // Ten points of y = 2x + 1 at x = 10⁷, …, 10⁷ + 9: the column x is
    // nearly parallel to the column of ones (κ ≈ 3·10⁶ after scaling), too
    // ill-conditioned for the normal equations, which least_squares refuses;
    // QR with refinement, the default, fits the line.
    let x: Vec<f64> = (0..10).map(|i| 1e7 + f64::from(i)).collect();
    let y: Vec<f64> = x.iter().map(|x| 2.0 * x + 1.0).collect();
    let design = DMatrix::from_fn(10, 2, |i, j| if j == 0 { 1.0 } else { x[i] });
    let normal = reference::least_squares(&design, &vector(&y), reference::Solver::Normal);
    assert!(normal.is_err(), "the normal equations must be refused here: {normal:?}");
    let text = format!("fit_line(&{x:?}, &{y:?})");
    let got = call(&text, FIT_LINE, || exercise_06::fit_line(&x, &y));
    let hint = match &got {
        Err(FitError::IllConditioned { solver: exercise_06::Solver::Normal, .. }) => DEFAULT_SOLVER,
        _ => FIT_LINE,
    };
    let line = expect_ok(&text, got, "Line { w: 2.0, b: 1.0 }", hint);
    check(
        Tolerance::Absolute(1e-6).accepts(line.w, 2.0)
            && Tolerance::Absolute(1e-3).accepts(line.b, 1.0),
        &text,
        format!("Ok({line:?})"),
        "Ok(Line { w: 2.0, b: 1.0 }) (w within 1e-6, b within 1e-3)",
        FIT_LINE,
    );
}

#[test]
fn fit_line_through_points_above_each_other_is_an_error() {
    // Every x is 2: the column x is 2 times the column of ones, and every
    // line through (2, ȳ) fits equally well.
    let x = [2.0, 2.0, 2.0, 2.0];
    let y = [1.0, 3.0, 2.0, 5.0];
    let text = format!("fit_line(&{x:?}, &{y:?})");
    let got = call(&text, FIT_LINE, || exercise_06::fit_line(&x, &y));
    check_error(
        &text,
        got,
        &FitError::DependentColumns { column: 1, combination: vec![(0, 2.0)] },
        &["column 1 = 2 × column 0"],
        NO_SINGULARITY_CHECK,
        "fit_line passes least_squares's error on unchanged, with ? (see 'The same answer as gradient descent' in chapter 6)",
    );
}

#[test]
fn fit_line_reports_mismatched_lengths() {
    let x = [1.0, 2.0, 3.0];
    let y = [1.0, 2.0];
    let text = format!("fit_line(&{x:?}, &{y:?})");
    let got = call(&text, FIT_LINE, || exercise_06::fit_line(&x, &y));
    check_error(
        &text,
        got,
        &FitError::LengthMismatch { rows: 3, targets: 2 },
        &["3 rows", "2 values"],
        "three sizes and two prices don't pair up: least_squares reports it, and fit_line passes the error on with ? (see 'The same answer as gradient descent' in chapter 6)",
        FIT_LINE,
    );
}

#[test]
fn the_best_line_is_where_the_gradient_of_the_mse_is_zero() {
    // Chapter 3's gradient of the MSE, with exercise 2's reference model and
    // loss: at the bottom of the bowl, both partial derivatives vanish, and
    // every nearby line costs more.
    let text = format!("fit_line(&{HOUSE_SIZES:?}, &{HOUSE_PRICES:?})");
    let got = call(&text, FIT_LINE, || exercise_06::fit_line(&HOUSE_SIZES, &HOUSE_PRICES));
    let line = expect_ok(&text, got, "the best line", FIT_LINE);
    let mse = |w: f64, b: f64| {
        solution_02::mean_squared_error(
            &solution_02::predict_all(w, b, &HOUSE_SIZES),
            &HOUSE_PRICES,
        )
        .expect("seven pairs")
    };
    let y_hat = solution_02::predict_all(line.w, line.b, &HOUSE_SIZES);
    let n = HOUSE_SIZES.len() as f64;
    let errors: Vec<f64> = y_hat.iter().zip(&HOUSE_PRICES).map(|(p, t)| p - t).collect();
    let d_w = 2.0 / n * errors.iter().zip(&HOUSE_SIZES).map(|(e, x)| e * x).sum::<f64>();
    let d_b = 2.0 / n * errors.iter().sum::<f64>();
    // "Zero up to rounding": the positive and negative terms of each sum
    // cancel to within 10⁻⁹ of their total size.
    let size_w = 2.0 / n * errors.iter().zip(&HOUSE_SIZES).map(|(e, x)| (e * x).abs()).sum::<f64>();
    let size_b = 2.0 / n * errors.iter().map(|e| e.abs()).sum::<f64>();
    check(
        d_w.abs() <= 1e-9 * size_w && d_b.abs() <= 1e-9 * size_b,
        &format!("the gradient of the MSE at your fit_line's {line:?}"),
        format!("∂J/∂w = {d_w:e}, ∂J/∂b = {d_b:e}"),
        "0 for both, up to rounding: the best line is the bottom of the bowl",
        diagnose_line(line),
    );
    let best = mse(line.w, line.b);
    check_close(
        &format!("the MSE of your fit_line's {line:?} on the house table"),
        best,
        380.0 / 483.0,
        Tolerance::Relative(1e-8),
        diagnose_line(line),
    );
    for (dw, db) in [(1e-5, 0.0), (-1e-5, 0.0), (0.0, 0.01), (0.0, -0.01)] {
        let nearby = mse(line.w + dw, line.b + db);
        check(
            nearby > best,
            &format!("the MSE of the line w = {}, b = {}", line.w + dw, line.b + db),
            nearby,
            format!("more than {best}, the MSE of your best line"),
            diagnose_line(line),
        );
    }
}

/// How many epochs of batch gradient descent the comparison below runs: at
/// the lecture's learning rate the line then agrees with the least-squares
/// line to about 14 digits (after 2000 epochs, only to about 5).
const DESCENT_EPOCHS: usize = 5000;

#[test]
fn gradient_descent_ends_where_fit_line_jumps() {
    // The house table with the sizes in thousands of square feet: the same
    // line (w a thousand times larger), and a bowl round enough for gradient
    // descent to reach its bottom in thousands of epochs rather than
    // millions (see "Steps that are too large" in the discussion, part 3).
    let sizes: Vec<f64> = HOUSE_SIZES.iter().map(|x| x / 1000.0).collect();
    let houses = solution_04::Dataset { x: sizes.clone(), y: HOUSE_PRICES.to_vec() };
    // No houses are held back: the validation loss just repeats the training
    // loss, and the stopping rule is off, so every epoch runs.
    let split = solution_04::Split { train: houses.clone(), validation: houses };
    let settings = solution_04::Settings {
        epochs: DESCENT_EPOCHS,
        descent: solution_04::Descent::Batch,
        stop_below: 0.0,
        ..solution_04::Settings::lecture()
    };
    let run = solution_04::train(
        solution_04::Params::UNTRAINED,
        &split,
        solution_04::LEARNING_RATE,
        &settings,
        &mut std::io::sink(),
    )
    .expect("exercise 4's reference trains on the house table");
    let descent = run.params;
    // The course's own check that the reference run really reached the
    // bottom (this never depends on your code).
    assert!(
        run.outcome == solution_04::Outcome::MaxEpochs
            && close(descent.w, 1000.0 * BEST_W)
            && close(descent.b, BEST_B),
        "course bug: gradient descent on the house table ended at {descent:?} ({:?})",
        run.outcome
    );

    let text = format!("fit_line(&{sizes:?}, &{HOUSE_PRICES:?}) (the sizes in thousands of sq ft)");
    let got = call(&text, FIT_LINE, || exercise_06::fit_line(&sizes, &HOUSE_PRICES));
    let line = expect_ok(&text, got, "the line gradient descent ends at", FIT_LINE);
    let hint = if close(line.w, descent.b) && close(line.b, descent.w) {
        SWAPPED
    } else if line.b == 0.0 && close(line.w, 1000.0 * ORIGIN_W) {
        FORGOT_ONES
    } else {
        FIT_LINE
    };
    check(
        close(line.w, descent.w) && close(line.b, descent.b),
        &text,
        format!("Ok({line:?})"),
        format!(
            "Ok(Line {{ w: {:?}, b: {:?} }}) ({TOL}): where {DESCENT_EPOCHS} epochs of batch gradient descent at the lecture's learning rate {} end, from the untrained model (exercise 4's reference train)",
            descent.w,
            descent.b,
            solution_04::LEARNING_RATE
        ),
        hint,
    );
}
