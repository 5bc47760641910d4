//! Snapshots of the data at seed 100, compared digit for digit with the
//! files in `tests/snapshots/`. Numbers are written with 10 decimals:
//! enough to catch any mistake, and a last-bit difference in a float (from
//! an equivalent order of arithmetic) does not show.

use exercise_01::{Dataset, Recipe};
use support::call;

/// One line per example: its number, x and y.
fn table(data: &Dataset) -> String {
    let mut out = format!("{:>3}  {:>16}  {:>16}\n", "i", "x", "y");
    for (i, (x, y)) in data.x.iter().zip(&data.y).enumerate() {
        out.push_str(&format!("{i:>3}  {x:>16.10}  {y:>16.10}\n"));
    }
    out
}

#[test]
fn agenda_data_at_seed_100_matches_the_snapshot() {
    let data = call(
        "generate(&Recipe::agenda(), 100, 100)",
        "see 'Drawing in a fixed order' in chapter 1",
        || exercise_01::generate(&Recipe::agenda(), 100, 100),
    );
    insta::with_settings!({
        description => "generate(&Recipe::agenda(), 100, 100): x = 10·z, y = x + 3·z', drawn from \
            ChaCha8Rng::seed_from_u64(100), all 100 x first, then all 100 noise values. \
            If your numbers differ, check the recipe and the order of the draws; \
            see 'Drawing in a fixed order' in chapter 1.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("agenda_data_at_seed_100", table(&data));
    });
}

#[test]
fn lecture_data_at_seed_100_matches_the_snapshot() {
    let data = call(
        "generate(&Recipe::lecture(), 100, 100)",
        "see 'Drawing in a fixed order' in chapter 1",
        || exercise_01::generate(&Recipe::lecture(), 100, 100),
    );
    insta::with_settings!({
        description => "generate(&Recipe::lecture(), 100, 100): x = rng.random::<f64>(), y = 2x + 1 + 0.1·z, \
            drawn from ChaCha8Rng::seed_from_u64(100), all 100 x first, then all 100 noise values. \
            If your numbers differ, check the recipe and the order of the draws; \
            see 'Drawing in a fixed order' in chapter 1.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("lecture_data_at_seed_100", table(&data));
    });
}

#[test]
fn lecture_split_at_seed_100_matches_the_snapshot() {
    let (order, parts) = call(
        "shuffled_indices(100, 100) and split(&generate(&Recipe::lecture(), 100, 100), 0.8, 100)",
        "see 'Splitting the data' in chapter 1",
        || {
            let data = exercise_01::generate(&Recipe::lecture(), 100, 100);
            (exercise_01::shuffled_indices(100, 100), exercise_01::split(&data, 0.8, 100))
        },
    );
    let text = match parts {
        Ok(parts) => format!(
            "shuffled_indices(100, 100):\n{}\n\ntraining set: {} rows\nvalidation set: {} rows\n{}",
            order.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" "),
            parts.train.len(),
            parts.validation.len(),
            table(&parts.validation)
        ),
        Err(e) => format!("split failed: {e}"),
    };
    insta::with_settings!({
        description => "The lecture's data at seed 100, split 80/20 with seed 100: the shuffled order of the indices, \
            then the 20 validation rows. If the order differs, shuffle (0..n).collect() with \
            order.shuffle(&mut seeded_rng(seed)); if the rows differ, the validation set is the rows after the \
            first 80 of that order; see 'Splitting the data' in chapter 1.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("lecture_split_at_seed_100", text);
    });
}
