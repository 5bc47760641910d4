//! NIST's Statistical Reference Datasets for linear least squares.
//!
//! Part of the reference solution only (the exercise crate has no copy): the
//! course's tests, chapter 6's accuracy table and `cargo workbook fit` use it.
//!
//! NIST's StRD project publishes eleven linear regression problems, from easy
//! (Norris: a straight line) to nasty (Filip: a polynomial of degree 10), each
//! with coefficients certified to 15 significant digits, computed in
//! 500-digit arithmetic. They are the standard test of a least-squares
//! solver. The eleven files ship with the course in
//! `solutions/solution-06/data/nist/`, exactly as NIST publishes them, and are
//! compiled into the crate, so [`load_bundled`] needs no path.
//!
//! A file is plain text: a header that says on which lines the certified
//! values and the data are, the certified values (`B0`, `B1`, … with their
//! standard deviations), and the data, one observation per line, `y` first.
//! The model follows from the parameter names: with one predictor `x`,
//! parameter `Bk` multiplies `xᵏ` (so `B0` is the intercept, and a model
//! without `B0` has none); with several predictors, `Bk` multiplies `xk`.

use std::fmt;
use std::path::{Path, PathBuf};

use nalgebra::{DMatrix, DVector};
use thiserror::Error;

/// A NIST StRD linear least-squares data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// The data set's name, e.g. `"Longley"`.
    pub name: String,
    /// NIST's rating: "Lower", "Average" or "Higher" (level of difficulty).
    pub difficulty: String,
    /// The predictors as the file gives them: one row per observation, one
    /// column per predictor variable (one column for the polynomial models).
    pub x: DMatrix<f64>,
    /// The response, one value per observation.
    pub y: DVector<f64>,
    /// Which model the certified values belong to.
    pub model: Model,
    /// The certified coefficients, in the order of the design matrix's
    /// columns (`B0`, `B1`, … or, without an intercept, `B1`, …).
    pub certified: DVector<f64>,
    /// NIST's certified standard deviations of the coefficients, same order.
    pub certified_sd: DVector<f64>,
}

/// The model of a data set, which decides its design matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// `y = B0 + B1·x + B2·x² + … + B_d·xᵈ`, or without `B0` when there is
    /// no intercept. One predictor.
    Polynomial { degree: usize, intercept: bool },
    /// `y = B0 + B1·x1 + … + B_k·xk`, or without `B0`: one weight per
    /// predictor.
    Linear { intercept: bool },
}

impl Dataset {
    /// The number of observations.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether the data set has no observations (never true for NIST's).
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The design matrix of the certified model, built with
    /// [`crate::polynomial_features`] and [`crate::add_intercept`]: its
    /// columns are in the order of [`Dataset::certified`].
    pub fn design_matrix(&self) -> DMatrix<f64> {
        let (features, intercept) = match self.model {
            Model::Polynomial { degree, intercept } => {
                let x: Vec<f64> = self.x.column(0).iter().copied().collect();
                (crate::polynomial_features(&x, degree), intercept)
            }
            Model::Linear { intercept } => (self.x.clone(), intercept),
        };
        if intercept { crate::add_intercept(&features) } else { features }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Model::Polynomial { degree: 1, intercept: true } => f.write_str("line"),
            Model::Polynomial { degree: 1, intercept: false } => {
                f.write_str("line through the origin")
            }
            Model::Polynomial { degree, intercept } => {
                write!(f, "polynomial of degree {degree}")?;
                if !intercept {
                    f.write_str(" without intercept")?;
                }
                Ok(())
            }
            Model::Linear { intercept: true } => f.write_str("linear in each predictor"),
            Model::Linear { intercept: false } => {
                f.write_str("linear in each predictor, without intercept")
            }
        }
    }
}

