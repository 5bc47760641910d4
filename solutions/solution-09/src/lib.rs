//! # Exercise 09: saving, loading, predicting
//!
//! Exercises 07 and 08 trained models that lived as long as the program
//! that trained them. This crate writes a trained model to a file and reads
//! it back, so that another program, on another day, predicts with it:
//!
//! 1. **The model file** ([`ModelFile`], [`parameter_count`]): everything a
//!    prediction needs (the kind of model, its parameters, the scaler, the
//!    features by name and in order, the target's name), a format version,
//!    and how the model was trained; JSON, written and read with serde.
//! 2. **Saving** ([`check`], [`to_json`]): a model is checked before it is
//!    written, and every number is written so that it reads back exactly.
//! 3. **Loading** ([`from_json`]): a file is never trusted; a newer format,
//!    a missing or unknown field, a parameter count that does not fit the
//!    architecture or a number that is not finite is refused, with an error
//!    that says what to do.
//! 4. **Predicting** ([`match_columns`], [`predict_one`], [`predict_rows`]):
//!    the columns of new data are matched to the features by name, never by
//!    position; the scaler the model was trained with is applied first.
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Work from the top of the file down. Chapter 9 of the
//! book, "Saving, loading, predicting", explains every step.

use std::fmt;

use nalgebra::DVector;
use serde::{Deserialize, Serialize};
/// What exercise 07 defined: the linear layer and the scaler.
pub use solution_07::{Linear, Scaler};
/// What exercise 08 defined: the network with one hidden layer.
pub use solution_08::{Network, Shape};
use thiserror::Error;

// ---------------------------------------------------------------------------
// 1. The model file
// ---------------------------------------------------------------------------

// ANCHOR: format_version
/// The version of the model file's format that this crate writes, and the
/// newest it reads. A program that changes the format (a new field, a new
/// kind of model) raises it, so that an older program refuses the new files
/// instead of misreading them.
pub const FORMAT_VERSION: u64 = 1;
// ANCHOR_END: format_version

// ANCHOR: kind
/// The kind of model, which fixes the meaning of the parameters:
///
/// - `Linear`: `ŷ = Σⱼ wⱼ·xⱼ + b`, the parameters `w₁ … w_d` then `b`
///   (the order of PyTorch's `nn.Linear`: weight, then bias);
/// - `Hidden { units }`: exercise 08's network with `units` hidden ReLU
///   units, its parameters in exercise 08's layout (`W₁` row by row, `b₁`,
///   `W₂`, `b₂`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Kind {
    Linear,
    Hidden { units: usize },
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Linear => write!(f, "linear model"),
            Kind::Hidden { units } => write!(f, "network with {units} hidden units"),
        }
    }
}
// ANCHOR_END: kind

// ANCHOR: model_file
/// A trained model as it is saved: everything a prediction needs, and how
/// the model was made. `serde` writes it as JSON and reads it back; a field
/// that is missing, or one it does not know, is an error
/// (`deny_unknown_fields`), never silently skipped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// [`FORMAT_VERSION`] when it was written.
    pub format_version: u64,
    /// What the parameters mean.
    pub kind: Kind,
    /// The names of the features, in the order the parameters expect them.
    pub features: Vec<String>,
    /// The name of what the model predicts.
    pub target: String,
    /// [`parameter_count`] numbers, in the layout of [`Kind`].
    pub parameters: Vec<f64>,
    /// The standardisation the model was trained with, one mean and one
    /// scale per feature, or `null` for a model trained on raw features.
    /// The field must be there even when it is `null`: a file that lost it
    /// would otherwise predict from unscaled features without a word.
    #[serde(deserialize_with = "Option::deserialize")]
    pub scaler: Option<Standardisation>,
    /// How the model was trained.
    pub training: Training,
}

/// Exercise 07's [`Scaler`], as it is saved: `x' = (x − mean) / scale`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standardisation {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

/// How a model was trained: enough to tell two models apart, and to know
/// which data made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// The optimizer and its settings, e.g. "adam, learning rate 0.01", or
    /// "least squares (QR)".
    pub optimizer: String,
    /// The epochs of training (0 for a closed-form fit).
    pub epochs: usize,
    /// The final training loss (mean squared error).
    pub loss: f64,
    /// The SHA-256 of the training file, in hexadecimal: it identifies the
    /// data without putting a single row of it in the model file.
    pub data_sha256: String,
}
// ANCHOR_END: model_file

