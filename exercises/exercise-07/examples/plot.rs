//! `cargo workbook plot 07` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the loss per
//! epoch of gradient descent on the housing data, on the raw features and
//! on the standardised ones.
//!
//! Usage: cargo run -p exercise-07 --example plot -- OUT_DIR WHOSE

use std::path::PathBuf;

use exercise_07::{descend, fit_scaled, housing_split};
use support::plot::{Labels, Scale, Series, chart};

/// Chapter 7's runs: 100 epochs, α = 1e-7 on the raw features, 0.5 on the
/// standardised ones.
const EPOCHS: usize = 100;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;

    let data = housing_split();
    let raw = descend(&data.train_x, &data.train_y, 1e-7, EPOCHS)?;
    let (_, scaled) = fit_scaled(&data.train_x, &data.train_y, 0.5, EPOCHS)?;
    let epochs = |n: usize| (0..n).map(|e| e as f64).collect::<Vec<f64>>();
    let (raw_x, scaled_x) = (epochs(raw.losses.len()), epochs(scaled.losses.len()));
    chart(
        &out.join("housing-descent.svg"),
        Labels {
            title: &format!("Gradient descent on the houses ({whose} code)"),
            x: "epoch",
            y: "MSE (lakh², log scale)",
        },
        Scale::Log,
        &[
            Series::Line { label: "raw features, α = 1e-7", x: &raw_x, y: &raw.losses },
            Series::Line {
                label: "standardised features, α = 0.5",
                x: &scaled_x,
                y: &scaled.losses,
            },
        ],
    )?;
    Ok(())
}
