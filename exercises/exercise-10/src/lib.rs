//! # Exercise 10: the capstone, a real data set end to end
//!
//! Every earlier exercise built one piece; this one puts them together on
//! real data, the diabetes data of Efron, Hastie, Johnstone and Tibshirani
//! (442 patients, 10 measurements, a measure of how the disease progressed
//! a year later; `data/README.md`). One function per step:
//!
//! 1. **Loading** ([`parse`], [`load`]): a CSV with a header; the target
//!    column by its name, every other column a feature.
//! 2. **Splitting** ([`split`]): training, validation and **test** rows,
//!    shuffled from a seed. The test rows come sealed ([`TestRows`]): only
//!    the last step, [`test_error`], opens them, once.
//! 3. **Standardising** ([`standardise`]): exercise 07's scaler, fitted on
//!    the training rows only.
//! 4. **Fitting** ([`fit_scaled`], [`fit`], [`mse`]): a baseline that
//!    predicts the training mean, exercise 06's closed form, exercise 05's
//!    gradient descent and exercise 08's network with dropout, every one
//!    as exercise 09's [`ModelFile`].
//! 5. **Choosing** ([`folds`], [`cross_validate`], [`choose`]): k-fold
//!    cross-validation on the training rows picks the setting.
//! 6. **Reporting** ([`test_error`], [`run`]): the chosen model's test
//!    error, measured once, beside the baseline's.
//! 7. **Saving and predicting** ([`save`], [`predict`]).
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Work from the top of the file down. Chapter 10 of the
//! book, "The capstone: a real data set", explains every step.

use std::fmt;
use std::path::Path;

use nalgebra::{DMatrix, DVector};
use sha2::{Digest, Sha256};
/// What exercise 04 defined: a run's losses, epoch by epoch.
pub use solution_04::History;
/// What exercise 07 defined: the linear layer and the scaler.
pub use solution_07::{Linear, Scaler};
/// What exercise 08 defined: the network with one hidden layer.
pub use solution_08::{Network, Shape};
/// What exercise 09 defined: the model file.
pub use solution_09::{Kind, ModelFile, Training};
use thiserror::Error;

// ---------------------------------------------------------------------------
// The data and the settings
// ---------------------------------------------------------------------------

// ANCHOR: constants
/// The shipped data set: `data/diabetes.csv` of this exercise.
pub const DIABETES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../exercises/exercise-10/data/diabetes.csv");
/// Its target column.
pub const DIABETES_TARGET: &str = "progression";
/// The SHA-256 of the shipped file, as `data/README.md` records it.
pub const DIABETES_SHA256: &str =
    "2d9516499b8b56e76cf361824b4608b0bef572b03e561ba3410ca4b4ce37b5d4";
/// The seed of the split.
pub const SEED: u64 = 10;
/// The number of folds of the cross-validation.
pub const FOLDS: usize = 5;
/// The epochs of gradient descent (batch descent: one step per epoch).
pub const DESCENT_EPOCHS: usize = 200;
/// The epochs of the network's training, with Adam.
pub const NETWORK_EPOCHS: usize = 60;
/// Adam's learning rate for the network.
pub const NETWORK_LEARNING_RATE: f64 = 0.05;
/// The network's mini-batch size.
pub const NETWORK_BATCH: usize = 32;
// ANCHOR_END: constants

// ANCHOR: setting
/// One candidate for the model: what [`cross_validate`] scores and
/// [`fit`] trains.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting {
    /// Predict the mean of the training targets, whatever the features.
    Baseline,
    /// Exercise 06's least squares (QR) on the standardised features.
    ClosedForm,
    /// Exercise 05's batch gradient descent (SGD, no momentum) on the
    /// standardised features, [`DESCENT_EPOCHS`] epochs from zeros.
    Descent { learning_rate: f64 },
    /// Exercise 08's network of `hidden` ReLU units with dropout `dropout`,
    /// [`NETWORK_EPOCHS`] epochs of Adam.
    Network { hidden: usize, dropout: f64 },
}