// ANCHOR: bundled
/// The eleven data sets, in NIST's order (lower, average, then higher
/// difficulty), with the text of their files.
pub const BUNDLED: [(&str, &str); 11] = [
    ("Norris", include_str!("../data/nist/Norris.dat")),
    ("Pontius", include_str!("../data/nist/Pontius.dat")),
    ("NoInt1", include_str!("../data/nist/NoInt1.dat")),
    ("NoInt2", include_str!("../data/nist/NoInt2.dat")),
    ("Filip", include_str!("../data/nist/Filip.dat")),
    ("Longley", include_str!("../data/nist/Longley.dat")),
    ("Wampler1", include_str!("../data/nist/Wampler1.dat")),
    ("Wampler2", include_str!("../data/nist/Wampler2.dat")),
    ("Wampler3", include_str!("../data/nist/Wampler3.dat")),
    ("Wampler4", include_str!("../data/nist/Wampler4.dat")),
    ("Wampler5", include_str!("../data/nist/Wampler5.dat")),
];
// ANCHOR_END: bundled

/// The names of the bundled data sets, in NIST's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _)| *name)
}

/// One of the bundled data sets, by name (as in [`BUNDLED`], any case).
pub fn load_bundled(name: &str) -> Result<Dataset, NistError> {
    let (name, text) = BUNDLED
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .ok_or_else(|| NistError::UnknownDataset { name: name.to_string() })?;
    parse(name, text)
}

/// Every bundled data set, in NIST's order.
pub fn load_all() -> Result<Vec<Dataset>, NistError> {
    names().map(load_bundled).collect()
}

/// Reads a data set from a file in NIST's format; its name is the file's
/// name without the extension.
pub fn load(path: &Path) -> Result<Dataset, NistError> {
    let text = std::fs::read_to_string(path).map_err(|source| NistError::Io {
        path: path.to_path_buf(),
        message: source.to_string(),
    })?;
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    parse(&name, &text)
}

/// Parses the text of a data set in NIST's format.
pub fn parse(name: &str, text: &str) -> Result<Dataset, NistError> {
    let lines: Vec<&str> = text.lines().collect();
    let certified_lines =
        line_range(&lines, "Certified Values", "Certified Values (lines 31 to 46)")?;
    let data_lines = line_range(&lines, "Data", "Data (lines 61 to 96)")?;
    let predictors = header_count(&lines, "Predictor Variable", "1 Predictor Variable (x)")?;
    let observations = header_count(&lines, "Observations", "36 Observations")?;
    let difficulty = lines
        .iter()
        .find_map(|line| {
            line.split_once("Level of Difficulty").map(|(level, _)| level.trim().to_string())
        })
        .unwrap_or_default();

    // The certified values: lines such as `B1   1.00211681802045   0.4297E-03`.
    let mut parameters = Vec::new();
    for number in certified_lines.clone() {
        let fields: Vec<&str> = lines[number - 1].split_whitespace().collect();
        let Some(index) = fields
            .first()
            .and_then(|f| f.strip_prefix('B'))
            .and_then(|digits| digits.parse::<usize>().ok())
        else {
            continue;
        };
        if fields.len() < 3 {
            return Err(NistError::WrongFieldCount {
                line: number,
                found: fields.len(),
                expected: 3,
            });
        }
        let estimate = number_at(fields[1], number)?;
        let sd = number_at(fields[2], number)?;
        parameters.push((index, estimate, sd));
    }
    if parameters.is_empty() {
        return Err(NistError::NoCertifiedValues {
            first: *certified_lines.start(),
            last: *certified_lines.end(),
        });
    }
    let model = model_of(&parameters, predictors)?;

    // The data: `y x` or `y x1 x2 …` on every line of the range.
    let width = 1 + predictors;
    let mut values = Vec::with_capacity(observations * width);
    for number in data_lines.clone() {
        let fields: Vec<&str> = lines[number - 1].split_whitespace().collect();
        if fields.len() != width {
            return Err(NistError::WrongFieldCount {
                line: number,
                found: fields.len(),
                expected: width,
            });
        }
        for field in fields {
            values.push(number_at(field, number)?);
        }
    }
    let rows = data_lines.count();
    if rows != observations {
        return Err(NistError::ObservationCount { declared: observations, found: rows });
    }
    let table = DMatrix::from_row_slice(rows, width, &values);
    Ok(Dataset {
        name: name.to_string(),
        difficulty,
        x: table.columns(1, predictors).into_owned(),
        y: table.column(0).into_owned(),
        model,
        certified: DVector::from_iterator(parameters.len(), parameters.iter().map(|p| p.1)),
        certified_sd: DVector::from_iterator(parameters.len(), parameters.iter().map(|p| p.2)),
    })
}

