//! The tests of exercise 11, "Making it fast".
//!
//! Run them with `cargo test -p exercise-11`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter
//! 11 to read. Start with the first failing test: the functions build on
//! each other in the order of `src/lib.rs`.
//!
//! Every fast step must give exercise 05's gradient and loss (the teaching
//! version, `solution_05::gradient`), to within 1e-12 relative: adding the
//! same numbers in another order rounds differently in the last bits, so
//! the tests never ask for the same bits, only for the same numbers to
//! 12 digits (measured against Σ|eᵢ·xᵢⱼ|, the size of what was added up).
//!
//! Two kinds of tests:
//! - known values worked by hand: chapter 3's three points (1, 3), (2, 5),
//!   (3, 7), a table of two features, slices whose length is not a multiple
//!   of the four lanes;
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones): every step agrees with the teaching
//!   gradient on any data, for any number of threads and any batch, and the
//!   fast training loop takes exercise 05's steps.
//!
//! No test measures speed: a timed test fails on a busy machine. The
//! benchmark `cargo bench -p solution-11` measures it.
//!
//! You never need to edit this file.

use exercise_11::{BLOCK, Columns, Criterion, Descent, MIN_ROWS_PER_THREAD, Outcome, Settings};
use proptest::collection::vec;
use proptest::prelude::*;
use support::properties::for_all;
use support::{call, check, explain, fail};

// ---------------------------------------------------------------------------
// The hints
// ---------------------------------------------------------------------------

const TO_COLUMNS: &str = "column j holds feature j of every row, in the rows' order: as many columns as a row has features, each as long as there are rows (see 'Columns instead of rows' in chapter 11)";
const GRADIENT_COLUMNS: &str = "the predictions start at the bias and get wⱼ·xⱼᵢ added column by column; the errors are ŷ − y; each partial derivative is factor/N times Σe·xⱼ, the bias's factor/N times Σe (see 'Columns instead of rows' in chapter 11)";
const FINISH: &str = "finish multiplies every sum by factor/N (2/N for Mse, 1/N for HalfMse) and returns Σe²/N, half of it for HalfMse (see 'One fused pass' in chapter 11)";
const FUSED: &str = "one pass: for each example its error e = b + Σⱼ wⱼ·xⱼᵢ − yᵢ, then e·xⱼᵢ into gradient[j], e into the last entry, e² into the sse; start from zeros and end with finish (see 'One fused pass' in chapter 11)";
const DOT: &str = "dot keeps LANES running sums over chunks_exact(LANES), adds the remainder's pairs into lanes 0, 1, … and returns the lanes added up (see 'Several accumulators' in chapter 11)";
const SUM: &str = "sum adds like dot: LANES running sums over chunks_exact(LANES), the remainder into lanes 0, 1, …, then the lanes added up (see 'Several accumulators' in chapter 11)";
const ERRORS_INTO: &str = "e[k] = b + Σⱼ wⱼ·xⱼ[start + k] − y[start + k]: start at b − y, then add one column at a time (see 'Blocks' in chapter 11)";
const ACCUMULATE: &str = "accumulate_blocks adds, block by block of at most BLOCK rows: dot of the errors with each column's slice into sums[j], sum of the errors into sums[d], and returns Σe² (see 'Blocks' in chapter 11)";
const FUSED_LANES: &str = "accumulate_fused keeps every sum in LANES lanes: four rows at a time, their errors in an array, each row's products into its own lane; the last len % LANES rows into lanes 0, 1, …; then each sum's lanes added up into sums (see 'Registers instead of a buffer' in chapter 11)";
const SIMD: &str = "accumulate_simd is accumulate_fused with f64x4 vectors for the lanes, the same operations in the same order: e = b − y, then e += wⱼ·xⱼ for j in order, products[j] += e·xⱼ, errors += e, squares += e·e; after the chunks, to_array, the remainder into lanes 0, 1, …, and each sum's lanes added up in order (see 'Vectors you can see' in chapter 11)";
const BLOCKED: &str = "blocked zeroes the gradient, accumulates every row into it, then calls finish (see 'Blocks' in chapter 11)";
const THREADS_FOR: &str = "one thread per MIN_ROWS_PER_THREAD rows (whole ones), no more than available, at least 1 (see 'When threads pay' in chapter 11)";
const THREADED: &str = "each thread accumulates its own rows into its own sums; every thread's sums are added, in order, then finish divides by N once (see 'When threads pay' in chapter 11)";
const BATCH: &str = "batch k is the slice order[k·size .. min((k + 1)·size, N)]: size indices, fewer in the last batch (see 'Mini-batches by index' in chapter 11)";
const ACCUMULATE_INDICES: &str = "accumulate_indices reads the examples at the indices where they are: each error e, e·xⱼᵢ into sums[j], e into sums[d], e² returned (see 'Mini-batches by index' in chapter 11)";
const BATCH_GRADIENT: &str = "batch_gradient zeroes the gradient, accumulate_indices, then finish with the batch's size (see 'Mini-batches by index' in chapter 11)";
const GATHER: &str = "gather copies the rows in the shuffled order: out.x[j][k] = data.x[j][order[k]] and out.y[k] = data.y[order[k]], out ending with data's columns, each order.len() long (see 'Shuffle once, then read in order' in chapter 11)";
const TRAIN: &str = "train follows its doc comment step by step: one pass per epoch for the loss and the gradient, the history, the stopping rules, then one step per batch (see 'The fast loop' in chapter 11)";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-11/misconceptions/) checks that each is caught by a
// test whose message contains its hint.
const ROWS_SWAPPED: &str = "rows and columns swapped: column j is feature j of every row, x[j][i] = rows[i][j], not row j (see 'Columns instead of rows' in chapter 11)";
const ERROR_SIGN: &str = "the error is the prediction minus the target, ŷ − y; y − ŷ flips the sign of every partial derivative (see 'Columns instead of rows' in chapter 11)";
const FACTOR_LOST: &str = "the gradient's factor 2 was lost: the derivative of (ŷ − y)² is 2·(ŷ − y), so Mse's gradient is 2/N times the sums (see 'One fused pass' in chapter 11)";
const BIAS_FORGOTTEN: &str = "the bias column was forgotten: the last entry of the gradient is the bias's, factor/N times Σe (the bias multiplies a column of ones) (see 'One fused pass' in chapter 11)";
const NOT_ZEROED: &str = "start the sums from zero: the buffer passed in still holds the last step's gradient, and adding to it carries that step into this one (see 'One fused pass' in chapter 11)";
const REMAINDER_DROPPED: &str = "the remainder of chunks_exact was dropped: the last len % LANES values are in no chunk, add them too (see 'Several accumulators' in chapter 11)";
const LANES_NOT_COMBINED: &str = "the accumulators were not combined: each lane holds a quarter of the sum, return all of them added up (see 'Several accumulators' in chapter 11)";
const OFFSET_IGNORED: &str = "a block starts at row `start`: its errors use y[start + k] and xⱼ[start + k], not the first rows of the data (see 'Blocks' in chapter 11)";
const LANE_ORDER: &str = "the right numbers, but not accumulate_fused's bits: the same lanes must be added up in the same order, lane 0 first (to_array() then iter().sum(), not reduce_add, which pairs the lanes another way), with the remainder added into lanes 0, 1, … before (see 'Vectors you can see' in chapter 11)";
const SUMS_OVERWRITTEN: &str = "accumulate_blocks, accumulate_fused and accumulate_simd add to sums (+=): overwriting them keeps only the last block, or the last call's rows (see 'Blocks' in chapter 11)";
const THREADS_ALWAYS: &str = "a thread for a few rows costs more than it saves: use one per MIN_ROWS_PER_THREAD rows, and 1 below that (see 'When threads pay' in chapter 11)";
const PARTIAL_LOST: &str = "a thread's partial sum was lost: add the sums and the Σe² of every thread, not all but one (see 'When threads pay' in chapter 11)";
const MEAN_BY_CHUNK: &str = "the mean was divided by a chunk's length: each thread returns raw sums, and finish divides once by N, the number of all the examples (see 'When threads pay' in chapter 11)";
const BATCH_OFF_BY_ONE: &str = "off by one in the batch's index range: batch k is order[k·size .. (k + 1)·size], the end excluded, cut at N (see 'Mini-batches by index' in chapter 11)";
const BATCH_MEAN_BY_N: &str = "a batch's gradient is the mean over the batch: finish with the batch's size, not the number of all the examples (see 'Mini-batches by index' in chapter 11)";
const UNOBSERVED: &str = "with observe None the run is the same run, only not watched: every epoch's pass, the shuffle and every batch's step still happen; only the loss that a record would read is skipped (see 'The fast loop' in chapter 11)";
const GATHER_NOT_CLEARED: &str = "the reused buffer was not cleared: out still held the last epoch's rows, and extending it put the new ones after them; clear every column and y first (their memory stays) (see 'Shuffle once, then read in order' in chapter 11)";
const GATHER_SCATTERED: &str = "the rows were scattered, not gathered: row k of the copy is row order[k] of the data, out[k] = data[order[k]], not out[order[k]] = data[k] (see 'Shuffle once, then read in order' in chapter 11)";
const ORDERS: &str = "the first epoch is right but a later one is not: its batches came in another order. Make the orders once, before the epochs, OrdersAhead::new(N, settings.epochs, settings.seed), and gather each epoch's own, orders.next_order(), into the shuffled copy: every epoch's shuffle moves the one generator on, as exercise 04's shuffled_order did (see 'The next order, made ahead' in chapter 11)";
const LOSS_AFTER_UPDATE: &str = "the loss was computed after the update instead of before: each step is observed with the loss at the parameters the step started from, the one the gradient's pass gave (see 'The fast loop' in chapter 11)";

// ---------------------------------------------------------------------------
// The data and the teaching version
// ---------------------------------------------------------------------------

/// Chapter 3's three points (1, 3), (2, 5), (3, 7) as one column.
fn three() -> (Vec<Vec<f64>>, Vec<f64>) {
    (vec![vec![1.0, 2.0, 3.0]], vec![3.0, 5.0, 7.0])
}

