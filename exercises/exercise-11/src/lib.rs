//! # Exercise 11: making it fast
//!
//! Exercise 05's gradient is written to be read: the rows of features as a
//! `Vec<Vec<f64>>`, the predictions in a fresh vector, the derivative of the
//! criterion in another, then the backward pass. On a million rows it spends
//! its time allocating and chasing pointers, not computing. This crate takes
//! the same gradient, with the same numbers, from the teaching loop to a fast
//! one, one step at a time, each step a function you can measure
//! (`cargo bench -p solution-11` prints every step's time):
//!
//! 1. **Columns instead of rows** ([`to_columns`], [`gradient_columns`]):
//!    one `Vec` per feature, read from start to end.
//! 2. **One fused pass** ([`fused`], [`finish`]): each example's error is
//!    used at once for Σe·xⱼ, Σe and Σe², the loss too; nothing is allocated.
//! 3. **Several accumulators, chunked loops** ([`dot`], [`sum`]): four
//!    running sums instead of one, over `chunks_exact`, so that the processor
//!    can add four numbers at a time.
//! 4. **Blocks, registers and vectors** ([`errors_into`],
//!    [`accumulate_blocks`], [`accumulate_fused`], [`accumulate_simd`],
//!    [`blocked`]): the errors of 256 rows at a time in a buffer on the
//!    stack, then one chunked pass per column; or, for up to four features,
//!    the errors of four rows at a time in registers, every sum in four
//!    lanes, in one pass; then the same lanes as explicit vectors (`f64x4`),
//!    which the compiler cannot fail to pack.
//! 5. **Threads, where they pay** ([`threads_for`], [`threaded`]): the rows
//!    split between threads, each with its own partial sums, combined in
//!    order.
//! 6. **Mini-batches by index** ([`batch`], [`accumulate_indices`],
//!    [`batch_gradient`]): a batch is a slice of the shuffled order, and the
//!    rows are read where they are, never copied; then **shuffle once, read
//!    in order** ([`gather`]): the rows copied in the shuffled order once
//!    per epoch, every batch a run of consecutive rows of that copy.
//! 7. **The fast loop** ([`gradient`], [`loss`], [`OrdersAhead`],
//!    [`train`]): exercise 05's training loop and optimizers on columns, one
//!    pass per full-batch step, the next epoch's shuffle made on another
//!    core while this epoch's batches run.
//!
//! Every step gives exercise 05's gradient to within 1e-12, relative: not to
//! the last bit, because adding numbers in another order rounds them
//! differently. Chapter 11 of the book, "Making it fast", explains every
//! step and measures it.
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Work from the top of the file down.

use std::ops::Range;

/// Four `f64` in one vector, added and multiplied lane by lane (the `wide`
/// crate, which nalgebra already builds).
pub use wide::f64x4;

use rand::seq::SliceRandom;
use solution_01::seeded_rng;
/// The problems with examples that exercise 03 describes.
pub use solution_03::GradientError;
#[allow(unused_imports)]
use solution_04::has_diverged;
/// What exercise 04 defined: the settings of a run, its history and outcome.
pub use solution_04::{Descent, History, Outcome, Settings};
/// Exercise 05's criterion, optimizers, errors and its run.
pub use solution_05::{Criterion, Optimizer, Run, TrainError};

// ANCHOR: constants
/// How many running sums [`dot`] and [`sum`] keep: four, so that four
/// additions are in flight at once and the compiler can pack them into
/// vector instructions.
pub const LANES: usize = 4;

/// How many rows [`accumulate`] takes at a time: the errors of a block fit
/// in a buffer on the stack (2 KiB) and in the processor's fastest cache.
pub const BLOCK: usize = 256;

