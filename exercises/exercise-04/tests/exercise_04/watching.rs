//! Watching and stopping: divergence, the progress line, the data check.

use support::{call, check, check_eq};

use crate::*;

#[test]
fn has_diverged_on_a_table_of_losses() {
    // GROWTH_LIMIT is 10⁶: a loss may grow to a million times the first one,
    // not more. Infinity is always a divergence.
    for (loss, initial, expected) in [
        (5.0, 1.0, false),
        (0.001, 1.0, false),
        (1e6, 1.0, false),
        (1.000001e6, 1.0, true),
        (3e9, 3.0, true),
        (2e6, 3.0, false),
        (f64::INFINITY, 1.0, true),
        (0.0, 0.0, false),
    ] {
        let text = format!("has_diverged({loss:?}, {initial:?})");
        let got = call(&text, DIVERGED, || exercise_04::has_diverged(loss, initial));
        let hint = if got && loss == 1e6 * initial { GROWTH_INCLUSIVE } else { DIVERGED };
        check_eq(&text, &got, &expected, hint);
    }
}

#[test]
fn a_nan_loss_has_diverged() {
    for (loss, initial) in [(f64::NAN, 1.0), (f64::NAN, f64::NAN), (1.0, f64::NAN)] {
        let expected = loss.is_nan();
        let text = format!("has_diverged({loss:?}, {initial:?})");
        let got = call(&text, DIVERGED, || exercise_04::has_diverged(loss, initial));
        let hint = if expected && !got { NAN_COMPARES_FALSE } else { DIVERGED };
        check_eq(&text, &got, &expected, hint);
    }
}

#[test]
fn progress_lines_belong_to_epochs_0_10_20() {
    for epoch in [0, 1, 9, 10, 11, 19, 20, 99, 100] {
        let expected = epoch % 10 == 0;
        let text = format!("is_log_epoch({epoch})");
        let got = call(&text, LOG_EPOCH, || exercise_04::is_log_epoch(epoch));
        let hint = if got != expected { WRONG_LOG_EPOCHS } else { LOG_EPOCH };
        check_eq(&text, &got, &expected, hint);
    }
}

#[test]
fn progress_line_has_the_documented_format() {
    for (epoch, train, validation, expected) in [
        (10, 0.123456789, 0.5, "epoch   10  train loss 0.123457  validation loss 0.500000"),
        (
            0,
            3.8443102446105377,
            3.781692,
            "epoch    0  train loss 3.844310  validation loss 3.781692",
        ),
        (1230, 12345.6, 0.0000004, "epoch 1230  train loss 12345.600000  validation loss 0.000000"),
    ] {
        let text = format!("progress_line({epoch}, {train:?}, {validation:?})");
        let got = call(&text, PROGRESS, || exercise_04::progress_line(epoch, train, validation));
        check_eq(&text, &got, &expected.to_string(), PROGRESS);
    }
}

#[test]
fn the_lecture_split_passes_the_check() {
    let text = "check_split(&lecture_split()?)";
    let got = call(text, CHECK_SPLIT, || exercise_04::check_split(&lecture()));
    check(got.is_ok(), text, format!("{got:?}"), "Ok(())", CHECK_SPLIT);
}
