//! `cargo workbook plot 02` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: two lines over
//! the lecture's house table, and the cost as the weight changes.
//!
//! Usage: cargo run -p exercise-02 --example plot -- OUT_DIR WHOSE

use std::path::PathBuf;

use exercise_02::{UNTRAINED_B, UNTRAINED_W, mean_squared_error, predict_all};
use support::plot::{Labels, Scale, Series, chart};

/// The lecture's house table: size in square feet, price in lakh.
use support::data::{HOUSE_PRICES as PRICES, HOUSE_SIZES as SIZES};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;

    let guess = predict_all(0.02, -5.0, &SIZES);
    let untrained = predict_all(UNTRAINED_W, UNTRAINED_B, &SIZES);
    let cost_guess = mean_squared_error(&guess, &PRICES)?;
    let guess_label = format!("ŷ = 0.02·x − 5 (MSE {cost_guess:.3})");
    chart(
        &out.join("house-lines.svg"),
        Labels {
            title: &format!("Predictions for the house table ({whose} code)"),
            x: "size (sq ft)",
            y: "price (lakh)",
        },
        Scale::Linear,
        &[
            Series::Points { label: "houses", x: &SIZES, y: &PRICES },
            Series::Line { label: &guess_label, x: &SIZES, y: &guess },
            Series::Line { label: "the untrained model", x: &SIZES, y: &untrained },
        ],
    )?;

    let ws: Vec<f64> = (0..=60).map(|i| 0.016 + 0.0002 * i as f64).collect();
    let mut costs = Vec::with_capacity(ws.len());
    for &w in &ws {
        costs.push(mean_squared_error(&predict_all(w, -5.0, &SIZES), &PRICES)?);
    }
    chart(
        &out.join("cost-by-weight.svg"),
        Labels {
            title: &format!("MSE of the house table for b = −5 ({whose} code)"),
            x: "weight w",
            y: "mean squared error",
        },
        Scale::Linear,
        &[Series::Line { label: "MSE(w, −5)", x: &ws, y: &costs }],
    )?;
    Ok(())
}
