//! `cargo workbook plot 10` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the pipeline on
//! the diabetes data, its cross-validation score per setting, the learning
//! curves of gradient descent and of the network, and the chosen model's
//! predictions on the validation rows (predicted against actual, and the
//! residuals). The test rows stay sealed: the figures never show them.
//!
//! Usage: cargo run -p exercise-10 --example plot -- OUT_DIR WHOSE [DATA.csv TARGET]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exercise_10::{
    DIABETES, DIABETES_TARGET, FOLDS, FRACTIONS, Rows, SEED, SETTINGS, Setting, fit, load, run,
};
use support::plot::{Labels, Scale, Series, chart};

fn main() -> ExitCode {
    match draw() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the pipeline and draws the four figures.
fn draw() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE [DATA.csv TARGET]")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    let given = args.next();
    let shown = given.clone().unwrap_or_else(|| "data/diabetes.csv".to_string());
    let data = given.unwrap_or_else(|| DIABETES.to_string());
    let target = args.next().unwrap_or_else(|| DIABETES_TARGET.to_string());
    std::fs::create_dir_all(&out)?;
    let table = load(Path::new(&data), &target)?;
    let report = run(&table, &SETTINGS, FRACTIONS, SEED, FOLDS)?;

    // The cross-validation score of every setting: each fold's error, and their mean.
    let (mut fold_x, mut fold_y, mut mean_x, mut mean_y) = (vec![], vec![], vec![], vec![]);
    for (i, score) in report.choice.scores.iter().enumerate() {
        let x = (i + 1) as f64;
        for fold in &score.folds {
            fold_x.push(x);
            fold_y.push(fold.mse);
        }
        mean_x.push(x);
        mean_y.push(score.mean);
    }
    chart(
        &out.join("cross_validation.svg"),
        Labels {
            title: &format!("{FOLDS}-fold cross-validation per setting ({whose} code)"),
            x: "setting: 1 baseline, 2 least squares, 3-4 descent, 5-7 networks",
            y: "validation MSE",
        },
        Scale::Linear,
        &[
            Series::Points { label: "each fold", x: &fold_x, y: &fold_y },
            Series::Line { label: "mean of the folds", x: &mean_x, y: &mean_y },
        ],
    )?;

    // Learning curves: gradient descent and a network, on the training rows,
    // watching the validation rows.
    let train = Rows::of(&table, &report.train);
    let validation = Rows::of(&table, &report.validation);
    let mut curves = Vec::new();
    for setting in
        [Setting::Descent { learning_rate: 0.01 }, Setting::Network { hidden: 16, dropout: 0.25 }]
    {
        let fitted = fit(setting, &train, &validation, &table.schema)?;
        let epochs: Vec<f64> = (0..fitted.history.train.len()).map(|e| e as f64).collect();
        curves.push((format!("{setting}: training"), epochs.clone(), fitted.history.train));
        curves.push((format!("{setting}: validation"), epochs, fitted.history.validation));
    }
    let series: Vec<Series<'_>> =
        curves.iter().map(|(label, x, y)| Series::Line { label, x, y }).collect();
    chart(
        &out.join("learning_curves.svg"),
        Labels { title: &format!("Learning curves ({whose} code)"), x: "epoch", y: "loss (MSE)" },
        Scale::Log,
        &series,
    )?;

    // The chosen model on the validation rows.
    let model = &report.model.model;
    let actual: Vec<f64> = validation.y.iter().copied().collect();
    let predicted: Vec<f64> = (0..validation.len())
        .map(|i| {
            let row: Vec<f64> = validation.x.row(i).iter().copied().collect();
            solution_09::predict_one(model, &row)
        })
        .collect();
    let residuals: Vec<f64> = predicted.iter().zip(&actual).map(|(p, a)| a - p).collect();
    let (low, high) = actual
        .iter()
        .chain(&predicted)
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    let chosen = report.choice.scores[report.choice.best].setting;
    chart(
        &out.join("predicted_vs_actual.svg"),
        Labels {
            title: &format!("{chosen} on the validation rows ({whose} code)"),
            x: &format!("actual {target}"),
            y: &format!("predicted {target}"),
        },
        Scale::Linear,
        &[
            Series::Points { label: "validation rows", x: &actual, y: &predicted },
            Series::Line { label: "predicted = actual", x: &[low, high], y: &[low, high] },
        ],
    )?;
    let (left, right) =
        predicted.iter().fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    chart(
        &out.join("residuals.svg"),
        Labels {
            title: &format!("Residuals on the validation rows ({whose} code)"),
            x: &format!("predicted {target}"),
            y: "actual − predicted",
        },
        Scale::Linear,
        &[
            Series::Points { label: "validation rows", x: &predicted, y: &residuals },
            Series::Line { label: "0", x: &[left, right], y: &[0.0, 0.0] },
        ],
    )?;
    println!(
        "{}: chose {chosen} (cross-validation MSE {:.1}); validation MSE {:.1}; test MSE {:.1}, the baseline's {:.1}, on {} test rows",
        shown,
        report.choice.scores[report.choice.best].mean,
        report.validation_error,
        report.test.model,
        report.test.baseline,
        report.test.rows
    );
    Ok(())
}