/// The fewest rows worth a thread of their own. On the course's 2-core
/// machine, starting and joining a thread costs about 35 µs, and the pass
/// in vectors reads a million rows in about 0.55 ms on one core. With the
/// second core free, two threads broke even at about 300 000 rows and took
/// a million in 85% of the time; with it busy with other work, they lost
/// below 500 000 rows and about broke even above (measured with
/// `cargo bench -p solution-11 s4`, chapter 11, "When threads pay"). So a
/// second thread from 500 000 rows, 250 000 each. Measure again on your
/// machine.
pub const MIN_ROWS_PER_THREAD: usize = 250_000;
// ANCHOR_END: constants

// ---------------------------------------------------------------------------
// 1. Columns instead of rows
// ---------------------------------------------------------------------------

// ANCHOR: columns
/// Examples stored column by column: `x[j][i]` is feature `j` of example
/// `i`, and `y[i]` its target. Each column is one `Vec`, read from start to
/// end: one allocation per feature instead of one per example.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns {
    /// One column per feature, each with one value per example.
    pub x: Vec<Vec<f64>>,
    /// One target per example.
    pub y: Vec<f64>,
}

impl Columns {
    /// The number of examples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The number of features.
    pub fn features(&self) -> usize {
        self.x.len()
    }
}
// ANCHOR_END: columns

// ANCHOR: to_columns
/// The rows of exercise 05 (`rows[i][j]`, feature `j` of example `i`) as
/// columns (`x[j][i]`): as many columns as the first row has features (none
/// without rows), column `j` holding feature `j` of every row, in order.
/// The rows all have the same length (exercise 03 checked them).
pub fn to_columns(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    todo!(
        "one Vec per feature j (rows[0].len() of them), holding rows[i][j] for every row i in order"
    )
}
// ANCHOR_END: to_columns

// ANCHOR: gradient_columns
/// Exercise 05's `gradient` on columns, still in three passes with two
/// vectors: the predictions `ŷᵢ = b + Σⱼ wⱼ·xⱼᵢ` (start every prediction at
/// the bias, then add `wⱼ·xⱼᵢ` one column at a time), the errors
/// `eᵢ = ŷᵢ − yᵢ`, then the `d + 1` partial derivatives
///
/// ```text
/// ∂L/∂wⱼ = (factor/N) · Σᵢ eᵢ·xⱼᵢ      ∂L/∂b = (factor/N) · Σᵢ eᵢ
/// ```
///
/// with the factor 2 for `Mse` and 1 for `HalfMse`. `params` holds one
/// weight per column, then the bias (exercise 05's order).
pub fn gradient_columns(
    criterion: Criterion,
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
) -> Vec<f64> {
    todo!(
        "predictions column by column from the bias, the errors ŷ − y, then factor/N times Σe·xⱼ for every column and Σe"
    )
}
// ANCHOR_END: gradient_columns

/// The factor of the criterion's derivative: 2 for `Mse`, 1 for `HalfMse`.
/// (Written for you.)
pub fn factor(criterion: Criterion) -> f64 {
    match criterion {
        Criterion::Mse => 2.0,
        Criterion::HalfMse => 1.0,
    }
}

// ---------------------------------------------------------------------------
// 2. One fused pass
// ---------------------------------------------------------------------------

// ANCHOR: finish
/// Turns the sums of one pass over `n` examples into the gradient and the
/// loss. On entry `sums` holds `Σᵢ eᵢ·xⱼᵢ` for every feature `j`, then
/// `Σᵢ eᵢ` (the bias's), and `sse` is `Σᵢ eᵢ²`; on return `sums` holds the
/// gradient, each sum times `factor/N` ([`factor`]), and the result is the
/// criterion's loss, `sse/N` for `Mse`, half of it for `HalfMse`.
pub fn finish(criterion: Criterion, n: usize, sse: f64, sums: &mut [f64]) -> f64 {
    todo!("every sum times factor/n, and sse/n (half of it for HalfMse)")
}
// ANCHOR_END: finish

