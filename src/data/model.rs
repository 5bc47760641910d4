//! Model files on the command line: `fit --save` and `train --save` write
//! one, `predict` reads one and predicts a CSV file. The file's format, its
//! checks and the predictions are exercise 09's reference solution; this
//! module reads and writes the files around it.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use solution_01::{LoadError, line_of, parse_number};
use solution_09::{ModelFile, Training};

use crate::data::fit::FitSummary;
use crate::data::table;
use crate::data::train::{Report, RunOutcome};
use crate::util::fs::write_atomic;
use crate::util::hash::Fingerprint;

/// The SHA-256 of the file at `path`, in hexadecimal: it names the training
/// data in the model file without copying any of it.
pub fn sha256_of(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
    let mut hash = Fingerprint::new();
    hash.raw(&bytes);
    Ok(hash.hex())
}

/// Writes `model` to `path` as exercise 09's JSON, after its checks.
pub fn save(model: &ModelFile, path: &Path) -> Result<()> {
    let json = solution_09::to_json(model)
        .with_context(|| format!("could not save the model to {}", path.display()))?;
    // Whole or not at all: a model file cut short by a crash would not load.
    write_atomic(path, (json + "\n").as_bytes())
}

/// Reads and checks the model file at `path`.
pub fn load(path: &Path) -> Result<ModelFile> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "could not read the model file {}; check the path (a file written by `fit --save` or `train --save`)",
            path.display()
        )
    })?;
    solution_09::from_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The model `fit` found, as a model file.
pub fn from_fit(summary: &FitSummary, data: &Path) -> Result<ModelFile> {
    let linear = solution_07::Linear {
        w: nalgebra::DVector::from_column_slice(&summary.coefficients),
        b: summary.intercept.unwrap_or(0.0),
    };
    let training = Training {
        optimizer: format!("least squares ({})", summary.solver),
        epochs: 0,
        loss: summary.mse,
        data_sha256: sha256_of(data)?,
    };
    Ok(ModelFile::linear(summary.features.clone(), summary.target.clone(), &linear, None, training))
}

/// The model `train` ended with, as a model file: a linear model in the
/// original units (its steps are reported so, with `--scale` too), or the
/// network with the scaler its parameters act through.
pub fn from_train(report: &Report, optimizer: String, data: &Path) -> Result<ModelFile> {
    if report.outcome == RunOutcome::Diverged {
        anyhow::bail!(
            "the run diverged, and a model that diverged is not saved: train again with a smaller --lr (or --scale)"
        );
    }
    let last = report.last.as_ref().context(
        "there is no trained model to save: training took no step (give --epochs 1 or more)",
    )?;
    // The history's losses are those each epoch starts from: the last
    // epoch's updates come after the last one, unless the stopping rule
    // ended the run at the start of that epoch.
    let runs = report.epoch_losses.len();
    let epochs =
        if report.outcome == RunOutcome::Converged { runs.saturating_sub(1) } else { runs };
    let training = Training { optimizer, epochs, loss: 0.0, data_sha256: sha256_of(data)? };
    let features = report.features.clone();
    let target = report.target.clone();
    match (&report.network, &last.params) {
        (Some(net), Some(params)) => {
            let network = solution_08::Network {
                shape: solution_08::Shape { inputs: net.inputs, hidden: net.hidden },
                params: params.clone(),
            };
            let scaler = report.scaling.as_ref().map(|s| solution_07::Scaler {
                mean: nalgebra::DVector::from_column_slice(&s.mean),
                scale: nalgebra::DVector::from_column_slice(&s.scale),
            });
            with_loss(
                ModelFile::hidden(features, target, &network, scaler.as_ref(), training),
                data,
            )
        }
        _ => {
            let linear = solution_07::Linear {
                w: nalgebra::DVector::from_column_slice(&last.coefficients),
                b: last.intercept.unwrap_or(0.0),
            };
            with_loss(ModelFile::linear(features, target, &linear, None, training), data)
        }
    }
}

/// `model` with its training loss: the mean squared error of its
/// predictions on every row of the training file (the history's last loss
/// is that of the parameters before the last epoch's updates).
fn with_loss(mut model: ModelFile, data: &Path) -> Result<ModelFile> {
    let table = table::read(data)?;
    let target =
        table.column(&model.target).map_err(|m| anyhow::anyhow!("{}: {m}", data.display()))?;
    let (_, xs, y) = table.features_and_target(target);
    let squared: f64 =
        xs.iter().zip(&y).map(|(x, y)| (solution_09::predict_one(&model, x) - y).powi(2)).sum();
    model.training.loss = squared / y.len() as f64;
    Ok(model)
}

/// What `predict` did.
#[derive(Clone, Debug, PartialEq)]
pub struct Predicted {
    pub rows: usize,
    /// The columns of the data that are not features, ignored.
    pub ignored: Vec<String>,
    /// The name of the column added.
    pub column: String,
}

/// Predicts every row of the CSV file `data` with `model`, and writes the
/// file's rows, as they are, with a prediction column added, to `out`. Only
/// the features' columns must hold numbers; a bad value is an error that
/// names the file, its line and column.
pub fn predict(model: &ModelFile, data: &Path, out: &mut dyn Write) -> Result<Predicted> {
    let file = data.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(data)
        .map_err(|e| LoadError::Unreadable { file: file.clone(), reason: e.to_string() })?;
    let header = reader.headers().map_err(|e| table::problem(data, e))?.clone();
    let names: Vec<&str> = header.iter().collect();
    let columns = solution_09::match_columns(&model.features, &names)
        .map_err(|e| anyhow::anyhow!("{file}, line 1: {e}"))?;
    let mut column = format!("predicted_{}", model.target);
    while names.contains(&column.as_str()) {
        column.insert(0, '_');
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(names.iter().copied().chain([column.as_str()]))?;
    let mut rows = 0;
    let mut record = csv::StringRecord::new();
    let mut values = vec![0.0; columns.positions.len()];
    while reader.read_record(&mut record).map_err(|e| table::problem(data, e))? {
        for (value, &at) in values.iter_mut().zip(&columns.positions) {
            let text = &record[at];
            *value = parse_number(text).map_err(|problem| LoadError::BadValue {
                file: file.clone(),
                line: line_of(data, record.position()),
                column: at + 1,
                name: names[at].to_string(),
                value: text.to_string(),
                problem,
            })?;
        }
        let prediction = solution_09::predict_one(model, &values);
        writer.write_record(record.iter().chain([format!("{prediction:?}").as_str()]))?;
        rows += 1;
    }
    writer.flush()?;
    if rows == 0 {
        return Err(LoadError::NoRows { file }.into());
    }
    Ok(Predicted { rows, ignored: columns.ignored, column })
}
