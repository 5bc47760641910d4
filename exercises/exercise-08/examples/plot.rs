//! `cargo workbook plot 08` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: a network of 16
//! ReLU units trained on the lecture's data with Adam, without dropout and
//! with dropout 0.5, its training and validation loss per epoch.
//!
//! Usage: cargo run -p exercise-08 --example plot -- OUT_DIR WHOSE

use std::io::sink;
use std::path::PathBuf;

use exercise_08::{
    AdamConfig, Criterion, FeatureSplit, OptimizerConfig, Settings, Shape, init, optimizer,
    seeded_rng, train,
};
use solution_04::plot_losses;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;
    let split = FeatureSplit::from_split(&solution_04::lecture_split()?);
    let start = init(Shape { inputs: 1, hidden: 16 }, &mut seeded_rng(100))?;
    let settings = Settings { epochs: 300, stop_below: 0.0, ..Settings::lecture() };
    let mut curves = Vec::new();
    for p in [0.0, 0.5] {
        let mut optimizer = optimizer(&OptimizerConfig::Adam(AdamConfig::new(0.02)))?;
        let run =
            train(&start, &split, Criterion::Mse, optimizer.as_mut(), &settings, p, &mut sink())?;
        curves.push((format!("dropout {p}: training"), run.history.train));
        curves.push((format!("dropout {p}: validation"), run.history.validation));
    }
    let curves: Vec<(&str, &[f64])> =
        curves.iter().map(|(label, losses)| (label.as_str(), losses.as_slice())).collect();
    plot_losses(
        &curves,
        &format!("16 ReLU units on the lecture's data ({whose} code)"),
        &out.join("dropout.svg"),
    )?;
    Ok(())
}