/// The line range that the header gives for a section, e.g.
/// `Certified Values  (lines 31 to 46)`, checked against the file's length.
fn line_range(
    lines: &[&str],
    section: &'static str,
    example: &'static str,
) -> Result<std::ops::RangeInclusive<usize>, NistError> {
    let (number, line) = lines
        .iter()
        .enumerate()
        .find(|(_, line)| line.contains(section) && line.contains("(lines"))
        .ok_or(NistError::MissingHeader { what: section, example })?;
    let numbers: Vec<usize> =
        line.split(|c: char| !c.is_ascii_digit()).filter_map(|t| t.parse().ok()).collect();
    match numbers[..] {
        [first, last] if 1 <= first && first <= last && last <= lines.len() => Ok(first..=last),
        _ => Err(NistError::BadLineRange {
            line: number + 1,
            text: line.trim().to_string(),
            lines: lines.len(),
        }),
    }
}

/// The number in a header line such as `36 Observations`.
fn header_count(
    lines: &[&str],
    what: &'static str,
    example: &'static str,
) -> Result<usize, NistError> {
    lines
        .iter()
        .find_map(|line| {
            let (before, _) = line.split_once(what)?;
            before.split_whitespace().last()?.parse().ok()
        })
        .ok_or(NistError::MissingHeader { what, example })
}

/// A number in NIST's notation (`0.429796848199937E-03`), or an error that
/// names the line.
fn number_at(text: &str, line: usize) -> Result<f64, NistError> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| NistError::BadNumber { line, text: text.to_string() })
}

/// The model that the parameter names `B0, B1, …` describe.
fn model_of(parameters: &[(usize, f64, f64)], predictors: usize) -> Result<Model, NistError> {
    let first = parameters[0].0;
    let consecutive = parameters.iter().enumerate().all(|(i, (index, _, _))| *index == first + i);
    let intercept = first == 0;
    let last = parameters[parameters.len() - 1].0;
    let names = || {
        parameters.iter().map(|(index, _, _)| format!("B{index}")).collect::<Vec<_>>().join(", ")
    };
    if !consecutive || first > 1 || predictors == 0 {
        return Err(NistError::UnknownModel { parameters: names(), predictors });
    }
    if predictors == 1 {
        Ok(Model::Polynomial { degree: last, intercept })
    } else if last == predictors {
        Ok(Model::Linear { intercept })
    } else {
        Err(NistError::UnknownModel { parameters: names(), predictors })
    }
}

/// Why a NIST file could not be read. Line numbers count from 1, as in the
/// file's header.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum NistError {
    #[error("could not read {}: {message}", .path.display())]
    Io { path: PathBuf, message: String },

    #[error(
        "there is no bundled NIST data set called \"{name}\"; the bundled ones are Norris, Pontius, NoInt1, NoInt2, Filip, Longley and Wampler1 to Wampler5"
    )]
    UnknownDataset { name: String },

    #[error(
        "the header has no line for \"{what}\" (such as \"{example}\"); is this a NIST StRD linear regression file?"
    )]
    MissingHeader { what: &'static str, example: &'static str },

    #[error(
        "line {line}, \"{text}\", does not give a range of lines \"(lines A to B)\" with 1 ≤ A ≤ B ≤ {lines}, the file's length"
    )]
    BadLineRange { line: usize, text: String, lines: usize },

    #[error("line {line}: \"{text}\" is not a finite number")]
    BadNumber { line: usize, text: String },

    #[error("line {line} has {found} fields, but {expected} were expected")]
    WrongFieldCount { line: usize, found: usize, expected: usize },

    #[error(
        "lines {first} to {last}, the certified values, hold no parameter line such as \"B0  -0.262323073774029  0.232818234301152\""
    )]
    NoCertifiedValues { first: usize, last: usize },

    #[error(
        "the parameters {parameters} with {predictors} predictor variable(s) are not a model this reader knows: B0, B1, … (or B1, … without intercept) with one polynomial term or one predictor each"
    )]
    UnknownModel { parameters: String, predictors: usize },

    #[error("the header declares {declared} observations, but the data lines hold {found}")]
    ObservationCount { declared: usize, found: usize },
}
