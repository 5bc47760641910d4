//! Properties: what must hold for any seed, size and fraction, and agreement
//! with the course's reference solution on random inputs.
//!
//! Each property first runs one fixed case (so an unwritten function is
//! reported plainly), then 64 random cases. A failure shows the smallest
//! failing input proptest could find.

use std::collections::BTreeSet;
use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use support::call;

use crate::{compare_values, numbered_rows, report, scratch};

const ORDER: &str = "generate makes one generator, seeded_rng(seed), and must draw all n inputs x first, then all n \
                     noise values, from that one generator; see 'Drawing in a fixed order' in chapter 1";
const SPLITTING: &str = "see 'Splitting the data' in chapter 1";
const LOADING: &str = "see 'Loading your own data' in chapter 1";

/// Runs `test` on 64 inputs drawn from `strategy`, the same inputs every run,
/// with the course's property runner (one message for a failing property,
/// the smallest failing input in it; see `support::properties::for_all`).
#[track_caller]
fn for_all<S>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    support::properties::for_all(100, strategy, |value| {
        test(value).map_err(|error| match error {
            TestCaseError::Fail(reason) => reason.message().to_string(),
            TestCaseError::Reject(reason) => format!("a case was rejected: {}", reason.message()),
        })
    })
}

/// Fails the case with the course's message unless `ok`.
fn ensure(ok: bool, message: impl FnOnce() -> String) -> Result<(), TestCaseError> {
    if ok { Ok(()) } else { Err(TestCaseError::fail(message())) }
}

/// A recipe, as plain numbers, so that it can be built in both crates.
#[derive(Clone, Copy, Debug)]
struct Params {
    uniform: bool,
    scale: f64,
    w: f64,
    b: f64,
    noise: f64,
}

impl Params {
    fn learner(self) -> exercise_01::Recipe {
        use exercise_01::{Inputs, Recipe};
        let inputs =
            if self.uniform { Inputs::Uniform } else { Inputs::Normal { scale: self.scale } };
        Recipe { inputs, w: self.w, b: self.b, noise: self.noise }
    }
    fn reference(self) -> reference::Recipe {
        use reference::{Inputs, Recipe};
        let inputs =
            if self.uniform { Inputs::Uniform } else { Inputs::Normal { scale: self.scale } };
        Recipe { inputs, w: self.w, b: self.b, noise: self.noise }
    }
}

fn any_recipe() -> impl Strategy<Value = Params> {
    let agenda = Params { uniform: false, scale: 10.0, w: 1.0, b: 0.0, noise: 3.0 };
    let lecture = Params { uniform: true, scale: 1.0, w: 2.0, b: 1.0, noise: 0.1 };
    let other = (any::<bool>(), 0.1..20.0f64, -5.0..5.0f64, -5.0..5.0f64, 0.0..5.0f64)
        .prop_map(|(uniform, scale, w, b, noise)| Params { uniform, scale, w, b, noise });
    prop_oneof![Just(agenda), Just(lecture), other]
}

#[test]
fn generate_agrees_with_the_reference_for_any_recipe_seed_and_size() {
    let recipe = Params { uniform: true, scale: 1.0, w: 2.0, b: 1.0, noise: 0.1 };
    call("generate(&recipe, 5, 1)", ORDER, || exercise_01::generate(&recipe.learner(), 5, 1));
    for_all((any_recipe(), 0usize..150, any::<u64>()), |(recipe, n, seed)| {
        let what = format!("generate(&{:?}, {n}, {seed})", recipe.learner());
        let got = exercise_01::generate(&recipe.learner(), n, seed);
        let expected = reference::generate(&recipe.reference(), n, seed);
        compare_values(&what, "x", &got.x, &expected.x, ORDER).map_err(TestCaseError::fail)?;
        compare_values(&what, "y", &got.y, &expected.y, ORDER).map_err(TestCaseError::fail)?;
        Ok(())
    });
}

