//! # Exercise 01: generating data
//!
//! Before we can learn a line from data, we need data whose line we already
//! know. This crate makes it, splits it, draws it and loads your own:
//!
//! 1. **Two recipes** ([`Recipe::agenda`], [`Recipe::lecture`]): a known line
//!    `y = w·x + b` plus Gaussian noise.
//! 2. **One seeded generator** ([`seeded_rng`]), so that every run draws the
//!    same numbers; [`draw_inputs`], [`draw_noise`] and [`line_plus_noise`]
//!    are the steps, and [`generate`] puts them together in a fixed order.
//! 3. **A shuffled split** into a training and a validation set
//!    ([`train_size`], [`shuffled_indices`], [`split`]).
//! 4. **A picture** of the split, written as an SVG file ([`plot_split`]).
//! 5. **Your own data** from a CSV file ([`parse_number`], [`load_csv`]),
//!    with an error that says which line and column is wrong.
//!
//! Every function whose body is still a placeholder ("not yet implemented")
//! is yours to write. Its doc comment gives the formula and, where random
//! numbers are drawn, the exact calls and their order: follow it and your
//! numbers will match the course's snapshots digit for digit. Run
//! `cargo test -p exercise-01` and start with the first failing test. The
//! book's chapter 1, "Generating data", explains every step.

use std::path::Path;

// The traits below bring methods into scope: `rng.random()` (RngExt),
// `rng.sample(..)` (RngExt), `slice.shuffle(..)` (SliceRandom) and
// `ChaCha8Rng::seed_from_u64` (SeedableRng).
#[allow(unused_imports)]
use rand::seq::SliceRandom;
#[allow(unused_imports)]
use rand::{RngExt, SeedableRng};
pub use rand_chacha::ChaCha8Rng;
#[allow(unused_imports)]
use rand_distr::StandardNormal;
pub use support::plot::PlotError;
#[allow(unused_imports)]
use support::plot::{Labels, Scale, Series, chart};
use thiserror::Error;

// ANCHOR: constants
/// The seed the course uses everywhere, as the workshop does (`seed(100)`).
pub const SEED: u64 = 100;

/// How many examples the recipes make: N = 100, as in the workshop.
pub const EXAMPLES: usize = 100;

/// The share of the examples that goes to the training set: 80 %, leaving
/// 20 % for validation.
pub const TRAIN_FRACTION: f64 = 0.8;
// ANCHOR_END: constants

// ---------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------

// ANCHOR: dataset
/// A data set of examples `(x[i], y[i])`: inputs `x` and the responses `y`
/// that belong to them. Both vectors have the same length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// The inputs (predictors, independent variable).
    pub x: Vec<f64>,
    /// The responses (dependent variable), one for every input.
    pub y: Vec<f64>,
}
// ANCHOR_END: dataset

impl Dataset {
    /// The number of examples.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The examples at `indices`, in that order: `rows(&[2, 0])` is the third
    /// example followed by the first.
    ///
    /// # Panics
    ///
    /// If an index is not below `self.len()`.
    pub fn rows(&self, indices: &[usize]) -> Dataset {
        Dataset {
            x: indices.iter().map(|&i| self.x[i]).collect(),
            y: indices.iter().map(|&i| self.y[i]).collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// 1. Two recipes: a known line plus noise
// ---------------------------------------------------------------------------

// ANCHOR: recipe
/// Where the inputs `x` come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Inputs {
    /// `x = scale · z` with `z` a standard normal draw, N(0, 1).
    Normal { scale: f64 },
    /// `x = u` with `u` uniform on [0, 1).
    Uniform,
}

/// A recipe for synthetic data: inputs from `inputs`, and responses on the
/// line `y = w·x + b` plus noise `noise · z`, with `z` standard normal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recipe {
    /// Where the inputs come from.
    pub inputs: Inputs,
    /// The true slope (weight) of the line.
    pub w: f64,
    /// The true intercept (bias) of the line.
    pub b: f64,
    /// The standard deviation of the noise added to every response.
    pub noise: f64,
}
// ANCHOR_END: recipe

// ANCHOR: recipes
impl Recipe {
    /// The workshop agenda's recipe (PyTorch):
    ///
    /// ```text
    /// x = 10 · z₁            z₁ ~ N(0, 1)
    /// y = x + 3 · z₂         z₂ ~ N(0, 1)
    /// ```
    ///
    /// that is, the line `y = 1·x + 0` with noise of standard deviation 3 and
    /// inputs of standard deviation 10.
    pub fn agenda() -> Recipe {
        todo!("the agenda's recipe: x = 10·N(0,1), y = x + 3·N(0,1)")
    }