// ANCHOR: fused
/// The gradient and the loss in **one pass** over the examples, without
/// allocating: for each example `i`, its error
/// `eᵢ = b + Σⱼ wⱼ·xⱼᵢ − yᵢ`, then `eᵢ·xⱼᵢ` added to `gradient[j]` for
/// every feature, `eᵢ` to `gradient[d]` (the bias's) and `eᵢ²` to a running
/// `sse`. Start `gradient` at zeros (it may hold anything on entry) and end
/// with [`finish`], whose loss you return: the loss at `params`, before any
/// update, with no second forward pass. `gradient` has `params.len()`
/// numbers.
pub fn fused(
    criterion: Criterion,
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    gradient: &mut [f64],
) -> f64 {
    todo!(
        "zero the gradient, then per example: its error, e·xⱼ into gradient[j], e into the last entry, e² into sse; then finish"
    )
}
// ANCHOR_END: fused

// ---------------------------------------------------------------------------
// 3. Several accumulators, chunked loops
// ---------------------------------------------------------------------------

// ANCHOR: dot
/// `Σᵢ aᵢ·bᵢ` with [`LANES`] running sums: over `a.chunks_exact(LANES)`
/// and `b.chunks_exact(LANES)` side by side, lane `k` adds the products of
/// the `k`-th entries of every chunk; the remainder (the last
/// `len % LANES` pairs, which no chunk holds) goes into lanes `0, 1, …` in
/// order; the result is the lanes added up in order, `acc[0] + acc[1] + …`.
/// The slices have the same length.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    todo!(
        "[0.0; LANES] accumulators over the chunks, the remainders into lanes 0, 1, …, then the lanes summed"
    )
}
// ANCHOR_END: dot

// ANCHOR: sum
/// `Σᵢ aᵢ` the way [`dot`] adds: [`LANES`] running sums over
/// `a.chunks_exact(LANES)`, the remainder into lanes `0, 1, …`, the lanes
/// added up in order.
pub fn sum(a: &[f64]) -> f64 {
    todo!(
        "[0.0; LANES] accumulators over the chunks, the remainder into lanes 0, 1, …, then the lanes summed"
    )
}
// ANCHOR_END: sum

// ---------------------------------------------------------------------------
// 4. Blocks
// ---------------------------------------------------------------------------

// ANCHOR: errors_into
/// The errors of the `e.len()` examples from `start` on:
/// `e[k] = b + Σⱼ wⱼ·xⱼ[start + k] − y[start + k]`. Fill `e` with
/// `b − yᵢ`, then add `wⱼ·xⱼᵢ` one column at a time, each a simple loop over
/// a slice that the compiler can vectorise.
pub fn errors_into(params: &[f64], x: &[Vec<f64>], y: &[f64], start: usize, e: &mut [f64]) {
    todo!("e[k] = b − y[start + k], then for every column e[k] += wⱼ·xⱼ[start + k]")
}
// ANCHOR_END: errors_into

// ANCHOR: accumulate_blocks
/// Adds the sums of the examples `rows` to `sums` (`Σ eᵢ·xⱼᵢ` to
/// `sums[j]`, `Σ eᵢ` to `sums[d]`) and returns their `Σ eᵢ²`, for any
/// number of features, block by block: for each block of at most [`BLOCK`] rows, the errors into a
/// buffer on the stack (`[0.0; BLOCK]`, [`errors_into`]), then [`dot`] with
/// each column's slice of the block, [`sum`] of the errors, and
/// [`dot`] of the errors with themselves. Nothing is allocated; `sums` is
/// added to, not overwritten.
pub fn accumulate_blocks(
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    rows: Range<usize>,
    sums: &mut [f64],
) -> f64 {
    todo!(
        "for each block of ≤ BLOCK rows: errors_into a stack buffer, dot with every column's slice into sums[j], sum into sums[d], dot(e, e) into sse"
    )
}
// ANCHOR_END: accumulate_blocks

