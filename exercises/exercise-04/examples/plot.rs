//! `cargo workbook plot 04` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the lecture's line
//! after 100 epochs of batch descent, its losses per epoch, and the home
//! task's learning curves of batch, mini-batch and stochastic descent.
//!
//! Usage: cargo run -p exercise-04 --example plot -- OUT_DIR WHOSE

use std::io::sink;
use std::path::PathBuf;

use exercise_04::{
    Descent, LEARNING_RATE, Params, Settings, lecture_split, plot_fit, plot_losses, train,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;

    let split = lecture_split()?;
    let batch = train(Params::UNTRAINED, &split, LEARNING_RATE, &Settings::lecture(), &mut sink())?;
    plot_fit(
        batch.params,
        &split,
        &format!("After 100 epochs of batch descent ({whose} code)"),
        &out.join("fit.svg"),
    )?;
    let h = &batch.history;
    plot_losses(
        &[("training", &h.train), ("validation", &h.validation)],
        &format!("Loss per epoch, batch descent ({whose} code)"),
        &out.join("losses.svg"),
    )?;

    let mut curves = Vec::new();
    for (label, descent) in [
        ("batch", Descent::Batch),
        ("mini-batches of 32", Descent::MiniBatch(32)),
        ("stochastic", Descent::Stochastic),
    ] {
        let settings = Settings { descent, ..Settings::lecture() };
        curves.push((
            label,
            train(Params::UNTRAINED, &split, LEARNING_RATE, &settings, &mut sink())?.history.train,
        ));
    }
    let curves: Vec<(&str, &[f64])> =
        curves.iter().map(|(label, losses)| (*label, losses.as_slice())).collect();
    plot_losses(
        &curves,
        &format!("Batch against stochastic descent ({whose} code)"),
        &out.join("batch-vs-stochastic.svg"),
    )?;
    Ok(())
}
