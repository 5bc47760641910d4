//! The parameters: how many, in which order, and PyTorch's default
//! initialisation drawn from the course's generator.

use exercise_08::{NetworkError, Shape};
use rand::RngExt;
use support::{call, check, check_error, fail};

use crate::*;

#[test]
fn parameter_count_of_the_house_network_and_others() {
    for (inputs, hidden, expected) in [(4, 3, 19), (1, 1, 4), (2, 5, 21), (3, 10, 51)] {
        let shape = Shape { inputs, hidden };
        let text = format!("{shape:?}.parameter_count()");
        let got = call(&text, PARAMETER_COUNT, || shape.parameter_count());
        let hint = if got == hidden * inputs + 2 * hidden {
            OUTPUT_BIAS_NOT_COUNTED
        } else {
            PARAMETER_COUNT
        };
        check(got == expected, &text, got, expected, hint);
    }
}

#[test]
fn init_bound_is_one_over_the_square_root_of_the_fan_in() {
    for fan_in in [1usize, 3, 4, 100] {
        let text = format!("init_bound({fan_in})");
        let got = call(&text, INIT_BOUND, || exercise_08::init_bound(fan_in));
        let expected = 1.0 / (fan_in as f64).sqrt();
        let hint = if close(got, 1.0 / fan_in as f64) { BOUND_WITHOUT_SQRT } else { INIT_BOUND };
        check(
            close(got, expected),
            &text,
            format!("{got:?}"),
            format!("{expected:?} ({TOL})"),
            hint,
        );
    }
}

/// The first `n` uniform numbers of `seeded_rng(seed)`.
fn draws(seed: u64, n: usize) -> Vec<f64> {
    let mut r = rng(seed);
    (0..n).map(|_| r.random::<f64>()).collect()
}

#[test]
fn uniform_draws_one_number_on_minus_bound_to_bound() {
    let bound = 0.5;
    let text = format!("uniform({bound}, &mut rng) five times, rng = seeded_rng(7)");
    let got: Vec<f64> = call(&text, UNIFORM, || {
        let mut r = rng(7);
        (0..5).map(|_| exercise_08::uniform(bound, &mut r)).collect()
    });
    let u = draws(7, 5);
    let expected: Vec<f64> = u.iter().map(|u| -bound + 2.0 * bound * u).collect();
    let positive: Vec<f64> = u.iter().map(|u| bound * u).collect();
    let hint = if same_numbers(&got, &positive) { UNIFORM_POSITIVE } else { UNIFORM };
    check(same_numbers(&got, &expected), &text, short(&got), short(&expected), hint);
}

/// What init must draw: the bounds per parameter, in order.
fn expected_init(shape: Shape, seed: u64, bounds: (f64, f64)) -> Vec<f64> {
    let Shape { inputs: d, hidden: h } = shape;
    let u = draws(seed, h * d + 2 * h + 1);
    u.iter()
        .enumerate()
        .map(|(i, u)| {
            let bound = if i < h * d + h { bounds.0 } else { bounds.1 };
            -bound + 2.0 * bound * u
        })
        .collect()
}

#[test]
fn init_draws_pytorchs_default_in_the_order_of_the_parameters() {
    for (inputs, hidden, seed) in [(4, 3, 100), (2, 5, 8), (1, 1, 1)] {
        let shape = Shape { inputs, hidden };
        let net = learner_init(shape, seed);
        let text = format!("init({shape:?}, &mut seeded_rng({seed}))");
        let (bd, bh) = (1.0 / (inputs as f64).sqrt(), 1.0 / (hidden as f64).sqrt());
        let expected = expected_init(shape, seed, (bd, bh));
        let hint = if same_numbers(&net.params, &expected_init(shape, seed, (bd, bd))) {
            ONE_BOUND
        } else if same_numbers(&net.params, &expected_init(shape, seed, (bd * bd, bh * bh))) {
            BOUND_WITHOUT_SQRT
        } else if net.params.iter().all(|p| *p >= 0.0) {
            UNIFORM_POSITIVE
        } else {
            INIT
        };
        check(net.shape == shape, &text, format!("{:?}", net.shape), format!("{shape:?}"), INIT);
        check(
            same_numbers(&net.params, &expected),
            &text,
            format!("params {}", short(&net.params)),
            format!("params {} ({TOL})", short(&expected)),
            hint,
        );
    }
}

#[test]
fn init_refuses_a_network_without_inputs_or_hidden_units() {
    for (shape, expected) in [
        (Shape { inputs: 0, hidden: 3 }, NetworkError::NoInputs),
        (Shape { inputs: 4, hidden: 0 }, NetworkError::NoHiddenUnits),
    ] {
        let text = format!("init({shape:?}, &mut seeded_rng(1))");
        let got = call(&text, INIT, || exercise_08::init(shape, &mut rng(1)));
        check_error(&text, got, expected, &["at least one"], INIT, INIT, CHECKS);
    }
}

#[test]
fn init_draws_nothing_when_the_shape_is_refused() {
    let mut r = rng(3);
    let text = "init(Shape { inputs: 4, hidden: 0 }, &mut rng), then rng.random::<f64>()";
    let _ = call(text, INIT, || exercise_08::init(Shape { inputs: 4, hidden: 0 }, &mut r));
    let next = r.random::<f64>();
    let first = draws(3, 1)[0];
    if next != first {
        fail(text, format!("{next:?}"), format!("{first:?}, the generator's first number"), INIT);
    }
}
