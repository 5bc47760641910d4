//! `cargo workbook plot 01` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the lecture's
//! data split 80/20, the agenda's data, and your own CSV file.
//!
//! Usage: cargo run -p exercise-01 --example plot -- OUT_DIR WHOSE

use std::path::PathBuf;

use exercise_01::{EXAMPLES, Recipe, SEED, TRAIN_FRACTION, generate, load_csv, plot_split, split};
use support::plot::{Labels, Scale, Series, chart};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;

    let lecture = generate(&Recipe::lecture(), EXAMPLES, SEED);
    let parts = split(&lecture, TRAIN_FRACTION, SEED)?;
    plot_split(
        &parts,
        &format!("The lecture's data, split 80/20 ({whose} code)"),
        &out.join("lecture-split.svg"),
    )?;

    let agenda = generate(&Recipe::agenda(), EXAMPLES, SEED);
    chart(
        &out.join("agenda-data.svg"),
        Labels {
            title: &format!("The agenda's data at seed {SEED} ({whose} code)"),
            x: "x",
            y: "y",
        },
        Scale::Linear,
        &[Series::Points { label: "y = x + 3·noise", x: &agenda.x, y: &agenda.y }],
    )?;

    let houses = load_csv(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/house_prices.csv"),
        "size_sqft",
        "price_lakh",
    )?;
    chart(
        &out.join("house-prices.svg"),
        Labels {
            title: &format!("data/house_prices.csv ({whose} loader)"),
            x: "size (sq ft)",
            y: "price (lakh)",
        },
        Scale::Linear,
        &[Series::Points { label: "houses", x: &houses.x, y: &houses.y }],
    )?;
    Ok(())
}
