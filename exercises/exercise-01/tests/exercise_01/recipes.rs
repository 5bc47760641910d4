//! The two recipes, the seeded generator and the single draws: known values.

use exercise_01::{ChaCha8Rng, Inputs, Recipe};
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::StandardNormal;
use support::{Tolerance, call, check, check_close, check_eq};

use crate::check_values;

#[test]
fn agenda_recipe_is_ten_times_normal_x_plus_noise_of_three() {
    let got = call(
        "Recipe::agenda()",
        "write the agenda's recipe; see 'Two recipes' in chapter 1",
        Recipe::agenda,
    );
    let expected = Recipe { inputs: Inputs::Normal { scale: 10.0 }, w: 1.0, b: 0.0, noise: 3.0 };
    check_eq(
        "Recipe::agenda()",
        &got,
        &expected,
        "the agenda makes x = 10·N(0,1) and y = x + 3·N(0,1): inputs Normal with scale 10, \
         the line y = 1·x + 0, noise 3; see 'Two recipes' in chapter 1",
    );
}

#[test]
fn lecture_recipe_is_two_x_plus_one_with_noise_of_a_tenth() {
    let got = call(
        "Recipe::lecture()",
        "write the lecture's recipe; see 'Two recipes' in chapter 1",
        Recipe::lecture,
    );
    let expected = Recipe { inputs: Inputs::Uniform, w: 2.0, b: 1.0, noise: 0.1 };
    check_eq(
        "Recipe::lecture()",
        &got,
        &expected,
        "the lecture's line is y = 2x + 1 (slope w = 2, intercept b = 1), with x uniform on [0, 1) and noise 0.1·N(0,1); \
         0.1 is the standard deviation of the noise, not its variance; see 'Two recipes' in chapter 1",
    );
}

#[test]
fn seeded_rng_is_chacha8_started_from_the_seed() {
    for seed in [0, 1, 100, u64::MAX] {
        let what = format!("seeded_rng({seed})");
        let mut got = call(&what, "see 'Seeds and portable generators' in chapter 1", || {
            exercise_01::seeded_rng(seed)
        });
        let mut expected = ChaCha8Rng::seed_from_u64(seed);
        let (g, e): (Vec<u64>, Vec<u64>) = (
            (0..4).map(|_| got.next_u64()).collect(),
            (0..4).map(|_| expected.next_u64()).collect(),
        );
        check_eq(
            &format!("the first four numbers of {what}"),
            &g,
            &e,
            "make the generator with ChaCha8Rng::seed_from_u64(seed) and nothing else: no other seed, no draws \
             before returning it; see 'Seeds and portable generators' in chapter 1",
        );
    }
}

#[test]
fn seeded_rng_with_seed_100_starts_with_the_known_number() {
    // The first number of ChaCha8 at seed 100, with rand_chacha 0.10: the
    // same on every computer, which is what makes snapshots possible.
    let mut rng =
        call("seeded_rng(100)", "see 'Seeds and portable generators' in chapter 1", || {
            exercise_01::seeded_rng(100)
        });
    let first = rng.next_u64();
    check_eq(
        "seeded_rng(100).next_u64()",
        &first,
        &FIRST_U64_AT_SEED_100,
        "ChaCha8Rng::seed_from_u64(100) always starts with this number, on every platform; \
         see 'Seeds and portable generators' in chapter 1",
    );
}

/// The first `u64` of `ChaCha8Rng::seed_from_u64(100)` (rand_chacha 0.10).
const FIRST_U64_AT_SEED_100: u64 = 0x8e8c_0125_ed43_f172;

#[test]
fn normal_inputs_are_the_scale_times_standard_normal_draws() {
    let n = 50;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let got = call(
        "draw_inputs(Inputs::Normal { scale: 10.0 }, 50, &mut ChaCha8Rng::seed_from_u64(7))",
        "see 'Two recipes' in chapter 1",
        || exercise_01::draw_inputs(Inputs::Normal { scale: 10.0 }, n, &mut rng),
    );
    let mut fresh = ChaCha8Rng::seed_from_u64(7);
    let expected: Vec<f64> = (0..n)
        .map(|_| {
            let z: f64 = fresh.sample(StandardNormal);
            10.0 * z
        })
        .collect();
    check_values(
        "draw_inputs(Inputs::Normal { scale: 10.0 }, 50, &mut ChaCha8Rng::seed_from_u64(7))",
        "x",
        &got,
        &expected,
        "x[i] = scale · z with one draw z = rng.sample(StandardNormal) per input: each draw multiplied by the scale \
         (×10 in the agenda's recipe); see 'Two recipes' in chapter 1",
    );
}

