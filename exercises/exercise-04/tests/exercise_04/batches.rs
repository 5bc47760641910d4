//! Epochs and batches: batch sizes, iterations per epoch, the shuffled
//! order, the batches, and one epoch.

use exercise_04::{Dataset, Descent, Gradient, GradientError, Params, TrainError};
use solution_03::{Argument, InputError};
use support::{call, check, check_eq, fail};

use crate::*;

#[test]
fn batch_sizes_of_the_three_kinds_of_descent() {
    for (descent, examples, expected) in [
        (Descent::Batch, 80, 80),
        (Descent::Stochastic, 80, 1),
        (Descent::MiniBatch(32), 80, 32),
        (Descent::MiniBatch(500), 80, 500),
        (Descent::Batch, 0, 1),
    ] {
        let text = format!("Descent::{descent:?}.batch_size({examples})");
        let got = call(&text, BATCH_SIZE, || descent.batch_size(examples));
        let hint = if descent == Descent::Batch && got == Ok(0) { EMPTY_BATCH } else { BATCH_SIZE };
        check_eq(&text, &got, &Ok(expected), hint);
    }
}

#[test]
fn a_mini_batch_of_zero_examples_is_an_error() {
    let text = "Descent::MiniBatch(0).batch_size(80)";
    let got = call(text, BATCH_SIZE, || Descent::MiniBatch(0).batch_size(80));
    check_eq(text, &got, &Err(TrainError::ZeroBatchSize), BATCH_SIZE);
}

#[track_caller]
fn check_iterations(examples: usize, descent: Descent, expected: usize) {
    let text = format!("iterations_per_epoch({examples}, Descent::{descent:?})");
    let got = call(&text, ITERATIONS, || exercise_04::iterations_per_epoch(examples, descent));
    let size = match descent {
        Descent::Batch => examples.max(1),
        Descent::Stochastic => 1,
        Descent::MiniBatch(size) => size.max(1),
    };
    let hint = match got {
        Ok(n) if n == examples / size && !examples.is_multiple_of(size) => FLOOR,
        Ok(n) if n == examples / size + 1 && examples.is_multiple_of(size) => ONE_TOO_MANY,
        _ => ITERATIONS,
    };
    check_eq(&text, &got, &Ok(expected), hint);
}

#[test]
fn the_lecture_2000_examples_in_batches_of_500_take_4_iterations() {
    // The lecture's question: 2000 / 500 = 4 exactly.
    check_iterations(2000, Descent::MiniBatch(500), 4);
}

#[test]
fn a_partial_last_batch_is_one_more_iteration() {
    // ⌈2001 / 500⌉ = 5: four full batches and one of a single example.
    // ⌈80 / 32⌉ = 3: batches of 32, 32 and 16.
    check_iterations(2001, Descent::MiniBatch(500), 5);
    check_iterations(80, Descent::MiniBatch(32), 3);
}

#[test]
fn batch_descent_takes_one_iteration_and_stochastic_descent_n() {
    check_iterations(80, Descent::Batch, 1);
    check_iterations(80, Descent::Stochastic, 80);
    check_iterations(0, Descent::Stochastic, 0);
}

#[test]
#[cfg(target_pointer_width = "64")]
fn iterations_at_the_largest_sizes_are_exact() {
    // A usize counts up to 2⁶⁴ − 1. An f64 holds every whole number only up
    // to 2⁵³: 2⁵³ + 1 examples become 2⁵³ on the way, and the count is off
    // by one. And N + B − 1 overflows for N near usize::MAX.
    let past_f64 = (1usize << 53) + 1;
    for (examples, descent, expected) in [
        (past_f64, Descent::Stochastic, past_f64),
        (past_f64, Descent::MiniBatch(2), (1usize << 52) + 1),
        (usize::MAX, Descent::MiniBatch(10), 1_844_674_407_370_955_162),
        (usize::MAX, Descent::Stochastic, usize::MAX),
        (usize::MAX, Descent::Batch, 1),
    ] {
        let text = format!("iterations_per_epoch({examples}, Descent::{descent:?})");
        let got =
            call(&text, ADD_OVERFLOWS, || exercise_04::iterations_per_epoch(examples, descent));
        let size = match descent {
            Descent::MiniBatch(size) => size,
            Descent::Stochastic => 1,
            Descent::Batch => examples,
        };
        let through_f64 = (examples as f64 / size as f64).ceil() as usize;
        let hint = if got == Ok(examples / size) && !examples.is_multiple_of(size) {
            FLOOR
        } else if got == Ok(through_f64) {
            THROUGH_F64
        } else {
            ITERATIONS
        };
        check_eq(&text, &got, &Ok(expected), hint);
    }
}

