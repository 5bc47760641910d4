//! The shuffled train/validation split: sizes, rounding, seeds, and errors.

use std::collections::BTreeSet;

use exercise_01::{Dataset, SplitError};
use support::{call, check, check_eq, fail};

use crate::numbered_rows;

const SPLITTING: &str = "see 'Splitting the data' in chapter 1";

#[test]
fn train_size_of_100_rows_at_0_8_is_80() {
    let got = call("train_size(100, 0.8)", SPLITTING, || exercise_01::train_size(100, 0.8));
    check_eq(
        "train_size(100, 0.8)",
        &got,
        &Ok(80),
        "an 80/20 split of 100 rows keeps 80 for training; see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn train_size_rounds_to_the_nearest_row() {
    // By hand: 0.29·100 = 28.999999999999996 in f64 -> 29; 0.8·7 = 5.6 -> 6;
    // 0.5·5 = 2.5 -> 3 (halves away from zero); 0.57·100 = 56.99999999999999 -> 57.
    for (rows, fraction, expected) in
        [(100, 0.29, 29), (7, 0.8, 6), (5, 0.5, 3), (100, 0.57, 57), (10, 0.75, 8)]
    {
        let what = format!("train_size({rows}, {fraction})");
        let got = call(&what, SPLITTING, || exercise_01::train_size(rows, fraction));
        check_eq(
            &what,
            &got,
            &Ok(expected),
            "round fraction·rows to the nearest whole number with f64::round: `as usize` alone cuts \
             28.999999999999996 (0.29·100 in f64) down to 28; see 'Splitting the data' in chapter 1",
        );
    }
}

#[test]
fn train_size_rejects_a_fraction_outside_0_and_1() {
    for fraction in [0.0, 1.0, -0.2, 1.5, f64::NAN, f64::INFINITY] {
        let what = format!("train_size(100, {fraction})");
        let got = call(&what, SPLITTING, || exercise_01::train_size(100, fraction));
        match got {
            Err(ref e @ SplitError::FractionOutOfRange { fraction: f })
                if f.to_bits() == fraction.to_bits() =>
            {
                let message = e.to_string();
                check(
                    message.contains(&fraction.to_string()) && message.contains("between 0 and 1"),
                    &format!("{what}, the error's message"),
                    &message,
                    format!(
                        "a message that names the fraction {fraction} and says it must lie between 0 and 1"
                    ),
                    "keep the #[error(...)] message of SplitError::FractionOutOfRange; see 'Splitting the data' in chapter 1",
                );
            }
            other => fail(
                &what,
                format!("{other:?}"),
                format!("Err(FractionOutOfRange {{ fraction: {fraction} }})"),
                "a training fraction must lie strictly between 0 and 1 (NaN is not): check it first and return \
                 SplitError::FractionOutOfRange; see 'Splitting the data' in chapter 1",
            ),
        }
    }
}

#[test]
fn train_size_rejects_a_split_with_an_empty_part() {
    for (rows, fraction, train) in [(3, 0.1, 0), (3, 0.9, 3), (1, 0.5, 1), (0, 0.8, 0)] {
        let what = format!("train_size({rows}, {fraction})");
        let got = call(&what, SPLITTING, || exercise_01::train_size(rows, fraction));
        let expected = SplitError::EmptyPart { rows, fraction, train, validation: rows - train };
        check_eq(
            &what,
            &got,
            &Err(expected),
            "both sets need at least one row: when round(fraction·rows) is 0 or all the rows, return \
             SplitError::EmptyPart; see 'Splitting the data' in chapter 1",
        );
    }
}

#[test]
fn shuffled_indices_are_0_to_n_in_a_new_order() {
    let what = "shuffled_indices(100, 100)";
    let order = call(what, SPLITTING, || exercise_01::shuffled_indices(100, 100));
    let mut sorted = order.clone();
    sorted.sort_unstable();
    check_eq(
        &format!("{what}, sorted"),
        &sorted,
        &(0..100).collect::<Vec<usize>>(),
        "every index from 0 to n − 1 exactly once: start from (0..n).collect() and shuffle it; \
         see 'Splitting the data' in chapter 1",
    );
    check(
        order != sorted,
        what,
        "0, 1, 2, … in their original order",
        "a shuffled order",
        "shuffle the indices with order.shuffle(&mut seeded_rng(seed)); see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn shuffled_indices_depend_only_on_the_seed() {
    let what = "shuffled_indices(100, 100), called twice";
    let (a, b) = call(what, SPLITTING, || {
        (exercise_01::shuffled_indices(100, 100), exercise_01::shuffled_indices(100, 100))
    });
    check(
        a == b,
        what,
        "two different orders",
        "the same order both times",
        "the shuffle must use the seed it is given: shuffle with seeded_rng(seed), never a generator seeded \
         from the clock or the operating system; see 'Splitting the data' in chapter 1",
    );
    let what = "shuffled_indices(100, 100) and shuffled_indices(100, 101)";
    let (a, c) = call(what, SPLITTING, || {
        (exercise_01::shuffled_indices(100, 100), exercise_01::shuffled_indices(100, 101))
    });
    check(
        a != c,
        what,
        "the same order for both seeds",
        "two different orders",
        "the shuffle must use the seed it is given: seeded_rng(seed), not a fixed seed such as SEED; \
         see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn split_of_100_examples_is_80_for_training_and_20_for_validation() {
    let data = numbered_rows(100);
    let what = "split(&data, 0.8, 100) with 100 examples";
    let got = call(what, SPLITTING, || exercise_01::split(&data, 0.8, 100));
    let Ok(parts) = got else { fail(what, format!("{got:?}"), "Ok(Split { .. })", SPLITTING) };
    check_eq(
        &format!("{what}: train.len()"),
        &parts.train.len(),
        &80,
        "train_size(100, 0.8) rows for training; see 'Splitting the data' in chapter 1",
    );
    check_eq(
        &format!("{what}: validation.len()"),
        &parts.validation.len(),
        &20,
        "the rest, 20 rows, for validation; see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn split_sets_do_not_overlap() {
    for n in [100, 7, 10] {
        let data = numbered_rows(n);
        let what = format!("split(&data, 0.8, 100) with the {n} examples (i, −i)");
        let got = call(&what, SPLITTING, || exercise_01::split(&data, 0.8, 100));
        let Ok(parts) = got else { fail(&what, format!("{got:?}"), "Ok(Split { .. })", SPLITTING) };
        let train: BTreeSet<u64> = parts.train.x.iter().map(|x| x.to_bits()).collect();
        let shared: Vec<f64> =
            parts.validation.x.iter().filter(|x| train.contains(&x.to_bits())).copied().collect();
        check(
            shared.is_empty(),
            &what,
            format!("examples with x = {shared:?} in both sets"),
            "no example in both sets",
            "an example must be in the training set or the validation set, never in both: cut the shuffled \
             indices once, at train_size; see 'Splitting the data' in chapter 1",
        );
    }
}

#[test]
fn split_keeps_every_example() {
    for n in [100, 7, 10, 3] {
        let data = numbered_rows(n);
        let what = format!("split(&data, 0.8, 100) with the {n} examples (i, −i)");
        let got = call(&what, SPLITTING, || exercise_01::split(&data, 0.8, 100));
        let Ok(parts) = got else { fail(&what, format!("{got:?}"), "Ok(Split { .. })", SPLITTING) };
        let mut rows: Vec<(f64, f64)> =
            parts.train.x.iter().copied().zip(parts.train.y.iter().copied()).collect();
        rows.extend(parts.validation.x.iter().copied().zip(parts.validation.y.iter().copied()));
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let all: Vec<(f64, f64)> = data.x.iter().copied().zip(data.y.iter().copied()).collect();
        check(
            rows == all,
            &what,
            format!(
                "{} training + {} validation rows, which together are not the {n} examples, each once",
                parts.train.len(),
                parts.validation.len()
            ),
            format!("all {n} examples, each in exactly one set, with its own y"),
            "every example must land in one of the two sets, so the sizes add up to n: the validation set is \
             everything after the first train_size rows; see 'Splitting the data' in chapter 1",
        );
    }
}

#[test]
fn split_follows_the_shuffled_order() {
    let data = numbered_rows(10);
    let what = "split(&data, 0.8, 100) with the 10 examples (i, −i)";
    let (got, order) = call(what, SPLITTING, || {
        (exercise_01::split(&data, 0.8, 100), exercise_01::shuffled_indices(10, 100))
    });
    let Ok(parts) = got else { fail(what, format!("{got:?}"), "Ok(Split { .. })", SPLITTING) };
    let expected = Dataset {
        x: order[..8].iter().map(|&i| i as f64).collect(),
        y: order[..8].iter().map(|&i| -(i as f64)).collect(),
    };
    check_eq(
        &format!("{what}: train"),
        &parts.train,
        &expected,
        "the training set is the rows at the first train_size indices of shuffled_indices(n, seed), in that order \
         (data.rows(..) picks them); see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn split_rejects_inputs_and_responses_of_different_lengths() {
    let data = Dataset { x: vec![1.0, 2.0, 3.0], y: vec![1.0, 2.0] };
    let what = "split(&Dataset { x: vec![1.0, 2.0, 3.0], y: vec![1.0, 2.0] }, 0.8, 100)";
    let got = call(what, SPLITTING, || exercise_01::split(&data, 0.8, 100));
    check_eq(
        what,
        &got,
        &Err(SplitError::MismatchedLengths { x: 3, y: 2 }),
        "check that x and y have the same length first, and return SplitError::MismatchedLengths; \
         see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn split_rejects_a_fraction_outside_0_and_1() {
    let data = numbered_rows(10);
    let what = "split(&data, 1.2, 100)";
    let got = call(what, SPLITTING, || exercise_01::split(&data, 1.2, 100));
    check_eq(
        what,
        &got,
        &Err(SplitError::FractionOutOfRange { fraction: 1.2 }),
        "pass train_size's error on with `?`; see 'Splitting the data' in chapter 1",
    );
}
