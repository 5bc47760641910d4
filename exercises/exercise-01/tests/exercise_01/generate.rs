//! `generate`: the recipes put together, drawn in a fixed order.

use exercise_01::{ChaCha8Rng, Inputs, Recipe};
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use support::{call, check, check_eq};

use crate::check_values;

/// The hint for any difference in the drawn numbers of `generate`.
const ORDER: &str = "generate makes one generator, seeded_rng(seed), and must draw all n inputs x first, then all n \
                     noise values, from that one generator; see 'Drawing in a fixed order' in chapter 1";

/// The lecture's recipe, written out here so that these tests of `generate`
/// do not depend on your `Recipe::lecture()`.
const LECTURE: Recipe = Recipe { inputs: Inputs::Uniform, w: 2.0, b: 1.0, noise: 0.1 };

/// The agenda's recipe, written out (see [`LECTURE`]).
const AGENDA: Recipe =
    Recipe { inputs: Inputs::Normal { scale: 10.0 }, w: 1.0, b: 0.0, noise: 3.0 };

/// The lecture's data worked out here, straight from the generator: all the
/// x first (`random::<f64>()`), then all the noise (0.1 · StandardNormal).
fn lecture_by_hand(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let noise: Vec<f64> = (0..n)
        .map(|_| {
            let z: f64 = rng.sample(StandardNormal);
            0.1 * z
        })
        .collect();
    let y = x.iter().zip(&noise).map(|(&xi, &ei)| 2.0 * xi + 1.0 + ei).collect();
    (x, y)
}

#[test]
fn generate_draws_all_x_before_the_noise() {
    let what =
        "generate(&Recipe { inputs: Inputs::Uniform, w: 2.0, b: 1.0, noise: 0.1 }, 100, 100)";
    let got = call(what, "see 'Drawing in a fixed order' in chapter 1", || {
        exercise_01::generate(&LECTURE, 100, 100)
    });
    let (x, y) = lecture_by_hand(100, 100);
    check_values(what, "x", &got.x, &x, ORDER);
    check_values(what, "y", &got.y, &y, ORDER);
}

#[test]
fn generate_makes_n_examples() {
    for n in [0, 1, 7, 100] {
        let what = format!("generate(&{AGENDA:?}, {n}, 100)");
        let got = call(&what, "see 'Drawing in a fixed order' in chapter 1", || {
            exercise_01::generate(&AGENDA, n, 100)
        });
        check_eq(
            &format!("{what}.x.len()"),
            &got.x.len(),
            &n,
            "one input per example; see 'Drawing in a fixed order' in chapter 1",
        );
        check_eq(
            &format!("{what}.y.len()"),
            &got.y.len(),
            &n,
            "one response per input; see 'Drawing in a fixed order' in chapter 1",
        );
    }
}

#[test]
fn same_seed_gives_the_same_data() {
    let what = "generate(&recipe, 100, 100), called twice, with the agenda's recipe";
    let (first, second) = call(what, "see 'Seeds and portable generators' in chapter 1", || {
        (exercise_01::generate(&AGENDA, 100, 100), exercise_01::generate(&AGENDA, 100, 100))
    });
    check(
        first == second,
        what,
        "two different data sets",
        "the same data both times",
        "every random number must come from seeded_rng(seed): the same seed must give the same data; \
         see 'Seeds and portable generators' in chapter 1",
    );
}

#[test]
fn different_seeds_give_different_data() {
    let what =
        "generate(&recipe, 100, 100) and generate(&recipe, 100, 101), with the agenda's recipe";
    let (a, b) = call(what, "see 'Seeds and portable generators' in chapter 1", || {
        (exercise_01::generate(&AGENDA, 100, 100), exercise_01::generate(&AGENDA, 100, 101))
    });
    check(
        a.x != b.x,
        what,
        "the same inputs for both seeds",
        "different inputs",
        "make the generator from the seed you are given: seeded_rng(seed), not a fixed seed; \
         see 'Seeds and portable generators' in chapter 1",
    );
}

#[test]
fn agenda_data_spreads_like_the_recipe() {
    // With many examples, the inputs' standard deviation is close to 10 and
    // y − x (pure noise in this recipe) has a standard deviation close to 3.
    let n = 20_000;
    let what = format!("generate(&Recipe::agenda(), {n}, 100)");
    let data = call(&what, "see 'Two recipes' in chapter 1", || {
        exercise_01::generate(&Recipe::agenda(), n, 100)
    });
    let sd_x = standard_deviation(&data.x);
    check(
        (9.5..10.5).contains(&sd_x),
        &format!("the standard deviation of {what}.x"),
        format!("{sd_x:.3}"),
        "about 10 (between 9.5 and 10.5)",
        "the agenda's inputs are 10 times a standard normal draw: x = 10·z; see 'Two recipes' in chapter 1",
    );
    let residuals: Vec<f64> = data.x.iter().zip(&data.y).map(|(x, y)| y - x).collect();
    let sd_noise = standard_deviation(&residuals);
    check(
        (2.85..3.15).contains(&sd_noise),
        &format!("the standard deviation of y − x for {what}"),
        format!("{sd_noise:.3}"),
        "about 3 (between 2.85 and 3.15)",
        "the agenda's line is y = x, and the noise is 3 times a standard normal draw; see 'Two recipes' in chapter 1",
    );
}

#[test]
fn lecture_data_lies_close_to_the_line_two_x_plus_one() {
    let what = "generate(&Recipe::lecture(), 100, 100)";
    let data = call(what, "see 'Two recipes' in chapter 1", || {
        exercise_01::generate(&Recipe::lecture(), 100, 100)
    });
    check_eq(
        &format!("{what}.x.len()"),
        &data.x.len(),
        &100,
        "N = 100 examples; see 'Two recipes' in chapter 1",
    );
    for (i, (&x, &y)) in data.x.iter().zip(&data.y).enumerate() {
        check(
            (0.0..1.0).contains(&x),
            &format!("{what}: x[{i}]"),
            format!("{x}"),
            "a number in [0, 1)",
            "the lecture's inputs are uniform on [0, 1): rng.random::<f64>(); see 'Two recipes' in chapter 1",
        );
        let off = y - (2.0 * x + 1.0);
        check(
            off.abs() < 0.5,
            &format!("{what}: y[{i}] − (2·x[{i}] + 1)"),
            format!("{off:.4} (x = {x:.4}, y = {y:.4})"),
            "small noise, about ±0.1",
            "the lecture's line is y = 2x + 1 (slope w = 2, intercept b = 1) plus 0.1·N(0,1); see 'Two recipes' in chapter 1",
        );
    }
}

fn standard_deviation(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt()
}