// ANCHOR: accumulate_fused
/// [`accumulate_blocks`] for exactly `D` features, with no buffer: the
/// errors stay in registers. Over the rows `rows`, four at a time
/// (`LANES`): the four errors `e[k] = b − y[i + k] + Σⱼ wⱼ·xⱼ[i + k]`, then
/// lane `k` of each sum adds its row's `e[k]·xⱼ[i + k]`, `e[k]` and
/// `e[k]²`. The last `len % LANES` rows go into lanes `0, 1, …` the same
/// way. The accumulators are arrays on the stack, `[[0.0; LANES]; D]` for
/// the features and `[0.0; LANES]` for `Σe` and `Σe²`; at the end each
/// sum's lanes, added up in order, are added to `sums[j]` (`sums[D]` for
/// `Σe`), and the lanes of `Σe²` are returned. `D` is a constant, so the
/// compiler unrolls the loops over the features.
pub fn accumulate_fused<const D: usize>(
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    rows: Range<usize>,
    sums: &mut [f64],
) -> f64 {
    todo!(
        "lanes of Σe·xⱼ, Σe and Σe² on the stack; four rows at a time, their errors in an array, each added to its lane; the remainder into lanes 0, 1, …; then every sum's lanes added up into sums"
    )
}
// ANCHOR_END: accumulate_fused

// ANCHOR: accumulate_simd
/// [`accumulate_fused`] with its lanes in vectors the compiler cannot miss:
/// `f64x4` (from the `wide` crate) holds four `f64` and adds, subtracts and
/// multiplies them lane by lane, with vector instructions on every common
/// processor (SSE2 or AVX on x86-64, NEON on ARM). The same lanes and the
/// same operations in the same order give the same bits as
/// [`accumulate_fused`]:
///
/// - `f64x4::splat(bias)` and `f64x4::splat(wⱼ)` for every feature, made
///   once; the accumulators `[f64x4::ZERO; D]` for `Σe·xⱼ`, and
///   `f64x4::ZERO` for `Σe` and for `Σe²`;
/// - for every chunk of four rows (`LANES`), the chunk's four targets and
///   each column's four values at the same rows, each slice of four read
///   as a vector with `f64x4::new(slice.try_into().unwrap())`: `e = b − y`,
///   then `e += wⱼ·xⱼ` for `j` in order, then `products[j] += e·xⱼ`,
///   `errors += e`, `squares += e·e` (`+`, `−`, `*` and `+=` work on
///   `f64x4` lane by lane);
/// - then the accumulators back into arrays (`to_array()`), the last
///   `len % LANES` rows into lanes `0, 1, …` of those arrays as
///   [`accumulate_fused`] adds them (with the plain `f64` bias and
///   weights), and each sum's lanes added up in order, lane 0 first
///   (`iter().sum::<f64>()`), into `sums[j]` (`sums[D]` for `Σe`); the
///   lanes of `Σe²` are returned. (`f64x4::reduce_add` adds the lanes in
///   another order, and so changes the last bits.)
pub fn accumulate_simd<const D: usize>(
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    rows: Range<usize>,
    sums: &mut [f64],
) -> f64 {
    todo!(
        "splat the bias and the weights; f64x4 accumulators; for each chunk of four rows e = b − y, e += wⱼ·xⱼ, products[j] += e·xⱼ, errors += e, squares += e·e; then to_array, the remainder into lanes 0, 1, …, every sum's lanes added up in order into sums"
    )
}
// ANCHOR_END: accumulate_simd

// ANCHOR: accumulate
/// The sums of the rows `rows` added to `sums`, and their `Σe²`: by
/// [`accumulate_simd`] for 1 to 4 features, by [`accumulate_blocks`] for
/// more, whose accumulators would not fit in the processor's registers.
/// (Written for you.)
pub fn accumulate(
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    rows: Range<usize>,
    sums: &mut [f64],
) -> f64 {
    match x.len() {
        1 => accumulate_simd::<1>(params, x, y, rows, sums),
        2 => accumulate_simd::<2>(params, x, y, rows, sums),
        3 => accumulate_simd::<3>(params, x, y, rows, sums),
        4 => accumulate_simd::<4>(params, x, y, rows, sums),
        _ => accumulate_blocks(params, x, y, rows, sums),
    }
}
// ANCHOR_END: accumulate

