//! `cargo workbook train`, tried as a user would, and checked against
//! PyTorch: tests/fixtures/train-torch.json holds torch.optim's float64
//! trajectories for the same flags on tests/fixtures/train-data.csv (made by
//! scripts/torch-train-reference.py).

mod common;

use std::path::PathBuf;

use common::{json, root, workbook};

const DATA: &str = "tests/fixtures/train-data.csv";

/// Relative difference, with numbers that are both zero equal.
fn relative(a: f64, b: f64) -> f64 {
    if a == b { 0.0 } else { (a - b).abs() / a.abs().max(b.abs()) }
}

#[test]
fn every_step_matches_pytorch_float64_to_1e_12() {
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/train-torch.json")).unwrap(),
    )
    .unwrap();
    let epochs = fixture["epochs"].to_string();
    for case in fixture["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut args = vec!["--json", "train", DATA, "--epochs", &epochs, "--stop-below", "0"];
        let extra: Vec<&str> =
            case["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        args.extend(&extra);
        let ours = json(&workbook(&args));
        let theirs = case["steps"].as_array().unwrap();
        let mine = ours["steps"].as_array().unwrap();
        assert_eq!(mine.len(), theirs.len(), "{name}: number of steps");
        assert_eq!(ours["outcome"], "max_epochs", "{name}");
        let mut worst = 0.0f64;
        for (a, b) in mine.iter().zip(theirs) {
            assert_eq!(a["step"], b["step"]);
            assert_eq!(
                a["intercept"].is_null(),
                b["intercept"].is_null(),
                "{name}: intercept or not"
            );
            let mut pairs = vec![(a["loss"].as_f64().unwrap(), b["loss"].as_f64().unwrap())];
            if let (Some(x), Some(y)) = (a["intercept"].as_f64(), b["intercept"].as_f64()) {
                pairs.push((x, y));
            }
            for (x, y) in a["coefficients"]
                .as_array()
                .unwrap()
                .iter()
                .zip(b["coefficients"].as_array().unwrap())
            {
                pairs.push((x.as_f64().unwrap(), y.as_f64().unwrap()));
            }
            for (x, y) in pairs {
                worst = worst.max(relative(x, y));
            }
        }
        assert!(
            worst < 1e-12,
            "{name}: the trajectory differs from PyTorch's by {worst:e} relative"
        );
    }
}

#[test]
fn mini_batches_take_one_step_per_batch_and_the_rule_can_stop_early() {
    // 40 rows in batches of 16: 3 steps per epoch, the last batch of 8 kept.
    let v = json(&workbook(&[
        "--json",
        "train",
        DATA,
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--epochs",
        "5",
        "--batch-size",
        "16",
        "--stop-below",
        "0",
    ]));
    assert_eq!(v["steps"].as_array().unwrap().len(), 15);
    let v = json(&workbook(&[
        "--json",
        "train",
        DATA,
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--epochs",
        "500",
        "--stop-below",
        "0.05",
    ]));
    assert_eq!(v["outcome"], "converged", "the noise's loss is about 0.01, so 0.05 is reached");
    assert!(v["steps"].as_array().unwrap().len() < 500);
}

#[test]
fn too_large_a_learning_rate_is_reported_as_diverged() {
    let out = workbook(&[
        "--json",
        "train",
        DATA,
        "--optimizer",
        "sgd",
        "--lr",
        "5",
        "--epochs",
        "200",
        "--stop-below",
        "0",
    ]);
    let v = json(&out);
    assert_eq!(v["outcome"], "diverged");
    let text = workbook(&[
        "train",
        DATA,
        "--optimizer",
        "sgd",
        "--lr",
        "5",
        "--epochs",
        "200",
        "--plot",
        "/dev/null/x.svg",
    ]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("try a smaller --lr"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn json_numbers_round_trip() {
    let out = workbook(&[
        "--json",
        "train",
        DATA,
        "--optimizer",
        "adamw",
        "--lr",
        "0.1",
        "--epochs",
        "3",
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let loss = v["steps"][2]["loss"].as_f64().unwrap();
    assert!(text.contains(&format!("\"loss\":{loss:?}")), "{text}");
}

#[test]
fn bad_settings_and_bad_files_are_clear_errors_with_exit_code_2() {
    let few = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("train-few.csv");
    std::fs::write(&few, "a,b,y\n1,2,3\n").unwrap();
    let text = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("train-text.csv");
    std::fs::write(&text, "a,y\n1,2\nx,3\n").unwrap();
    let cases: [(Vec<&str>, &str); 6] = [
        (vec!["train", DATA, "--optimizer", "sgd", "--lr=-1"], "learning rate"),
        (vec!["train", DATA, "--optimizer", "sgd", "--nesterov"], "nesterov"),
        (vec!["train", DATA, "--optimizer", "adam", "--betas", "1.5,0.9"], "beta"),
        (vec!["train", DATA, "--optimizer", "sgd", "--target", "price"], "no column \"price\""),
        (
            vec!["train", few.to_str().unwrap(), "--optimizer", "sgd"],
            "1 rows but the model has 3 parameters",
        ),
        (
            vec!["train", text.to_str().unwrap(), "--optimizer", "sgd"],
            "line 3, column 1 (a): \"x\"",
        ),
    ];
    for (args, expected) in cases {
        let out = workbook(&args);
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&expected.to_lowercase()),
            "{args:?}: expected {expected:?} in: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn an_unknown_option_value_is_refused_with_the_valid_ones_listed() {
    let cases: [(&str, &str, &str); 3] = [
        ("--optimizer", "rmsprop", "sgd, adam, adamw"),
        ("--loss", "mae", "mse, half-mse"),
        ("--init", "ones", "zeros, random"),
    ];
    for (flag, value, valid) in cases {
        let mut args = vec!["train", DATA, flag, value];
        if flag != "--optimizer" {
            args.extend(["--optimizer", "sgd"]);
        }
        let out = workbook(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("invalid value '{value}' for '{flag}"))
                && err.contains(&format!("[possible values: {valid}]")),
            "{args:?}: expected the valid values {valid} in: {err}"
        );
    }
}