#[test]
fn no_examples_make_no_batches_and_no_iterations() {
    // An empty order is cut into no batches at all, whatever the descent,
    // and counts 0 iterations: nothing to do, and nothing to panic about.
    for descent in [Descent::Batch, Descent::Stochastic, Descent::MiniBatch(32)] {
        let text = format!(
            "batches(&[], Descent::{descent:?}) and iterations_per_epoch(0, Descent::{descent:?})"
        );
        let hint = if descent == Descent::Batch { EMPTY_BATCH } else { BATCHES };
        let got = call(&text, hint, || {
            let cut = exercise_04::batches(&[], descent).map(|b| b.len());
            (cut, exercise_04::iterations_per_epoch(0, descent))
        });
        check_eq(&text, &got, &(Ok(0), Ok(0)), hint);
    }
}

#[test]
fn iterations_of_a_mini_batch_of_zero_is_an_error() {
    let text = "iterations_per_epoch(80, Descent::MiniBatch(0))";
    let got =
        call(text, ITERATIONS, || exercise_04::iterations_per_epoch(80, Descent::MiniBatch(0)));
    check_eq(text, &got, &Err(TrainError::ZeroBatchSize), ITERATIONS);
}

/// The first two orders of ten examples from a generator seeded with 100.
const FIRST_ORDER: [usize; 10] = [0, 1, 5, 9, 7, 6, 2, 3, 4, 8];
const SECOND_ORDER: [usize; 10] = [8, 2, 4, 6, 5, 9, 1, 3, 7, 0];

#[test]
fn shuffled_order_of_ten_examples_at_seed_100() {
    let text = "shuffled_order(10, &mut ChaCha8Rng::seed_from_u64(100))";
    let got = call(text, SHUFFLE, || {
        exercise_04::shuffled_order(10, &mut ChaCha8Rng::seed_from_u64(100))
    });
    let identity: Vec<usize> = (0..10).collect();
    let hint = if got == identity { NO_SHUFFLE } else { SHUFFLE };
    check_eq(text, &got, &FIRST_ORDER.to_vec(), hint);
}

#[test]
fn each_call_moves_the_generator_on_so_the_next_epoch_gets_another_order() {
    // Training makes one generator and calls shuffled_order once per epoch:
    // the second call must give a different order from the first.
    let text = "shuffled_order(10, &mut rng) twice, with one rng = ChaCha8Rng::seed_from_u64(100)";
    let got = call(text, SHUFFLE, || {
        let mut rng = ChaCha8Rng::seed_from_u64(100);
        let first = exercise_04::shuffled_order(10, &mut rng);
        let second = exercise_04::shuffled_order(10, &mut rng);
        (first, second)
    });
    let identity: Vec<usize> = (0..10).collect();
    let hint = if got.0 == identity && got.1 == identity {
        NO_SHUFFLE
    } else if got.0 == got.1 {
        "the two calls gave the same order: shuffle with the generator you are given, not with a new one made inside shuffled_order (see 'Shuffling, once per epoch' in chapter 4)"
    } else {
        SHUFFLE
    };
    check_eq(text, &got, &(FIRST_ORDER.to_vec(), SECOND_ORDER.to_vec()), hint);
}

#[track_caller]
fn check_batches(order: &[usize], descent: Descent, expected: &[&[usize]]) {
    let text = format!("batches(&{order:?}, Descent::{descent:?})");
    let got = call(&text, BATCHES, || {
        exercise_04::batches(order, descent)
            .map(|b| b.iter().map(|s| s.to_vec()).collect::<Vec<_>>())
    });
    let expected: Vec<Vec<usize>> = expected.iter().map(|s| s.to_vec()).collect();
    let hint = match &got {
        Ok(b) if b.len() + 1 == expected.len() && b[..] == expected[..b.len()] => DROPPED_LAST,
        _ => BATCHES,
    };
    check_eq(&text, &got, &Ok(expected), hint);
}

#[test]
fn ten_examples_in_batches_of_4_make_4_4_and_2() {
    let order: Vec<usize> = (0..10).collect();
    check_batches(&order, Descent::MiniBatch(4), &[&[0, 1, 2, 3], &[4, 5, 6, 7], &[8, 9]]);
}

#[test]
fn batches_keep_the_order_they_are_given() {
    // The order is already shuffled; cutting it must not sort it.
    check_batches(&FIRST_ORDER, Descent::MiniBatch(3), &[&[0, 1, 5], &[9, 7, 6], &[2, 3, 4], &[8]]);
}