// ANCHOR: blocked
/// The gradient and the loss of all the examples by [`accumulate`]: zero
/// `gradient`, accumulate every row into it, then [`finish`].
pub fn blocked(
    criterion: Criterion,
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    gradient: &mut [f64],
) -> f64 {
    todo!("gradient.fill(0.0), accumulate 0..N into it, then finish")
}
// ANCHOR_END: blocked

// ---------------------------------------------------------------------------
// 5. Threads, where they pay
// ---------------------------------------------------------------------------

// ANCHOR: threads_for
/// How many threads a pass over `rows` examples should use when `available`
/// cores are free: one per [`MIN_ROWS_PER_THREAD`] rows (whole ones),
/// at most `available`, and at least 1.
pub fn threads_for(rows: usize, available: usize) -> usize {
    todo!("rows / MIN_ROWS_PER_THREAD, capped at available, at least 1")
}
// ANCHOR_END: threads_for

// ANCHOR: threaded
/// [`blocked`] with the rows split into chunks of `c = ⌈N / threads⌉`
/// rows (at most `threads` of them): chunk `t` is the rows
/// `t·c .. min((t + 1)·c, N)`. Every chunk but the last goes to a thread of
/// its own (`std::thread::scope`); the calling thread takes the last chunk
/// itself while the others run, rather than wait: one thread fewer to
/// start. Each chunk is accumulated into partial sums of its own
/// (`vec![0.0; d + 1]`) with its `Σe²`. The partial sums are then added
/// into `gradient` (zeroed first) in the order of the chunks, every
/// chunk's, and [`finish`] divides by `N`, all the examples, once. With
/// `threads ≤ 1`, no thread is started: this is [`blocked`].
pub fn threaded(
    criterion: Criterion,
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    threads: usize,
    gradient: &mut [f64],
) -> f64 {
    todo!(
        "blocked when threads ≤ 1; else a scoped thread for every chunk of ⌈N/threads⌉ rows but the last, which the caller accumulates itself; each chunk's sums added up in order, then finish with N"
    )
}
// ANCHOR_END: threaded

// ---------------------------------------------------------------------------
// 6. Mini-batches by index
// ---------------------------------------------------------------------------

// ANCHOR: batch
/// Batch `k` (from 0) of batches of `size` in the shuffled `order`: the
/// indices `order[k·size .. min((k + 1)·size, N)]`, a slice of `order`,
/// nothing copied. The last batch may be shorter. `k` is below
/// `⌈N / size⌉` and `size ≥ 1`.
pub fn batch(order: &[usize], k: usize, size: usize) -> &[usize] {
    todo!("the slice from k·size to (k + 1)·size, cut at order.len()")
}
// ANCHOR_END: batch

// ANCHOR: accumulate_indices
/// [`accumulate`] for the examples at `indices` (in that order), read where
/// they are: for each index `i`, its error `eᵢ = b + Σⱼ wⱼ·xⱼᵢ − yᵢ`, then
/// `eᵢ·xⱼᵢ` added to `sums[j]`, `eᵢ` to `sums[d]`; returns `Σ eᵢ²`.
pub fn accumulate_indices(
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    indices: &[usize],
    sums: &mut [f64],
) -> f64 {
    todo!("for every index i: its error, e·xⱼᵢ into sums[j], e into sums[d], e² into sse")
}
// ANCHOR_END: accumulate_indices

// ANCHOR: batch_gradient
/// The gradient and the loss of the examples at `indices`: zero `gradient`,
/// [`accumulate_indices`], then [`finish`] with the batch's size.
pub fn batch_gradient(
    criterion: Criterion,
    params: &[f64],
    x: &[Vec<f64>],
    y: &[f64],
    indices: &[usize],
    gradient: &mut [f64],
) -> f64 {
    todo!("gradient.fill(0.0), accumulate_indices into it, finish with indices.len()")
}
// ANCHOR_END: batch_gradient