/// A table of two features, as rows: y = 2·x₁ − x₂ + 1 plus a little.
fn two_feature_rows() -> (Vec<Vec<f64>>, Vec<f64>) {
    let rows =
        vec![vec![1.0, 4.0], vec![2.0, -1.0], vec![0.5, 2.0], vec![-3.0, 1.0], vec![4.0, 0.0]];
    (rows, vec![-1.0, 6.0, 0.5, -6.0, 9.5])
}

/// `n` rows of `d` features drawn from a fixed recipe (no randomness): the
/// values of a slow sine, so that no two are alike.
fn made_up(n: usize, d: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..d).map(|j| (0.37 * i as f64 + 1.3 * j as f64).sin() * 3.0).collect())
        .collect();
    let y = rows
        .iter()
        .enumerate()
        .map(|(i, r)| r.iter().sum::<f64>() + (0.11 * i as f64).cos())
        .collect();
    (rows, y)
}

fn rows_of(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = x.first().map_or(0, Vec::len);
    (0..n).map(|i| x.iter().map(|c| c[i]).collect()).collect()
}

fn columns_of(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    reference::to_columns(rows)
}

/// Exercise 05's gradient and loss, the teaching version, on rows.
fn teaching(criterion: Criterion, params: &[f64], rows: &[Vec<f64>], y: &[f64]) -> (Vec<f64>, f64) {
    let g = solution_05::gradient(criterion, params, rows, y);
    let loss = criterion.loss(&solution_05::forward(params, rows), y);
    (g, loss)
}

/// How large the sums behind each partial derivative are, factor/N·Σ|eᵢ·xᵢⱼ|
/// (and factor/N·Σ|eᵢ| for the bias): the yardstick of the tolerance.
fn sizes(criterion: Criterion, params: &[f64], rows: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let predictions = solution_05::forward(params, rows);
    let errors: Vec<f64> = predictions.iter().zip(y).map(|(p, t)| (p - t).abs()).collect();
    let abs_rows: Vec<Vec<f64>> =
        rows.iter().map(|r| r.iter().map(|v| v.abs()).collect()).collect();
    let scale = reference::factor(criterion) / y.len() as f64;
    let mut sizes = vec![0.0; params.len()];
    for (row, e) in abs_rows.iter().zip(&errors) {
        for (s, v) in sizes.iter_mut().zip(row) {
            *s += scale * e * v;
        }
        sizes[params.len() - 1] += scale * e;
    }
    sizes
}

/// Within 1e-12 of `expected`, relative to `size` (or to |expected| if larger).
fn near(got: f64, expected: f64, size: f64) -> bool {
    (got - expected).abs() <= 1e-12 * size.max(expected.abs()).max(f64::MIN_POSITIVE)
        || got == expected
}

fn near_all(got: &[f64], expected: &[f64], sizes: &[f64]) -> bool {
    got.len() == expected.len()
        && got.iter().zip(expected).zip(sizes).all(|((g, e), s)| near(*g, *e, *s))
}

const WITHIN: &str = "(within 1e-12 relative, exercise 05's gradient)";

/// Which hint a wrong gradient calls for, from how it is wrong.
fn diagnose(got: &[f64], expected: &[f64], sizes: &[f64], base: &'static str) -> &'static str {
    let d = expected.len() - 1;
    let scaled = |k: f64| -> Vec<f64> { expected.iter().map(|e| k * e).collect() };
    if got.len() == expected.len() {
        if near_all(got, &scaled(0.5), sizes) {
            return FACTOR_LOST;
        }
        if near_all(got, &scaled(-1.0), sizes) {
            return ERROR_SIGN;
        }
        if near_all(&got[..d], &expected[..d], sizes) && got[d] == 0.0 && expected[d] != 0.0 {
            return BIAS_FORGOTTEN;
        }
    }
    base
}

/// Checks a gradient and a loss against the teaching version, naming the
/// mistake when its shape gives it away.
#[allow(clippy::too_many_arguments)]
fn check_step(
    text: &str,
    got: (&[f64], f64),
    criterion: Criterion,
    params: &[f64],
    rows: &[Vec<f64>],
    y: &[f64],
    hint: &'static str,
) -> Result<(), String> {
    let (expected, loss) = teaching(criterion, params, rows, y);
    let sizes = sizes(criterion, params, rows, y);
    if !near_all(got.0, &expected, &sizes) {
        let hint = diagnose(got.0, &expected, &sizes, hint);
        return Err(explain(
            text,
            format!("gradient {:?}", got.0),
            format!("{expected:?} {WITHIN}"),
            hint,
        ));
    }
    if !near(got.1, loss, loss) {
        let hint = if near(got.1, 2.0 * loss, loss) || near(got.1, 0.5 * loss, loss) {
            FINISH
        } else {
            hint
        };
        return Err(explain(text, format!("loss {:?}", got.1), format!("{loss:?} {WITHIN}"), hint));
    }
    Ok(())
}

fn ok(result: Result<(), String>) {
    if let Err(message) = result {
        panic!("{message}");
    }
}

/// A gradient buffer that still holds an earlier step's numbers.
fn dirty(len: usize) -> Vec<f64> {
    (0..len).map(|i| 100.0 + i as f64).collect()
}

// ---------------------------------------------------------------------------
// 1. Columns instead of rows
// ---------------------------------------------------------------------------

mod step1_columns {
    use super::*;

    #[test]
    fn to_columns_turns_rows_into_one_vec_per_feature() {
        let rows = vec![vec![1.0, 10.0], vec![2.0, 20.0], vec![3.0, 30.0]];
        let text = "to_columns(&[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])";
        let got = call(text, TO_COLUMNS, || exercise_11::to_columns(&rows));
        let expected = vec![vec![1.0, 2.0, 3.0], vec![10.0, 20.0, 30.0]];
        let hint = if got == rows || got == vec![vec![1.0, 10.0], vec![2.0, 20.0]] {
            ROWS_SWAPPED
        } else {
            TO_COLUMNS
        };
        check(got == expected, text, format!("{got:?}"), format!("{expected:?}"), hint);
        let none = call("to_columns(&[])", TO_COLUMNS, || exercise_11::to_columns(&[]));
        check(none.is_empty(), "to_columns(&[])", format!("{none:?}"), "[]", TO_COLUMNS);
    }

    #[test]
    fn gradient_columns_on_the_three_points_by_hand() {
        // At w = 0, b = 0 the errors are −3, −5, −7: Σe·x = −34, Σe = −15.
        let (x, y) = three();
        for (criterion, expected) in [
            (Criterion::Mse, [2.0 * -34.0 / 3.0, 2.0 * -15.0 / 3.0]),
            (Criterion::HalfMse, [-34.0 / 3.0, -15.0 / 3.0]),
        ] {
            let text = format!(
                "gradient_columns(Criterion::{criterion:?}, &[0.0, 0.0], &[[1.0, 2.0, 3.0]], &[3.0, 5.0, 7.0])"
            );
            let got = call(&text, GRADIENT_COLUMNS, || {
                exercise_11::gradient_columns(criterion, &[0.0, 0.0], &x, &y)
            });
            ok(check_step(
                &text,
                (&got, teaching(criterion, &[0.0, 0.0], &rows_of(&x), &y).1),
                criterion,
                &[0.0, 0.0],
                &rows_of(&x),
                &y,
                GRADIENT_COLUMNS,
            ));
            check(
                got.len() == 2 && near(got[0], expected[0], 1.0),
                &text,
                format!("{got:?}"),
                format!("{expected:?}"),
                GRADIENT_COLUMNS,
            );
        }
    }

    #[test]
    fn gradient_columns_with_two_features_is_exercise_05s() {
        let (rows, y) = two_feature_rows();
        let params = [0.5, -0.25, 2.0];
        let text = format!(
            "gradient_columns(Criterion::Mse, &{params:?}, the two-feature table as columns, y)"
        );
        let got = call(&text, GRADIENT_COLUMNS, || {
            exercise_11::gradient_columns(Criterion::Mse, &params, &columns_of(&rows), &y)
        });
        let loss = teaching(Criterion::Mse, &params, &rows, &y).1;
        ok(check_step(&text, (&got, loss), Criterion::Mse, &params, &rows, &y, GRADIENT_COLUMNS));
    }
}

// ---------------------------------------------------------------------------
// 2. One fused pass
// ---------------------------------------------------------------------------

mod step2_fused {
    use super::*;

    #[test]
    fn finish_scales_the_sums_and_gives_the_loss() {
        // The three points at w = b = 0: Σe·x = −34, Σe = −15, Σe² = 83.
        for (criterion, factor, loss) in
            [(Criterion::Mse, 2.0, 83.0 / 3.0), (Criterion::HalfMse, 1.0, 83.0 / 6.0)]
        {
            let mut sums = vec![-34.0, -15.0];
            let text = format!("finish(Criterion::{criterion:?}, 3, 83.0, [-34.0, -15.0])");
            let got = call(&text, FINISH, || exercise_11::finish(criterion, 3, 83.0, &mut sums));
            let expected = [factor * -34.0 / 3.0, factor * -15.0 / 3.0];
            let hint = if criterion == Criterion::Mse && near(sums[0], -34.0 / 3.0, 1.0) {
                FACTOR_LOST
            } else {
                FINISH
            };
            check(
                near(sums[0], expected[0], 1.0) && near(sums[1], expected[1], 1.0),
                &text,
                format!("sums {sums:?}"),
                format!("{expected:?}"),
                hint,
            );
            check(near(got, loss, loss), &text, got, loss, FINISH);
        }
    }

    #[test]
    fn fused_on_the_three_points_by_hand() {
        let (x, y) = three();
        for criterion in [Criterion::Mse, Criterion::HalfMse] {
            for params in [[0.0, 0.0], [2.0, 1.0], [1.5, -0.5]] {
                let mut g = dirty(2);
                let text = format!(
                    "fused(Criterion::{criterion:?}, &{params:?}, &[[1.0, 2.0, 3.0]], &[3.0, 5.0, 7.0], gradient)"
                );
                let loss =
                    call(&text, FUSED, || exercise_11::fused(criterion, &params, &x, &y, &mut g));
                ok(check_step(&text, (&g, loss), criterion, &params, &rows_of(&x), &y, FUSED));
            }
        }
    }

    #[test]
    fn fused_with_two_features_keeps_the_bias_and_the_factor() {
        let (rows, y) = two_feature_rows();
        let params = [0.5, -0.25, 2.0];
        let mut g = vec![0.0; 3];
        let text =
            format!("fused(Criterion::Mse, &{params:?}, the two-feature table, y, gradient)");
        let loss = call(&text, FUSED, || {
            exercise_11::fused(Criterion::Mse, &params, &columns_of(&rows), &y, &mut g)
        });
        ok(check_step(&text, (&g, loss), Criterion::Mse, &params, &rows, &y, FUSED));
    }

    #[test]
    fn fused_starts_from_zero_whatever_the_buffer_holds() {
        let (rows, y) = two_feature_rows();
        let params = [1.0, 1.0, 1.0];
        let (expected, _) = teaching(Criterion::Mse, &params, &rows, &y);
        let mut g = dirty(3);
        let text = "fused(Criterion::Mse, &[1.0, 1.0, 1.0], …, gradient) with gradient = [100.0, 101.0, 102.0] from an earlier step";
        call(text, FUSED, || {
            exercise_11::fused(Criterion::Mse, &params, &columns_of(&rows), &y, &mut g)
        });
        let sizes = sizes(Criterion::Mse, &params, &rows, &y);
        let hint = if near_all(&g, &expected, &sizes) { FUSED } else { NOT_ZEROED };
        check(
            near_all(&g, &expected, &sizes),
            text,
            format!("{g:?}"),
            format!("{expected:?} {WITHIN}"),
            hint,
        );
    }
}

// ---------------------------------------------------------------------------
// 3. Several accumulators, chunked loops
// ---------------------------------------------------------------------------

mod step3_lanes {
    use super::*;

    #[test]
    fn dot_of_seven_values_keeps_the_remainder_and_every_lane() {
        // 1 + 2 + … + 7 = 28; four lanes hold 1+5, 2+6, 3+7 and 4.
        let a: Vec<f64> = (1..=7).map(f64::from).collect();
        let ones = vec![1.0; 7];
        let text = "dot(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], &[1.0; 7])";
        let got = call(text, DOT, || exercise_11::dot(&a, &ones));
        let hint = match got {
            10.0 => REMAINDER_DROPPED,
            6.0 | 1.0 => LANES_NOT_COMBINED,
            _ => DOT,
        };
        check(got == 28.0, text, got, 28.0, hint);
    }

    #[test]
    fn dot_of_short_and_empty_slices() {
        for (a, b, expected) in [
            (vec![], vec![], 0.0),
            (vec![3.0], vec![-2.0], -6.0),
            (vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0], 32.0),
            (vec![1.0, 2.0, 3.0, 4.0], vec![1.0, 1.0, 1.0, 1.0], 10.0),
        ] {
            let text = format!("dot(&{a:?}, &{b:?})");
            let got = call(&text, DOT, || exercise_11::dot(&a, &b));
            let hint = if got == 0.0 { REMAINDER_DROPPED } else { DOT };
            check(got == expected, &text, got, expected, hint);
        }
    }

    #[test]
    fn sum_of_nine_values_keeps_the_remainder_and_every_lane() {
        let a: Vec<f64> = (1..=9).map(f64::from).collect();
        let text = "sum(&[1.0, 2.0, …, 9.0])";
        let got = call(text, SUM, || exercise_11::sum(&a));
        let hint = match got {
            36.0 => REMAINDER_DROPPED,
            15.0 | 6.0 => LANES_NOT_COMBINED,
            _ => SUM,
        };
        check(got == 45.0, text, got, 45.0, hint);
        let got = call("sum(&[2.5, -1.0])", SUM, || exercise_11::sum(&[2.5, -1.0]));
        check(got == 1.5, "sum(&[2.5, -1.0])", got, 1.5, REMAINDER_DROPPED);
    }

    #[test]
    fn dot_adds_lane_by_lane_then_the_lanes() {
        // Values chosen so that the order of the additions shows in the
        // result: 1e16 + 1 + 1 − 1e16 is 0 left to right, but lane by lane
        // (lane 0: 1e16 − 1e16, lane 1: 1, lane 2: 1) it is 2.
        let a = [1e16, 1.0, 1.0, 0.0, -1e16];
        let ones = [1.0; 5];
        let text = "dot(&[1e16, 1.0, 1.0, 0.0, -1e16], &[1.0; 5])";
        let got = call(text, DOT, || exercise_11::dot(&a, &ones));
        check(
            got == 2.0,
            text,
            got,
            "2.0: lane 0 holds 1e16 and −1e16 (the remainder), lanes 1 and 2 hold 1 each",
            DOT,
        );
        let got = call("sum(&[1e16, 1.0, 1.0, 0.0, -1e16])", SUM, || exercise_11::sum(&a));
        check(got == 2.0, "sum(&[1e16, 1.0, 1.0, 0.0, -1e16])", got, 2.0, SUM);
    }
}

