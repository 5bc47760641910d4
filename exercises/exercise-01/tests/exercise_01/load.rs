//! Loading your own data from a CSV file, and the errors for bad files.

use std::path::Path;

use exercise_01::{BadNumber, LoadError};
use support::{call, check, check_eq, fail};

use crate::{data_file, fixture};

const LOADING: &str = "see 'Loading your own data' in chapter 1";

/// Loads `path` with the house table's column names, through `call`.
fn load(path: &Path) -> (String, Result<exercise_01::Dataset, LoadError>) {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let what = format!("load_csv(\"{name}\", \"size_sqft\", \"price_lakh\")");
    let result = call(&what, LOADING, || exercise_01::load_csv(path, "size_sqft", "price_lakh"));
    (what, result)
}

/// Fails unless the error's message contains every one of `parts`.
#[track_caller]
fn check_message(what: &str, error: &LoadError, parts: &[&str], hint: &str) {
    let message = error.to_string();
    for part in parts {
        check(
            message.contains(part),
            &format!("{what}, the error's message"),
            &message,
            format!("a message that contains {part:?}"),
            hint,
        );
    }
}

#[test]
fn house_prices_csv_loads_the_lectures_seven_houses() {
    let (what, result) = load(&data_file("house_prices.csv"));
    let data = match result {
        Ok(data) => data,
        Err(e) => fail(&what, format!("Err({e})"), "Ok(Dataset { .. })", LOADING),
    };
    // The lecture's table: size in square feet -> price in lakh.
    check_eq(
        &format!("{what}.x"),
        &data.x,
        &support::data::HOUSE_SIZES.to_vec(),
        "x is the column named by x_column, one value per data row, in the file's order; see 'Loading your own data' in chapter 1",
    );
    check_eq(
        &format!("{what}.y"),
        &data.y,
        &support::data::HOUSE_PRICES.to_vec(),
        "y is the column named by y_column, one value per data row, in the file's order; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_picks_columns_by_name() {
    // Asking for the columns the other way round swaps x and y.
    let path = data_file("house_prices.csv");
    let what = "load_csv(\"house_prices.csv\", \"price_lakh\", \"size_sqft\")";
    let result = call(what, LOADING, || exercise_01::load_csv(&path, "price_lakh", "size_sqft"));
    let Ok(data) = result else { fail(what, format!("{result:?}"), "Ok(Dataset { .. })", LOADING) };
    check_eq(
        &format!("{what}.x"),
        &data.x,
        &support::data::HOUSE_PRICES.to_vec(),
        "find each column by its name in the header, not by its position; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn parse_number_reads_numbers_with_or_without_spaces() {
    for (text, expected) in
        [("12.5", 12.5), (" 7 ", 7.0), ("-3e2", -300.0), ("1200", 1200.0), ("0.1", 0.1)]
    {
        let what = format!("parse_number({text:?})");
        let got = call(&what, LOADING, || exercise_01::parse_number(text));
        check_eq(
            &what,
            &got,
            &Ok(expected),
            "trim the spaces, then text.parse::<f64>(); see 'Loading your own data' in chapter 1",
        );
    }
}

#[test]
fn parse_number_rejects_text_that_is_not_a_number() {
    for text in ["nine", "", "12,5", "1.2.3", "5 lakh"] {
        let what = format!("parse_number({text:?})");
        let got = call(&what, LOADING, || exercise_01::parse_number(text));
        check_eq(
            &what,
            &got,
            &Err(BadNumber::NotANumber),
            "text that parse::<f64>() does not accept is BadNumber::NotANumber; see 'Loading your own data' in chapter 1",
        );
    }
}

#[test]
fn parse_number_rejects_nan_and_infinity() {
    for text in ["NaN", "nan", "inf", "-inf", "infinity"] {
        let what = format!("parse_number({text:?})");
        let got = call(&what, LOADING, || exercise_01::parse_number(text));
        check_eq(
            &what,
            &got,
            &Err(BadNumber::NotFinite),
            "NaN and infinity parse as f64 but are not data: check value.is_finite() and return \
             BadNumber::NotFinite; see 'Loading your own data' in chapter 1",
        );
    }
}

#[test]
fn load_csv_reports_a_missing_column() {
    let (what, result) = load(&fixture("missing_column.csv"));
    let Err(error) = result else {
        fail(
            &what,
            format!("{result:?}"),
            "Err(MissingColumn { column: \"price_lakh\", .. })",
            LOADING,
        )
    };
    check(
        matches!(&error, LoadError::MissingColumn { column, .. } if column == "price_lakh"),
        &what,
        format!("Err({error:?})"),
        "Err(MissingColumn { column: \"price_lakh\", .. })",
        "look each column name up in the header and return LoadError::MissingColumn when it is not there; \
         see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["missing_column.csv", "line 1", "\"price_lakh\"", "\"price\""],
        "the message names the file, line 1 (the header), the missing column and the columns there are; \
         see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_a_value_that_is_not_a_number() {
    // not_a_number.csv, line 4: `700,nine`.
    let (what, result) = load(&fixture("not_a_number.csv"));
    let Err(error) = result else {
        fail(
            &what,
            format!("{result:?}"),
            "Err(BadValue { line: 4, column: 2, value: \"nine\", problem: NotANumber, .. })",
            "a bad value must stop the loading with an error that names its line, never be skipped; \
             see 'Loading your own data' in chapter 1",
        )
    };
    check(
        matches!(&error, LoadError::BadValue { line: 4, column: 2, value, problem: BadNumber::NotANumber, .. } if value == "nine"),
        &what,
        format!("Err({error:?})"),
        "Err(BadValue { line: 4, column: 2, value: \"nine\", problem: NotANumber, .. })",
        "count lines as an editor does: the header is line 1, so the first data row is line 2; columns count from 1; \
         see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["not_a_number.csv", "line 4", "column 2", "price_lakh", "\"nine\"", "not a number"],
        "the message names the file, the line, the column and the value; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_an_empty_value() {
    // empty_value.csv, line 5: `800,` has nothing in the price column.
    let (what, result) = load(&fixture("empty_value.csv"));
    check(
        matches!(&result, Err(LoadError::BadValue { line: 5, column: 2, value, problem: BadNumber::NotANumber, .. }) if value.is_empty()),
        &what,
        format!("{result:?}"),
        "Err(BadValue { line: 5, column: 2, value: \"\", problem: NotANumber, .. })",
        "an empty value is not a number either: a bad value must stop the loading with an error that names its line; \
         see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_nan() {
    // nan.csv, line 3: `600,NaN`.
    let (what, result) = load(&fixture("nan.csv"));
    let Err(error) = result else {
        fail(
            &what,
            format!("{result:?}"),
            "Err(BadValue { line: 3, column: 2, value: \"NaN\", problem: NotFinite, .. })",
            "NaN and infinity parse as f64 but are not data: reject them with BadNumber::NotFinite; \
             see 'Loading your own data' in chapter 1",
        )
    };
    check(
        matches!(&error, LoadError::BadValue { line: 3, column: 2, value, problem: BadNumber::NotFinite, .. } if value == "NaN"),
        &what,
        format!("Err({error:?})"),
        "Err(BadValue { line: 3, column: 2, value: \"NaN\", problem: NotFinite, .. })",
        "NaN and infinity parse as f64 but are not data: reject them with BadNumber::NotFinite; \
         see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["nan.csv", "line 3", "column 2", "\"NaN\"", "not a finite number"],
        "the message names the file, the line, the column and the value; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_infinity() {
    // infinity.csv, line 5: `inf,13`.
    let (what, result) = load(&fixture("infinity.csv"));
    let Err(error) = result else {
        fail(
            &what,
            format!("{result:?}"),
            "Err(BadValue { line: 5, column: 1, value: \"inf\", problem: NotFinite, .. })",
            "NaN and infinity parse as f64 but are not data: reject them with BadNumber::NotFinite; \
             see 'Loading your own data' in chapter 1",
        )
    };
    check(
        matches!(&error, LoadError::BadValue { line: 5, column: 1, value, problem: BadNumber::NotFinite, .. } if value == "inf"),
        &what,
        format!("Err({error:?})"),
        "Err(BadValue { line: 5, column: 1, value: \"inf\", problem: NotFinite, .. })",
        "NaN and infinity parse as f64 but are not data: reject them with BadNumber::NotFinite; \
         see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["infinity.csv", "line 5", "column 1", "size_sqft", "\"inf\""],
        "the message names the file, the line, the column and the value; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_a_row_with_a_missing_value() {
    // missing_field.csv, line 3: `600` has one value, the header two columns.
    let (what, result) = load(&fixture("missing_field.csv"));
    let Err(error) = result else {
        fail(
            &what,
            format!("{result:?}"),
            "Err(WrongFieldCount { line: 3, expected: 2, found: 1, .. })",
            LOADING,
        )
    };
    check(
        matches!(&error, LoadError::WrongFieldCount { line: 3, expected: 2, found: 1, .. }),
        &what,
        format!("Err({error:?})"),
        "Err(WrongFieldCount { line: 3, expected: 2, found: 1, .. })",
        "the csv reader reports a row of the wrong length as csv::ErrorKind::UnequalLengths; turn it into \
         LoadError::WrongFieldCount; see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["missing_field.csv", "line 3"],
        "the message names the file and the line; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_an_empty_file() {
    let (what, result) = load(&fixture("empty.csv"));
    let Err(error) = result else {
        fail(&what, format!("{result:?}"), "Err(EmptyFile { .. })", LOADING)
    };
    check(
        matches!(&error, LoadError::EmptyFile { .. }),
        &what,
        format!("Err({error:?})"),
        "Err(EmptyFile { .. })",
        "a file without even a header is LoadError::EmptyFile: the header read from it has no columns; \
         see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["empty.csv", "header"],
        "the message names the file and says what the first line must be; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_a_header_without_rows() {
    let (what, result) = load(&fixture("header_only.csv"));
    let Err(error) = result else {
        fail(&what, format!("{result:?}"), "Err(NoRows { .. })", LOADING)
    };
    check(
        matches!(&error, LoadError::NoRows { .. }),
        &what,
        format!("Err({error:?})"),
        "Err(NoRows { .. })",
        "a header with no data rows below it is LoadError::NoRows, not an empty data set; \
         see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["header_only.csv"],
        "the message names the file; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_reports_a_file_that_does_not_exist() {
    let (what, result) = load(&fixture("no_such_file.csv"));
    let Err(error) = result else {
        fail(&what, format!("{result:?}"), "Err(Unreadable { .. })", LOADING)
    };
    check(
        matches!(&error, LoadError::Unreadable { .. }),
        &what,
        format!("Err({error:?})"),
        "Err(Unreadable { .. })",
        "when the file cannot be opened, return LoadError::Unreadable; see 'Loading your own data' in chapter 1",
    );
    check_message(
        &what,
        &error,
        &["no_such_file.csv"],
        "the message names the file; see 'Loading your own data' in chapter 1",
    );
}