// ANCHOR: gather
/// The examples in the shuffled `order`, copied into `out`:
/// `out.x[j][k] = data.x[j][order[k]]` and `out.y[k] = data.y[order[k]]`
/// for every position `k` of `order`. `out` is reused from epoch to epoch:
/// whatever it held before, it ends with as many columns as `data`, each
/// with `order.len()` values (clear each `Vec` and refill it: its memory is
/// kept). Batch `k` of the shuffled order is then the consecutive rows
/// `k·size .. min((k + 1)·size, N)` of `out`.
pub fn gather(data: &Columns, order: &[usize], out: &mut Columns) {
    todo!(
        "out.x resized to data's number of columns; every column and out.y cleared, then extended with the values at order[0], order[1], …"
    )
}
// ANCHOR_END: gather

// ---------------------------------------------------------------------------
// 7. The fast loop
// ---------------------------------------------------------------------------

/// The number of cores this process may use (1 when the system does not
/// say), asked once and remembered: on Linux the answer reads several
/// files (the process's cgroup and its CPU quota), about as long as a pass
/// over 20 000 rows, and `train` asks before every pass. (Written for you.)
pub fn available_threads() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

// ANCHOR: orders_ahead
/// The fewest rows for which [`OrdersAhead`] shuffles on a thread of its
/// own. Handing an order from one thread to the other costs about as much
/// as shuffling 5 000 rows (the waiting thread must be woken). On the
/// course's 2-core machine, an epoch of batches of 1 000 or 32 took as long
/// with the thread as without it on 5 000 rows, 0.12 ms against 0.13 to
/// 0.19 ms on 20 000, 0.26 against 0.38 on 50 000 (chapter 11, "The next
/// order, made ahead"). So from 20 000 rows.
pub const MIN_ROWS_AHEAD: usize = 20_000;

/// Every epoch's shuffled order, the next one made while this epoch's
/// batches run (written for you). The orders are exercise 04's:
/// `(0..n).collect()` shuffled by one generator `seeded_rng(seed)`, epoch
/// after epoch, so a run is the same to the last bit as with the shuffle in
/// the loop; only where the work is done changes. A shuffle does not depend
/// on the parameters, so it need not wait for them.
///
/// The first call of [`OrdersAhead::next_order`] shuffles in place. Then,
/// with at least [`MIN_ROWS_AHEAD`] rows, two cores and more epochs to
/// come, a thread of its own takes over the generator and makes the other
/// orders, each one epoch ahead; two buffers take turns, the order lent out
/// and the one being made. A run that never asks (full batch) starts no
/// thread. Dropping it stops the thread and waits for it: at most the rest
/// of one shuffle.
#[derive(Debug)]
pub struct OrdersAhead {
    n: usize,
    /// How many orders are still to be lent.
    left: usize,
    /// The order lent out last.
    current: Vec<usize>,
    maker: Maker,
}
// ANCHOR_END: orders_ahead

/// Who shuffles: the caller, with the generator, or a thread of its own.
#[derive(Debug)]
enum Maker {
    Here(Box<solution_01::ChaCha8Rng>),
    // Fields are dropped in this order: both ways to the thread are closed,
    // which ends its wait (or its next one), before it is waited for.
    Ahead {
        made: std::sync::mpsc::Receiver<Vec<usize>>,
        spare: std::sync::mpsc::Sender<Vec<usize>>,
        worker: Joined,
    },
}

/// A thread that is waited for when it is dropped.
#[derive(Debug)]
struct Joined(Option<std::thread::JoinHandle<()>>);

impl Drop for Joined {
    fn drop(&mut self) {
        if let Some(worker) = self.0.take() {
            let _ = worker.join();
        }
    }
}

