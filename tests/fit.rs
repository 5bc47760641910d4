//! `cargo workbook fit`, tried as a user would: a CSV file in, a summary or
//! JSON out, and a clear error with a non-zero exit code for bad input.

mod common;

use std::path::{Path, PathBuf};

use common::{json, stderr, workbook};

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("fit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const HOUSES: &str = "exercises/exercise-01/data/house_prices.csv";

#[test]
fn the_house_table_fits_the_least_squares_line() {
    let v = json(&workbook(&["--json", "fit", HOUSES]));
    // By hand: slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², intercept = ȳ − slope·x̄.
    let (x, y) = (support::data::HOUSE_SIZES, support::data::HOUSE_PRICES);
    let (mx, my) = (x.iter().sum::<f64>() / 7.0, y.iter().sum::<f64>() / 7.0);
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let slope = sxy / sxx;
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["coefficients", "intercept", "n", "r2", "residual_sd", "solver"]);
    assert!((v["coefficients"][0].as_f64().unwrap() - slope).abs() < 1e-15, "{v}");
    assert!((v["intercept"].as_f64().unwrap() - (my - slope * mx)).abs() < 1e-12, "{v}");
    assert_eq!(v["n"], 7);
    assert_eq!(v["solver"], "qr");
    assert!(v["r2"].as_f64().unwrap() > 0.96 && v["r2"].as_f64().unwrap() < 0.97);
}