#[test]
fn shuffled_indices_are_a_permutation_for_any_n_and_seed() {
    call("shuffled_indices(5, 1)", SPLITTING, || exercise_01::shuffled_indices(5, 1));
    for_all((0usize..300, any::<u64>()), |(n, seed)| {
        let mut got = exercise_01::shuffled_indices(n, seed);
        got.sort_unstable();
        ensure(got == (0..n).collect::<Vec<_>>(), || {
            report(
                &format!("shuffled_indices({n}, {seed}), sorted"),
                format!("{got:?}"),
                format!("0, 1, …, {}, each once", n.saturating_sub(1)),
                "shuffle the list (0..n).collect(), so that every index appears exactly once; \
                 see 'Splitting the data' in chapter 1",
            )
        })
    });
}

#[test]
fn shuffled_indices_agree_with_the_reference() {
    call("shuffled_indices(5, 1)", SPLITTING, || exercise_01::shuffled_indices(5, 1));
    for_all((0usize..300, any::<u64>()), |(n, seed)| {
        let got = exercise_01::shuffled_indices(n, seed);
        let expected = reference::shuffled_indices(n, seed);
        ensure(got == expected, || {
            report(
                &format!("shuffled_indices({n}, {seed})"),
                format!("{got:?}"),
                format!("{expected:?}"),
                "the shuffle must use the seed it is given: order.shuffle(&mut seeded_rng(seed)) on (0..n).collect(); \
                 see 'Splitting the data' in chapter 1",
            )
        })
    });
}

#[test]
fn split_is_disjoint_and_complete_for_any_size_and_fraction() {
    let data = numbered_rows(10);
    let _ = call("split(&data, 0.8, 1)", SPLITTING, || exercise_01::split(&data, 0.8, 1));
    for_all((2usize..200, 0.01..0.99f64, any::<u64>()), |(n, fraction, seed)| {
        let data = numbered_rows(n);
        let what = format!("split(&data, {fraction}, {seed}) with the {n} examples (i, −i)");
        let expected_train = reference::train_size(n, fraction);
        let got = exercise_01::split(&data, fraction, seed);
        let parts = match (got, expected_train) {
            (Ok(parts), Ok(_)) => parts,
            (Err(e), Err(_)) => {
                return ensure(matches!(e, exercise_01::SplitError::EmptyPart { .. }), || {
                    report(&what, format!("Err({e:?})"), "Err(EmptyPart { .. })", SPLITTING)
                });
            }
            (got, expected) => {
                return Err(TestCaseError::fail(report(
                    &what,
                    format!("{got:?}"),
                    format!(
                        "a split with train_size({n}, {fraction}) = {expected:?} training rows"
                    ),
                    SPLITTING,
                )));
            }
        };
        let train: BTreeSet<u64> = parts.train.x.iter().map(|x| x.to_bits()).collect();
        let validation: BTreeSet<u64> = parts.validation.x.iter().map(|x| x.to_bits()).collect();
        ensure(train.is_disjoint(&validation), || {
            report(
                &what,
                "an example in both sets",
                "no example in both sets",
                "an example must be in the training set or the validation set, never in both; \
                 see 'Splitting the data' in chapter 1",
            )
        })?;
        let sizes = (parts.train.len(), parts.validation.len());
        let all_there = train.len() + validation.len() == n && sizes.0 + sizes.1 == n;
        ensure(all_there, || {
            report(
                &what,
                format!("{} training + {} validation rows", sizes.0, sizes.1),
                format!("all {n} examples, each in exactly one set"),
                "every example must land in one of the two sets, so the sizes add up to n; \
                 see 'Splitting the data' in chapter 1",
            )
        })?;
        let rows_intact = parts
            .train
            .x
            .iter()
            .zip(&parts.train.y)
            .chain(parts.validation.x.iter().zip(&parts.validation.y))
            .all(|(x, y)| *y == -*x);
        ensure(rows_intact, || {
            report(
                &what,
                "an example whose y is not its own (rows were taken apart)",
                "every example with its own y",
                "move x[i] and y[i] together: pick whole rows with data.rows(indices); see 'Splitting the data' in chapter 1",
            )
        })
    });
}

