//! The reference solver against NIST's certified values.
//!
//! `cargo workbook fit` and the book's accuracy table rely on these: the
//! bundled NIST files are read correctly (the same numbers as
//! `data/nist/certified.json`), every data set is fitted to the accuracy the
//! course promises, and a malformed file is a clear error, not a panic.

use std::collections::BTreeMap;

use nalgebra::DVector;
use serde_json::Value;
use solution_06::accuracy::{self, required_digits, worst_digits};
use solution_06::nist::{self, Model, NistError};
use solution_06::{FitError, Solver, least_squares};

const CERTIFIED_JSON: &str = include_str!("../data/nist/certified.json");

fn certified_json() -> BTreeMap<String, Value> {
    serde_json::from_str(CERTIFIED_JSON).expect("certified.json is valid JSON")
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").parse().expect("a number"))
        .collect()
}

#[test]
fn all_eleven_data_sets_are_bundled_in_nists_order() {
    let names: Vec<&str> = nist::names().collect();
    assert_eq!(
        names,
        [
            "Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley", "Wampler1", "Wampler2",
            "Wampler3", "Wampler4", "Wampler5"
        ]
    );
    let json = certified_json();
    assert_eq!(json.len(), 11);
    for name in names {
        assert!(json.contains_key(name), "{name} is missing from certified.json");
    }
}