/// The settings the pipeline chooses from.
pub const SETTINGS: [Setting; 7] = [
    Setting::Baseline,
    Setting::ClosedForm,
    Setting::Descent { learning_rate: 0.01 },
    Setting::Descent { learning_rate: 0.1 },
    Setting::Network { hidden: 4, dropout: 0.0 },
    Setting::Network { hidden: 16, dropout: 0.0 },
    Setting::Network { hidden: 16, dropout: 0.25 },
];

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::Baseline => write!(f, "baseline (the training mean)"),
            Setting::ClosedForm => write!(f, "least squares (QR)"),
            Setting::Descent { learning_rate } => {
                write!(f, "gradient descent, learning rate {learning_rate}")
            }
            Setting::Network { hidden, dropout } => {
                write!(f, "network of {hidden} units, dropout {dropout}")
            }
        }
    }
}
// ANCHOR_END: setting

// ---------------------------------------------------------------------------
// 1. Loading
// ---------------------------------------------------------------------------

// ANCHOR: table
/// What a model needs to know about the data besides its rows: the names
/// of the features and of the target, and which file it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// The feature columns, in the file's order.
    pub features: Vec<String>,
    /// The target column.
    pub target: String,
    /// The SHA-256 of the file, in hexadecimal (exercise 09's
    /// `Training::data_sha256`).
    pub data_sha256: String,
}

/// A data set: one row of `x` and one value of `y` per line of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub schema: Schema,
    /// One row per example, one column per feature.
    pub x: DMatrix<f64>,
    /// The target of every example.
    pub y: DVector<f64>,
}
// ANCHOR_END: table

// ANCHOR: parse
/// Reads a CSV's text: a header, then one example per line, every field a
/// number. The column named `target` is the target, every other column a
/// feature, in the header's order. `data_sha256` is stored in the schema as
/// it is. Refuses, in this order:
///
/// 1. no column named `target`: [`PipelineError::NoTarget`], with the
///    header;
/// 2. no other column: [`PipelineError::NoFeatures`];
/// 3. a line that csv cannot read (a wrong number of fields):
///    [`PipelineError::Csv`] with csv's message;
/// 4. a field that is not a finite number (`f64::from_str` after trimming
///    spaces, then `is_finite`): [`PipelineError::NotANumber`] with the
///    line as an editor counts it (`record.position()`'s line; the header
///    is line 1), the column's name and the text;
/// 5. no example at all: [`PipelineError::NoRows`].
pub fn parse(text: &str, target: &str, data_sha256: &str) -> Result<Table, PipelineError> {
    todo!(
        "read the header, find the target by name, then read every record into rows of numbers, refusing a bad field with its line and column"
    )
}
// ANCHOR_END: parse

// ANCHOR: load
/// Reads the CSV file at `path` with [`parse`], its SHA-256 as the schema's
/// `data_sha256`. (Written for you.)
pub fn load(path: &Path, target: &str) -> Result<Table, PipelineError> {
    let bytes = std::fs::read(path).map_err(|e| PipelineError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| PipelineError::Io {
        path: path.display().to_string(),
        message: "it is not UTF-8 text".to_string(),
    })?;
    parse(&text, target, &sha256(text.as_bytes())).map_err(|e| e.in_file(path))
}

/// The SHA-256 of `bytes`, in hexadecimal. (Written for you.)
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
// ANCHOR_END: load

// ---------------------------------------------------------------------------
// 2. Splitting
// ---------------------------------------------------------------------------

// ANCHOR: rows
/// Some rows of a [`Table`]: which ones (`indices`, positions in the
/// table), and their features and targets in that order.
#[derive(Clone, Debug, PartialEq)]
pub struct Rows {
    pub indices: Vec<usize>,
    pub x: DMatrix<f64>,
    pub y: DVector<f64>,
}

impl Rows {
    /// The rows of `table` at `indices`, in that order. (Written for you.)
    ///
    /// # Panics
    ///
    /// If an index is not below the table's number of rows.
    pub fn of(table: &Table, indices: &[usize]) -> Rows {
        Rows {
            indices: indices.to_vec(),
            x: table.x.select_rows(indices),
            y: table.y.select_rows(indices),
        }
    }

