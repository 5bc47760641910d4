//! The shuffled train/validation split: sizes, rounding, seeds, and errors.

use std::collections::BTreeSet;

use exercise_01::{Dataset, SplitError};
use support::{call, check, check_eq, fail};

use crate::numbered_rows;

const SPLITTING: &str = "see 'Splitting the data' in chapter 1";

/// The hint for a split that did not compare the lengths of x and y.
const LENGTHS_FIRST: &str = "check that x and y have the same length first, and return SplitError::MismatchedLengths: \
                             data.len() counts only x, and picking rows past the end of y panics; see 'Splitting the data' in chapter 1";

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
    // 0.8·103 = 82.4 -> 82 (to the nearest row, not up).
    for (rows, fraction, expected) in
        [(100, 0.29, 29), (7, 0.8, 6), (5, 0.5, 3), (100, 0.57, 57), (10, 0.75, 8), (103, 0.8, 82)]
    {
        let what = format!("train_size({rows}, {fraction})");
        let got = call(&what, SPLITTING, || exercise_01::train_size(rows, fraction));
        let rounded_up = (fraction * rows as f64).ceil() as usize;
        let hint = if rounded_up != expected && got == Ok(rounded_up) {
            "you rounded up (ceil): round to the nearest whole number with f64::round, so 0.8·103 = 82.4 gives 82 \
             training rows, not 83; see 'Splitting the data' in chapter 1"
        } else {
            "round fraction·rows to the nearest whole number with f64::round: `as usize` alone cuts \
             28.999999999999996 (0.29·100 in f64) down to 28; see 'Splitting the data' in chapter 1"
        };
        check_eq(&what, &got, &Ok(expected), hint);
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

/// The rows (i, −i) of [`numbered_rows`] at `indices`, in that order.
fn numbered(indices: &[usize]) -> Dataset {
    Dataset {
        x: indices.iter().map(|&i| i as f64).collect(),
        y: indices.iter().map(|&i| -(i as f64)).collect(),
    }
}

#[test]
fn split_follows_the_shuffled_order() {
    let data = numbered_rows(10);
    // Half and half, so that both sets are long enough to show their order:
    // at seed 100 the shuffled order is 0 1 5 9 7 | 6 2 3 4 8.
    let what = "split(&data, 0.5, 100) with the 10 examples (i, −i)";
    let (got, order) = call(what, SPLITTING, || {
        (exercise_01::split(&data, 0.5, 100), exercise_01::shuffled_indices(10, 100))
    });
    let Ok(parts) = got else { fail(what, format!("{got:?}"), "Ok(Split { .. })", SPLITTING) };
    check_eq(
        &format!("{what}: train"),
        &parts.train,
        &numbered(&order[..5]),
        "the training set is the rows at the first train_size indices of shuffled_indices(n, seed), in that order \
         (data.rows(..) picks them); see 'Splitting the data' in chapter 1",
    );
    check_eq(
        &format!("{what}: validation"),
        &parts.validation,
        &numbered(&order[5..]),
        "the validation set is the rows at the rest of the shuffled indices, order[train..], in the order of the \
         shuffled indices, not sorted (data.rows(..) picks them); see 'Splitting the data' in chapter 1",
    );
}

#[test]
fn split_uses_the_seed_it_is_given() {
    let data = numbered_rows(10);
    for seed in [1, 7, 2024] {
        let what = format!("split(&data, 0.8, {seed}) with the 10 examples (i, −i)");
        let got = call(&what, SPLITTING, || exercise_01::split(&data, 0.8, seed));
        let Ok(parts) = got else { fail(&what, format!("{got:?}"), "Ok(Split { .. })", SPLITTING) };
        let order = reference::shuffled_indices(10, seed);
        let at_seed_100 = numbered(&reference::shuffled_indices(10, exercise_01::SEED)[..8]);
        let hint = if parts.train == at_seed_100 {
            "split must shuffle with the seed it is given: shuffled_indices(data.len(), seed), not SEED; \
             see 'Splitting the data' in chapter 1"
        } else {
            "the training set is the rows at the first train_size indices of shuffled_indices(n, seed), in that \
             order; see 'Splitting the data' in chapter 1"
        };
        check_eq(&format!("{what}: train"), &parts.train, &numbered(&order[..8]), hint);
    }
}

#[test]
fn split_rejects_inputs_and_responses_of_different_lengths() {
    let data = Dataset { x: vec![1.0, 2.0, 3.0], y: vec![1.0, 2.0] };
    let what = "split(&Dataset { x: vec![1.0, 2.0, 3.0], y: vec![1.0, 2.0] }, 0.8, 100)";
    let got = call(what, LENGTHS_FIRST, || exercise_01::split(&data, 0.8, 100));
    check_eq(what, &got, &Err(SplitError::MismatchedLengths { x: 3, y: 2 }), LENGTHS_FIRST);
}

#[test]
fn split_checks_the_lengths_before_the_fraction() {
    // Two problems at once: x and y differ in length, and 1.5 is no fraction.
    let data = Dataset { x: vec![1.0, 2.0, 3.0], y: vec![1.0, 2.0] };
    let what = "split(&Dataset { x: vec![1.0, 2.0, 3.0], y: vec![1.0, 2.0] }, 1.5, 100)";
    let got = call(what, LENGTHS_FIRST, || exercise_01::split(&data, 1.5, 100));
    check_eq(
        what,
        &got,
        &Err(SplitError::MismatchedLengths { x: 3, y: 2 }),
        "check the lengths of x and y first (step 1 of the doc comment), before train_size: a data set whose x and \
         y differ is wrong whatever the fraction; see 'Splitting the data' in chapter 1",
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
