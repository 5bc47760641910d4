//! Properties: what must hold for any data, seed and settings, checked on
//! 64 random cases each, and agreement with the reference solution.

use exercise_04::{Dataset, Descent, Gradient, Params, Settings, Split, Training};
use proptest::prelude::*;
use support::call;

use crate::*;

/// Random examples: 2 to 30 of them, x in [−3, 3], y in [−10, 10].
fn examples(most: usize) -> impl Strategy<Value = Dataset> {
    (2..=most).prop_flat_map(|n| {
        (prop::collection::vec(-3.0..3.0f64, n), prop::collection::vec(-10.0..10.0f64, n))
            .prop_map(|(x, y)| Dataset { x, y })
    })
}

fn split() -> impl Strategy<Value = Split> {
    (examples(30), examples(10)).prop_map(|(train, validation)| Split { train, validation })
}

fn descent() -> impl Strategy<Value = Descent> {
    prop_oneof![
        Just(Descent::Batch),
        Just(Descent::Stochastic),
        (1..12usize).prop_map(Descent::MiniBatch)
    ]
}

fn start() -> impl Strategy<Value = Params> {
    (-5.0..5.0f64, -5.0..5.0f64).prop_map(|(w, b)| Params { w, b })
}

/// A learning rate small enough for the curvature of these data: the
/// cost's second derivatives are at most 2·(1 + mean(x²)).
fn safe_rate(data: &Dataset, fraction: f64) -> f64 {
    let mean_square = data.x.iter().map(|x| x * x).sum::<f64>() / data.x.len() as f64;
    fraction / (1.0 + mean_square)
}

/// A run of the learner's `train`, or the explanation why there is none.
fn run(
    start: Params,
    split: &Split,
    rate: f64,
    settings: &Settings,
    hint: &str,
) -> Result<Training, String> {
    let text = format!("train({}, &split, {rate:?}, &{settings:?}, &mut log)", params(start));
    call(&text, hint, || exercise_04::train(start, split, rate, settings, &mut std::io::sink()))
        .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a training run)", hint))
}

/// One fixed call before a property, so that a todo!() fails with one
/// clear message instead of one per random case.
fn train_once(hint: &str) {
    let settings = Settings { epochs: 2, ..Settings::lecture() };
    call("train(Params { w: 0.0, b: 0.0 }, &three_point_split, 0.1, &Settings { epochs: 2, ..Settings::lecture() }, &mut log)", hint, || {
        exercise_04::train(Params::default(), &three_point_split(), 0.1, &settings, &mut std::io::sink())
    })
    .ok();
}

#[test]
fn gradient_step_agrees_with_the_formula() {
    call(
        "gradient_step(Params { w: 1.0, b: 1.0 }, Gradient { dw: 1.0, db: 1.0 }, 0.1)",
        STEP,
        || {
            exercise_04::gradient_step(
                Params { w: 1.0, b: 1.0 },
                Gradient { dw: 1.0, db: 1.0 },
                0.1,
            )
        },
    );
    let cases = (start(), -100.0..100.0f64, -100.0..100.0f64, 0.0..2.0f64);
    for_all(cases, |(p, dw, db, alpha)| {
        let g = Gradient { dw, db };
        let text = format!(
            "gradient_step({}, Gradient {{ dw: {dw:?}, db: {db:?} }}, {alpha:?})",
            params(p)
        );
        let got = call(&text, STEP, || exercise_04::gradient_step(p, g, alpha));
        let expected = Params { w: p.w - alpha * dw, b: p.b - alpha * db };
        if close_params(got, expected) {
            return Ok(());
        }
        let uphill = Params { w: p.w + alpha * dw, b: p.b + alpha * db };
        let hint = if close_params(got, uphill) { PLUS_SIGN } else { STEP };
        Err(explain(&text, params(got), params(expected), hint))
    });
}