    /// The rows at `positions` of these rows (positions count from 0 in
    /// *these* rows, not in the table). (Written for you.)
    pub fn pick(&self, positions: &[usize]) -> Rows {
        Rows {
            indices: positions.iter().map(|&p| self.indices[p]).collect(),
            x: self.x.select_rows(positions),
            y: self.y.select_rows(positions),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}
// ANCHOR_END: rows

// ANCHOR: sealed
mod sealed {
    use super::Rows;

    /// The test rows, sealed: nothing but their number and their positions
    /// in the table can be read until [`TestRows::open`], which consumes
    /// them. [`super::test_error`] opens them; after it, they are gone. A
    /// model chosen while the test rows were in view would be chosen, in
    /// part, by them, and its test error would no longer be the error on
    /// rows it has never seen. (Written for you.)
    pub struct TestRows {
        rows: Rows,
    }

    impl TestRows {
        /// Seals `rows`.
        pub fn seal(rows: Rows) -> TestRows {
            TestRows { rows }
        }

        /// How many test rows there are.
        pub fn len(&self) -> usize {
            self.rows.len()
        }

        /// Whether there are none.
        pub fn is_empty(&self) -> bool {
            self.rows.is_empty()
        }

        /// Their positions in the table, to check a split: not their values.
        pub fn indices(&self) -> &[usize] {
            &self.rows.indices
        }

        /// The rows themselves, once: for [`super::test_error`] only.
        pub fn open(self) -> Rows {
            self.rows
        }
    }

    impl std::fmt::Debug for TestRows {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "TestRows({} rows, sealed)", self.rows.len())
        }
    }
}

pub use sealed::TestRows;
// ANCHOR_END: sealed

// ANCHOR: split
/// The fraction of the rows held out for validation, and for the test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fractions {
    pub validation: f64,
    pub test: f64,
}

/// The pipeline's fractions: a fifth of the rows for validation, a fifth
/// for the test, the rest (three fifths) for training.
pub const FRACTIONS: Fractions = Fractions { validation: 0.2, test: 0.2 };

/// A table split three ways.
#[derive(Debug)]
pub struct Split {
    /// What models learn from, and cross-validation chooses on.
    pub train: Rows,
    /// What the chosen model's training is watched on (its learning
    /// curves), and its validation error measured on.
    pub validation: Rows,
    /// Sealed until the end.
    pub test: TestRows,
}

/// Splits the table's rows three ways, at random but always the same way
/// for the same seed:
///
/// 1. each fraction must be a number in [0, 1), and their sum below 1:
///    [`PipelineError::BadFractions`] otherwise;
/// 2. `order = solution_01::shuffled_indices(n, seed)`: the rows 0..n
///    shuffled by a generator seeded with `seed` (never one seeded from
///    the clock: the split must be the same on every run);
/// 3. `n_test = round(fractions.test · n)`, `n_validation =
///    round(fractions.validation · n)`; the test rows are the first
///    `n_test` of `order`, the validation rows the next `n_validation`,
///    the training rows the rest, each in the order of `order`;
/// 4. any of the three empty: [`PipelineError::TooFewRows`];
/// 5. the test rows sealed with [`TestRows::seal`].
pub fn split(table: &Table, fractions: Fractions, seed: u64) -> Result<Split, PipelineError> {
    todo!(
        "check the fractions, shuffle 0..n with the seed, cut the test rows, then the validation rows, and keep the rest for training"
    )
}
// ANCHOR_END: split

// ---------------------------------------------------------------------------
// 3. Standardising
// ---------------------------------------------------------------------------

// ANCHOR: standardise
/// Exercise 07's [`Scaler`] fitted on `train`'s features: the rows a model
/// learns from, and no others. Whatever else is transformed with it
/// (validation rows, a fold's held-out rows, the test rows, new patients)
/// was never measured by it.
pub fn standardise(train: &Rows) -> Result<Scaler, PipelineError> {
    todo!("exercise 07's Scaler::fit on the training rows' x")
}
// ANCHOR_END: standardise