impl ModelFile {
    /// A linear model (exercise 07's [`Linear`], in the units of the
    /// features it is given, so after `scaler` when there is one) as a
    /// model file. (Written for you.)
    pub fn linear(
        features: Vec<String>,
        target: String,
        model: &Linear,
        scaler: Option<&Scaler>,
        training: Training,
    ) -> ModelFile {
        let mut parameters: Vec<f64> = model.w.iter().copied().collect();
        parameters.push(model.b);
        ModelFile {
            format_version: FORMAT_VERSION,
            kind: Kind::Linear,
            features,
            target,
            parameters,
            scaler: scaler.map(Standardisation::from),
            training,
        }
    }

    /// Exercise 08's network (and the scaler its features went through, if
    /// any) as a model file. (Written for you.)
    pub fn hidden(
        features: Vec<String>,
        target: String,
        network: &Network,
        scaler: Option<&Scaler>,
        training: Training,
    ) -> ModelFile {
        ModelFile {
            format_version: FORMAT_VERSION,
            kind: Kind::Hidden { units: network.shape.hidden },
            features,
            target,
            parameters: network.params.clone(),
            scaler: scaler.map(Standardisation::from),
            training,
        }
    }
}

impl From<&Scaler> for Standardisation {
    fn from(scaler: &Scaler) -> Standardisation {
        Standardisation {
            mean: scaler.mean.iter().copied().collect(),
            scale: scaler.scale.iter().copied().collect(),
        }
    }
}

impl From<&Standardisation> for Scaler {
    fn from(s: &Standardisation) -> Scaler {
        Scaler {
            mean: DVector::from_column_slice(&s.mean),
            scale: DVector::from_column_slice(&s.scale),
        }
    }
}

// ANCHOR: parameter_count
/// How many parameters a model of `kind` with `features` inputs has:
///
/// - linear: one weight per feature and the bias, `d + 1`;
/// - one hidden layer of h units: exercise 08's `h·d + h + h + 1`
///   (`Shape { inputs: d, hidden: h }.parameter_count()`).
pub fn parameter_count(kind: Kind, features: usize) -> usize {
    // BEGIN SOLUTION: d + 1 for a linear model; exercise 08's Shape::parameter_count for a network
    match kind {
        Kind::Linear => features + 1,
        Kind::Hidden { units } => Shape { inputs: features, hidden: units }.parameter_count(),
    }
    // END SOLUTION
}
// ANCHOR_END: parameter_count

// ---------------------------------------------------------------------------
// 2. Saving
// ---------------------------------------------------------------------------

