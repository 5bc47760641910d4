//! One update by hand, and the loss it lowers.

use exercise_04::{Gradient, Params};
use support::{call, check};

use crate::*;

/// What the common wrong steps look like.
fn diagnose_step(got: Params, p: Params, g: Gradient, alpha: f64) -> &'static str {
    let uphill = Params { w: p.w + alpha * g.dw, b: p.b + alpha * g.db };
    let no_rate = Params { w: p.w - g.dw, b: p.b - g.db };
    let swapped = Params { w: p.w - alpha * g.db, b: p.b - alpha * g.dw };
    if close_params(got, uphill) {
        PLUS_SIGN
    } else if close_params(got, no_rate) {
        NO_RATE
    } else if close_params(got, swapped) {
        SLOPES_SWAPPED
    } else {
        STEP
    }
}

#[track_caller]
fn check_step(p: Params, g: Gradient, alpha: f64, expected: Params) {
    let text = format!(
        "gradient_step({}, Gradient {{ dw: {:?}, db: {:?} }}, {alpha:?})",
        params(p),
        g.dw,
        g.db
    );
    let got = call(&text, STEP, || exercise_04::gradient_step(p, g, alpha));
    check(
        close_params(got, expected),
        &text,
        params(got),
        format!("{} ({TOL})", params(expected)),
        diagnose_step(got, p, g, alpha),
    );
}

#[test]
fn one_step_from_the_flat_line_on_the_three_points() {
    // Chapter 3: at w = 0, b = 0 the gradient on (1, 3), (2, 5), (3, 7) is
    // dw = −68/3, db = −10. With α = 0.1: w = 0 + 6.8/3 = 2.2667, b = 0 + 1 = 1.
    let g = Gradient { dw: -68.0 / 3.0, db: -10.0 };
    check_step(Params { w: 0.0, b: 0.0 }, g, 0.1, Params { w: 6.8 / 3.0, b: 1.0 });
}

#[test]
fn one_step_from_the_untrained_model_on_the_three_points() {
    // The chapter's worked step: the untrained line ŷ = −0.7767·x + 0.6317
    // has errors −3.145, −5.9217, −8.6984 on the three points, so
    // dw = 2·mean(eᵢ·xᵢ) = −27.3890666…, db = 2·mean(eᵢ) = −11.8434, and
    // with α = 0.1: w = −0.7767 + 2.73890666… = 1.96220666…,
    // b = 0.6317 + 1.18434 = 1.81604.
    let g = Gradient { dw: -27.389066666666665, db: -11.8434 };
    check_step(UNTRAINED, g, 0.1, Params { w: 1.9622066666666667, b: 1.81604 });
}

#[test]
fn a_positive_slope_makes_the_parameter_smaller() {
    // A line above the data: the cost rises with w and with b, so a step
    // lowers both. 3 − 0.5·4 = 1, 2 − 0.5·1 = 1.5.
    let g = Gradient { dw: 4.0, db: 1.0 };
    check_step(Params { w: 3.0, b: 2.0 }, g, 0.5, Params { w: 1.0, b: 1.5 });
}

#[test]
fn a_zero_gradient_changes_nothing() {
    // At the bottom of the cost the slopes are 0, and the step stops.
    check_step(
        Params { w: 2.0, b: 1.0 },
        Gradient { dw: 0.0, db: 0.0 },
        0.1,
        Params { w: 2.0, b: 1.0 },
    );
}

#[track_caller]
fn check_loss(p: Params, data: &Dataset, expected: f64, what: &str) {
    let text = format!("loss({}, &{what})", params(p));
    let got = call(&text, LOSS, || exercise_04::loss(p, data));
    check(close(got, expected), &text, format!("{got:?}"), format!("{expected:?} ({TOL})"), LOSS);
}

#[test]
fn loss_of_the_flat_line_on_the_three_points_is_83_thirds() {
    // Errors −3, −5, −7: (9 + 25 + 49) / 3 = 83/3.
    check_loss(Params { w: 0.0, b: 0.0 }, &three_points(), 83.0 / 3.0, "three_points");
}

#[test]
fn loss_after_one_step_is_224_over_675() {
    // After the step w = 6.8/3, b = 1 the errors are 4/15, 8/15, 12/15:
    // (16 + 64 + 144) / 225 / 3 = 224/675 ≈ 0.3319, down from 27.67.
    check_loss(Params { w: 6.8 / 3.0, b: 1.0 }, &three_points(), 224.0 / 675.0, "three_points");
}

#[test]
fn loss_of_the_true_line_is_zero() {
    check_loss(Params { w: 2.0, b: 1.0 }, &three_points(), 0.0, "three_points");
}

#[test]
fn loss_of_runaway_parameters_is_not_finite_and_not_a_panic() {
    // Training must be able to see that it ran away: NaN parameters give a
    // NaN loss, parameters near the largest f64 an infinite one.
    let data = three_points();
    for (p, what) in
        [(Params { w: f64::NAN, b: 0.0 }, "NaN"), (Params { w: 1e300, b: 0.0 }, "infinite")]
    {
        let text = format!("loss({}, &three_points)", params(p));
        let got = call(&text, LOSS_REFUSES, || exercise_04::loss(p, &data));
        check(
            !got.is_finite(),
            &text,
            format!("{got:?}"),
            format!("a {what} loss, which tells training that it diverged"),
            LOSS_REFUSES,
        );
    }
}
