//! `cargo workbook plot 05` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the training loss
//! per epoch of SGD, SGD with momentum and Adam on the lecture's data, and the
//! validation loss of the workshop's three learning rates with the best
//! choice.
//!
//! Usage: cargo run -p exercise-05 --example plot -- OUT_DIR WHOSE

use std::io::sink;
use std::path::PathBuf;

use exercise_05::{
    AdamConfig, Criterion, LEARNING_RATES, OptimizerConfig, Params, SWEEP_EPOCHS, Settings,
    SgdConfig, best_choice, lecture_split, optimizer, sweep, train_line,
};
use solution_04::plot_losses;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;
    let split = lecture_split()?;

    let settings = Settings { epochs: 100, ..Settings::lecture() };
    let mut curves = Vec::new();
    for (label, config) in [
        ("SGD, lr 0.1", OptimizerConfig::Sgd(SgdConfig::new(0.1))),
        (
            "SGD with momentum 0.9, lr 0.1",
            OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) }),
        ),
        ("Adam, lr 0.1", OptimizerConfig::Adam(AdamConfig::new(0.1))),
    ] {
        let mut optimizer = optimizer(&config)?;
        let run = train_line(
            Params::UNTRAINED,
            &split,
            Criterion::Mse,
            optimizer.as_mut(),
            &settings,
            &mut sink(),
        )?;
        curves.push((label, run.history.train));
    }
    let curves: Vec<(&str, &[f64])> =
        curves.iter().map(|(label, losses)| (*label, losses.as_slice())).collect();
    plot_losses(
        &curves,
        &format!("Three optimizers on the lecture's data ({whose} code)"),
        &out.join("optimizers.svg"),
    )?;

    let settings = Settings { epochs: SWEEP_EPOCHS, ..Settings::lecture() };
    let sgd = OptimizerConfig::Sgd(SgdConfig::new(0.1));
    let trials =
        sweep(Params::UNTRAINED, &split, Criterion::Mse, &sgd, &LEARNING_RATES, &settings)?;
    let labels: Vec<String> =
        trials.iter().map(|t| format!("validation loss, lr {}", t.learning_rate)).collect();
    let curves: Vec<(&str, &[f64])> = labels
        .iter()
        .zip(&trials)
        .map(|(label, t)| (label.as_str(), t.training.history.validation.as_slice()))
        .collect();
    let title = match best_choice(&trials) {
        Some(best) => {
            format!("Best: lr {} for {} epochs ({whose} code)", best.learning_rate, best.epochs)
        }
        None => format!("The workshop's learning rates ({whose} code)"),
    };
    plot_losses(&curves, &title, &out.join("learning-rates.svg"))?;
    Ok(())
}