impl OrdersAhead {
    /// The orders of `epochs` epochs of `n` rows, from `seeded_rng(seed)`.
    pub fn new(n: usize, epochs: usize, seed: u64) -> OrdersAhead {
        let maker = Maker::Here(Box::new(seeded_rng(seed)));
        OrdersAhead { n, left: epochs, current: Vec::new(), maker }
    }

    /// The next epoch's order; the order lent before goes back to be reused.
    /// At most `epochs` calls.
    pub fn next_order(&mut self) -> &[usize] {
        self.left = self.left.checked_sub(1).expect("OrdersAhead: more orders asked than epochs");
        match &mut self.maker {
            Maker::Here(rng) => {
                self.current.clear();
                self.current.extend(0..self.n);
                self.current.shuffle(rng.as_mut());
                if self.left > 0 && self.n >= MIN_ROWS_AHEAD && available_threads() >= 2 {
                    // The thread goes on from the generator's state.
                    self.maker = ahead(rng.as_ref().clone(), self.n, self.left);
                }
            }
            Maker::Ahead { made, spare, worker } => {
                // The thread makes no more than it was told, and takes no
                // buffer back after its last order.
                let _ = spare.send(std::mem::take(&mut self.current));
                self.current = made.recv().unwrap_or_else(|_| {
                    if let Some(Err(panic)) = worker.0.take().map(std::thread::JoinHandle::join) {
                        std::panic::resume_unwind(panic);
                    }
                    unreachable!("the thread makes every order it was told to")
                });
            }
        }
        &self.current
    }
}

// ANCHOR: orders_ahead_thread
/// A thread that shuffles `orders` orders of `n` rows with `rng`, one
/// ahead of the caller.
fn ahead(mut rng: solution_01::ChaCha8Rng, n: usize, orders: usize) -> Maker {
    let (done, made) = std::sync::mpsc::sync_channel(1);
    let (spare, spares) = std::sync::mpsc::channel::<Vec<usize>>();
    let worker = std::thread::spawn(move || {
        for k in 0..orders {
            // A buffer of its own for the first order; then each one the
            // caller hands back.
            let mut order = if k == 0 {
                Vec::with_capacity(n)
            } else {
                match spares.recv() {
                    Ok(order) => order,
                    Err(_) => return,
                }
            };
            order.clear();
            order.extend(0..n);
            order.shuffle(&mut rng);
            if done.send(order).is_err() {
                return;
            }
        }
    });
    Maker::Ahead { made, spare, worker: Joined(Some(worker)) }
}
// ANCHOR_END: orders_ahead_thread

// ANCHOR: gradient
/// The gradient and the loss of all of `data`, as fast as this crate goes:
/// [`threaded`] with [`threads_for`] the number of rows and
/// [`available_threads`]. (Written for you.)
pub fn gradient(criterion: Criterion, params: &[f64], data: &Columns, out: &mut [f64]) -> f64 {
    let threads = threads_for(data.len(), available_threads());
    threaded(criterion, params, &data.x, &data.y, threads, out)
}
// ANCHOR_END: gradient

/// The criterion's loss on all of `data` at `params`, computed as
/// [`gradient`] computes it (the gradient is written into `scratch`, which
/// has `params.len()` numbers). (Written for you.)
pub fn loss(criterion: Criterion, params: &[f64], data: &Columns, scratch: &mut [f64]) -> f64 {
    gradient(criterion, params, data, scratch)
}

