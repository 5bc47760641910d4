//! A CSV table of numbers with a header, for `cargo workbook fit` and
//! `train`: every column a feature, one the target. Cells are parsed, and bad
//! files reported, with exercise 01's reference code
//! ([`solution_01::parse_number`], [`solution_01::LoadError`]), so the
//! command line and the course give the same messages.

use std::path::Path;

use solution_01::{LoadError, line_of, parse_number};

/// The numbers of a CSV file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// One row per example, one value per column.
    pub rows: Vec<Vec<f64>>,
}

/// Reads a CSV file whose first line names the columns and whose other lines
/// hold one finite number per column. The first problem stops the reading.
pub fn read(path: &Path) -> Result<Table, LoadError> {
    let file = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| LoadError::Unreadable { file: file.clone(), reason: e.to_string() })?;
    let headers: Vec<String> =
        reader.headers().map_err(|e| problem(path, e))?.iter().map(str::to_string).collect();
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(LoadError::EmptyFile { file });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| problem(path, e))?;
        let mut row = Vec::with_capacity(headers.len());
        for (column, text) in record.iter().enumerate() {
            // The line is counted only for a bad value: line_of reads the
            // file again.
            let value = parse_number(text).map_err(|problem| LoadError::BadValue {
                file: file.clone(),
                line: line_of(path, record.position()),
                column: column + 1,
                name: headers[column].clone(),
                value: text.to_string(),
                problem,
            })?;
            row.push(value);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(LoadError::NoRows { file });
    }
    Ok(Table { headers, rows })
}

/// A reader's error as a [`LoadError`]; lines counted as in an editor
/// ([`line_of`]: the reader's own count falls short after blank lines and
/// with Windows line ends).
fn problem(path: &Path, e: csv::Error) -> LoadError {
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

    /// Splits the table into features (every column but `target`) and the
    /// target column.
    pub fn features_and_target(&self, target: usize) -> (Vec<String>, Vec<Vec<f64>>, Vec<f64>) {
        let names = self
            .headers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != target)
            .map(|(_, h)| h.clone())
            .collect();
        let features = self
            .rows
            .iter()
            .map(|r| r.iter().enumerate().filter(|(i, _)| *i != target).map(|(_, v)| *v).collect())
            .collect();
        let y = self.rows.iter().map(|r| r[target]).collect();
        (names, features, y)
    }
}