// ---------------------------------------------------------------------------
// 4. Blocks
// ---------------------------------------------------------------------------

mod step4_blocks {
    use super::*;

    #[test]
    fn errors_into_from_a_start_row() {
        let (x, y) = three();
        let mut e = [0.0; 2];
        let text =
            "errors_into(&[1.0, 0.5], &[[1.0, 2.0, 3.0]], &[3.0, 5.0, 7.0], 1, e of length 2)";
        call(text, ERRORS_INTO, || exercise_11::errors_into(&[1.0, 0.5], &x, &y, 1, &mut e));
        // Rows 1 and 2: 1·2 + 0.5 − 5 = −2.5 and 1·3 + 0.5 − 7 = −3.5; the
        // first two rows would give −1.5 and −2.5.
        let hint = if e == [-1.5, -2.5] {
            OFFSET_IGNORED
        } else if e == [2.5, 3.5] {
            ERROR_SIGN
        } else {
            ERRORS_INTO
        };
        check(e == [-2.5, -3.5], text, format!("{e:?}"), "[-2.5, -3.5]", hint);
    }

    #[test]
    fn errors_into_with_two_features() {
        let (rows, y) = two_feature_rows();
        let x = columns_of(&rows);
        let params = [2.0, -1.0, 1.0];
        let mut e = [9.0; 5];
        let text = "errors_into(&[2.0, -1.0, 1.0], the two-feature table, y, 0, e of length 5)";
        call(text, ERRORS_INTO, || exercise_11::errors_into(&params, &x, &y, 0, &mut e));
        let expected: Vec<f64> =
            solution_05::forward(&params, &rows).iter().zip(&y).map(|(p, t)| p - t).collect();
        check(e.to_vec() == expected, text, format!("{e:?}"), format!("{expected:?}"), ERRORS_INTO);
    }

    #[test]
    fn accumulate_adds_to_the_sums_over_several_blocks() {
        // 2·BLOCK + 3 rows: two full blocks and a short one.
        let (rows, y) = made_up(2 * BLOCK + 3, 2);
        let x = columns_of(&rows);
        let params = [0.5, -1.0, 0.25];
        let (g, loss) = teaching(Criterion::HalfMse, &params, &rows, &y);
        let n = y.len() as f64;
        let expected: Vec<f64> =
            g.iter().zip([1.0, 2.0, 3.0]).map(|(g, start)| start + g * n).collect();
        let mut sums = vec![1.0, 2.0, 3.0];
        let text = format!(
            "accumulate_blocks(&{params:?}, {} rows of 2 features, y, 0..{}, sums = [1.0, 2.0, 3.0])",
            y.len(),
            y.len()
        );
        let sse = call(&text, ACCUMULATE, || {
            exercise_11::accumulate_blocks(&params, &x, &y, 0..y.len(), &mut sums)
        });
        let size: Vec<f64> =
            sizes(Criterion::HalfMse, &params, &rows, &y).iter().map(|s| s * n + 3.0).collect();
        let hint = if near_all(&sums, &g.iter().map(|g| g * n).collect::<Vec<_>>(), &size) {
            SUMS_OVERWRITTEN
        } else {
            ACCUMULATE
        };
        check(
            near_all(&sums, &expected, &size),
            &text,
            format!("sums {sums:?}"),
            format!("{expected:?}, the sums given plus Σe·xⱼ and Σe {WITHIN}"),
            hint,
        );
        check(near(sse, 2.0 * loss * n, 2.0 * loss * n), &text, sse, 2.0 * loss * n, ACCUMULATE);
    }

    #[test]
    fn accumulate_of_two_ranges_is_accumulate_of_both() {
        let (rows, y) = made_up(BLOCK + 40, 1);
        let x = columns_of(&rows);
        let params = [1.5, -0.5];
        let (mut whole, mut parts) = (vec![0.0; 2], vec![0.0; 2]);
        let text = format!(
            "accumulate_blocks over 0..{} then {}..{} into the same sums",
            100,
            100,
            y.len()
        );
        call(&text, ACCUMULATE, || {
            exercise_11::accumulate_blocks(&params, &x, &y, 0..y.len(), &mut whole);
            exercise_11::accumulate_blocks(&params, &x, &y, 0..100, &mut parts);
            exercise_11::accumulate_blocks(&params, &x, &y, 100..y.len(), &mut parts);
        });
        let size: Vec<f64> = sizes(Criterion::HalfMse, &params, &rows, &y)
            .iter()
            .map(|s| s * y.len() as f64)
            .collect();
        // The rows 100.. alone must use their own targets and features.
        let mut tail = vec![0.0; 2];
        call(&text, ACCUMULATE, || {
            exercise_11::accumulate_blocks(&params, &x, &y, 100..y.len(), &mut tail)
        });
        let expected = reference_sums(&params, &x, &y, 100..y.len());
        let first_rows = reference_sums(&params, &x, &y, 0..y.len() - 100);
        let hint = if near_all(&tail, &first_rows, &size) { OFFSET_IGNORED } else { ACCUMULATE };
        check(
            near_all(&tail, &expected, &size),
            &format!("accumulate_blocks(&{params:?}, …, 100..{}, zeros)", y.len()),
            format!("{tail:?}"),
            format!("{expected:?}, the sums of the rows 100.. {WITHIN}"),
            hint,
        );
        let hint = if near_all(&parts, &whole, &size) { ACCUMULATE } else { SUMS_OVERWRITTEN };
        check(
            near_all(&parts, &whole, &size),
            &text,
            format!("{parts:?}"),
            format!("{whole:?}, the sums over all the rows at once"),
            hint,
        );
    }

