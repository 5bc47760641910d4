//! Every step of chapter 11, timed on the same data: a million rows of one
//! feature (`ROWS`, or `STEPS_ROWS=…` in the environment), the gradient of
//! the mean squared error at the same parameters. `scripts/bench-fast` runs
//! this and NumPy's lecture loop side by side.
//!
//! Speed is never asserted by a test; this prints it.

use std::sync::OnceLock;

use rand::RngExt;
use solution_11::{Columns, Criterion};

fn main() {
    divan::main();
}

/// A million rows: x standard-normal-ish, y = 2x + 3 + noise, seeded.
fn data() -> &'static (Vec<Vec<f64>>, Columns) {
    static DATA: OnceLock<(Vec<Vec<f64>>, Columns)> = OnceLock::new();
    DATA.get_or_init(|| {
        let rows: usize =
            std::env::var("STEPS_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
        let mut rng = solution_01::seeded_rng(100);
        let x: Vec<f64> = (0..rows).map(|_| 4.0 * rng.random::<f64>() - 2.0).collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v + 3.0 + rng.random::<f64>() - 0.5).collect();
        let as_rows = x.iter().map(|&v| vec![v]).collect();
        (as_rows, Columns { x: vec![x], y })
    })
}

const PARAMS: [f64; 2] = [0.5, -1.0];

/// Exercise 05's `gradient` and the loss by `forward`, on rows: the
/// teaching loop's step (the tool's recorder also took the loss).
#[divan::bench]
fn s0_teaching_rows() -> f64 {
    let (rows, data) = data();
    let g = solution_05::gradient(Criterion::Mse, &PARAMS, rows, &data.y);
    let loss = Criterion::Mse.loss(&solution_05::forward(&PARAMS, rows), &data.y);
    g[0] + loss
}

#[divan::bench]
fn s1_columns() -> f64 {
    let (_, data) = data();
    solution_11::gradient_columns(Criterion::Mse, &PARAMS, &data.x, &data.y)[0]
}

#[divan::bench]
fn s2_fused() -> f64 {
    let (_, data) = data();
    let mut g = [0.0; 2];
    solution_11::fused(Criterion::Mse, &PARAMS, &data.x, &data.y, &mut g)
}

/// Blocks of 256 errors in a buffer, then `dot` and `sum` in four lanes.
#[divan::bench]
fn s3_blocks_and_lanes() -> f64 {
    let (_, data) = data();
    let mut g = [0.0; 2];
    let sse = solution_11::accumulate_blocks(&PARAMS, &data.x, &data.y, 0..data.len(), &mut g);
    solution_11::finish(Criterion::Mse, data.len(), sse, &mut g)
}

/// The errors in registers, every sum in four lanes of arrays, one pass:
/// `accumulate_fused::<1>`, as the compiler packs it.
#[divan::bench]
fn s3_registers() -> f64 {
    let (_, data) = data();
    let mut g = [0.0; 2];
    let sse = solution_11::accumulate_fused::<1>(&PARAMS, &data.x, &data.y, 0..data.len(), &mut g);
    solution_11::finish(Criterion::Mse, data.len(), sse, &mut g)
}

/// The same lanes in `f64x4` vectors: `blocked`, which calls
/// `accumulate_simd::<1>` for one feature.
#[divan::bench]
fn s3_vectors() -> f64 {
    let (_, data) = data();
    let mut g = [0.0; 2];
    solution_11::blocked(Criterion::Mse, &PARAMS, &data.x, &data.y, &mut g)
}

#[divan::bench(args = [2, 4])]
fn s4_threads(threads: usize) -> f64 {
    let (_, data) = data();
    let mut g = [0.0; 2];
    solution_11::threaded(Criterion::Mse, &PARAMS, &data.x, &data.y, threads, &mut g)
}

/// The threshold of `MIN_ROWS_PER_THREAD`: one thread and two on the first
/// `rows` rows.
#[divan::bench(args = [10_000, 50_000, 200_000, 300_000, 500_000, 1_000_000], consts = [1, 2])]
fn s4_threshold<const THREADS: usize>(bencher: divan::Bencher<'_, '_>, rows: usize) {
    let (_, data) = data();
    let rows = rows.min(data.len());
    let x = [data.x[0][..rows].to_vec()];
    let y = &data.y[..rows];
    let mut g = [0.0; 2];
    bencher.bench_local(|| {
        solution_11::threaded(Criterion::Mse, &PARAMS, divan::black_box(&x), y, THREADS, &mut g)
    });
}