#[test]
fn stochastic_descent_makes_one_batch_per_example_and_batch_descent_one() {
    check_batches(&[2, 0, 1], Descent::Stochastic, &[&[2], &[0], &[1]]);
    check_batches(&[2, 0, 1], Descent::Batch, &[&[2, 0, 1]]);
}

#[test]
fn one_epoch_of_batch_descent_is_one_step() {
    // One batch of all three points: the step from w = 0, b = 0 of
    // 'One step by hand', w = 6.8/3, b = 1 (the order of the examples
    // changes only the rounding).
    let text = "run_epoch(Params { w: 0.0, b: 0.0 }, &three_points, Descent::Batch, &mut ChaCha8Rng::seed_from_u64(100), |p, g| Params { w: p.w - 0.1 * g.dw, b: p.b - 0.1 * g.db })";
    let got = call(text, EPOCH, || {
        exercise_04::run_epoch(
            Params { w: 0.0, b: 0.0 },
            &three_points(),
            Descent::Batch,
            &mut ChaCha8Rng::seed_from_u64(100),
            |p: Params, g: Gradient| Params { w: p.w - 0.1 * g.dw, b: p.b - 0.1 * g.db },
        )
    });
    let expected = Params { w: 6.8 / 3.0, b: 1.0 };
    match got {
        Ok(p) => {
            let hint = if p == (Params { w: 0.0, b: 0.0 }) { NEVER_MOVED } else { EPOCH };
            check(close_params(p, expected), text, params(p), params(expected), hint)
        }
        Err(e) => fail(text, format!("Err({e:?})"), format!("Ok({})", params(expected)), EPOCH),
    }
}

#[test]
fn one_epoch_of_mini_batches_steps_once_per_batch_in_the_shuffled_order() {
    // Seven examples in batches of 3, order [0, 1, 5, 4, 3, 6, 2] at seed
    // 100: batches [0, 1, 5], [4, 3, 6] and [2], so three steps, the last on
    // one example. Every gradient is the batch's, at the parameters the
    // step starts from.
    let data = seven_point_split().train;
    let text = "run_epoch(Params { w: 0.0, b: 0.0 }, &seven_points, Descent::MiniBatch(3), &mut ChaCha8Rng::seed_from_u64(100), update), where update records each gradient and steps with α = 0.1";
    let mut seen: Vec<Gradient> = Vec::new();
    let got = call(text, EPOCH, || {
        exercise_04::run_epoch(
            Params { w: 0.0, b: 0.0 },
            &data,
            Descent::MiniBatch(3),
            &mut ChaCha8Rng::seed_from_u64(100),
            |p: Params, g: Gradient| {
                seen.push(g);
                Params { w: p.w - 0.1 * g.dw, b: p.b - 0.1 * g.db }
            },
        )
    });
    // The same epoch, worked out here.
    let mut p = Params { w: 0.0, b: 0.0 };
    let mut expected = Vec::new();
    for batch in [&[0, 1, 5][..], &[4, 3, 6], &[2]] {
        let n = batch.len() as f64;
        let e: Vec<f64> = batch.iter().map(|&i| p.w * data.x[i] + p.b - data.y[i]).collect();
        let g = Gradient {
            dw: 2.0 * e.iter().zip(batch).map(|(e, &i)| e * data.x[i]).sum::<f64>() / n,
            db: 2.0 * e.iter().sum::<f64>() / n,
        };
        expected.push(g);
        p = Params { w: p.w - 0.1 * g.dw, b: p.b - 0.1 * g.db };
    }
    let shown = |gs: &[Gradient]| format!("{} steps with the gradients {gs:?}", gs.len());
    // Without a shuffle, the first batch is [0, 1, 2].
    let unshuffled = {
        let e: Vec<f64> = (0..3).map(|i| -data.y[i]).collect();
        2.0 * e.iter().zip(&data.x).map(|(e, x)| e * x).sum::<f64>() / 3.0
    };
    let never_moved = matches!(got, Ok(end) if end == Params { w: 0.0, b: 0.0 });
    let hint = if seen.len() == 2 {
        DROPPED_LAST
    } else if never_moved {
        NEVER_MOVED
    } else if !seen.is_empty() && close(seen[0].dw, unshuffled) {
        NO_SHUFFLE
    } else if seen.len() == 3 && !close(seen[0].dw, expected[0].dw) {
        "the first batch's gradient is not that of examples [0, 1, 5]: shuffle with shuffled_order(train.len(), rng), cut with batches(&order, descent)?, and take each batch's rows with train.rows(batch) (see 'Shuffling, once per epoch' in chapter 4)"
    } else {
        EPOCH
    };
    let agree = seen.len() == expected.len()
        && seen.iter().zip(&expected).all(|(a, b)| close(a.dw, b.dw) && close(a.db, b.db));
    check(agree, text, shown(&seen), shown(&expected), hint);
    match got {
        Ok(end) => check(close_params(end, p), text, params(end), params(p), EPOCH),
        Err(e) => fail(text, format!("Err({e:?})"), format!("Ok({})", params(p)), EPOCH),
    }
}