    fn reference_sums(
        params: &[f64],
        x: &[Vec<f64>],
        y: &[f64],
        rows: std::ops::Range<usize>,
    ) -> Vec<f64> {
        let mut sums = vec![0.0; params.len()];
        reference::accumulate_blocks(params, x, y, rows, &mut sums);
        sums
    }

    /// `accumulate_fused::<D>` on `rows` of `made_up(n, D)`, from sums of 1.
    fn fused_sums<const D: usize>(n: usize, rows: std::ops::Range<usize>) {
        let (table, y) = made_up(n, D);
        let x = columns_of(&table);
        let params: Vec<f64> = (0..=D).map(|j| 0.25 * j as f64 - 0.5).collect();
        let mut sums = vec![1.0; D + 1];
        let text = format!(
            "accumulate_fused::<{D}>(&{params:?}, {n} rows of {D} feature(s), y, {rows:?}, sums = [1.0; {}])",
            D + 1
        );
        let sse = call(&text, FUSED_LANES, || {
            exercise_11::accumulate_fused::<D>(&params, &x, &y, rows.clone(), &mut sums)
        });
        let picked = &table[rows.clone()];
        let picked_y = &y[rows.clone()];
        let m = picked_y.len() as f64;
        let (g, loss) = teaching(Criterion::HalfMse, &params, picked, picked_y);
        let expected: Vec<f64> = g.iter().map(|g| 1.0 + g * m).collect();
        let size: Vec<f64> = sizes(Criterion::HalfMse, &params, picked, picked_y)
            .iter()
            .map(|s| s * m + 1.0)
            .collect();
        let without_start: Vec<f64> = g.iter().map(|g| g * m).collect();
        let hint = if near_all(&sums, &without_start, &size) {
            SUMS_OVERWRITTEN
        } else if sums.len() == D + 1 && sums[D] == 1.0 {
            BIAS_FORGOTTEN
        } else if picked_y.len() % 4 != 0 {
            REMAINDER_DROPPED
        } else {
            FUSED_LANES
        };
        check(
            near_all(&sums, &expected, &size),
            &text,
            format!("sums {sums:?}"),
            format!("{expected:?}, the sums given plus Σe·xⱼ and Σe {WITHIN}"),
            hint,
        );
        let sse_expected = 2.0 * loss * m;
        check(near(sse, sse_expected, sse_expected), &text, sse, sse_expected, FUSED_LANES);
    }

    #[test]
    fn accumulate_fused_with_one_to_four_features_and_any_remainder() {
        fused_sums::<1>(3, 0..3);
        fused_sums::<1>(7, 0..7);
        fused_sums::<1>(40, 5..38);
        fused_sums::<2>(5, 0..5);
        fused_sums::<2>(50, 10..50);
        fused_sums::<3>(9, 1..9);
        fused_sums::<4>(13, 0..13);
    }

    #[test]
    fn accumulate_fused_adds_lane_by_lane_then_the_lanes() {
        // A bias-only model (x all 0, w = b = 0), so the errors are −y:
        // 1e16, 1, 1, 0 in the four lanes, then −1e16 into lane 0. Lane by
        // lane: 0 + 1 + 1 + 0 = 2; from left to right it would be 0.
        let x = vec![vec![0.0; 5]];
        let y = [-1e16, -1.0, -1.0, 0.0, 1e16];
        let mut sums = vec![0.0; 2];
        let text = "accumulate_fused::<1>(&[0.0, 0.0], x = [[0.0; 5]], y = [-1e16, -1.0, -1.0, 0.0, 1e16], 0..5, zeros)";
        call(text, FUSED_LANES, || {
            exercise_11::accumulate_fused::<1>(&[0.0, 0.0], &x, &y, 0..5, &mut sums)
        });
        let hint = if sums[1] == 1e16 { REMAINDER_DROPPED } else { FUSED_LANES };
        check(
            sums[1] == 2.0,
            text,
            format!("sums {sums:?}"),
            "Σe = 2.0 exactly: lane 0 holds 1e16 and the remainder's −1e16, lanes 1 and 2 hold 1 each",
            hint,
        );
    }

    fn same_bits(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits())
    }

    /// `accumulate_simd::<D>` on the rows `range` of `table` (and `y`), from
    /// the sums `given`: Ok if its sums and Σe² are accumulate_fused's to the
    /// last bit; else the failure, with the hint its mistake calls for.
    pub(super) fn simd_matches_fused<const D: usize>(
        table: &[Vec<f64>],
        y: &[f64],
        params: &[f64],
        range: std::ops::Range<usize>,
        given: &[f64],
        text: &str,
    ) -> Result<(), String> {
        let x = columns_of(table);
        let mut sums = given.to_vec();
        let sse = call(text, SIMD, || {
            exercise_11::accumulate_simd::<D>(params, &x, y, range.clone(), &mut sums)
        });
        // The reference's sums and Σe² over some rows, from the sums given.
        let fused = |rows: std::ops::Range<usize>| {
            let mut sums = given.to_vec();
            let sse = reference::accumulate_fused::<D>(params, &x, y, rows, &mut sums);
            (sums, sse)
        };
        let (expected, expected_sse) = fused(range.clone());
        if same_bits(&sums, &expected) && sse.to_bits() == expected_sse.to_bits() {
            return Ok(());
        }
        let m = range.len() as f64;
        let size: Vec<f64> =
            sizes(Criterion::HalfMse, params, &table[range.clone()], &y[range.clone()])
                .iter()
                .zip(given)
                .map(|(s, g)| s * m + g.abs())
                .collect();
        let without_start: Vec<f64> = expected.iter().zip(given).map(|(e, g)| e - g).collect();
        // The sums of the full chunks alone: what a dropped remainder gives.
        let chunks_only = || fused(range.start..range.end - range.len() % 4).0;
        let hint = if sums.len() != D + 1 {
            SIMD
        } else if near_all(&sums, &expected, &size) && near(sse, expected_sse, expected_sse) {
            LANE_ORDER
        } else if near_all(&sums, &chunks_only(), &size) {
            REMAINDER_DROPPED
        } else if near_all(&sums, &without_start, &size) {
            SUMS_OVERWRITTEN
        } else if sums[D] == given[D] && expected[D] != given[D] {
            BIAS_FORGOTTEN
        } else {
            SIMD
        };
        Err(explain(
            text,
            format!("sums {sums:?}, Σe² {sse:?}"),
            format!(
                "sums {expected:?}, Σe² {expected_sse:?}: accumulate_fused's, to the last bit (the same lanes, added in the same order)"
            ),
            hint,
        ))
    }

    /// `accumulate_simd::<D>` on `rows` of `made_up(n, D)`, from sums of 1.
    fn simd_sums<const D: usize>(n: usize, rows: std::ops::Range<usize>) {
        let (table, y) = made_up(n, D);
        let params: Vec<f64> = (0..=D).map(|j| 0.25 * j as f64 - 0.5).collect();
        let text = format!(
            "accumulate_simd::<{D}>(&{params:?}, {n} rows of {D} feature(s), y, {rows:?}, sums = [1.0; {}])",
            D + 1
        );
        ok(simd_matches_fused::<D>(&table, &y, &params, rows, &vec![1.0; D + 1], &text));
    }

    #[test]
    fn accumulate_simd_is_accumulate_fused_to_the_bit() {
        simd_sums::<1>(3, 0..3);
        simd_sums::<1>(8, 0..8);
        simd_sums::<1>(7, 0..7);
        simd_sums::<1>(40, 5..38);
        simd_sums::<2>(5, 0..5);
        simd_sums::<2>(50, 10..50);
        simd_sums::<3>(9, 1..9);
        simd_sums::<3>(6, 6..6);
        simd_sums::<4>(13, 0..13);
        simd_sums::<4>(400, 3..398);
    }

    #[test]
    fn accumulate_simd_adds_the_lanes_in_order() {
        // A bias-only model (x all 0, w = b = 0), so the errors are −y:
        // 1e16, 1, −1e16, 1, one in each lane. Lane 0 first: 1e16 + 1 is
        // 1e16 (the 1 is rounded away), − 1e16 is 0, + 1 is 1. In pairs
        // (reduce_add), (1e16 + 1) + (−1e16 + 1) is 0, or
        // (1e16 − 1e16) + (1 + 1) is 2.
        let x = vec![vec![0.0; 4]];
        let y = [-1e16, -1.0, 1e16, -1.0];
        let mut sums = vec![0.0; 2];
        let text = "accumulate_simd::<1>(&[0.0, 0.0], x = [[0.0; 4]], y = [-1e16, -1.0, 1e16, -1.0], 0..4, zeros)";
        call(text, SIMD, || {
            exercise_11::accumulate_simd::<1>(&[0.0, 0.0], &x, &y, 0..4, &mut sums)
        });
        check(
            sums[1] == 1.0,
            text,
            format!("sums {sums:?}"),
            "sums [0.0, 1.0]: Σe (sums[1]) is 1.0 exactly, the lanes 1e16, 1, −1e16, 1 added up from lane 0",
            LANE_ORDER,
        );
    }

    #[test]
    fn blocked_is_exercise_05s_gradient_on_many_rows() {
        for (n, d) in
            [(1, 1), (BLOCK, 1), (BLOCK + 1, 3), (3 * BLOCK + 17, 2), (BLOCK + 9, 5), (7, 6)]
        {
            let (rows, y) = made_up(n, d);
            let params: Vec<f64> = (0..=d).map(|j| 0.3 * j as f64 - 0.4).collect();
            let mut g = dirty(d + 1);
            let text = format!(
                "blocked(Criterion::Mse, &{params:?}, {n} rows of {d} feature(s), y, gradient)"
            );
            let loss = call(&text, BLOCKED, || {
                exercise_11::blocked(Criterion::Mse, &params, &columns_of(&rows), &y, &mut g)
            });
            ok(check_step(&text, (&g, loss), Criterion::Mse, &params, &rows, &y, BLOCKED));
        }
    }
}