/// One epoch of batches of 1 000 by index over `order`: the batches'
/// gradients (not the loss on all the data that `train --json` records).
fn batches_by_index(order: &[usize]) -> f64 {
    let (_, data) = data();
    let mut g = [0.0; 2];
    let mut total = 0.0;
    for k in 0..data.len().div_ceil(1000) {
        let batch = solution_11::batch(order, k, 1000);
        total +=
            solution_11::batch_gradient(Criterion::Mse, &PARAMS, &data.x, &data.y, batch, &mut g);
    }
    total
}

/// Mini-batches of 1 000 by index over a shuffled order.
#[divan::bench]
fn s5_batches_by_index() -> f64 {
    static ORDER: OnceLock<Vec<usize>> = OnceLock::new();
    batches_by_index(ORDER.get_or_init(|| {
        let mut rng = solution_01::seeded_rng(1);
        solution_04::shuffled_order(data().1.len(), &mut rng)
    }))
}

/// The same batches over `0..N` in order: the same work without the jumps
/// around memory.
#[divan::bench]
fn s5_batches_in_order() -> f64 {
    static ORDER: OnceLock<Vec<usize>> = OnceLock::new();
    batches_by_index(ORDER.get_or_init(|| (0..data().1.len()).collect()))
}

/// What a mini-batch epoch adds before its first batch: the order refilled
/// with `0..N` and shuffled by the seeded generator.
#[divan::bench]
fn s6_shuffle(bencher: divan::Bencher<'_, '_>) {
    use rand::seq::SliceRandom;
    let n = data().1.len();
    let mut rng = solution_01::seeded_rng(1);
    let mut order = Vec::with_capacity(n);
    bencher.bench_local(|| {
        order.clear();
        order.extend(0..n);
        order.shuffle(&mut rng);
        order[0]
    });
}

/// What SGD (batches of one) adds per epoch: N steps of exercise 05's SGD
/// on the two parameters, through `dyn Optimizer` as `train` calls it.
#[divan::bench]
fn s6_updates_of_an_sgd_epoch(bencher: divan::Bencher<'_, '_>) {
    let n = data().1.len();
    let config = solution_05::OptimizerConfig::Sgd(solution_05::SgdConfig::new(1e-9));
    let mut optimizer = solution_05::optimizer(&config).unwrap();
    let mut params = PARAMS;
    let g = [0.25, -0.5];
    bencher.bench_local(|| {
        for _ in 0..n {
            optimizer.step(&mut params, divan::black_box(&g)).unwrap();
        }
        params[0]
    });
}

/// `EPOCHS` epochs of `train` (SGD, nothing observed) in one call, its
/// buffers included: full batch (`0`), or batches of the given size. A
/// mini-batch epoch is a pass, a gather and the batches, while the next
/// epoch's order is shuffled on the other core; the first epoch's order has
/// nothing to hide behind. (6 epochs − 1 epoch) / 5 is the cost of an epoch
/// once the run is going.
#[divan::bench(consts = [1, 6], args = [0, 1000, 32, 1])]
fn s7_train<const EPOCHS: usize>(size: usize) -> f64 {
    let (_, data) = data();
    let descent = match size {
        0 => solution_05::Descent::Batch,
        1 => solution_05::Descent::Stochastic,
        n => solution_05::Descent::MiniBatch(n),
    };
    let settings = solution_05::Settings { epochs: EPOCHS, descent, seed: 1, stop_below: 0.0 };
    let config = solution_05::OptimizerConfig::Sgd(solution_05::SgdConfig::new(1e-9));
    let mut optimizer = solution_05::optimizer(&config).unwrap();
    let run =
        solution_11::train(&PARAMS, data, Criterion::Mse, optimizer.as_mut(), &settings, None)
            .unwrap();
    run.params[0]
}

/// The rows copied in a shuffled order into a reused buffer: what a
/// mini-batch epoch of `train` does once, before its batches.
#[divan::bench]
fn s6_gather(bencher: divan::Bencher<'_, '_>) {
    let (_, data) = data();
    let mut rng = solution_01::seeded_rng(1);
    let order = solution_04::shuffled_order(data.len(), &mut rng);
    let mut out = Columns::default();
    bencher.bench_local(|| {
        solution_11::gather(data, &order, &mut out);
        out.y[0]
    });
}

/// The memory floor: one pass that reads every value of x and y once.
#[divan::bench]
fn s9_memory_floor() -> f64 {
    let (_, data) = data();
    solution_11::dot(&data.x[0], &data.y)
}