    /// The lecture's recipe (NumPy):
    ///
    /// ```text
    /// x = u                  u ~ U[0, 1)
    /// y = 2·x + 1 + 0.1 · z  z ~ N(0, 1)
    /// ```
    ///
    /// that is, the line with slope `w = 2` and intercept `b = 1`, with noise
    /// of standard deviation 0.1.
    pub fn lecture() -> Recipe {
        todo!("the lecture's recipe: x = U[0,1), y = 2x + 1 + 0.1·N(0,1)")
    }
}
// ANCHOR_END: recipes

// ---------------------------------------------------------------------------
// 2. One seeded generator, and the draws in a fixed order
// ---------------------------------------------------------------------------

// ANCHOR: seeded_rng
/// The course's random number generator, started from `seed`:
/// `ChaCha8Rng::seed_from_u64(seed)`.
///
/// ChaCha8 is a *portable* generator: the same seed gives the same stream of
/// numbers on every platform and, within one version of `rand_chacha`, in
/// every build (the workspace's `Cargo.lock` pins that version). That is what
/// lets the tests compare your data with snapshots.
pub fn seeded_rng(seed: u64) -> ChaCha8Rng {
    todo!("make a ChaCha8Rng from the seed with SeedableRng::seed_from_u64")
}
// ANCHOR_END: seeded_rng

// ANCHOR: draw_inputs
/// Draws `n` inputs from `rng`, one after the other:
///
/// - `Inputs::Normal { scale }`: `x[i] = scale * z`, where
///   `z: f64 = rng.sample(StandardNormal)` (one standard normal draw per
///   input; `rand_distr::Normal::new(0.0, scale)` gives the same numbers);
/// - `Inputs::Uniform`: `x[i] = rng.random::<f64>()`, uniform on [0, 1).
pub fn draw_inputs(inputs: Inputs, n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    todo!("draw n inputs, in order, as the doc comment says")
}
// ANCHOR_END: draw_inputs

// ANCHOR: draw_noise
/// Draws `n` noise values from `rng`: `noise[i] = scale * z`, where
/// `z: f64 = rng.sample(StandardNormal)`, one draw per value.
pub fn draw_noise(scale: f64, n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    todo!("draw n values scale·z with z = rng.sample(StandardNormal)")
}
// ANCHOR_END: draw_noise

// ANCHOR: line_plus_noise
/// The responses on the line `y = w·x + b`, each with its noise added:
///
/// ```text
/// y[i] = w · x[i] + b + noise[i]
/// ```
///
/// computed as `w * x[i] + b + noise[i]`, in that order (floating-point
/// addition is not associative, so another order may differ in the last
/// digit). `x` and `noise` have the same length.
pub fn line_plus_noise(w: f64, b: f64, x: &[f64], noise: &[f64]) -> Vec<f64> {
    todo!("y[i] = w * x[i] + b + noise[i]")
}
// ANCHOR_END: line_plus_noise

// ANCHOR: generate
/// `n` examples made by `recipe`, reproducibly from `seed`.
///
/// The order of the draws is part of the recipe; follow it exactly:
///
/// 1. `let mut rng = seeded_rng(seed);` one generator for everything;
/// 2. **all** `n` inputs first: `draw_inputs(recipe.inputs, n, &mut rng)`;
/// 3. **then all** `n` noise values: `draw_noise(recipe.noise, n, &mut rng)`;
/// 4. `y = line_plus_noise(recipe.w, recipe.b, &x, &noise)`.
///
/// This is the order of the sources, too: NumPy's `rand(N)` then `randn(N)`.
pub fn generate(recipe: &Recipe, n: usize, seed: u64) -> Dataset {
    todo!("one seeded generator; all x first, then all the noise; then y")
}
// ANCHOR_END: generate

// ---------------------------------------------------------------------------
// 3. A shuffled split into training and validation sets
// ---------------------------------------------------------------------------

// ANCHOR: split_types
/// A data set cut in two: the model learns from `train` and is checked on
/// `validation`, examples it has never seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub validation: Dataset,
}