#[test]
fn full_batch_descent_with_a_small_rate_never_raises_the_training_loss() {
    // With α ≤ 1 / (largest second derivative), every step of batch descent
    // goes downhill on this bowl-shaped cost, so the training loss of every
    // epoch is at most that of the epoch before.
    train_once(TRAIN);
    for_all((start(), examples(30), examples(5), any::<u64>()), |(p, train, validation, seed)| {
        let rate = safe_rate(&train, 0.5);
        let settings = Settings { epochs: 15, descent: Descent::Batch, seed, stop_below: 0.0 };
        let split = Split { train, validation };
        let got = run(p, &split, rate, &settings, TRAIN)?;
        let losses = &got.history.train;
        let rises = losses.windows(2).position(|w| w[1] > w[0] * (1.0 + 1e-12) + 1e-300);
        let text = format!(
            "train({}, &split, {rate:?}, &{settings:?}, &mut log) on {}",
            params(p),
            lit(&split.train.x)
        );
        if let Some(e) = rises {
            let case = Case { start: p, split: split.clone(), learning_rate: rate, settings };
            return Err(explain(
                &text,
                format!(
                    "a training loss that rose from {:?} at epoch {e} to {:?} at epoch {}",
                    losses[e],
                    losses[e + 1],
                    e + 1
                ),
                "a training loss that never rises",
                &diagnose_run(&got, &case, STEP),
            ));
        }
        if losses.len() != 15 {
            return Err(explain(&text, describe(&got), "15 epochs in the history", TRAIN));
        }
        Ok(())
    });
}

#[test]
fn batches_cover_every_example_exactly_once_per_epoch() {
    call("batches(&[0, 1, 2], Descent::MiniBatch(2))", BATCHES, || {
        exercise_04::batches(&[0, 1, 2], Descent::MiniBatch(2)).ok()
    });
    for_all((1..200usize, descent(), any::<u64>()), |(n, descent, seed)| {
        let text = format!(
            "batches(&shuffled_order({n}, &mut ChaCha8Rng::seed_from_u64({seed})), Descent::{descent:?})"
        );
        let (order, cut, iterations) = call(&text, BATCHES, || {
            let order = exercise_04::shuffled_order(n, &mut ChaCha8Rng::seed_from_u64(seed));
            let cut = exercise_04::batches(&order, descent)
                .map(|b| b.iter().map(|s| s.to_vec()).collect::<Vec<_>>());
            (order, cut, exercise_04::iterations_per_epoch(n, descent))
        });
        let cut =
            cut.map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(the batches)", BATCHES))?;
        let mut sorted = order.clone();
        sorted.sort_unstable();
        if sorted != (0..n).collect::<Vec<_>>() {
            return Err(explain(
                &text,
                format!("the order {order:?}"),
                format!("each of 0..{n} exactly once"),
                SHUFFLE,
            ));
        }
        let size = match descent {
            Descent::Batch => n,
            Descent::Stochastic => 1,
            Descent::MiniBatch(s) => s,
        };
        let expected: Vec<Vec<usize>> = order.chunks(size).map(|c| c.to_vec()).collect();
        if cut != expected {
            let visited: usize = cut.iter().map(Vec::len).sum();
            let hint = if visited < n { DROPPED_LAST } else { BATCHES };
            return Err(explain(
                &text,
                format!("{} batches holding {visited} examples: {cut:?}", cut.len()),
                format!("{} batches holding all {n}: {expected:?}", expected.len()),
                hint,
            ));
        }
        if iterations != Ok(expected.len()) {
            let hint = if iterations == Ok(n / size) { FLOOR } else { ITERATIONS };
            return Err(explain(
                &format!("iterations_per_epoch({n}, Descent::{descent:?})"),
                format!("{iterations:?}"),
                format!("Ok({}), the number of batches", expected.len()),
                hint,
            ));
        }
        Ok(())
    });
}