#[test]
fn numbers_in_json_round_trip_exactly() {
    let out = workbook(&["--json", "fit", HOUSES]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let b = v["intercept"].as_f64().unwrap();
    // The printed text is the shortest that parses back to the same f64.
    assert!(text.contains(&format!("\"intercept\":{b:?}")), "{text}");
    assert_eq!(format!("{b:?}").parse::<f64>().unwrap(), b);
}

#[test]
fn target_column_and_no_intercept_are_honoured() {
    let path = scratch("two.csv", "y,a,b\n1,1,0\n2,0,1\n3,1,1\n4.5,2,1\n");
    let v = json(&workbook(&[
        "--json",
        "fit",
        path.to_str().unwrap(),
        "--target",
        "y",
        "--no-intercept",
    ]));
    assert_eq!(v["intercept"], serde_json::Value::Null);
    assert_eq!(v["coefficients"].as_array().unwrap().len(), 2);
    for solver in ["normal", "svd"] {
        let w = json(&workbook(&[
            "--json",
            "fit",
            path.to_str().unwrap(),
            "--target",
            "y",
            "--no-intercept",
            "--solver",
            solver,
        ]));
        assert_eq!(w["solver"], solver);
        for i in 0..2 {
            let (a, b) =
                (v["coefficients"][i].as_f64().unwrap(), w["coefficients"][i].as_f64().unwrap());
            assert!((a - b).abs() < 1e-12, "{solver}: {a} vs {b}");
        }
    }
}

/// Cells the fast reader hands to the course's parser: each error names the
/// line, the column and the value; odd but valid numbers are read.
#[test]
fn cells_the_fast_path_refuses_get_the_courses_messages() {
    let cases: [(&str, &[u8], &[&str]); 4] = [
        (
            "overflow.csv",
            b"x,y\n1,2\n2,1e400\n3,5\n",
            &["line 3", "column 2", "\"1e400\"", "not a finite number"],
        ),
        (
            "nan.csv",
            b"x,y\n1,2\nNaN,3\n3,5\n",
            &["line 3", "column 1", "\"NaN\"", "not a finite number"],
        ),
        ("empty.csv", b"x,y\n1,2\n2,\n3,5\n", &["line 3", "column 2"]),
        ("latin1.csv", b"x,y\n1,2\n2,3\xe9\n3,5\n", &["line 3", "column 2", "not UTF-8"]),
    ];
    for (name, bytes, expected) in cases {
        let path = scratch(name, "");
        std::fs::write(&path, bytes).unwrap();
        let out = workbook(&["fit", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        for part in expected {
            assert!(stderr(&out).contains(part), "{name}: {part:?} missing from: {}", stderr(&out));
        }
    }
    let path = scratch("odd.csv", "x,y\n +1 ,2\n2e0,3.\n.5,-0\n");
    let out = workbook(&["fit", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["n"], 3);
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_2() {
    let cases: [(&str, Option<&str>, &[&str]); 8] = [
        ("missing.csv", None, &["could not read", "missing.csv"]),
        // Lines count as in an editor, blank lines and Windows line ends included.
        ("blank.csv", Some("x,y\n1,2\n\n2,3\n3,oops\n"), &["line 5", "\"oops\""]),
        ("windows.csv", Some("x,y\r\n1,2\r\n2,3\r\n3,oops\r\n"), &["line 4", "\"oops\""]),
        ("ragged.csv", Some("x,y\n1,2\n\n2\n"), &["line 4"]),
        ("unknown.csv", Some("x,y\n1,2\n2,3\n3,5\n"), &["no column \"price\"", "x, y"]),
        (
            "text.csv",
            Some("x,y\n1,2\n2,three\n3,5\n"),
            &["line 3", "column 2", "\"three\"", "not a number"],
        ),
        ("few.csv", Some("a,b,y\n1,2,3\n"), &["1 rows but 3 columns"]),
        (
            "repeated.csv",
            Some("a,b,y\n1,1,2\n2,2,3\n3,3,5\n4,4,4\n"),
            &["column \"b\" = 1.000000 × column \"a\"", "remove that column"],
        ),
    ];
    for (name, text, expected) in cases {
        let path = match text {
            Some(t) => scratch(name, t),
            None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-dir").join(name),
        };
        let mut args = vec!["fit", path.to_str().unwrap()];
        if name == "unknown.csv" {
            args.extend(["--target", "price"]);
        }
        let out = workbook(&args);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        for part in expected {
            assert!(stderr(&out).contains(part), "{name}: {part:?} missing from: {}", stderr(&out));
        }
        assert!(!stderr(&out).contains("panicked"), "{name}: {}", stderr(&out));
    }
}

#[test]
fn fit_meets_the_nist_accuracy_bar_on_all_eleven_datasets() {
    // Each NIST StRD data set written as a CSV of its model's columns (the
    // powers of x for the polynomial ones), fitted from the command line,
    // and compared with NIST's certified values: the worst coefficient's
    // log relative error (digits) must reach the bar.
    use solution_06::nist::{self, Model};
    let mut table = Vec::new();
    for data in nist::load_all().unwrap() {
        let intercept = match data.model {
            Model::Polynomial { intercept, .. } | Model::Linear { intercept } => intercept,
        };
        let design = data.design_matrix();
        let first = usize::from(intercept);
        let mut csv = String::new();
        let names: Vec<String> = (first..design.ncols()).map(|j| format!("x{j}")).collect();
        csv.push_str(&format!("{},y\n", names.join(",")));
        for i in 0..data.len() {
            let row: Vec<String> =
                (first..design.ncols()).map(|j| format!("{:?}", design[(i, j)])).collect();
            csv.push_str(&format!("{},{:?}\n", row.join(","), data.y[i]));
        }
        let path = scratch(&format!("nist-{}.csv", data.name), &csv);
        let mut args = vec!["--json", "fit", path.to_str().unwrap()];
        if !intercept {
            args.push("--no-intercept");
        }
        let v = json(&workbook(&args));
        let mut estimates: Vec<f64> = Vec::new();
        if intercept {
            estimates.push(v["intercept"].as_f64().unwrap());
        }
        estimates.extend(v["coefficients"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()));
        let worst = estimates
            .iter()
            .zip(data.certified.iter())
            .map(|(e, c)| solution_06::log_relative_error(*e, *c))
            .fold(f64::INFINITY, f64::min);
        let bar = match data.name.as_str() {
            "Filip" => 7.0,
            "Wampler5" => 6.0,
            _ => 9.0,
        };
        table.push(format!("{}: {worst:.1} digits (bar {bar})", data.name));
        assert!(
            worst >= bar,
            "{} reaches only {worst:.1} digits:\n{}",
            data.name,
            table.join("\n")
        );
    }
    assert_eq!(table.len(), 11, "{table:?}");
}

#[test]
fn an_unknown_solver_is_refused_with_the_valid_ones_listed() {
    let out = workbook(&["fit", HOUSES, "--solver", "cholesky"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid value 'cholesky' for '--solver")
            && err.contains("[possible values: qr, normal, svd]"),
        "{err}"
    );
}