#[test]
fn uniform_inputs_are_random_f64_between_0_and_1() {
    let n = 50;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let what = "draw_inputs(Inputs::Uniform, 50, &mut ChaCha8Rng::seed_from_u64(7))";
    let got = call(what, "see 'Two recipes' in chapter 1", || {
        exercise_01::draw_inputs(Inputs::Uniform, n, &mut rng)
    });
    let mut fresh = ChaCha8Rng::seed_from_u64(7);
    let expected: Vec<f64> = (0..n).map(|_| fresh.random::<f64>()).collect();
    check_values(
        what,
        "x",
        &got,
        &expected,
        "x[i] = rng.random::<f64>(), one draw per input, uniform on [0, 1); see 'Two recipes' in chapter 1",
    );
}

#[test]
fn noise_is_the_scale_times_standard_normal_draws() {
    let n = 50;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let what = "draw_noise(3.0, 50, &mut ChaCha8Rng::seed_from_u64(7))";
    let got =
        call(what, "see 'Two recipes' in chapter 1", || exercise_01::draw_noise(3.0, n, &mut rng));
    let mut fresh = ChaCha8Rng::seed_from_u64(7);
    let expected: Vec<f64> = (0..n)
        .map(|_| {
            let z: f64 = fresh.sample(StandardNormal);
            3.0 * z
        })
        .collect();
    check_values(
        what,
        "noise",
        &got,
        &expected,
        "noise[i] = scale · z with one draw z = rng.sample(StandardNormal) per value: multiply every noise draw by \
         the noise scale; see 'Two recipes' in chapter 1",
    );
}

#[test]
fn draws_continue_the_generator_they_are_given() {
    // Two calls on one generator must not repeat the same numbers: the
    // second call continues where the first stopped.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let what = "draw_inputs(Inputs::Uniform, 5, &mut rng), twice on the same rng";
    let (first, second) = call(what, "see 'Seeds and portable generators' in chapter 1", || {
        (
            exercise_01::draw_inputs(Inputs::Uniform, 5, &mut rng),
            exercise_01::draw_inputs(Inputs::Uniform, 5, &mut rng),
        )
    });
    check(
        first != second,
        what,
        format!("the same five numbers twice: {first:?}"),
        "five new numbers the second time",
        "draw from the generator you are given (`rng`), not from a new one made inside the function; \
         see 'Seeds and portable generators' in chapter 1",
    );
}

#[test]
fn line_plus_noise_by_hand() {
    // y = 2x + 1 + noise, worked out by hand:
    //   x = 0.0, noise =  0.1  ->  1.1
    //   x = 0.5, noise = -0.2  ->  1.8
    //   x = 1.0, noise =  0.0  ->  3.0
    //   x = 3.0, noise =  0.5  ->  7.5
    let x = [0.0, 0.5, 1.0, 3.0];
    let noise = [0.1, -0.2, 0.0, 0.5];
    let what = "line_plus_noise(2.0, 1.0, &[0.0, 0.5, 1.0, 3.0], &[0.1, -0.2, 0.0, 0.5])";
    let got = call(what, "see 'Two recipes' in chapter 1", || {
        exercise_01::line_plus_noise(2.0, 1.0, &x, &noise)
    });
    let expected = [1.1, 1.8, 3.0, 7.5];
    check_eq(
        what,
        &got.len(),
        &expected.len(),
        "one response for every input; see 'Two recipes' in chapter 1",
    );
    for (i, (&g, &e)) in got.iter().zip(&expected).enumerate() {
        check_close(
            &format!("{what}[{i}]"),
            g,
            e,
            Tolerance::Absolute(1e-12),
            "y[i] = w · x[i] + b + noise[i]; see 'Two recipes' in chapter 1",
        );
    }
}
