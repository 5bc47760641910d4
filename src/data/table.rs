//! A CSV table of numbers with a header, for `cargo workbook fit` and
//! `train`: every column a feature, one the target. Cells are parsed, and bad
//! files reported, with exercise 01's reference code
//! ([`solution_01::parse_number`], [`solution_01::LoadError`]), so the
//! command line and the course give the same messages.

use std::path::Path;

use nalgebra::{DMatrix, DVector};

use solution_01::{LoadError, line_of, parse_number};

/// The numbers of a CSV file, column by column.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// One vector per column, one value per example: the layout a design
    /// matrix (column-major) and a pass over one feature want.
    pub columns: Vec<Vec<f64>>,
}

/// Reads a CSV file whose first line names the columns and whose other lines
/// hold one finite number per column. The first problem stops the reading.
///
/// Fast on large files: a row is read into one reused byte buffer (no
/// `String` per cell, no `Vec` per row) and its cells parsed straight into
/// the columns; a cell that the standard parser refuses is handed to
/// [`parse_number`] for the course's message, and its line counted only then.
/// Spaces around names and values are trimmed here, not by the csv crate's
/// `Trim::All`, which builds a new record for every row (a sixth of the
/// reading time of a million rows, `perf record`).
pub fn read(path: &Path) -> Result<Table, LoadError> {
    let file = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .from_path(path)
        .map_err(|e| LoadError::Unreadable { file: file.clone(), reason: e.to_string() })?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| problem(path, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(LoadError::EmptyFile { file });
    }
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); headers.len()];
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(|e| problem(path, e))? {
        for (column, bytes) in record.iter().enumerate() {
            let bytes = bytes.trim_ascii();
            let fast = std::str::from_utf8(bytes)
                .ok()
                .and_then(|text| text.parse::<f64>().ok())
                .filter(|v| v.is_finite());
            let value = match fast {
                Some(value) => value,
                None => cell(path, &record, column, &headers[column])?,
            };
            columns[column].push(value);
        }
    }
    if columns[0].is_empty() {
        return Err(LoadError::NoRows { file });
    }
    Ok(Table { headers, columns })
}

/// A cell the fast path refused, read as the course reads it: the number
/// [`parse_number`] finds, or its error with the file, line and column.
fn cell(
    path: &Path,
    record: &csv::ByteRecord,
    column: usize,
    name: &str,
) -> Result<f64, LoadError> {
    let file = path.display().to_string();
    let line = line_of(path, record.position());
    let Ok(text) = std::str::from_utf8(record[column].trim_ascii()) else {
        return Err(LoadError::Malformed {
            file,
            line,
            reason: format!("the value in column {} (\"{name}\") is not UTF-8 text", column + 1),
        });
    };
    parse_number(text).map_err(|problem| LoadError::BadValue {
        file,
        line,
        column: column + 1,
        name: name.to_string(),
        value: text.to_string(),
        problem,
    })
}

/// A reader's error as a [`LoadError`]; lines counted as in an editor
/// ([`line_of`]: the reader's own count falls short after blank lines and
/// with Windows line ends).
pub(crate) fn problem(path: &Path, e: csv::Error) -> LoadError {
    let file = &path.display().to_string();
    let line = line_of(path, e.position());
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => LoadError::WrongFieldCount {
            file: file.to_string(),
            line,
            expected: *expected_len,
            found: *len,
        },
        _ => LoadError::Malformed { file: file.to_string(), line, reason: e.to_string() },
    }
}

impl Table {
    /// The index of the column named `name`, or a message listing the
    /// columns there are.
    pub fn column(&self, name: &str) -> Result<usize, String> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            format!("there is no column \"{name}\"; the columns are: {}", self.headers.join(", "))
        })
    }

    /// The number of examples (rows).
    pub fn len(&self) -> usize {
        self.columns[0].len()
    }

    /// Whether the table has no rows (never, once [`read`] returned it).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The names of the features: every column but `target`.
    pub fn feature_names(&self, target: usize) -> Vec<String> {
        let named = self.headers.iter().enumerate();
        named.filter(|(i, _)| *i != target).map(|(_, h)| h.clone()).collect()
    }

    /// Splits the table into features (every column but `target`), one row
    /// per example, and the target column.
    pub fn features_and_target(&self, target: usize) -> (Vec<String>, Vec<Vec<f64>>, Vec<f64>) {
        let features: Vec<&Vec<f64>> =
            self.columns.iter().enumerate().filter(|(i, _)| *i != target).map(|(_, c)| c).collect();
        let rows = (0..self.len()).map(|r| features.iter().map(|c| c[r]).collect()).collect();
        (self.feature_names(target), rows, self.columns[target].clone())
    }

    /// The features as a matrix (one column per feature, in the file's
    /// order, copied column by column) and the target.
    pub fn design(&self, target: usize) -> (Vec<String>, DMatrix<f64>, DVector<f64>) {
        let features: Vec<&Vec<f64>> =
            self.columns.iter().enumerate().filter(|(i, _)| *i != target).map(|(_, c)| c).collect();
        let mut data = Vec::with_capacity(self.len() * features.len());
        for column in &features {
            data.extend_from_slice(column);
        }
        let x = DMatrix::from_vec(self.len(), features.len(), data);
        (self.feature_names(target), x, DVector::from_column_slice(&self.columns[target]))
    }
}
