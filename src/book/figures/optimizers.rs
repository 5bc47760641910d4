//! Figures of exercise 5: the optimizers side by side.

use super::*;

// ---------------------------------------------------------------------------
// Exercise 5: optimizers

/// The optimizers of chapter 5's figures, each at the learning rate 0.1.
pub(super) fn exercise_05_lineup() -> Vec<(&'static str, solution_05::OptimizerConfig)> {
    use solution_05::{AdamConfig, OptimizerConfig, SgdConfig};
    vec![
        ("SGD", OptimizerConfig::Sgd(SgdConfig::new(0.1))),
        ("momentum 0.9", OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) })),
        (
            "Nesterov momentum 0.9",
            OptimizerConfig::Sgd(SgdConfig {
                momentum: 0.9,
                nesterov: true,
                ..SgdConfig::new(0.1)
            }),
        ),
        ("Adam", OptimizerConfig::Adam(AdamConfig::new(0.1))),
    ]
}

/// A run of exercise 5's reference `train_line` on the lecture's data from
/// the untrained model: batch descent, the MSE, `epochs` epochs.
pub(super) fn exercise_05_run(
    config: &solution_05::OptimizerConfig,
    epochs: usize,
) -> Result<solution_04::Training> {
    let split = solution_05::lecture_split()?;
    let settings = solution_05::Settings { epochs, ..solution_05::Settings::lecture() };
    let mut optimizer = solution_05::optimizer(config)?;
    Ok(solution_05::train_line(
        solution_05::Params::UNTRAINED,
        &split,
        solution_05::Criterion::Mse,
        optimizer.as_mut(),
        &settings,
        &mut std::io::sink(),
    )?)
}

/// The training loss per epoch of SGD, momentum, Nesterov momentum and Adam
/// on the lecture's data, all at the learning rate 0.1.
pub(super) fn exercise_05_optimizers(_root: &Path, path: &Path) -> Result<()> {
    let mut curves = Vec::new();
    for (name, config) in exercise_05_lineup() {
        let run = exercise_05_run(&config, 100)?;
        let label = format!("{name}: {} after 100 epochs", round_to(run.history.train[99], 4));
        curves.push((label, run.history.train));
    }
    let curves: Vec<(&str, &[f64])> =
        curves.iter().map(|(label, losses)| (label.as_str(), losses.as_slice())).collect();
    solution_04::plot_losses(&curves, "Four optimizers on the lecture's data (lr 0.1)", path)?;
    Ok(())
}

/// The validation loss after every epoch of plain SGD at the workshop's three
/// learning rates, with the best learning rate and number of epochs that the
/// reference `best_choice` picks.
pub(super) fn exercise_05_learning_rates(_root: &Path, path: &Path) -> Result<()> {
    use solution_05::{OptimizerConfig, SgdConfig};
    let split = solution_05::lecture_split()?;
    let settings = solution_05::Settings {
        epochs: solution_05::SWEEP_EPOCHS,
        ..solution_05::Settings::lecture()
    };
    let trials = solution_05::sweep(
        solution_05::Params::UNTRAINED,
        &split,
        solution_05::Criterion::Mse,
        &OptimizerConfig::Sgd(SgdConfig::new(0.1)),
        &solution_05::LEARNING_RATES,
        &settings,
    )?;
    let best = solution_05::best_choice(&trials).context("the sweep has losses")?;
    let epochs: Vec<f64> = (0..settings.epochs).map(|e| e as f64).collect();
    let labels: Vec<String> = trials
        .iter()
        .map(|t| {
            let v = &t.training.history.validation;
            format!(
                "lr {}: {} after {} epochs",
                t.learning_rate,
                round_to(v[v.len() - 1], 4),
                v.len()
            )
        })
        .collect();
    let mut series: Vec<Series<'_>> = labels
        .iter()
        .zip(&trials)
        .map(|(label, t)| Series::Line { label, x: &epochs, y: &t.training.history.validation })
        .collect();
    let best_x = [best.epochs as f64];
    let best_y = [best.validation_loss];
    let best_label = format!(
        "best: lr {} after {} epochs, {}",
        best.learning_rate,
        best.epochs,
        round_to(best.validation_loss, 5)
    );
    series.push(Series::Points { label: &best_label, x: &best_x, y: &best_y });
    chart(
        path,
        Labels {
            title: "Validation loss of plain SGD at three learning rates",
            x: "epoch",
            y: "validation loss (MSE)",
        },
        Scale::Log,
        &series,
    )?;
    Ok(())
}
