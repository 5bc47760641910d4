//! `cargo workbook plot 06` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the house table
//! with your least-squares line and your line through the origin.
//!
//! Usage: cargo run -p exercise-06 --example plot -- OUT_DIR WHOSE

use std::path::PathBuf;

use exercise_06::{fit_line, fit_through_origin};
use support::plot::{Labels, Scale, Series, chart};

/// The lecture's house table: size in square feet, price in lakh.
use support::data::{HOUSE_PRICES as PRICES, HOUSE_SIZES as SIZES};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;

    let line = fit_line(&SIZES, &PRICES)?;
    let slope = fit_through_origin(&SIZES, &PRICES)?;
    let xs = [0.0, 1300.0];
    let best: Vec<f64> = xs.iter().map(|x| line.w * x + line.b).collect();
    let origin: Vec<f64> = xs.iter().map(|x| slope * x).collect();
    let best_label = format!("least squares: ŷ = {:.5}·x {:+.3}", line.w, line.b);
    let origin_label = format!("through the origin: ŷ = {slope:.5}·x");
    chart(
        &out.join("house-lines.svg"),
        Labels {
            title: &format!("The normal equation on the house table ({whose} code)"),
            x: "size (sq ft)",
            y: "price (lakh)",
        },
        Scale::Linear,
        &[
            Series::Points { label: "houses", x: &SIZES, y: &PRICES },
            Series::Line { label: &best_label, x: &xs, y: &best },
            Series::Line { label: &origin_label, x: &xs, y: &origin },
        ],
    )?;
    Ok(())
}