// ---------------------------------------------------------------------------
// 4. Fitting
// ---------------------------------------------------------------------------

// ANCHOR: fitted
/// A trained model, as exercise 09 saves it, and its learning curves.
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    pub model: ModelFile,
    /// The losses on the training rows and on the watched rows, epoch by
    /// epoch (empty for the baseline and the closed form, which have no
    /// epochs).
    pub history: History,
}
// ANCHOR_END: fitted

// ANCHOR: mse
/// The mean squared error of `model` on `rows`: exercise 09's
/// `predict_one` for every row (the saved scaler applied inside), then the
/// mean of `(ŷᵢ − yᵢ)²`. The one way every error of the pipeline is
/// measured, so that each can be measured again from the saved model.
pub fn mse(model: &ModelFile, rows: &Rows) -> f64 {
    todo!("predict every row with exercise 09's predict_one and average the squared errors")
}
// ANCHOR_END: mse

// ANCHOR: fit_scaled
/// Trains `setting` on `train`, watching `watch`, with `scaler` fitted
/// already, and returns it as a model file (`Training::loss` its [`mse`]
/// on `train`; `data_sha256` from the schema; `optimizer` the setting's
/// `to_string()`):
///
/// - `Baseline`: a linear model whose weights are all 0 and whose bias is
///   the mean of `train.y`, with no scaler; no history;
/// - `ClosedForm`: on the transformed features, `solution_06::least_squares`
///   of `solution_06::add_intercept(x')` and `y` with `Solver::Qr`
///   (coefficient 0 is the bias); saved with the scaler; no history;
/// - `Descent`: exercise 05's `train` from zeros on the transformed rows
///   (`Examples` with one `Vec` per row), `Criterion::Mse`, plain SGD at
///   the learning rate, `Settings { epochs: DESCENT_EPOCHS, descent:
///   Descent::Batch, seed: SEED, stop_below: 0.0 }`; saved with the scaler;
///   the run's history;
/// - `Network`: exercise 08's `init` of `Shape { inputs: d, hidden }` from
///   `seeded_rng(SEED)`, its output bias (the last parameter) set to the
///   mean of `train.y` (start from the baseline: the targets are in the
///   hundreds), then exercise 08's `train` with Adam at
///   [`NETWORK_LEARNING_RATE`], `Descent::MiniBatch(NETWORK_BATCH)`,
///   [`NETWORK_EPOCHS`] epochs, seed [`SEED`], the dropout; saved with the
///   scaler; the run's history.
///
/// `epochs` in the model file: 0 for the first two, the history's length
/// for the others.
pub fn fit_scaled(
    setting: Setting,
    scaler: &Scaler,
    train: &Rows,
    watch: &Rows,
    schema: &Schema,
) -> Result<Fitted, PipelineError> {
    todo!(
        "transform both sets with the scaler, train the setting's model on the transformed training rows, and wrap it in a ModelFile whose training loss is its mse on train"
    )
}
// ANCHOR_END: fit_scaled

// ANCHOR: fit
/// Trains `setting` on `train`, watching `watch`: the scaler fitted on
/// `train` with [`standardise`], then [`fit_scaled`].
pub fn fit(
    setting: Setting,
    train: &Rows,
    watch: &Rows,
    schema: &Schema,
) -> Result<Fitted, PipelineError> {
    todo!("standardise on the training rows, then fit_scaled")
}
// ANCHOR_END: fit

// ---------------------------------------------------------------------------
// 5. Choosing: cross-validation
// ---------------------------------------------------------------------------

// ANCHOR: folds
/// Cuts `n` rows (positions `0..n`) into `k` folds of consecutive
/// positions, in order, whose sizes differ by at most 1: the first `n % k`
/// folds have `n / k + 1` rows, the others `n / k`. Every position is in
/// exactly one fold; none is dropped. `k` below 2 or above `n`:
/// [`PipelineError::BadFolds`].
///
/// The rows are consecutive positions of the training rows, which
/// [`split`] shuffled already: each fold is a random sample.
pub fn folds(n: usize, k: usize) -> Result<Vec<Vec<usize>>, PipelineError> {
    todo!("refuse k < 2 or k > n, then cut 0..n into k runs, the first n % k one longer")
}
// ANCHOR_END: folds