// ANCHOR: check
/// Checks that `model` is one this crate can predict with, and returns the
/// first problem, in this order:
///
/// 1. `format_version` 0: [`ModelFileError::UnknownVersion`] (versions
///    start at 1: no program wrote it); greater than [`FORMAT_VERSION`]:
///    [`ModelFileError::NewerVersion`] (a newer program wrote it);
/// 2. no features: [`ModelFileError::NoFeatures`]; a feature name that
///    appears twice: [`ModelFileError::DuplicateFeature`], the first one
///    seen again;
/// 3. a network of 0 hidden units: [`ModelFileError::NoHiddenUnits`];
/// 4. a number of parameters other than [`parameter_count`]:
///    [`ModelFileError::ParameterCount`];
/// 5. a scaler whose `mean` or `scale` has a length other than the number of
///    features: [`ModelFileError::ScalerLength`];
/// 6. a number that is NaN or infinite: [`ModelFileError::NotFinite`],
///    looking at the parameters in order, then the scaler's means, its
///    scales, then the training loss, with `what` naming it as
///    `"parameters[3]"`, `"scaler.mean[0]"`, `"scaler.scale[1]"` or
///    `"training.loss"`;
/// 7. a scale that is 0 or negative: [`ModelFileError::BadScale`].
pub fn check(model: &ModelFile) -> Result<(), ModelFileError> {
    // BEGIN SOLUTION: return the first of the seven problems, in the order listed; else Ok(())
    if model.format_version == 0 {
        return Err(ModelFileError::UnknownVersion { found: 0 });
    }
    if model.format_version > FORMAT_VERSION {
        return Err(ModelFileError::NewerVersion { found: model.format_version });
    }
    let features = model.features.len();
    if features == 0 {
        return Err(ModelFileError::NoFeatures);
    }
    for (i, name) in model.features.iter().enumerate() {
        if model.features[..i].contains(name) {
            return Err(ModelFileError::DuplicateFeature { name: name.clone() });
        }
    }
    if model.kind == (Kind::Hidden { units: 0 }) {
        return Err(ModelFileError::NoHiddenUnits);
    }
    let expected = parameter_count(model.kind, features);
    if model.parameters.len() != expected {
        return Err(ModelFileError::ParameterCount {
            kind: model.kind,
            features,
            expected,
            got: model.parameters.len(),
        });
    }
    let mut numbers: Vec<(String, f64)> = Vec::new();
    numbers
        .extend(model.parameters.iter().enumerate().map(|(i, v)| (format!("parameters[{i}]"), *v)));
    if let Some(s) = &model.scaler {
        if s.mean.len() != features || s.scale.len() != features {
            return Err(ModelFileError::ScalerLength {
                mean: s.mean.len(),
                scale: s.scale.len(),
                features,
            });
        }
        numbers.extend(s.mean.iter().enumerate().map(|(i, v)| (format!("scaler.mean[{i}]"), *v)));
        numbers.extend(s.scale.iter().enumerate().map(|(i, v)| (format!("scaler.scale[{i}]"), *v)));
    }
    numbers.push(("training.loss".to_string(), model.training.loss));
    if let Some((what, value)) = numbers.into_iter().find(|(_, v)| !v.is_finite()) {
        return Err(ModelFileError::NotFinite { what, value });
    }
    if let Some(s) = &model.scaler
        && let Some(index) = s.scale.iter().position(|v| *v <= 0.0)
    {
        return Err(ModelFileError::BadScale { index, value: s.scale[index] });
    }
    Ok(())
    // END SOLUTION
}
// ANCHOR_END: check

// ANCHOR: to_json
/// The model as JSON text, after [`check`]: a model that could not be loaded
/// back is never written. `serde_json::to_string_pretty(model)` writes every
/// f64 with the shortest decimal that reads back as the very same f64;
/// rounding (`{:.6}`, or any fixed number of digits) would change the
/// model.
pub fn to_json(model: &ModelFile) -> Result<String, ModelFileError> {
    // BEGIN SOLUTION: check the model, then serialize it with serde_json::to_string_pretty
    check(model)?;
    Ok(serde_json::to_string_pretty(model)?)
    // END SOLUTION
}
// ANCHOR_END: to_json

// ---------------------------------------------------------------------------
// 3. Loading
// ---------------------------------------------------------------------------

// ANCHOR: from_json
/// Reads a model from JSON text, and refuses what it cannot trust:
///
/// 1. text that is not JSON at all: [`ModelFileError::NotJson`], with
///    serde_json's message (it names the line and column);
/// 2. a `format_version` (read from the JSON value, before anything else)
///    of 0: [`ModelFileError::UnknownVersion`]; greater than
///    [`FORMAT_VERSION`]: [`ModelFileError::NewerVersion`]: a
///    newer format may have fields this program does not know, and the
///    right advice is to update the program, not to fix the file;
/// 3. the fields of a [`ModelFile`] (`serde_json::from_value`): a missing
///    or unknown field, or a value of the wrong type, is
///    [`ModelFileError::Fields`] with serde's message;
/// 4. then [`check`].
pub fn from_json(text: &str) -> Result<ModelFile, ModelFileError> {
    // BEGIN SOLUTION: parse a serde_json::Value, refuse a format_version of 0 or a newer one, convert the value to a ModelFile, then check it
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ModelFileError::NotJson { message: e.to_string() })?;
    if let Some(found) = value.get("format_version").and_then(serde_json::Value::as_u64) {
        if found == 0 {
            return Err(ModelFileError::UnknownVersion { found });
        }
        if found > FORMAT_VERSION {
            return Err(ModelFileError::NewerVersion { found });
        }
    }
    let model: ModelFile = serde_json::from_value(value)
        .map_err(|e| ModelFileError::Fields { message: e.to_string() })?;
    check(&model)?;
    Ok(model)
    // END SOLUTION
}
// ANCHOR_END: from_json