// ---------------------------------------------------------------------------
// 5. Threads, where they pay
// ---------------------------------------------------------------------------

mod step5_threads {
    use super::*;

    #[test]
    fn threads_for_small_and_large_passes() {
        for (rows, available, expected) in [
            (0, 4, 1),
            (10, 2, 1),
            (MIN_ROWS_PER_THREAD - 1, 8, 1),
            (MIN_ROWS_PER_THREAD, 8, 1),
            (2 * MIN_ROWS_PER_THREAD + 1, 8, 2),
            (20 * MIN_ROWS_PER_THREAD, 2, 2),
            (20 * MIN_ROWS_PER_THREAD, 1, 1),
            (5 * MIN_ROWS_PER_THREAD, 0, 1),
        ] {
            let text = format!("threads_for({rows}, {available})");
            let got = call(&text, THREADS_FOR, || exercise_11::threads_for(rows, available));
            let hint =
                if got == available && expected < available { THREADS_ALWAYS } else { THREADS_FOR };
            check(got == expected, &text, got, expected, hint);
        }
    }

    #[test]
    fn threaded_gives_the_same_numbers_with_any_number_of_threads() {
        let (rows, y) = made_up(1000, 2);
        let x = columns_of(&rows);
        let params = [0.75, -0.5, 1.25];
        for threads in [1, 2, 3, 4, 7] {
            let mut g = dirty(3);
            let text = format!(
                "threaded(Criterion::Mse, &{params:?}, 1000 rows of 2 features, y, {threads}, gradient)"
            );
            let loss = call(&text, THREADED, || {
                exercise_11::threaded(Criterion::Mse, &params, &x, &y, threads, &mut g)
            });
            let (expected, teaching_loss) = teaching(Criterion::Mse, &params, &rows, &y);
            let size = sizes(Criterion::Mse, &params, &rows, &y);
            let hint = if threads > 1
                && expected
                    .iter()
                    .zip(&g)
                    .all(|(e, g)| near(*g, *e * threads as f64, size[0] * threads as f64))
            {
                MEAN_BY_CHUNK
            } else if threads > 1
                && (g.iter().zip(&expected).all(|(g, e)| g.abs() < e.abs())
                    || loss < teaching_loss * 0.999)
            {
                PARTIAL_LOST
            } else {
                THREADED
            };
            let result = check_step(&text, (&g, loss), Criterion::Mse, &params, &rows, &y, hint);
            if let Err(message) = result {
                let message =
                    if hint == THREADED { message } else { message.replace(THREADED, hint) };
                panic!("{message}");
            }
        }
    }

    #[test]
    fn threaded_splits_uneven_rows_and_keeps_every_partial_sum() {
        // 10 rows in 2, 3 or 4 threads. Only the first and the last rows
        // have an error (10 and 20), and no thread sees both.
        let x = vec![vec![1.0; 10]];
        let mut y = vec![1.0; 10];
        y[0] = -9.0;
        y[9] = -19.0;
        for threads in [2, 3, 4] {
            let mut g = dirty(2);
            let text = format!(
                "threaded(Criterion::Mse, &[1.0, 0.0], x = [1.0; 10], y = [-9.0, 1.0, …, 1.0, -19.0], {threads}, gradient)"
            );
            let loss = call(&text, THREADED, || {
                exercise_11::threaded(Criterion::Mse, &[1.0, 0.0], &x, &y, threads, &mut g)
            });
            // Σe·x = Σe = 10 + 20 = 30, Σe² = 100 + 400 = 500, N = 10.
            let hint = if g[0] < 6.0 || loss < 50.0 {
                PARTIAL_LOST
            } else if g[0] > 6.0 || loss > 50.0 {
                MEAN_BY_CHUNK
            } else {
                THREADED
            };
            check(
                g == [6.0, 6.0] && loss == 50.0,
                &text,
                format!("gradient {g:?}, loss {loss}"),
                "gradient [6.0, 6.0], loss 50.0",
                hint,
            );
        }
    }

    #[test]
    fn the_threads_add_in_the_documented_order() {
        // A bias-only model (x all 0, w = b = 0), so the errors are −y:
        // 1, 1e16, −1e16, 1. Two threads add (1 + 1e16) + (−1e16 + 1): each
        // 1 is lost next to 1e16, so Σe = 0. One thread adds lane by lane,
        // ((1 + 1e16) + −1e16) + 1 = 1. Neither is the exact 2: this is the
        // rounding of chapter 11, and the order is part of the recipe.
        let x = vec![vec![0.0; 4]];
        let y = [-1.0, -1e16, 1e16, -1.0];
        for (threads, expected) in [(2, 0.0), (1, 0.5), (0, 0.5)] {
            let mut g = dirty(2);
            let text = format!(
                "threaded(Criterion::Mse, &[0.0, 0.0], x = [[0.0; 4]], y = {y:?}, {threads}, gradient)"
            );
            call(&text, THREADED, || {
                exercise_11::threaded(Criterion::Mse, &[0.0, 0.0], &x, &y, threads, &mut g)
            });
            check(
                g[1] == expected,
                &text,
                format!("gradient {g:?}"),
                format!(
                    "a bias gradient of exactly {expected:?}: {}",
                    if threads > 1 {
                        "two threads over rows 0..2 and 2..4, their sums added in order"
                    } else {
                        "no thread started with threads ≤ 1, blocked's lanes"
                    }
                ),
                THREADED,
            );
        }
    }

    #[test]
    fn threaded_on_no_examples_is_not_a_number_like_exercise_05() {
        let mut g = vec![0.0; 2];
        let text = "threaded(Criterion::Mse, &[1.0, 0.0], &[[]], &[], 2, gradient)";
        let loss = call(text, THREADED, || {
            exercise_11::threaded(Criterion::Mse, &[1.0, 0.0], &[vec![]], &[], 2, &mut g)
        });
        check(loss.is_nan(), text, loss, "NaN, the mean of no examples (0/0)", THREADED);
    }
}

// ---------------------------------------------------------------------------
// 6. Mini-batches by index
// ---------------------------------------------------------------------------

mod step6_batches {
    use super::*;