// ANCHOR: check_columns
/// Checks a run before it starts (written for you): `start` has one weight
/// per column and a bias, the columns all have one value per target, there
/// are examples, every value is finite; and returns the batch size.
pub fn check_columns(
    start: &[f64],
    data: &Columns,
    settings: &Settings,
) -> Result<usize, TrainError> {
    let features = data.features();
    if start.len() != features + 1 {
        return Err(TrainError::StartLength { got: start.len(), features });
    }
    if data.is_empty() {
        return Err(TrainError::TrainingSet(GradientError::NoExamples));
    }
    for (column, values) in data.x.iter().enumerate() {
        if values.len() != data.len() {
            return Err(TrainError::TrainingSet(GradientError::RowCount {
                rows: values.len(),
                targets: data.len(),
            }));
        }
        if let Some((row, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(TrainError::TrainingSet(GradientError::NotFiniteFeature {
                row,
                column,
                value,
            }));
        }
    }
    if let Some((index, &value)) = data.y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        let argument = solution_03::Argument::Y;
        let problem = solution_03::InputError::NotFinite { argument, index, value };
        return Err(TrainError::TrainingSet(GradientError::Input(problem)));
    }
    settings.descent.batch_size(data.len()).map_err(|_| TrainError::ZeroBatchSize)
}
// ANCHOR_END: check_columns

// ANCHOR: train
/// What [`train`] shows every step to, when asked: a function of the
/// parameters after the step and the loss on all the data before it.
pub type Observer<'a> = &'a mut dyn FnMut(&[f64], f64);

/// Exercise 05's `train` on columns, with `data` as both the training and
/// the validation set (the validation history is the training history).
/// With `observe: Some(f)`, every step is shown to
/// `f(params after the step, loss on all the data before it)`; with
/// `None`, nothing is, and no loss is computed that only a record would
/// read. (`f` is called once per step: keep `let mut observe = observe;`
/// and reach it through `observe.as_deref_mut()`, which lends it without
/// moving it.) In this order:
///
/// 1. `let batch_size = check_columns(start, data, settings)?;`, `params`
///    copied from `start`, one gradient buffer (`vec![0.0; params.len()]`),
///    the orders `OrdersAhead::new(N, settings.epochs, settings.seed)` and a
///    `Columns::default()` for the shuffled copy, all made once, before the
///    epochs;
/// 2. for each `epoch` in `0..settings.epochs`:
///    1. the loss at `params` and its gradient, by [`gradient`]: one pass;
///    2. `has_diverged(loss, initial)` (`initial`: the first loss of the
///       history, or this one) ⇒ `Outcome::Diverged { epoch, loss }`;
///    3. push the loss onto `history.train` and `history.validation`;
///    4. `loss < settings.stop_below` ⇒ `Outcome::Converged { epoch }`;
///    5. the updates. Full batch (`batch_size ≥ N`): one step with the
///       gradient already computed, `optimizer.step(&mut params, &g)?`,
///       then, if observed, `f(&params, loss)`: the loss **before** the
///       step. Mini-batches: the data copied in this epoch's order,
///       `gather(data, orders.next_order(), &mut shuffled)` (exercise 04's
///       shuffled order, made while the last epoch ran: [`OrdersAhead`]),
///       then for each batch `k` of `⌈N / batch_size⌉`: only if observed,
///       the loss of all the data at the current parameters ([`loss`]: a
///       whole pass, the price of the record; the gradient buffer serves as
///       its scratch, since it is zeroed next); the batch's gradient, on the
///       rows `k·batch_size .. min((k + 1)·batch_size, N)` of the copy
///       (the gradient zeroed, [`accumulate`], [`finish`] with the batch's
///       size); the step; and, if observed, `f` with that loss;
/// 3. after the last epoch, `Outcome::MaxEpochs`.
///
/// Full batch needs one pass over the data per epoch; exercise 05's loop
/// with the tool's recorder needed four, and copied every row. A
/// mini-batch epoch needs one pass, one copy of the rows in the shuffled
/// order and one pass over that copy, unless every step is observed; the
/// shuffle itself runs on another core.
pub fn train(
    start: &[f64],
    data: &Columns,
    criterion: Criterion,
    optimizer: &mut dyn Optimizer,
    settings: &Settings,
    observe: Option<Observer<'_>>,
) -> Result<Run, TrainError> {
    todo!(
        "check, buffers once; per epoch: loss and gradient in one pass, divergence, history, stopping rule, then one step (full batch) or one step per batch by index; only when observed, each step shown with the loss before it"
    )
}
// ANCHOR_END: train