// ---------------------------------------------------------------------------
// 4. Predicting
// ---------------------------------------------------------------------------

// ANCHOR: columns
/// Where the model's features are among the columns of new data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// For every feature of the model, in the model's order, the index of
    /// its column in the header.
    pub positions: Vec<usize>,
    /// The header's columns that are not features, in the header's order:
    /// ignored, and listed so that a user can see it.
    pub ignored: Vec<String>,
}
// ANCHOR_END: columns

// ANCHOR: match_columns
/// Matches the columns of new data (`header`, the names in the data's order)
/// to the model's `features` **by name**, in any order:
///
/// 1. a feature name found twice in the header:
///    [`PredictError::DuplicateColumn`] (which one would be meant?);
/// 2. a feature with no column of its name: [`PredictError::MissingColumn`],
///    the first such feature in the model's order, with the header;
/// 3. otherwise the position of every feature, and the other columns as
///    `ignored`.
///
/// Never trust the order of the columns: a file with the same columns in
/// another order is the most ordinary thing in the world, and a model that
/// reads "age" as "size" predicts nonsense without an error.
pub fn match_columns(features: &[String], header: &[&str]) -> Result<Columns, PredictError> {
    // BEGIN SOLUTION: find every feature's column by its name, refusing a duplicate or a missing one; list the rest as ignored
    let mut positions = Vec::with_capacity(features.len());
    for name in features {
        let mut found = header.iter().enumerate().filter(|(_, h)| **h == name.as_str());
        match (found.next(), found.next()) {
            (Some(_), Some(_)) => return Err(PredictError::DuplicateColumn { name: name.clone() }),
            (Some((position, _)), None) => positions.push(position),
            (None, _) => {
                return Err(PredictError::MissingColumn {
                    name: name.clone(),
                    header: header.iter().map(|h| h.to_string()).collect(),
                });
            }
        }
    }
    let ignored = header
        .iter()
        .filter(|h| !features.iter().any(|f| f == *h))
        .map(|h| h.to_string())
        .collect();
    Ok(Columns { positions, ignored })
    // END SOLUTION
}
// ANCHOR_END: match_columns

// ANCHOR: predict_one
/// The prediction of a checked model for one example whose values are in
/// the order of `model.features`:
///
/// 1. with a scaler, every value standardised first,
///    `x'ⱼ = (xⱼ − mean[j]) / scale[j]`: the parameters were learned on
///    standardised features;
/// 2. linear: `Σⱼ wⱼ·x'ⱼ + b`, the weights `parameters[..d]` and the bias
///    the last parameter; a network: exercise 08's
///    `forward_example(&network, &x', None).output`.
pub fn predict_one(model: &ModelFile, values: &[f64]) -> f64 {
    // BEGIN SOLUTION: standardise the values with the scaler if there is one, then apply the linear model or the network
    let x: Vec<f64> = match &model.scaler {
        Some(s) => {
            values.iter().zip(&s.mean).zip(&s.scale).map(|((v, m), s)| (v - m) / s).collect()
        }
        None => values.to_vec(),
    };
    match model.kind {
        Kind::Linear => {
            let d = model.features.len();
            let (w, b) = model.parameters.split_at(d);
            w.iter().zip(&x).map(|(w, x)| w * x).sum::<f64>() + b[0]
        }
        Kind::Hidden { units } => {
            let network = Network {
                shape: Shape { inputs: model.features.len(), hidden: units },
                params: model.parameters.clone(),
            };
            solution_08::forward_example(&network, &x, None).output
        }
    }
    // END SOLUTION
}
// ANCHOR_END: predict_one

// ANCHOR: predictions
/// The predictions for a table of new data, and the columns it ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct Predictions {
    /// One prediction per row, in the order of the rows.
    pub values: Vec<f64>,
    /// [`Columns::ignored`].
    pub ignored: Vec<String>,
}
// ANCHOR_END: predictions

