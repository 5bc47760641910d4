//! Loading your own data from a CSV file, and the errors for bad files.

use std::path::Path;

use exercise_01::{BadNumber, LoadError};
use support::{call, check, check_eq, fail};

use crate::{data_file, fixture, scratch};

const LOADING: &str = "see 'Loading your own data' in chapter 1";

/// The hint for a wrong line number in a file with blank lines, Windows line
/// ends or a quoted line break.
const LINES: &str = "count lines as an editor does, blank lines and Windows line ends included: the line of a record is \
                     line_of(path, record.position()). The reader's own position().line() falls short after a blank \
                     line or a \\r\\n, and a record and a line are not the same thing: a blank line is no record, and a \
                     quoted value can hold a line break; see 'Loading your own data' in chapter 1";

/// Loads `path` with the house table's column names and checks that it
/// fails with a bad value `value` at `line` and `column`.
#[track_caller]
fn check_bad_value_at(path: &Path, shown: &str, line: u64, column: usize, value: &str) {
    let what = format!("load_csv({shown}, \"size_sqft\", \"price_lakh\")");
    let result = call(&what, LOADING, || exercise_01::load_csv(path, "size_sqft", "price_lakh"));
    let expected = format!(
        "Err(BadValue {{ line: {line}, column: {column}, value: {value:?}, problem: NotANumber, .. }})"
    );
    match &result {
        Err(LoadError::BadValue {
            line: l,
            column: c,
            value: v,
            problem: BadNumber::NotANumber,
            ..
        }) if *c == column && v == value => {
            check(*l == line, &what, format!("{result:?}"), &expected, LINES)
        }
        Err(LoadError::BadValue { .. }) => fail(
            &what,
            format!("{result:?}"),
            &expected,
            "the value to report is the bad one in x_column or y_column: other columns are ignored (they may hold \
             anything, even a line break in quotes), and columns count from 1; see 'Loading your own data' in chapter 1",
        ),
        _ => fail(
            &what,
            format!("{result:?}"),
            &expected,
            "a bad value must stop the loading with an error that names its line, never be skipped; \
             see 'Loading your own data' in chapter 1",
        ),
    }
}

/// Loads `path` with the house table's column names and checks that it
/// loads the two houses (500, 5) and (600, 8).
#[track_caller]
fn check_two_houses(path: &Path, shown: &str, hint: &str) {
    let what = format!("load_csv({shown}, \"size_sqft\", \"price_lakh\")");
    let result = call(&what, LOADING, || exercise_01::load_csv(path, "size_sqft", "price_lakh"));
    let expected = exercise_01::Dataset { x: vec![500.0, 600.0], y: vec![5.0, 8.0] };
    match &result {
        Ok(data) => check_eq(&what, data, &expected, hint),
        Err(e) => fail(&what, format!("Err({e:?}): \"{e}\""), format!("Ok({expected:?})"), hint),
    }
}

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

#[test]
fn load_csv_counts_blank_lines_as_lines() {
    // blank_lines.csv: lines 3, 5 and 6 are blank; line 7 is `700,nine`.
    let path = fixture("blank_lines.csv");
    check_bad_value_at(&path, "\"blank_lines.csv\"", 7, 2, "nine");
}

#[test]
fn load_csv_counts_the_lines_inside_a_quoted_value() {
    // quoted_line_break.csv: the note "small,\nold" runs over lines 2 and 3,
    // so `600,ok,nine` is line 4.
    let path = fixture("quoted_line_break.csv");
    check_bad_value_at(&path, "\"quoted_line_break.csv\"", 4, 3, "nine");
}

/// What Excel writes as "CSV UTF-8": a byte-order mark, then lines that end
/// in \r\n.
const EXCEL: &str = "\u{feff}size_sqft,price_lakh\r\n500,5\r\n600,8\r\n";

#[test]
fn load_csv_reads_a_file_saved_by_excel() {
    let path = scratch("excel.csv");
    std::fs::write(&path, EXCEL).expect("scratch file can be written");
    check_two_houses(
        &path,
        &format!("path, of the file {EXCEL:?}"),
        "a byte-order mark (\\u{feff}) and Windows line ends (\\r\\n) are not part of the data: the csv reader \
         skips the mark and ends lines at \\r\\n; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_counts_lines_in_a_file_saved_by_excel() {
    let text = format!("{EXCEL}700,nine\r\n800,13\r\n");
    let path = scratch("excel_bad_value.csv");
    std::fs::write(&path, &text).expect("scratch file can be written");
    check_bad_value_at(&path, &format!("path, of the file {text:?}"), 4, 2, "nine");
}

#[test]
fn load_csv_ignores_spaces_around_names_and_values() {
    // spaces.csv: `size_sqft, price_lakh`, then ` 500, 5` and `600 ,8`.
    check_two_houses(
        &fixture("spaces.csv"),
        "\"spaces.csv\"",
        "spaces around a header name are not part of it, nor around a value: build the reader with \
         .trim(csv::Trim::All), so that ` price_lakh` is the column price_lakh; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_ignores_columns_it_was_not_asked_for() {
    // text_column.csv: `city,size_sqft,price_lakh,note`, with words in the
    // city and note columns.
    check_two_houses(
        &fixture("text_column.csv"),
        "\"text_column.csv\"",
        "other columns are ignored: parse only the values of x_column and y_column; the others may hold anything, \
         such as a city or a note; see 'Loading your own data' in chapter 1",
    );
}

#[test]
fn load_csv_checks_the_x_value_of_a_row_before_its_y_value() {
    // two_bad_values.csv: `price_lakh,size_sqft`, and line 3 is
    // `nine,six hundred`: both values are bad, and x (size_sqft, column 2)
    // comes first, although it stands second in the file.
    let path = fixture("two_bad_values.csv");
    let what = "load_csv(\"two_bad_values.csv\", \"size_sqft\", \"price_lakh\")";
    let result = call(what, LOADING, || exercise_01::load_csv(&path, "size_sqft", "price_lakh"));
    check(
        matches!(&result, Err(LoadError::BadValue { line: 3, column: 2, name, value, .. })
            if name == "size_sqft" && value == "six hundred"),
        what,
        format!("{result:?}"),
        "Err(BadValue { line: 3, column: 2, name: \"size_sqft\", value: \"six hundred\", problem: NotANumber, .. })",
        "in a row, check the value of x_column before the value of y_column, wherever the two are in the file; \
         see 'Loading your own data' in chapter 1",
    );
}