#[test]
fn split_agrees_with_the_reference() {
    let data = numbered_rows(10);
    let _ = call("split(&data, 0.8, 1)", SPLITTING, || exercise_01::split(&data, 0.8, 1));
    for_all((2usize..200, 0.05..0.95f64, any::<u64>()), |(n, fraction, seed)| {
        let mine = numbered_rows(n);
        let theirs = reference::Dataset { x: mine.x.clone(), y: mine.y.clone() };
        let what = format!("split(&data, {fraction}, {seed}) with the {n} examples (i, −i)");
        let got = exercise_01::split(&mine, fraction, seed).map(|s| (s.train.x, s.validation.x));
        let expected =
            reference::split(&theirs, fraction, seed).map(|s| (s.train.x, s.validation.x));
        let same = match (&got, &expected) {
            (Ok(g), Ok(e)) => g == e,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        ensure(same, || {
            report(
                &what,
                format!("(train.x, validation.x) = {got:?}"),
                format!("{expected:?}"),
                "train = the first train_size(n, fraction) indices of shuffled_indices(n, seed), validation = the rest, \
                 both in that order; see 'Splitting the data' in chapter 1",
            )
        })
    });
}

#[test]
fn train_size_agrees_with_the_reference() {
    let _ = call("train_size(10, 0.8)", SPLITTING, || exercise_01::train_size(10, 0.8));
    for_all((0usize..10_000, -0.5..1.5f64), |(rows, fraction)| {
        let got = exercise_01::train_size(rows, fraction);
        let expected = reference::train_size(rows, fraction);
        let same = match (&got, &expected) {
            (Ok(g), Ok(e)) => g == e,
            (Err(g), Err(e)) => g.to_string() == e.to_string(),
            _ => false,
        };
        ensure(same, || {
            report(
                &format!("train_size({rows}, {fraction})"),
                format!("{got:?}"),
                format!("{expected:?}"),
                "check 0 < fraction < 1, then round(fraction·rows) to the nearest whole number, then check that \
                 neither set is empty; see 'Splitting the data' in chapter 1",
            )
        })
    });
}

#[test]
fn parse_number_reads_back_any_finite_number() {
    let _ = call("parse_number(\"1.5\")", LOADING, || exercise_01::parse_number("1.5"));
    for_all(
        (any::<f64>().prop_filter("finite", |v| v.is_finite()), 0usize..3),
        |(value, spaces)| {
            let pad = " ".repeat(spaces);
            let text = format!("{pad}{value}{pad}");
            let got = exercise_01::parse_number(&text);
            ensure(got == Ok(value), || {
                report(
                    &format!("parse_number({text:?})"),
                    format!("{got:?}"),
                    format!("Ok({value:?})"),
                    "trim the spaces, then text.parse::<f64>(): every finite number Rust prints must read back; \
                 see 'Loading your own data' in chapter 1",
                )
            })
        },
    );
}

#[test]
fn load_csv_reads_back_what_was_written() {
    let path = scratch("round_trip.csv");
    std::fs::write(&path, "a,b\n1,2\n").expect("scratch file can be written");
    let _ = call("load_csv(\"round_trip.csv\", \"a\", \"b\")", LOADING, || {
        exercise_01::load_csv(&path, "a", "b")
    });
    let rows = prop::collection::vec((-1e6..1e6f64, -1e6..1e6f64), 1..30);
    for_all((rows, any::<bool>()), |(rows, swap)| {
        let mut text = String::from("size,extra,price\n");
        for (x, y) in &rows {
            text.push_str(&format!("{x},0,{y}\n"));
        }
        std::fs::write(&path, &text).expect("scratch file can be written");
        let (xc, yc) = if swap { ("price", "size") } else { ("size", "price") };
        let what = format!("load_csv(path, {xc:?}, {yc:?}) of the file\n{text}");
        let got = exercise_01::load_csv(&path, xc, yc);
        let (xs, ys): (Vec<f64>, Vec<f64>) = rows.iter().copied().unzip();
        let expected = if swap { (ys, xs) } else { (xs, ys) };
        let ok = matches!(&got, Ok(d) if d.x == expected.0 && d.y == expected.1);
        ensure(ok, || {
            report(
                &what,
                format!("{got:?}"),
                format!("Ok(Dataset {{ x: {:?}, y: {:?} }})", expected.0, expected.1),
                "every data row gives one x (from x_column) and one y (from y_column), found by name in the header; \
                 see 'Loading your own data' in chapter 1",
            )
        })
    });
}