    #[test]
    fn batch_slices_the_order_and_keeps_the_short_last_batch() {
        let order = [4, 9, 0, 7, 2, 5, 1, 8, 3, 6];
        for (k, size, expected) in [
            (0, 4, vec![4, 9, 0, 7]),
            (1, 4, vec![2, 5, 1, 8]),
            (2, 4, vec![3, 6]),
            (0, 10, order.to_vec()),
            (0, 25, order.to_vec()),
            (9, 1, vec![6]),
            (3, 3, vec![6]),
        ] {
            let text = format!("batch(&{order:?}, {k}, {size})");
            let got =
                call(&text, BATCH_OFF_BY_ONE, || exercise_11::batch(&order, k, size).to_vec());
            let hint = if got.len() != expected.len() || got.first() != expected.first() {
                BATCH_OFF_BY_ONE
            } else {
                BATCH
            };
            check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), hint);
        }
    }

    #[test]
    fn batch_gradient_is_the_gradient_of_the_batchs_rows() {
        let (rows, y) = two_feature_rows();
        let x = columns_of(&rows);
        let params = [0.5, -0.25, 2.0];
        for indices in [vec![3, 0], vec![4], vec![1, 2, 4, 0, 3], vec![2, 2, 4]] {
            let mut g = dirty(3);
            let text = format!(
                "batch_gradient(Criterion::Mse, &{params:?}, the two-feature table, y, &{indices:?}, gradient)"
            );
            let loss = call(&text, BATCH_GRADIENT, || {
                exercise_11::batch_gradient(Criterion::Mse, &params, &x, &y, &indices, &mut g)
            });
            let picked: Vec<Vec<f64>> = indices.iter().map(|&i| rows[i].clone()).collect();
            let picked_y: Vec<f64> = indices.iter().map(|&i| y[i]).collect();
            let (expected, _) = teaching(Criterion::Mse, &params, &picked, &picked_y);
            let scale = indices.len() as f64 / y.len() as f64;
            let size = sizes(Criterion::Mse, &params, &picked, &picked_y);
            let by_n: Vec<f64> = expected.iter().map(|e| e * scale).collect();
            let hint = if indices.len() < y.len() && near_all(&g, &by_n, &size) {
                BATCH_MEAN_BY_N
            } else {
                BATCH_GRADIENT
            };
            ok(check_step(&text, (&g, loss), Criterion::Mse, &params, &picked, &picked_y, hint)
                .map_err(|m| m.replace(BATCH_GRADIENT, hint)));
        }
    }

    #[test]
    fn accumulate_indices_adds_to_the_sums() {
        let (x, y) = three();
        let mut sums = vec![1.0, 1.0];
        let text = "accumulate_indices(&[0.0, 0.0], &[[1.0, 2.0, 3.0]], &[3.0, 5.0, 7.0], &[2, 0], sums = [1.0, 1.0])";
        let sse = call(text, ACCUMULATE_INDICES, || {
            exercise_11::accumulate_indices(&[0.0, 0.0], &x, &y, &[2, 0], &mut sums)
        });
        // Rows 2 and 0: errors −7 and −3; Σe·x = −21 − 3, Σe = −10, Σe² = 58.
        let hint = if sums == [-24.0, -10.0] {
            SUMS_OVERWRITTEN
        } else if sums == [25.0, 11.0] {
            ERROR_SIGN
        } else {
            ACCUMULATE_INDICES
        };
        check(
            sums == [-23.0, -9.0] && sse == 58.0,
            text,
            format!("sums {sums:?}, Σe² {sse}"),
            "sums [-23.0, -9.0], Σe² 58.0",
            hint,
        );
    }
    /// `data` with its rows scattered by `order` instead of gathered:
    /// row `order[k]` of the result is row `k` of `data`.
    fn scattered(data: &Columns, order: &[usize]) -> Columns {
        let mut out =
            Columns { x: vec![vec![0.0; order.len()]; data.x.len()], y: vec![0.0; order.len()] };
        for (k, &i) in order.iter().enumerate() {
            for (to, from) in out.x.iter_mut().zip(&data.x) {
                to[i] = from[k];
            }
            out.y[i] = data.y[k];
        }
        out
    }

    /// Calls `gather` and names the slip if the copy is wrong.
    pub fn check_gather(text: &str, data: &Columns, order: &[usize], out: Columns) {
        let before = out.clone();
        let mut out = out;
        call(text, GATHER, || exercise_11::gather(data, order, &mut out));
        let expected = expected_gather(data, order);
        // Scattering is only defined when the order's indices are positions
        // of the order itself (a shuffle of all the rows).
        let shuffle = order.len() > 1 && order.iter().all(|&i| i < order.len());
        let hint = if shuffle && out == scattered(data, order) {
            GATHER_SCATTERED
        } else if out.y.len() > order.len() && out.y.ends_with(&expected.y) {
            GATHER_NOT_CLEARED
        } else {
            GATHER
        };
        check(
            out == expected,
            &format!("{text} with out = {before:?}"),
            format!("{out:?}"),
            format!("{expected:?}"),
            hint,
        );
    }

    /// The copy `gather` must make, written out.
    pub fn expected_gather(data: &Columns, order: &[usize]) -> Columns {
        Columns {
            x: data.x.iter().map(|column| order.iter().map(|&i| column[i]).collect()).collect(),
            y: order.iter().map(|&i| data.y[i]).collect(),
        }
    }

    #[test]
    fn gather_copies_the_rows_in_the_shuffled_order() {
        let (rows, y) = two_feature_rows();
        let data = Columns { x: columns_of(&rows), y };
        // Not its own inverse: scattering gives another table.
        let order = [3, 0, 4, 1, 2];
        check_gather(
            "gather(the two-feature table, &[3, 0, 4, 1, 2], out)",
            &data,
            &order,
            Columns::default(),
        );
        // By hand: row 3 first, (−3, 1) with target −6, then row 0.
        let mut out = Columns::default();
        exercise_11::gather(&data, &order, &mut out);
        check(
            out.x.len() == 2
                && out.x[0].first() == Some(&-3.0)
                && out.x[1].first() == Some(&1.0)
                && out.y.first() == Some(&-6.0)
                && out.y.get(1) == Some(&-1.0),
            "gather(the two-feature table, &[3, 0, 4, 1, 2], out)",
            format!("{out:?}"),
            "the first row of the copy is row 3, (−3, 1) with y = −6, then row 0 with y = −1",
            GATHER,
        );
    }

    #[test]
    fn gather_reuses_a_buffer_that_held_other_rows() {
        let (rows, y) = two_feature_rows();
        let data = Columns { x: columns_of(&rows), y };
        let text = "gather(the two-feature table, &[1, 4, 0, 3, 2], out)";
        // The last epoch's copy of the same table, in another order.
        let last = expected_gather(&data, &[4, 3, 2, 1, 0]);
        check_gather(text, &data, &[1, 4, 0, 3, 2], last);
        // A buffer that held a table of three features and seven rows.
        let (other, other_y) = made_up(7, 3);
        let bigger = Columns { x: columns_of(&other), y: other_y };
        check_gather(text, &data, &[1, 4, 0, 3, 2], bigger);
        // Batches drawn from part of the rows, and from none.
        check_gather(
            "gather(the two-feature table, &[2, 2], out)",
            &data,
            &[2, 2],
            Columns::default(),
        );
        check_gather("gather(the two-feature table, &[], out)", &data, &[], data.clone());
    }
}

// ---------------------------------------------------------------------------
// 7. The fast loop
// ---------------------------------------------------------------------------

mod step7_training {
    use super::*;