// ANCHOR: cross_validation
/// One fold of a cross-validation: the model trained without the fold's
/// rows, and its error on them.
#[derive(Clone, Debug, PartialEq)]
pub struct Fold {
    /// The held-out rows, as positions in the table.
    pub held_out: Vec<usize>,
    /// The model trained on the fold's other rows.
    pub model: ModelFile,
    /// Its [`mse`] on the held-out rows.
    pub mse: f64,
}

/// A setting's cross-validation.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossValidation {
    pub setting: Setting,
    /// One per fold, in the order of [`folds`].
    pub folds: Vec<Fold>,
    /// The mean of the folds' errors: `Σ fold.mse / k`.
    pub mean: f64,
}
// ANCHOR_END: cross_validation

// ANCHOR: cross_validate
/// k-fold cross-validation of `setting` on the training rows `train`:
///
/// 1. `folds(train.len(), k)?`;
/// 2. for every fold, in order: `held` the fold's rows
///    (`train.pick(fold)`), `rest` all the other training rows; a model
///    [`fit`] on `rest`, watching `held` (so that **its own** scaler is
///    fitted on `rest` alone); its [`mse`] on `held`;
/// 3. `mean`: the plain mean of the k folds' errors (every fold counts
///    the same, as scikit-learn's `cross_val_score(…).mean()`).
pub fn cross_validate(
    setting: Setting,
    train: &Rows,
    k: usize,
    schema: &Schema,
) -> Result<CrossValidation, PipelineError> {
    todo!(
        "for every fold, fit on the other training rows, measure on the fold; the mean of the k errors"
    )
}
// ANCHOR_END: cross_validate

// ANCHOR: choose
/// Every setting cross-validated, and the one to keep.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// One per setting, in the order given.
    pub scores: Vec<CrossValidation>,
    /// The index in `scores` of the lowest `mean`; the first of equal ones;
    /// a NaN is never the lowest.
    pub best: usize,
}

/// [`cross_validate`] of every setting on the training rows, and the one
/// with the lowest mean cross-validation error: the error on rows each
/// model never saw, not its training error (which the most flexible model
/// always wins). No settings: [`PipelineError::NoSettings`].
pub fn choose(
    settings: &[Setting],
    train: &Rows,
    k: usize,
    schema: &Schema,
) -> Result<Choice, PipelineError> {
    todo!("cross-validate every setting; keep the index of the lowest mean (strict <, NaN never)")
}
// ANCHOR_END: choose

// ---------------------------------------------------------------------------
// 6. Reporting
// ---------------------------------------------------------------------------

// ANCHOR: test_error
/// The test error: measured once, at the very end.
#[derive(Clone, Debug, PartialEq)]
pub struct TestReport {
    /// The number of test rows.
    pub rows: usize,
    /// Their positions in the table.
    pub indices: Vec<usize>,
    /// The chosen model's [`mse`] on them.
    pub model: f64,
    /// The baseline's [`mse`] on them: the baseline fitted on the
    /// training rows, like the model, never on the test rows.
    pub baseline: f64,
}

/// Opens the sealed test rows (which consumes them) and measures the
/// chosen `model` and the `baseline` on them with [`mse`].
pub fn test_error(model: &ModelFile, baseline: &ModelFile, test: TestRows) -> TestReport {
    todo!("open the test rows, then the mse of the model and of the baseline on them")
}
// ANCHOR_END: test_error

// ANCHOR: report
/// Everything the pipeline found.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The training rows and the validation rows, as positions in the
    /// table.
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    /// The cross-validation of every setting, and the chosen one.
    pub choice: Choice,
    /// The chosen setting trained on all the training rows, watching the
    /// validation rows: the model to save.
    pub model: Fitted,
    /// The baseline, fitted on the training rows.
    pub baseline: ModelFile,
    /// The model's [`mse`] on the validation rows.
    pub validation_error: f64,
    /// The test error, measured once.
    pub test: TestReport,
}
// ANCHOR_END: report