/// Ten examples on the line y = 2x + 1, at x = 0, 1, …, 9.
fn ten_points() -> Dataset {
    let x: Vec<f64> = (0..10).map(f64::from).collect();
    let y = x.iter().map(|x| 2.0 * x + 1.0).collect();
    Dataset { x, y }
}

#[test]
fn run_epoch_refuses_a_nan_in_the_middle_before_any_step() {
    // x[3] is NaN, in the middle of the set. Stochastic descent at seed 100
    // would visit examples 0, 1, 5 and 4 before it; the epoch must be
    // refused before the first step, naming x[3] (its place in the training
    // set), with the update rule never called and the generator untouched.
    let mut data = seven_point_split().train;
    data.x[3] = f64::NAN;
    let text = "run_epoch(Params { w: 0.0, b: 0.0 }, &seven_points_with_x3_nan, Descent::Stochastic, &mut rng, update), with rng = ChaCha8Rng::seed_from_u64(100) and an update that counts its calls";
    let mut calls = 0;
    let mut rng = ChaCha8Rng::seed_from_u64(100);
    let got = call(text, LATE_DATA_CHECK, || {
        exercise_04::run_epoch(
            Params { w: 0.0, b: 0.0 },
            &data,
            Descent::Stochastic,
            &mut rng,
            |p: Params, _: Gradient| {
                calls += 1;
                p
            },
        )
    });
    let expected = TrainError::TrainingSet(GradientError::Input(InputError::NotFinite {
        argument: Argument::X,
        index: 3,
        value: f64::NAN,
    }));
    // Debug, not ==: NaN is not equal to itself.
    check(
        format!("{got:?}") == format!("{:?}", Err::<Params, _>(expected.clone())),
        text,
        format!("{got:?}, after {calls} calls of the update rule"),
        format!("Err({expected:?}), with no call of the update rule"),
        LATE_DATA_CHECK,
    );
    check(
        calls == 0,
        text,
        format!("the error after {calls} calls of the update rule"),
        "the error before any call of the update rule",
        LATE_DATA_CHECK,
    );
    let next = exercise_04::shuffled_order(7, &mut rng);
    let fresh = exercise_04::shuffled_order(7, &mut ChaCha8Rng::seed_from_u64(100));
    check(
        next == fresh,
        &format!("{text}, then shuffled_order(7, &mut rng)"),
        format!("{next:?}: the refused epoch moved the generator on"),
        format!("{fresh:?}, the order of a generator nothing was drawn from"),
        LATE_DATA_CHECK,
    );
}

#[test]
fn a_refused_epoch_leaves_the_generator_where_it_was() {
    // A mini-batch of 0 is refused. The call must draw nothing from the
    // generator, so that the next epoch gets the first order of seed 100,
    // as if the refused call had never happened.
    let data = ten_points();
    let text = "run_epoch(Params { w: 0.0, b: 0.0 }, &ten_points, Descent::MiniBatch(0), &mut rng, update), then shuffled_order(10, &mut rng), with rng = ChaCha8Rng::seed_from_u64(100)";
    let mut rng = ChaCha8Rng::seed_from_u64(100);
    let mut calls = 0;
    let got = call(text, MOVED_ON_REFUSAL, || {
        exercise_04::run_epoch(
            Params { w: 0.0, b: 0.0 },
            &data,
            Descent::MiniBatch(0),
            &mut rng,
            |p: Params, _: Gradient| {
                calls += 1;
                p
            },
        )
    });
    check(
        got == Err(TrainError::ZeroBatchSize) && calls == 0,
        text,
        format!("{got:?}, after {calls} calls of the update rule"),
        "Err(ZeroBatchSize), with no call of the update rule",
        BATCH_SIZE,
    );
    let next = call(text, SHUFFLE, || exercise_04::shuffled_order(10, &mut rng));
    check_eq(text, &next, &FIRST_ORDER.to_vec(), MOVED_ON_REFUSAL);
}