// ANCHOR: predict_rows
/// Predicts every row of a table of new data: `header` names its columns,
/// every row has one value per column.
///
/// 1. [`match_columns`] on the model's features and the header;
/// 2. for every row, in order (`row` counts from 0): a number of values
///    other than the header's: [`PredictError::RowLength`]; the values of
///    the features, picked by their positions; one of them NaN or
///    infinite: [`PredictError::NotFiniteValue`] naming the column; then
///    [`predict_one`]. Values of ignored columns are never looked at.
pub fn predict_rows(
    model: &ModelFile,
    header: &[&str],
    rows: &[Vec<f64>],
) -> Result<Predictions, PredictError> {
    // BEGIN SOLUTION: match the columns, then for each row check its length, pick the features' values by position, refuse a non-finite one, and predict
    let columns = match_columns(&model.features, header)?;
    let mut values = Vec::with_capacity(rows.len());
    for (row, fields) in rows.iter().enumerate() {
        if fields.len() != header.len() {
            return Err(PredictError::RowLength { row, got: fields.len(), expected: header.len() });
        }
        let picked: Vec<f64> = columns.positions.iter().map(|&p| fields[p]).collect();
        if let Some(j) = picked.iter().position(|v| !v.is_finite()) {
            return Err(PredictError::NotFiniteValue {
                row,
                column: model.features[j].clone(),
                value: picked[j],
            });
        }
        values.push(predict_one(model, &picked));
    }
    Ok(Predictions { values, ignored: columns.ignored })
    // END SOLUTION
}
// ANCHOR_END: predict_rows

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

// ANCHOR: errors
/// Why a model file cannot be written or read, and what to do about it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ModelFileError {
    #[error(
        "the model file has format version {found}, but this program reads versions up to {FORMAT_VERSION}; a newer program wrote it: update this program, or save the model again with this one"
    )]
    NewerVersion { found: u64 },

    #[error(
        "the model file has format version {found}, which no program writes: versions start at 1, so the file was made or edited by hand; give the file that `--save` wrote, unedited, or save the model again"
    )]
    UnknownVersion { found: u64 },

    #[error("the model file is not JSON ({message}); give the file that `--save` wrote, unedited")]
    NotJson { message: String },

    #[error(
        "the model file's fields are not a model's ({message}); a field is missing, unknown or of the wrong type: give a file that `--save` wrote, unedited, or save the model again"
    )]
    Fields { message: String },

    #[error("the model has no features; a model needs at least one input")]
    NoFeatures,

    #[error(
        "the feature {name:?} appears twice in the model; every feature needs a name of its own, to be matched to a column"
    )]
    DuplicateFeature { name: String },

    #[error("the network has 0 hidden units; it needs at least one")]
    NoHiddenUnits,

    #[error(
        "the model has {got} parameters, but a {kind} of {features} features has {expected}; the parameters do not fit the architecture: save the model again rather than editing the file"
    )]
    ParameterCount { kind: Kind, features: usize, expected: usize, got: usize },

    #[error(
        "the scaler has {mean} means and {scale} scales, but the model has {features} features; it needs one of each per feature: save the model again"
    )]
    ScalerLength { mean: usize, scale: usize, features: usize },

    #[error(
        "{what} is {value}, but every number of a model must be finite; a model that diverged cannot be saved: train it again (a smaller learning rate, scaled features)"
    )]
    NotFinite { what: String, value: f64 },

    #[error(
        "scaler.scale[{index}] is {value}, but a scale must be greater than 0 (exercise 07's Scaler gives a constant feature the scale 1)"
    )]
    BadScale { index: usize, value: f64 },

    #[error("the model could not be written as JSON: {0}")]
    Json(String),
}

impl From<serde_json::Error> for ModelFileError {
    fn from(e: serde_json::Error) -> ModelFileError {
        ModelFileError::Json(e.to_string())
    }
}

/// Why new data cannot be predicted, and what to do about it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum PredictError {
    #[error(
        "the model needs the feature {name:?}, but the data has no column of that name (its columns: {}); add the column, or rename it to the feature's name", header.join(", ")
    )]
    MissingColumn { name: String, header: Vec<String> },

    #[error(
        "the data has two columns named {name:?}, a feature of the model; keep one, so that it is clear which to use"
    )]
    DuplicateColumn { name: String },

    #[error(
        "row {row} (counting from 0) has {got} values, but the header has {expected} columns; give every row one value per column"
    )]
    RowLength { row: usize, got: usize, expected: usize },

    #[error(
        "row {row} (counting from 0): the value of {column:?} is {value}, but the model needs a finite number; fill in or drop the row"
    )]
    NotFiniteValue { row: usize, column: String, value: f64 },
}
// ANCHOR_END: errors