    /// Exercise 05's training with the tool's way of recording every step:
    /// the loss on all the data before the step, the parameters after.
    pub fn teaching_run(
        start: &[f64],
        rows: &[Vec<f64>],
        y: &[f64],
        config: &solution_05::OptimizerConfig,
        settings: &Settings,
    ) -> (solution_05::Run, Vec<(Vec<f64>, f64)>) {
        #[derive(Debug)]
        struct Recorder<'a> {
            inner: Box<dyn solution_05::Optimizer>,
            rows: &'a [Vec<f64>],
            y: &'a [f64],
            steps: Vec<(Vec<f64>, f64)>,
        }
        impl solution_05::Optimizer for Recorder<'_> {
            fn step(
                &mut self,
                params: &mut [f64],
                gradient: &[f64],
            ) -> Result<(), solution_05::StepError> {
                let loss = Criterion::Mse.loss(&solution_05::forward(params, self.rows), self.y);
                self.inner.step(params, gradient)?;
                self.steps.push((params.to_vec(), loss));
                Ok(())
            }
        }
        let examples = solution_05::Examples { xs: rows.to_vec(), y: y.to_vec() };
        let data = solution_05::FeatureSplit { train: examples.clone(), validation: examples };
        let mut recorder =
            Recorder { inner: solution_05::optimizer(config).unwrap(), rows, y, steps: vec![] };
        let run = solution_05::train(
            start,
            &data,
            Criterion::Mse,
            &mut recorder,
            settings,
            &mut std::io::sink(),
        )
        .unwrap();
        (run, recorder.steps)
    }

    /// Every step observed: the parameters after it, the loss before it.
    pub type Steps = Vec<(Vec<f64>, f64)>;

    /// The fast loop's run and every step it observed.
    pub fn fast_run(
        start: &[f64],
        data: &Columns,
        config: &solution_05::OptimizerConfig,
        settings: &Settings,
    ) -> (Result<exercise_11::Run, exercise_11::TrainError>, Steps) {
        let mut optimizer = solution_05::optimizer(config).unwrap();
        let mut steps = vec![];
        let run = exercise_11::train(
            start,
            data,
            Criterion::Mse,
            optimizer.as_mut(),
            settings,
            Some(&mut |p, loss| steps.push((p.to_vec(), loss))),
        );
        (run, steps)
    }

    /// The fast loop's run with nothing observed (`observe: None`).
    pub fn unobserved_run(
        start: &[f64],
        data: &Columns,
        config: &solution_05::OptimizerConfig,
        settings: &Settings,
    ) -> Result<exercise_11::Run, exercise_11::TrainError> {
        let mut optimizer = solution_05::optimizer(config).unwrap();
        exercise_11::train(start, data, Criterion::Mse, optimizer.as_mut(), settings, None)
    }

    fn relative(a: f64, b: f64) -> f64 {
        if a == b { 0.0 } else { (a - b).abs() / a.abs().max(b.abs()) }
    }

    /// Compares two runs of `per_epoch` steps per epoch, step by step;
    /// `Err` names the first difference, and its epoch and batch.
    pub fn same_steps(
        text: &str,
        got: &[(Vec<f64>, f64)],
        expected: &[(Vec<f64>, f64)],
        per_epoch: usize,
    ) -> Result<(), String> {
        if got.len() != expected.len() {
            return Err(explain(
                text,
                format!("{} steps observed", got.len()),
                format!("{} steps, one per batch of every epoch", expected.len()),
                TRAIN,
            ));
        }
        for (k, ((p, l), (ep, el))) in got.iter().zip(expected).enumerate() {
            let bad_params =
                p.len() != ep.len() || p.iter().zip(ep).any(|(a, b)| relative(*a, *b) > 1e-9);
            if bad_params {
                // The first epoch right and a later one wrong: its order.
                let (epoch, batch) = (k / per_epoch, k % per_epoch);
                let hint = if epoch > 0 && per_epoch > 1 { ORDERS } else { TRAIN };
                return Err(explain(
                    text,
                    format!("step {} (epoch {epoch}, batch {batch}): parameters {p:?}", k + 1),
                    format!("{ep:?}, exercise 05's"),
                    hint,
                ));
            }
            if relative(*l, *el) > 1e-9 {
                return Err(explain(
                    text,
                    format!("step {}: loss {l:?}", k + 1),
                    format!("{el:?}, the loss before the step"),
                    LOSS_AFTER_UPDATE,
                ));
            }
        }
        Ok(())
    }

    /// How many steps an epoch of `n` examples takes.
    pub fn per_epoch(descent: Descent, n: usize) -> usize {
        descent.batch_size(n).map_or(1, |size| n.div_ceil(size))
    }

    fn sgd(lr: f64) -> solution_05::OptimizerConfig {
        solution_05::OptimizerConfig::Sgd(solution_05::SgdConfig::new(lr))
    }

    #[test]
    fn full_batch_on_the_three_points_takes_exercise_05s_steps() {
        let (x, y) = three();
        let data = Columns { x: x.clone(), y: y.clone() };
        let settings = Settings { epochs: 5, descent: Descent::Batch, seed: 1, stop_below: 0.0 };
        let text = "train(&[0.0, 0.0], the three points, Criterion::Mse, SGD at 0.1, 5 epochs of full batch)";
        let (run, steps) = call(text, TRAIN, || fast_run(&[0.0, 0.0], &data, &sgd(0.1), &settings));
        let (expected_run, expected) =
            teaching_run(&[0.0, 0.0], &rows_of(&x), &y, &sgd(0.1), &settings);
        // The first step by hand: loss 83/3 before it, then w = 0 + 0.1·68/3, b = 0 + 0.1·10.
        check(
            steps.first().is_some_and(|(_, l)| near(*l, 83.0 / 3.0, 1.0)),
            text,
            format!("{:?}", steps.first()),
            "the first step observed with the loss 83/3 = 27.667 before it",
            LOSS_AFTER_UPDATE,
        );
        ok(same_steps(text, &steps, &expected, 1));
        let run = run.unwrap_or_else(|e| fail(text, format!("Err({e:?})"), "Ok(the run)", TRAIN));
        check(
            run.outcome == expected_run.outcome,
            text,
            format!("{:?}", run.outcome),
            format!("{:?}", expected_run.outcome),
            TRAIN,
        );
        check(
            run.history.train.len() == 5
                && run
                    .history
                    .train
                    .iter()
                    .zip(&expected_run.history.train)
                    .all(|(a, b)| relative(*a, *b) < 1e-12),
            text,
            format!("history {:?}", run.history.train),
            format!("{:?}", expected_run.history.train),
            TRAIN,
        );
        check(
            run.history.validation == run.history.train,
            text,
            format!("validation {:?}", run.history.validation),
            "the training history again (the data are both)",
            TRAIN,
        );
    }

    #[test]
    fn mini_batches_take_exercise_05s_steps_with_the_same_shuffles() {
        let adam = solution_05::OptimizerConfig::Adam(solution_05::AdamConfig::new(0.01));
        let small = made_up(23, 2);
        // Enough rows for OrdersAhead to shuffle on a thread of its own:
        // the same orders, so the same steps.
        let n = exercise_11::MIN_ROWS_AHEAD;
        let many = made_up(n, 1);
        for ((rows, y), descent, config, seed) in [
            (&small, Descent::MiniBatch(5), sgd(0.05), 7),
            (&small, Descent::Stochastic, adam, 7),
            (&small, Descent::MiniBatch(23), sgd(0.05), 7),
            (&many, Descent::MiniBatch(n / 4 + 1), sgd(0.05), 5),
        ] {
            let data = Columns { x: columns_of(rows), y: y.clone() };
            let start = vec![0.0; data.x.len() + 1];
            let settings = Settings { epochs: 3, descent, seed, stop_below: 0.0 };
            let text = format!(
                "train(&{start:?}, {} rows of {} features, Criterion::Mse, {config:?}, 3 epochs of {descent:?}, seed {seed})",
                y.len(),
                data.x.len()
            );
            let (run, steps) = call(&text, TRAIN, || fast_run(&start, &data, &config, &settings));
            let (expected_run, expected) = teaching_run(&start, rows, y, &config, &settings);
            ok(same_steps(&text, &steps, &expected, per_epoch(descent, y.len())));
            let run =
                run.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(the run)", TRAIN));
            check(
                run.params.iter().zip(&expected_run.params).all(|(a, b)| relative(*a, *b) < 1e-9),
                &text,
                format!("{:?}", run.params),
                format!("{:?}", expected_run.params),
                TRAIN,
            );
        }
    }

    #[test]
    fn with_nothing_observed_the_run_is_exercise_05s_all_the_same() {
        let adam = solution_05::OptimizerConfig::Adam(solution_05::AdamConfig::new(0.01));
        // Full batch, batches of 5, single examples, a run that converges
        // at a later epoch and one that diverges.
        let small = made_up(23, 2);
        let mut runs = vec![
            (&small, Descent::Batch, sgd(0.05), 0.0),
            (&small, Descent::MiniBatch(5), sgd(0.05), 0.0),
            (&small, Descent::Stochastic, adam, 0.0),
            (&small, Descent::MiniBatch(5), sgd(0.05), 0.8),
            (&small, Descent::MiniBatch(4), sgd(3.0), 0.0),
        ];
        // Enough rows for OrdersAhead's thread, with a run that stops while
        // the thread is an epoch ahead: stop_below halfway between the
        // losses of epochs 1 and 2, so that it converges at epoch 2.
        let n = exercise_11::MIN_ROWS_AHEAD;
        let many = made_up(n, 1);
        let batches = Descent::MiniBatch(n / 3);
        let full = Settings { epochs: 4, descent: batches, seed: 11, stop_below: 0.0 };
        let (probe, _) = teaching_run(&[0.0; 2], &many.0, &many.1, &sgd(0.01), &full);
        let halfway = (probe.history.train[1] + probe.history.train[2]) / 2.0;
        assert!(
            probe.history.train[1] > halfway && probe.history.train[2] < halfway,
            "the test's own run must lose between epochs 1 and 2: {:?}",
            probe.history.train
        );
        runs.extend([
            (&many, batches, sgd(0.01), 0.0),
            (&many, batches, sgd(0.01), halfway),
            (&many, batches, sgd(3.0), 0.0),
        ]);
        for ((rows, y), descent, config, stop_below) in runs {
            let data = Columns { x: columns_of(rows), y: y.clone() };
            let start = vec![0.0; data.x.len() + 1];
            let settings = Settings { epochs: 4, descent, seed: 11, stop_below };
            let text = format!(
                "train(&{start:?}, {} rows of {} features, Criterion::Mse, {config:?}, 4 epochs of {descent:?}, seed 11, stop_below {stop_below}, observe: None)",
                y.len(),
                data.x.len()
            );
            let (expected, _) = teaching_run(&start, rows, y, &config, &settings);
            let run = call(&text, TRAIN, || unobserved_run(&start, &data, &config, &settings));
            let run = run
                .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(the run)", UNOBSERVED));
            let same_outcome = match (run.outcome, expected.outcome) {
                (Outcome::Diverged { epoch: a, .. }, Outcome::Diverged { epoch: b, .. }) => a == b,
                (a, b) => a == b,
            };
            let close = |a: &[f64], b: &[f64]| {
                a.len() == b.len() && a.iter().zip(b).all(|(p, q)| relative(*p, *q) < 1e-9)
            };
            // The losses before epochs 0 and 1 right, a later one wrong:
            // epoch 1's batches came in another order.
            let (got, want) = (&run.history.train, &expected.history.train);
            let later_order = per_epoch(descent, y.len()) > 1
                && got.len() > 2
                && want.len() > 2
                && close(&got[..2], &want[..2])
                && !close(&got[2..], &want[2..]);
            check(
                same_outcome
                    && close(&run.params, &expected.params)
                    && close(&run.history.train, &expected.history.train),
                &text,
                format!(
                    "{:?}, parameters {:?}, history {:?}",
                    run.outcome, run.params, run.history.train
                ),
                format!(
                    "{:?}, parameters {:?}, history {:?} (exercise 05's run)",
                    expected.outcome, expected.params, expected.history.train
                ),
                if later_order { ORDERS } else { UNOBSERVED },
            );
        }
    }

    #[test]
    fn the_stopping_rules_are_exercise_05s() {
        let (x, y) = three();
        let data = Columns { x: x.clone(), y: y.clone() };
        // The third run starts on the line itself: its loss is exactly 0,
        // which is not below a stop_below of 0, so every epoch runs.
        for (start, lr, stop_below) in
            [([0.0, 0.0], 0.1, 1.0), ([0.0, 0.0], 2.0, 0.0), ([2.0, 1.0], 0.1, 0.0)]
        {
            let settings = Settings { epochs: 50, descent: Descent::Batch, seed: 1, stop_below };
            let text = format!(
                "train(&{start:?}, the three points, SGD at {lr}, 50 epochs, stop_below {stop_below})"
            );
            let (run, steps) = call(&text, TRAIN, || fast_run(&start, &data, &sgd(lr), &settings));
            let (expected_run, expected_steps) =
                teaching_run(&start, &rows_of(&x), &y, &sgd(lr), &settings);
            let run =
                run.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(the run)", TRAIN));
            let same = match (run.outcome, expected_run.outcome) {
                (Outcome::Diverged { epoch: a, .. }, Outcome::Diverged { epoch: b, .. }) => a == b,
                (a, b) => a == b,
            };
            check(
                same && steps.len() == expected_steps.len(),
                &text,
                format!("{:?} after {} steps", run.outcome, steps.len()),
                format!("{:?} after {} steps", expected_run.outcome, expected_steps.len()),
                TRAIN,
            );
        }
    }

    #[test]
    fn bad_starts_and_zero_batches_are_errors() {
        let (x, y) = three();
        let data = Columns { x, y };
        let settings = Settings { epochs: 1, descent: Descent::Batch, seed: 1, stop_below: 0.0 };
        let text = "train(&[0.0, 0.0, 0.0], one feature, …)";
        let (run, _) = call(text, TRAIN, || fast_run(&[0.0; 3], &data, &sgd(0.1), &settings));
        check(
            matches!(run, Err(exercise_11::TrainError::StartLength { got: 3, features: 1 })),
            text,
            format!("{run:?}"),
            "Err(StartLength { got: 3, features: 1 })",
            TRAIN,
        );
        let zero = Settings { descent: Descent::MiniBatch(0), ..settings };
        let text = "train(…, Descent::MiniBatch(0))";
        let (run, _) = call(text, TRAIN, || fast_run(&[0.0; 2], &data, &sgd(0.1), &zero));
        check(
            matches!(run, Err(exercise_11::TrainError::ZeroBatchSize)),
            text,
            format!("{run:?}"),
            "Err(ZeroBatchSize)",
            TRAIN,
        );
    }
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

mod step8_properties {
    use super::*;