#[test]
fn different_epochs_see_different_orders_and_the_reference_ones() {
    call("shuffled_order(10, &mut ChaCha8Rng::seed_from_u64(1))", SHUFFLE, || {
        exercise_04::shuffled_order(10, &mut ChaCha8Rng::seed_from_u64(1))
    });
    for_all((10..120usize, any::<u64>()), |(n, seed)| {
        let text = format!(
            "shuffled_order({n}, &mut rng) for three epochs, with one rng = ChaCha8Rng::seed_from_u64({seed})"
        );
        let got = call(&text, SHUFFLE, || {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            [0, 1, 2].map(|_| exercise_04::shuffled_order(n, &mut rng))
        });
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let expected = [0, 1, 2].map(|_| reference::shuffled_order(n, &mut rng));
        if got == expected {
            return Ok(());
        }
        let identity: Vec<usize> = (0..n).collect();
        let hint = if got.iter().all(|o| *o == identity) {
            NO_SHUFFLE
        } else if got[0] == got[1] {
            "two epochs saw the same order: shuffle with the generator you are given, which moves on with every call (see 'Shuffling, once per epoch' in chapter 4)"
        } else {
            SHUFFLE
        };
        Err(explain(&text, format!("{got:?}"), format!("{expected:?}"), hint))
    });
}

#[test]
fn the_same_seed_gives_the_same_history() {
    train_once(TRAIN);
    for_all((split(), descent(), any::<u64>()), |(split, descent, seed)| {
        let rate = safe_rate(&split.train, 0.3);
        let settings = Settings { epochs: 6, descent, seed, stop_below: 0.0 };
        let first = run(UNTRAINED, &split, rate, &settings, TRAIN)?;
        let second = run(UNTRAINED, &split, rate, &settings, TRAIN)?;
        if first == second {
            return Ok(());
        }
        let text = format!(
            "train({}, &split, {rate:?}, &{settings:?}, &mut log), twice",
            params(UNTRAINED)
        );
        Err(explain(
            &text,
            format!("{} and then {}", describe(&first), describe(&second)),
            "the very same run twice",
            "make the one generator from settings.seed, with seeded_rng, and nothing else (see 'Shuffling, once per epoch' in chapter 4)",
        ))
    });
}

fn reference_descent(d: Descent) -> reference::Descent {
    match d {
        Descent::Batch => reference::Descent::Batch,
        Descent::Stochastic => reference::Descent::Stochastic,
        Descent::MiniBatch(s) => reference::Descent::MiniBatch(s),
    }
}

#[test]
fn training_agrees_with_the_reference_solution() {
    train_once(TRAIN);
    let stops = prop_oneof![Just(0.0), Just(1e-4), Just(0.5)];
    let fractions = prop_oneof![0.01..0.6f64, 1.5..4.0f64];
    let cases = (start(), split(), descent(), any::<u64>(), 1..15usize, stops, fractions);
    for_all(cases, |(p, split, descent, seed, epochs, stop_below, fraction)| {
        let rate = safe_rate(&split.train, fraction);
        let settings = Settings { epochs, descent, seed, stop_below };
        let got = run(p, &split, rate, &settings, TRAIN)?;
        let expected = reference::train(
            reference::Params { w: p.w, b: p.b },
            &split,
            rate,
            &reference::Settings { epochs, descent: reference_descent(descent), seed, stop_below },
            &mut std::io::sink(),
        )
        .expect("the reference trains on valid data");
        let outcome = match expected.outcome {
            reference::Outcome::Converged { epoch } => Outcome::Converged { epoch },
            reference::Outcome::MaxEpochs => Outcome::MaxEpochs,
            reference::Outcome::Diverged { epoch, loss } => Outcome::Diverged { epoch, loss },
        };
        let history =
            History { train: expected.history.train, validation: expected.history.validation };
        let expected = Training {
            params: Params { w: expected.params.w, b: expected.params.b },
            history,
            outcome,
        };
        if same_run(&got, &expected) {
            return Ok(());
        }
        let case = Case { start: p, split: split.clone(), learning_rate: rate, settings };
        Err(explain(
            &format!(
                "{} with {} training and {} validation examples",
                case.text("split"),
                split.train.x.len(),
                split.validation.x.len()
            ),
            describe(&got),
            format!("{} ({TOL})", describe(&expected)),
            &diagnose_run(&got, &case, TRAIN),
        ))
    });
}