/// Why a data set could not be split.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum SplitError {
    #[error(
        "the training fraction must lie strictly between 0 and 1 (0.8 keeps 80 % for training), but it is {fraction}"
    )]
    FractionOutOfRange { fraction: f64 },
    #[error(
        "splitting {rows} rows with training fraction {fraction} gives {train} training and {validation} validation rows; \
         both sets need at least one row: use more rows or a fraction nearer 0.5"
    )]
    EmptyPart { rows: usize, fraction: f64, train: usize, validation: usize },
    #[error("the data set has {x} inputs but {y} responses; give every input exactly one response")]
    MismatchedLengths { x: usize, y: usize },
}
// ANCHOR_END: split_types

// ANCHOR: train_size
/// How many of `rows` examples go to the training set:
///
/// ```text
/// train = round(train_fraction · rows)
/// ```
///
/// rounded to the nearest whole number, halves away from zero (`f64::round`):
/// 0.8 · 100 = 80, 0.8 · 7 = 5.6 → 6, 0.5 · 5 = 2.5 → 3. Rounding, not
/// cutting off: 0.29 · 100 is 28.999999999999996 in f64, and `as usize` alone
/// would make that 28.
///
/// Errors: [`SplitError::FractionOutOfRange`] unless `0 < train_fraction < 1`
/// (NaN included); [`SplitError::EmptyPart`] when either set would be empty.
pub fn train_size(rows: usize, train_fraction: f64) -> Result<usize, SplitError> {
    todo!("check the fraction, round fraction·rows, check neither part is empty")
}
// ANCHOR_END: train_size

// ANCHOR: shuffled_indices
/// The numbers `0, 1, …, n − 1` in a random order that depends only on
/// `seed`: start from `(0..n).collect::<Vec<usize>>()` and shuffle it with
/// `SliceRandom::shuffle` and a fresh generator `seeded_rng(seed)`.
pub fn shuffled_indices(n: usize, seed: u64) -> Vec<usize> {
    todo!("0..n, shuffled with a fresh seeded_rng(seed)")
}
// ANCHOR_END: shuffled_indices

// ANCHOR: split
/// Splits `data` at random into a training and a validation set.
///
/// 1. [`SplitError::MismatchedLengths`] if `x` and `y` differ in length;
/// 2. `train = train_size(data.len(), train_fraction)?`;
/// 3. `order = shuffled_indices(data.len(), seed)`;
/// 4. the first `train` indices of `order` are the training set, the rest the
///    validation set, each in the order of `order` (see [`Dataset::rows`]).
///
/// Every example lands in exactly one of the two sets.
pub fn split(data: &Dataset, train_fraction: f64, seed: u64) -> Result<Split, SplitError> {
    todo!("check lengths, size the training set, shuffle the indices, cut")
}
// ANCHOR_END: split

// ---------------------------------------------------------------------------
// 4. A picture of the data
// ---------------------------------------------------------------------------

// ANCHOR: plot_split
/// Draws the training and the validation set as two scatters on one chart
/// and writes it to `path` as an SVG file, with `support::plot::chart`:
///
/// - the title `title`; the x axis labelled `x`, the y axis labelled `y`;
/// - two `Series::Points`, labelled for the legend `training (N points)` and
///   `validation (M points)`, with N and M the sizes of the two sets.
///
/// A problem (sets whose `x` and `y` differ in length, no finite point, a
/// file that cannot be written) is returned as the [`PlotError`].
pub fn plot_split(split: &Split, title: &str, path: &Path) -> Result<(), PlotError> {
    todo!("one chart, two Series::Points with their sizes in the labels")
}
// ANCHOR_END: plot_split

// ---------------------------------------------------------------------------
// 5. Your own data, from a CSV file
// ---------------------------------------------------------------------------

// ANCHOR: load_types
/// What is wrong with one value of a CSV file.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum BadNumber {
    #[error("is not a number; write it with digits and an optional decimal point, like 12 or 12.5")]
    NotANumber,
    #[error(
        "is not a finite number; NaN and infinity are not measurements: fix the value or delete the row"
    )]
    NotFinite,
}