    /// 1 to 6 features (up to 4 in registers, more in blocks), 1 to 700 rows
    /// (up to three blocks), the targets and the parameters.
    fn data() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>, Vec<f64>)> {
        (1usize..=6, 1usize..=700).prop_flat_map(|(d, n)| {
            (vec(vec(-10.0..10.0f64, d), n), vec(-10.0..10.0f64, n), vec(-5.0..5.0f64, d + 1))
        })
    }

    fn criteria() -> impl Strategy<Value = Criterion> {
        prop_oneof![Just(Criterion::Mse), Just(Criterion::HalfMse)]
    }

    #[test]
    fn every_step_is_exercise_05s_gradient_for_any_data() {
        let (x, y) = three();
        call("gradient_columns(Criterion::Mse, &[0.0, 0.0], …)", GRADIENT_COLUMNS, || {
            exercise_11::gradient_columns(Criterion::Mse, &[0.0, 0.0], &x, &y)
        });
        for_all(1101, (data(), criteria()), |((rows, y, params), criterion)| {
            let x = exercise_11::to_columns(&rows);
            let text = |f: &str| {
                format!(
                    "{f}(Criterion::{criterion:?}, {params:?}, {} rows of {} features, y, …)",
                    y.len(),
                    params.len() - 1
                )
            };
            let slow = exercise_11::gradient_columns(criterion, &params, &x, &y);
            let loss = teaching(criterion, &params, &rows, &y).1;
            check_step(
                &text("gradient_columns"),
                (&slow, loss),
                criterion,
                &params,
                &rows,
                &y,
                GRADIENT_COLUMNS,
            )?;
            let mut g = dirty(params.len());
            let loss = exercise_11::fused(criterion, &params, &x, &y, &mut g);
            check_step(&text("fused"), (&g, loss), criterion, &params, &rows, &y, FUSED)?;
            let mut g = dirty(params.len());
            let loss = exercise_11::blocked(criterion, &params, &x, &y, &mut g);
            check_step(&text("blocked"), (&g, loss), criterion, &params, &rows, &y, BLOCKED)
        });
    }

    #[test]
    fn accumulate_simd_is_accumulate_fused_to_the_bit_for_any_data() {
        // 1 to 4 features (accumulate_simd's), 1 to 64 rows (up to 16 chunks
        // and a remainder; few enough to read a failing case), any range.
        let cases =
            (1usize..=4, 1usize..=64, 0usize..=64, 0usize..=64).prop_flat_map(|(d, n, a, b)| {
                let (start, end) = (a.min(b).min(n), a.max(b).min(n));
                let rows = vec(vec(-10.0..10.0f64, d), n);
                (rows, vec(-10.0..10.0f64, n), vec(-5.0..5.0f64, d + 1), Just(start), Just(end))
            });
        for_all(1109, cases, |(rows, y, params, start, end)| {
            let d = params.len() - 1;
            let given: Vec<f64> = (0..=d).map(|j| j as f64 - 1.5).collect();
            let text = format!(
                "accumulate_simd::<{d}>({params:?}, {} rows, y, {start}..{end}, sums = {given:?})",
                y.len()
            );
            let compare = match d {
                1 => step4_blocks::simd_matches_fused::<1>,
                2 => step4_blocks::simd_matches_fused::<2>,
                3 => step4_blocks::simd_matches_fused::<3>,
                _ => step4_blocks::simd_matches_fused::<4>,
            };
            compare(&rows, &y, &params, start..end, &given, &text)
        });
    }

    #[test]
    fn threads_change_nothing_but_the_last_bits() {
        for_all(1102, (data(), 1usize..=5), |((rows, y, params), threads)| {
            let x = exercise_11::to_columns(&rows);
            let mut g = dirty(params.len());
            let text = format!(
                "threaded(Criterion::Mse, {params:?}, {} rows, y, {threads}, gradient)",
                y.len()
            );
            let loss = exercise_11::threaded(Criterion::Mse, &params, &x, &y, threads, &mut g);
            check_step(&text, (&g, loss), Criterion::Mse, &params, &rows, &y, THREADED)
        });
    }

    #[test]
    fn dot_and_sum_are_the_plain_sums_to_the_last_bits_that_order_changes() {
        let lists = (0usize..=40).prop_flat_map(|n| (vec(-1e3..1e3f64, n), vec(-1e3..1e3f64, n)));
        for_all(1103, lists, |(a, b)| {
            let got = exercise_11::dot(&a, &b);
            let plain: f64 = a.iter().zip(&b).map(|(p, q)| p * q).sum();
            let size: f64 = a.iter().zip(&b).map(|(p, q)| (p * q).abs()).sum();
            if !near(got, plain, size) {
                return Err(explain(
                    &format!("dot(&{a:?}, &{b:?})"),
                    got,
                    format!("{plain:?}"),
                    DOT,
                ));
            }
            let got = exercise_11::sum(&a);
            let expected = reference::sum(&a);
            if got.to_bits() != expected.to_bits() {
                return Err(explain(
                    &format!("sum(&{a:?})"),
                    got,
                    format!("{expected:?}, lane by lane in the documented order"),
                    SUM,
                ));
            }
            Ok(())
        });
    }

    #[test]
    fn a_gathered_batch_is_the_gradient_of_those_rows() {
        let cases = data().prop_flat_map(|(rows, y, params)| {
            let n = rows.len();
            let order = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
            (Just(rows), Just(y), Just(params), order, 1..=n)
        });
        for_all(1107, cases, |(rows, y, params, order, size)| {
            let data = Columns { x: exercise_11::to_columns(&rows), y: y.clone() };
            let mut out = Columns::default();
            exercise_11::gather(&data, &order, &mut out);
            if out != step6_batches::expected_gather(&data, &order) {
                return Err(explain(
                    &format!("gather({} rows, &{order:?}, out)", y.len()),
                    format!("{out:?}"),
                    format!("{:?}", step6_batches::expected_gather(&data, &order)),
                    GATHER,
                ));
            }
            // Batch k of the order is the rows k·size .. of the copy.
            for (k, indices) in order.chunks(size).enumerate() {
                let rows_of_copy = k * size..k * size + indices.len();
                let mut g = vec![0.0; params.len()];
                let sse =
                    reference::accumulate(&params, &out.x, &out.y, rows_of_copy.clone(), &mut g);
                let loss = reference::finish(Criterion::Mse, indices.len(), sse, &mut g);
                let picked: Vec<Vec<f64>> = indices.iter().map(|&i| rows[i].clone()).collect();
                let picked_y: Vec<f64> = indices.iter().map(|&i| y[i]).collect();
                let text = format!(
                    "the gradient of rows {rows_of_copy:?} of gather({} rows, &{order:?}, out)",
                    y.len()
                );
                check_step(&text, (&g, loss), Criterion::Mse, &params, &picked, &picked_y, GATHER)?;
            }
            Ok(())
        });
    }

    #[test]
    fn a_batch_by_index_is_the_gradient_of_those_rows() {
        let batches = data().prop_flat_map(|(rows, y, params)| {
            let n = rows.len();
            (Just(rows), Just(y), Just(params), vec(0..n, 1..=n.min(50)))
        });
        for_all(1104, batches, |(rows, y, params, indices)| {
            let x = exercise_11::to_columns(&rows);
            let mut g = dirty(params.len());
            let text = format!(
                "batch_gradient(Criterion::Mse, {params:?}, {} rows, y, &{indices:?}, gradient)",
                y.len()
            );
            let loss =
                exercise_11::batch_gradient(Criterion::Mse, &params, &x, &y, &indices, &mut g);
            let picked: Vec<Vec<f64>> = indices.iter().map(|&i| rows[i].clone()).collect();
            let picked_y: Vec<f64> = indices.iter().map(|&i| y[i]).collect();
            check_step(
                &text,
                (&g, loss),
                Criterion::Mse,
                &params,
                &picked,
                &picked_y,
                BATCH_GRADIENT,
            )
        });
    }

    #[test]
    fn batches_cover_the_order_once_in_order() {
        for_all(1105, (1usize..=60, 1usize..=70), |(n, size)| {
            let order: Vec<usize> = (0..n).rev().collect();
            let mut joined = vec![];
            for k in 0..n.div_ceil(size) {
                let b = exercise_11::batch(&order, k, size);
                if b.is_empty() || b.len() > size {
                    return Err(explain(
                        &format!("batch(&{order:?}, {k}, {size})"),
                        format!("{b:?}"),
                        format!("1 to {size} indices"),
                        BATCH_OFF_BY_ONE,
                    ));
                }
                joined.extend_from_slice(b);
            }
            if joined != order {
                return Err(explain(
                    &format!("the batches of {size} of {order:?}, joined"),
                    format!("{joined:?}"),
                    format!("{order:?}"),
                    BATCH_OFF_BY_ONE,
                ));
            }
            Ok(())
        });
    }

    #[test]
    fn the_fast_loop_takes_exercise_05s_steps_for_any_data() {
        let runs =
            (1usize..=2, 2usize..=30, 1usize..=31, 0u64..1000).prop_flat_map(|(d, n, b, seed)| {
                (vec(vec(-3.0..3.0f64, d), n), vec(-3.0..3.0f64, n), Just(b), Just(seed))
            });
        for_all(1106, runs, |(rows, y, size, seed)| {
            let d = rows[0].len();
            let data = Columns { x: exercise_11::to_columns(&rows), y: y.clone() };
            let config = solution_05::OptimizerConfig::Sgd(solution_05::SgdConfig {
                momentum: 0.5,
                ..solution_05::SgdConfig::new(0.01)
            });
            let settings =
                Settings { epochs: 2, descent: Descent::MiniBatch(size), seed, stop_below: 0.0 };
            let text = format!(
                "train(&[0.0; {}], {} rows, …, 2 epochs of batches of {size}, seed {seed})",
                d + 1,
                y.len()
            );
            let (_, steps) = step7_training::fast_run(&vec![0.0; d + 1], &data, &config, &settings);
            let (_, expected) =
                step7_training::teaching_run(&vec![0.0; d + 1], &rows, &y, &config, &settings);
            let per_epoch = step7_training::per_epoch(settings.descent, y.len());
            step7_training::same_steps(&text, &steps, &expected, per_epoch)?;
            // Nothing observed: the same steps, so the same last parameters.
            let unobserved =
                step7_training::unobserved_run(&vec![0.0; d + 1], &data, &config, &settings);
            let last = steps.last().map(|(p, _)| p.clone());
            match (&unobserved, &last) {
                (Ok(run), Some(p)) if run.params == *p => Ok(()),
                _ => Err(explain(
                    &format!("{text} with observe: None"),
                    format!("{unobserved:?}"),
                    format!("Ok(a run ending at {last:?}, the observed run's last parameters)"),
                    UNOBSERVED,
                )),
            }
        });
    }
}
