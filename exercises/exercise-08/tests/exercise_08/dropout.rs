//! Dropout: the mask, and each claim of the slides ("a fraction of neurons
//! off in each training step, chosen at random, different each step, during
//! training only") as a test.

use exercise_08::NetworkError;
use rand::RngExt;
use support::{call, check, check_error};

use crate::*;

#[test]
fn check_dropout_accepts_probabilities_from_zero_to_below_one() {
    for p in [0.0, 0.2, 0.5, 0.999] {
        let text = format!("check_dropout({p:?})");
        let got = call(&text, CHECK_DROPOUT, || exercise_08::check_dropout(p));
        check(got.is_ok(), &text, format!("{got:?}"), "Ok(())", CHECK_DROPOUT);
    }
}

#[test]
fn check_dropout_refuses_one_negative_and_not_finite_probabilities() {
    for p in [1.0, 1.5, -0.1, f64::NAN, f64::INFINITY] {
        let text = format!("check_dropout({p:?})");
        let got = call(&text, CHECK_DROPOUT, || exercise_08::check_dropout(p));
        check_error(
            &text,
            got,
            NetworkError::Dropout { value: p },
            &["dropout", "below 1"],
            CHECK_DROPOUT,
            CHECK_DROPOUT,
            CHECKS,
        );
    }
}

/// The mask the tests expect, and what each mistake would give.
pub fn expected_mask(
    p: f64,
    rows: usize,
    hidden: usize,
    seed: u64,
    mistake: &str,
) -> Vec<Vec<f64>> {
    let mut r = rng(seed);
    let kept = match mistake {
        "not scaled" => 1.0,
        "scaled by keep" => 1.0 - p,
        _ => 1.0 / (1.0 - p),
    };
    let draw = |r: &mut ChaCha8Rng| {
        let u = r.random::<f64>();
        let off = if mistake == "keep with p" { u >= p } else { u < p };
        if off { 0.0 } else { kept }
    };
    if mistake == "one per batch" {
        let one: Vec<f64> = (0..hidden).map(|_| draw(&mut r)).collect();
        return vec![one; rows];
    }
    (0..rows).map(|_| (0..hidden).map(|_| draw(&mut r)).collect()).collect()
}

/// The learner's mask.
#[track_caller]
pub fn learner_mask(p: f64, rows: usize, hidden: usize, seed: u64) -> (String, Vec<Vec<f64>>) {
    let text = format!("dropout_mask({p:?}, {rows}, {hidden}, &mut seeded_rng({seed}))");
    let got =
        call(&text, DROPOUT_MASK, || exercise_08::dropout_mask(p, rows, hidden, &mut rng(seed)));
    (text, got)
}

fn same_mask(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_numbers(x, y))
}

#[test]
fn dropout_mask_draws_one_number_per_example_and_unit() {
    for (p, rows, hidden, seed) in [(0.5, 3, 4, 5), (0.2, 6, 3, 9), (0.7, 2, 5, 1)] {
        let (text, got) = learner_mask(p, rows, hidden, seed);
        let expected = expected_mask(p, rows, hidden, seed, "");
        let hint = [
            ("not scaled", NOT_SCALED),
            ("scaled by keep", SCALED_BY_KEEP),
            ("keep with p", KEEP_WITH_P),
            ("one per batch", ONE_MASK_PER_BATCH),
        ]
        .iter()
        .find(|(m, _)| same_mask(&got, &expected_mask(p, rows, hidden, seed, m)))
        .map_or(DROPOUT_MASK, |(_, hint)| hint);
        check(same_mask(&got, &expected), &text, format!("{got:?}"), format!("{expected:?}"), hint);
    }
}

#[test]
fn a_fraction_p_of_the_units_is_off() {
    for p in [0.1, 0.5, 0.8] {
        let (text, mask) = learner_mask(p, 400, 10, 42);
        let off = mask.iter().flatten().filter(|m| **m == 0.0).count() as f64 / 4000.0;
        let hint = if (off - (1.0 - p)).abs() < 0.05 { KEEP_WITH_P } else { DROPOUT_MASK };
        // 4000 draws: the fraction's standard deviation is at most 0.008.
        check(
            (off - p).abs() < 0.04,
            &text,
            format!("a mask with {off:.3} of its entries 0"),
            format!("about {p} of them 0 (± 0.04)"),
            hint,
        );
        let kept = 1.0 / (1.0 - p);
        let scaled = mask.iter().flatten().all(|m| *m == 0.0 || close(*m, kept));
        let hint = if mask.iter().flatten().all(|m| *m == 0.0 || *m == 1.0) {
            NOT_SCALED
        } else {
            SCALED_BY_KEEP
        };
        check(
            scaled,
            &text,
            format!("entries {}", short(&mask[0])),
            format!("every entry 0 or 1/(1 − p) = {kept:?}"),
            hint,
        );
    }
}

#[test]
fn the_units_are_chosen_at_random_for_each_example() {
    let (text, mask) = learner_mask(0.5, 20, 6, 11);
    let distinct = mask.iter().filter(|row| *row != &mask[0]).count();
    check(
        distinct > 0,
        &text,
        "the same mask row for all 20 examples",
        "rows that differ from one example to the next",
        ONE_MASK_PER_BATCH,
    );
}

#[test]
fn the_mask_is_different_each_step() {
    let text = "dropout_mask(0.5, 8, 5, &mut rng) twice with the same rng = seeded_rng(4)";
    let (first, second) = call(text, DROPOUT_MASK, || {
        let mut r = rng(4);
        let first = exercise_08::dropout_mask(0.5, 8, 5, &mut r);
        (first, exercise_08::dropout_mask(0.5, 8, 5, &mut r))
    });
    check(
        !same_mask(&first, &second),
        text,
        "the same mask twice",
        "two different masks: each call draws new numbers from rng",
        SAME_MASK,
    );
}

#[test]
fn no_unit_is_off_when_p_is_zero() {
    let (text, mask) = learner_mask(0.0, 5, 4, 2);
    let ok =
        mask.len() == 5 && mask.iter().all(|row| row.len() == 4 && row.iter().all(|m| *m == 1.0));
    check(ok, &text, format!("{mask:?}"), "5 rows of 4 ones", DROPOUT_MASK);
}

/// The tests' own mask, drawn from `r`.
pub fn sim_mask(p: f64, rows: usize, hidden: usize, r: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    (0..rows)
        .map(|_| {
            (0..hidden).map(|_| if r.random::<f64>() < p { 0.0 } else { 1.0 / (1.0 - p) }).collect()
        })
        .collect()
}

#[test]
fn a_unit_is_off_only_when_its_draw_is_below_p() {
    // p equal to the generator's first number: that draw is not below p, so
    // the first unit of the first example is kept.
    let p = rng(6).random::<f64>();
    let (text, mask) = learner_mask(p, 1, 1, 6);
    let kept = 1.0 / (1.0 - p);
    let got = mask.first().and_then(|row| row.first()).copied();
    check(
        got.is_some_and(|m| close(m, kept)),
        &text,
        format!("{got:?}"),
        format!("Some({kept:?}): u = p is not below p, so the unit is kept"),
        DROPOUT_MASK,
    );
}