/// Why a CSV file could not be loaded. Every message names the file, and
/// where it can, the line, the column and the value.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum LoadError {
    #[error(
        "could not read {file}: {reason}; check the path (a relative path starts at the folder you run cargo in)"
    )]
    Unreadable { file: String, reason: String },
    #[error(
        "{file} is empty; its first line must be a header naming the columns, like `size_sqft,price_lakh`"
    )]
    EmptyFile { file: String },
    #[error(
        "{file} has a header but no data rows; add one line per example below the header, like `500,5`"
    )]
    NoRows { file: String },
    #[error(
        "{file}, line 1: there is no column named \"{column}\" (the header has: {found}); rename the column in the file or ask for one of those"
    )]
    MissingColumn { file: String, column: String, found: String },
    #[error("{file}, line {line}, column {column} ({name}): \"{value}\" {problem}")]
    BadValue {
        file: String,
        line: u64,
        column: usize,
        name: String,
        value: String,
        problem: BadNumber,
    },
    #[error(
        "{file}, line {line}: the header names {expected} columns but this row has {found}; give every row one value per column, separated by commas"
    )]
    WrongFieldCount { file: String, line: u64, expected: u64, found: u64 },
    #[error(
        "{file}, line {line}: {reason}; save the file as plain UTF-8 text with commas between the values"
    )]
    Malformed { file: String, line: u64, reason: String },
}
// ANCHOR_END: load_types

// ANCHOR: parse_number
/// One value of a CSV file as a number.
///
/// Surrounding spaces are ignored (`" 12.5 "` is 12.5). Text that `f64`'s
/// `parse` does not accept is [`BadNumber::NotANumber`]; `parse` does accept
/// `NaN`, `inf` and `infinity`, which are not data: those are
/// [`BadNumber::NotFinite`].
pub fn parse_number(text: &str) -> Result<f64, BadNumber> {
    todo!("trim, parse as f64, and reject NaN and infinities")
}
// ANCHOR_END: parse_number

// ANCHOR: load_csv
/// Loads a data set from the CSV file at `path`: its first line is a header
/// naming the columns, and `x_column` and `y_column` name the columns that
/// become `x` and `y`. Other columns are ignored: they may hold anything.
///
/// Use the `csv` crate: `csv::ReaderBuilder::new().trim(csv::Trim::All)
/// .from_path(path)`, then `headers()` and `records()`. Spaces around a
/// header name or a value are not part of it. Lines count as in an editor:
/// the header is line 1, so the first data row is line 2, and blank lines
/// count too. The line of a record is [`line_of`]`(path, record.position())`
/// (of a reader's error, `line_of(path, error.position())`), written for
/// you: the reader's own `position.line()` falls short after a blank line or
/// in a file with Windows line ends. Columns count from 1.
///
/// Nothing here panics; every problem is a [`LoadError`] naming `path`:
/// an unreadable file, an empty file (its header has no columns), a header
/// with no rows, a missing column (`x_column` is looked up first), a row
/// with too few or too many values (the reader's error then has the kind
/// `csv::ErrorKind::UnequalLengths`; any other reader error is
/// `Malformed`), and a value that is not a finite number
/// ([`parse_number`]). The first problem stops the loading: a bad row is
/// reported, never skipped, and in a row the value of `x_column` is checked
/// before the value of `y_column`, wherever the two are in the file.
pub fn load_csv(path: &Path, x_column: &str, y_column: &str) -> Result<Dataset, LoadError> {
    todo!("read the header, find both columns, parse every row; stop at the first problem")
}
// ANCHOR_END: load_csv

/// The line of the file at `path` on which the record at `position` starts,
/// counted as an editor counts: the header is line 1, and blank lines and
/// the lines inside a quoted value count too. Written for you.
///
/// The `csv` reader's own `position.line()` is the line it had reached when
/// the record before ended. In most files that is the record's line, but
/// not after a blank line, which the reader skips, nor in a file with
/// Windows line ends (`\r\n`), whose `\n` it counts only later. So this
/// reads the file again, skips the line ends at the record's byte offset,
/// and counts the `\n` before the record. Call it for the record you
/// report, not for every record. Without a position it gives 0; if the file
/// cannot be read again, the reader's line.
pub fn line_of(path: &Path, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let Ok(bytes) = std::fs::read(path) else { return position.line() };
    let from = usize::try_from(position.byte()).map_or(bytes.len(), |b| b.min(bytes.len()));
    let start = from + bytes[from..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}