#[test]
fn the_parser_reads_what_certified_json_says() {
    for (name, entry) in certified_json() {
        let data = nist::load_bundled(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(data.name, name);
        assert_eq!(data.len() as u64, entry["n"].as_u64().unwrap(), "{name}: n");
        assert_eq!(data.certified.len() as u64, entry["p"].as_u64().unwrap(), "{name}: p");
        assert_eq!(
            data.certified,
            DVector::from_vec(numbers(&entry["beta"])),
            "{name}: certified coefficients"
        );
        assert_eq!(
            data.certified_sd,
            DVector::from_vec(numbers(&entry["beta_sd"])),
            "{name}: certified standard deviations"
        );
        let kind = entry["model"][0].as_str().unwrap();
        let size = entry["model"][1].as_u64().unwrap() as usize;
        let expected = match kind {
            "poly" => Model::Polynomial { degree: size, intercept: true },
            "noint" => Model::Polynomial { degree: size, intercept: false },
            "multi" => Model::Linear { intercept: true },
            other => panic!("{name}: unknown model kind {other}"),
        };
        assert_eq!(data.model, expected, "{name}: model");
        let columns = entry["data_columns"].as_array().unwrap().len();
        assert_eq!(data.x.ncols() + 1, columns, "{name}: data columns");
        let design = data.design_matrix();
        assert_eq!(design.shape(), (data.len(), data.certified.len()), "{name}: design matrix");
    }
}

#[test]
fn the_first_and_last_observations_are_read_exactly() {
    let norris = nist::load_bundled("Norris").unwrap();
    assert_eq!((norris.y[0], norris.x[(0, 0)]), (0.1, 0.2));
    assert_eq!((norris.y[35], norris.x[(35, 0)]), (0.2, 0.5));
    let longley = nist::load_bundled("longley").unwrap();
    assert_eq!(longley.y[0], 60323.0);
    assert_eq!(
        longley.x.row(0).iter().copied().collect::<Vec<_>>(),
        [83.0, 234289.0, 2356.0, 1590.0, 107608.0, 1947.0]
    );
    assert_eq!(longley.difficulty, "Higher");
}

// ANCHOR: bar
#[test]
fn the_default_solver_meets_the_accuracy_bar_on_every_data_set() {
    let mut report = String::new();
    let mut failed = false;
    for data in nist::load_all().unwrap() {
        let x = data.design_matrix();
        let fit = least_squares(&x, &data.y, Solver::default())
            .unwrap_or_else(|e| panic!("{}: {e}", data.name));
        let digits = worst_digits(&fit.coefficients, &data.certified);
        let required = required_digits(&data.name);
        report.push_str(&format!("{:>9}: {digits:4.1} digits (at least {required})\n", data.name));
        failed |= digits < required;
    }
    assert!(!failed, "the default solver missed the bar:\n{report}");
}
// ANCHOR_END: bar

#[test]
fn the_accuracy_table_shows_why_qr_is_the_default() {
    let rows = accuracy::table().unwrap();
    assert_eq!(rows.len(), 11);
    for row in &rows {
        assert!(row.refined >= row.required, "{row:?}");
    }
    let filip = rows.iter().find(|r| r.name == "Filip").unwrap();
    // The danger the chapter shows: Cholesky of XᵀX "succeeds" on Filip with
    // no correct digit, and only the condition number gives it away.
    assert!(filip.cholesky.is_some_and(|d| d < 2.0), "{filip:?}");
    assert!(filip.normal_refused, "{filip:?}");
    assert!(filip.condition > 1e9, "{filip:?}");
    // The explicit inverse loses digits that a solve keeps.
    let wampler1 = rows.iter().find(|r| r.name == "Wampler1").unwrap();
    assert!(wampler1.inverse.unwrap() + 2.0 < wampler1.cholesky.unwrap(), "{wampler1:?}");
    // Only Filip is refused by the normal equations.
    let refused: Vec<&str> =
        rows.iter().filter(|r| r.normal_refused).map(|r| r.name.as_str()).collect();
    assert_eq!(refused, ["Filip"]);
    let table = accuracy::markdown(&rows);
    assert_eq!(table.lines().filter(|l| l.starts_with("| ")).count(), 12, "{table}");
}

#[test]
fn the_normal_solver_refuses_filip_with_its_condition_number() {
    let filip = nist::load_bundled("Filip").unwrap();
    match least_squares(&filip.design_matrix(), &filip.y, Solver::Normal) {
        Err(FitError::IllConditioned { solver, condition }) => {
            assert_eq!(solver, Solver::Normal);
            assert!(condition > 1e9 && condition < 1e11, "{condition}");
        }
        other => panic!("expected IllConditioned, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Malformed files

fn norris_text() -> String {
    nist::BUNDLED[0].1.to_string()
}

/// Norris with line `number` (counting from 1) replaced.
fn norris_with_line(number: usize, replacement: &str) -> String {
    norris_text()
        .lines()
        .enumerate()
        .map(|(i, line)| if i + 1 == number { replacement } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_missing_file_is_an_error_that_names_it() {
    let path = std::path::Path::new("no/such/dir/Nothing.dat");
    let error = nist::load(path).unwrap_err();
    assert!(matches!(error, NistError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("no/such/dir/Nothing.dat"), "{error}");
}

#[test]
fn a_file_loads_from_disk_under_its_own_name() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/nist/NoInt2.dat");
    let data = nist::load(&path).unwrap();
    assert_eq!(data.name, "NoInt2");
    assert_eq!(data, nist::load_bundled("NoInt2").unwrap());
}

#[test]
fn an_unknown_bundled_name_lists_the_known_ones() {
    let error = nist::load_bundled("Wampler6").unwrap_err();
    assert_eq!(error, NistError::UnknownDataset { name: "Wampler6".into() });
    assert!(error.to_string().contains("Wampler1 to Wampler5"), "{error}");
}

#[test]
fn a_file_without_the_line_ranges_is_not_a_nist_file() {
    let error = nist::parse("x", "y x\n1 2\n").unwrap_err();
    assert!(
        matches!(error, NistError::MissingHeader { what: "Certified Values", .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("Certified Values (lines"), "{error}");
}

#[test]
fn a_line_range_beyond_the_end_of_the_file_is_an_error() {
    let text = norris_text()
        .replace("Data              (lines 61 to 96)", "Data              (lines 61 to 960)");
    let error = nist::parse("Norris", &text).unwrap_err();
    assert!(matches!(error, NistError::BadLineRange { line: 6, .. }), "{error:?}");
    assert!(error.to_string().contains("line 6"), "{error}");
}

#[test]
fn a_bad_number_names_its_line_and_text() {
    let text = norris_with_line(63, "         118.1      11x.2");
    let error = nist::parse("Norris", &text).unwrap_err();
    assert_eq!(error, NistError::BadNumber { line: 63, text: "11x.2".into() });
    assert!(
        error.to_string().contains("line 63") && error.to_string().contains("11x.2"),
        "{error}"
    );
}

#[test]
fn a_missing_value_names_its_line_and_the_count() {
    let text = norris_with_line(70, "         778.9");
    let error = nist::parse("Norris", &text).unwrap_err();
    assert_eq!(error, NistError::WrongFieldCount { line: 70, found: 1, expected: 2 });
    assert!(error.to_string().contains("line 70 has 1 fields, but 2"), "{error}");
}

#[test]
fn certified_values_without_parameters_are_an_error() {
    let text = norris_with_line(31, "")
        .replace("        B1         1.00211681802045      0.429796848199937E-03", "");
    let error = nist::parse("Norris", &text).unwrap_err();
    assert_eq!(error, NistError::NoCertifiedValues { first: 31, last: 46 });
    assert!(error.to_string().contains("lines 31 to 46"), "{error}");
}

#[test]
fn parameters_with_a_gap_are_an_unknown_model() {
    let text =
        norris_with_line(32, "        B2         1.00211681802045      0.429796848199937E-03");
    let error = nist::parse("Norris", &text).unwrap_err();
    assert!(matches!(error, NistError::UnknownModel { predictors: 1, .. }), "{error:?}");
    assert!(error.to_string().contains("B0, B2"), "{error}");
}

#[test]
fn a_wrong_number_of_observations_is_an_error() {
    let text = norris_text().replace("36 Observations", "37 Observations");
    let error = nist::parse("Norris", &text).unwrap_err();
    assert_eq!(error, NistError::ObservationCount { declared: 37, found: 36 });
    assert!(error.to_string().contains("37 observations"), "{error}");
}
