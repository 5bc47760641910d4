//! Figures of exercise 10: the pipeline on the diabetes data, its
//! cross-validation per setting, the learning curves of the iterative
//! settings, and the report as a table.

use std::sync::OnceLock;

use solution_10::{
    DIABETES_TARGET, FOLDS, FRACTIONS, Report, Rows, SEED, SETTINGS, Setting, Table,
};

use super::*;

/// The shipped data, relative to the course's root.
const DIABETES_CSV: &str = "exercises/exercise-10/data/diabetes.csv";

/// The table and the reference pipeline's report, computed once for the
/// three figures.
fn pipeline(root: &Path) -> Result<&'static (Table, Report)> {
    static DONE: OnceLock<(Table, Report)> = OnceLock::new();
    if let Some(done) = DONE.get() {
        return Ok(done);
    }
    let table = solution_10::load(&root.join(DIABETES_CSV), DIABETES_TARGET)?;
    let report = solution_10::run(&table, &SETTINGS, FRACTIONS, SEED, FOLDS)?;
    Ok(DONE.get_or_init(|| (table, report)))
}

/// Every fold's error and their mean, setting by setting.
pub(super) fn exercise_10_cross_validation(root: &Path, path: &Path) -> Result<()> {
    let (_, report) = pipeline(root)?;
    let (mut fold_x, mut fold_y, mut mean_x, mut mean_y) = (vec![], vec![], vec![], vec![]);
    for (i, score) in report.choice.scores.iter().enumerate() {
        let x = (i + 1) as f64;
        fold_x.extend(score.folds.iter().map(|_| x));
        fold_y.extend(score.folds.iter().map(|f| f.mse));
        mean_x.push(x);
        mean_y.push(score.mean);
    }
    chart(
        path,
        Labels {
            title: "5-fold cross-validation on the 266 training patients",
            x: "setting: 1 baseline, 2 least squares, 3-4 descent, 5-7 networks",
            y: "held-out MSE",
        },
        Scale::Linear,
        &[
            Series::Points { label: "each fold", x: &fold_x, y: &fold_y },
            Series::Line { label: "mean of the folds", x: &mean_x, y: &mean_y },
        ],
    )?;
    Ok(())
}

/// The training and validation loss per epoch of gradient descent and of
/// the network with dropout, each trained on the training rows.
pub(super) fn exercise_10_learning_curves(root: &Path, path: &Path) -> Result<()> {
    let (table, report) = pipeline(root)?;
    let train = Rows::of(table, &report.train);
    let validation = Rows::of(table, &report.validation);
    let mut curves = Vec::new();
    for setting in
        [Setting::Descent { learning_rate: 0.01 }, Setting::Network { hidden: 16, dropout: 0.0 }]
    {
        let fitted = solution_10::fit(setting, &train, &validation, &table.schema)?;
        let epochs: Vec<f64> = (0..fitted.history.train.len()).map(|e| e as f64).collect();
        curves.push((format!("{setting}: training"), epochs.clone(), fitted.history.train));
        curves.push((format!("{setting}: validation"), epochs, fitted.history.validation));
    }
    let series: Vec<Series<'_>> =
        curves.iter().map(|(label, x, y)| Series::Line { label, x, y }).collect();
    chart(
        path,
        Labels { title: "Learning curves on the diabetes data", x: "epoch", y: "MSE (log scale)" },
        Scale::Log,
        &series,
    )?;
    Ok(())
}

/// The report as a Markdown table that chapter 10 includes.
pub(super) fn exercise_10_report(root: &Path, path: &Path) -> Result<()> {
    let (_, report) = pipeline(root)?;
    let one = |v: f64| format!("{v:.1}");
    let mut out =
        String::from("| setting | cross-validation MSE (mean of 5 folds) |\n|---|---:|\n");
    for (i, score) in report.choice.scores.iter().enumerate() {
        let mean = if i == report.choice.best {
            format!("**{}** (chosen)", one(score.mean))
        } else {
            one(score.mean)
        };
        out.push_str(&format!("| {} | {mean} |\n", score.setting));
    }
    out.push_str(&format!(
        "\n| the chosen model, {} | MSE |\n|---|---:|\n",
        report.choice.scores[report.choice.best].setting
    ));
    for (what, value) in [
        (format!("training ({} rows)", report.train.len()), report.model.model.training.loss),
        (format!("validation ({} rows)", report.validation.len()), report.validation_error),
        (format!("test ({} rows)", report.test.rows), report.test.model),
        ("the baseline on the same test rows".to_string(), report.test.baseline),
    ] {
        out.push_str(&format!("| {what} | {} |\n", one(value)));
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