// ANCHOR: run
/// The whole pipeline on a loaded table:
///
/// 1. [`split`] with `fractions` and `seed`;
/// 2. [`choose`] among `settings` by `k`-fold cross-validation on the
///    training rows (never the validation or the test rows);
/// 3. the chosen setting [`fit`] on all the training rows, watching the
///    validation rows; its [`mse`] on the validation rows;
/// 4. the baseline [`fit`] the same way;
/// 5. [`test_error`]: the test rows opened, once, at the end.
pub fn run(
    table: &Table,
    settings: &[Setting],
    fractions: Fractions,
    seed: u64,
    k: usize,
) -> Result<Report, PipelineError> {
    todo!(
        "split; choose on the training rows; fit the chosen setting and the baseline on them; the validation error; the test error last"
    )
}
// ANCHOR_END: run

// ---------------------------------------------------------------------------
// 7. Saving and predicting
// ---------------------------------------------------------------------------

// ANCHOR: save
/// Writes `model` to `path` as exercise 09's JSON (`solution_09::to_json`,
/// which checks it first).
pub fn save(model: &ModelFile, path: &Path) -> Result<(), PipelineError> {
    todo!("exercise 09's to_json, then write the text to the file")
}
// ANCHOR_END: save

// ANCHOR: predict
/// The predictions of the model saved at `model_path` for every row of
/// `table` (a table read by [`load`] or [`parse`]; its target column is
/// not looked at): `solution_09::from_json` on the file's text, then
/// `solution_09::predict_rows` with the table's feature names as the header
/// (the columns matched by name) and its rows.
pub fn predict(model_path: &Path, table: &Table) -> Result<Vec<f64>, PipelineError> {
    todo!("read the file, from_json, then predict_rows with the table's features as the header")
}
// ANCHOR_END: predict

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

// ANCHOR: errors
/// What went wrong, and what to do about it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum PipelineError {
    #[error("could not read {path}: {message}")]
    Io { path: String, message: String },

    #[error("{file}: {error}")]
    InFile { file: String, error: Box<PipelineError> },

    #[error(
        "the data has no column named {target:?} (its columns: {}); name the target column, or rename it", header.join(", ")
    )]
    NoTarget { target: String, header: Vec<String> },

    #[error("the data has only the target column {target:?}; a model needs at least one feature")]
    NoFeatures { target: String },

    #[error("the CSV could not be read: {message}; give every line one value per column")]
    Csv { message: String },

    #[error(
        "line {line}, column {column:?}: {text:?} is not a finite number; fill in or drop the line"
    )]
    NotANumber { line: u64, column: String, text: String },

    #[error("the data has a header but no rows; a model needs examples")]
    NoRows,

    #[error(
        "the fractions are {validation} for validation and {test} for the test; each must be in [0, 1) and their sum below 1, to leave rows for training"
    )]
    BadFractions { validation: f64, test: f64 },

    #[error(
        "{rows} rows split into {train} for training, {validation} for validation and {test} for the test; every part needs at least one row: use more data or other fractions"
    )]
    TooFewRows { rows: usize, train: usize, validation: usize, test: usize },

    #[error(
        "{k} folds of {rows} rows: the folds must be at least 2 and at most the number of rows; use fewer folds, or give training more rows (more data, or smaller validation and test fractions)"
    )]
    BadFolds { k: usize, rows: usize },

    #[error("there are no settings to choose from; give at least one")]
    NoSettings,

    #[error("{0}")]
    Model(#[from] solution_07::ModelError),

    #[error("{0}")]
    Fit(#[from] solution_06::FitError),

    #[error("training failed: {message}")]
    Train { message: String },

    #[error("{0}")]
    File(#[from] solution_09::ModelFileError),

    #[error("{0}")]
    Predict(#[from] solution_09::PredictError),
}

impl PipelineError {
    /// The error, saying which file it is about. (Written for you.)
    pub fn in_file(self, path: &Path) -> PipelineError {
        PipelineError::InFile { file: path.display().to_string(), error: Box::new(self) }
    }
}
// ANCHOR_END: errors
