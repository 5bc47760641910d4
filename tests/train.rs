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

/// Without `--json` no step is recorded (a mini-batch step's record costs a
/// pass over the data): the run must still end where the recorded run ends,
/// take as many steps, and save the same model.
#[test]
fn a_run_nobody_records_ends_where_the_recorded_run_ends() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("train-unrecorded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &[&str]); 3] = [
        ("linear", &["--batch-size", "16", "--scale", "--optimizer", "adam", "--lr", "0.1"]),
        ("sgd", &["--batch-size", "1", "--optimizer", "sgd", "--lr", "0.01", "--momentum", "0.5"]),
        (
            "network",
            &[
                "--batch-size",
                "16",
                "--hidden",
                "3",
                "--dropout",
                "0.2",
                "--scale",
                "--optimizer",
                "adam",
            ],
        ),
    ];
    for (name, flags) in cases {
        let recorded = dir.join(format!("{name}-recorded.json"));
        let unrecorded = dir.join(format!("{name}-unrecorded.json"));
        let mut args = vec!["train", DATA, "--epochs", "4", "--stop-below", "0", "--seed", "3"];
        args.extend_from_slice(flags);
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(&args);
        with_json.extend_from_slice(&["--save", recorded.to_str().unwrap()]);
        let v = json(&workbook(&with_json));
        let steps = v["steps"].as_array().unwrap().len();
        let mut without = args.clone();
        without.extend_from_slice(&["--save", unrecorded.to_str().unwrap()]);
        let text = String::from_utf8(workbook(&without).stdout).unwrap();
        assert!(
            text.contains(&format!("After {steps} optimizer steps")),
            "{name}: --json recorded {steps} steps, the plain run says:\n{text}"
        );
        let saved = |path: &PathBuf| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        // The recorded run's last step, as the model file lays it out: a
        // network's parameters, or the weights then the intercept.
        let last = v["steps"].as_array().unwrap().last().unwrap();
        let expected = if last["params"].is_array() {
            last["params"].clone()
        } else {
            let mut p = last["coefficients"].as_array().unwrap().clone();
            p.push(last["intercept"].clone());
            serde_json::Value::Array(p)
        };
        let (a, b) = (saved(&recorded), saved(&unrecorded));
        assert_eq!(
            b["parameters"], expected,
            "{name}: the saved parameters are not the last step's"
        );
        assert_eq!(a, b, "{name}: the saved models differ");
    }
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

/// The course's housing data (exercise 07) as a CSV file: four features on
/// very different scales, then the price.
fn housing_csv(name: &str, constant_column: bool) -> PathBuf {
    let (x, y) = solution_07::housing(solution_07::HOUSING_TRAIN_ROWS, solution_07::HOUSING_SEED);
    let mut text = solution_07::HOUSING_FEATURES.join(",");
    if constant_column {
        text.push_str(",garden");
    }
    text.push_str(",price\n");
    for (row, price) in x.row_iter().zip(y.iter()) {
        let mut cells: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        if constant_column {
            cells.push("1".to_string());
        }
        cells.push(format!("{price:?}"));
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The last step's parameters of a `train --json` run: [b, w₁, …].
fn last_parameters(v: &serde_json::Value) -> Vec<f64> {
    let last = v["steps"].as_array().unwrap().last().unwrap();
    let mut out = vec![last["intercept"].as_f64().unwrap()];
    out.extend(last["coefficients"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()));
    out
}

#[test]
fn scale_standardises_on_the_training_rows_and_reports_the_original_units() {
    let data = housing_csv("train-housing.csv", false);
    let data = data.to_str().unwrap();
    let args = ["--json", "train", data, "--optimizer", "sgd", "--lr", "0.5", "--epochs", "100"];
    let scaled = json(&workbook(&[&args[..], &["--scale", "--stop-below", "0"]].concat()));
    assert_eq!(scaled["outcome"], "max_epochs");
    // Exercise 06's QR answer on the raw features, [b, w₁, …, w₄].
    let (x, y) = solution_07::housing(solution_07::HOUSING_TRAIN_ROWS, solution_07::HOUSING_SEED);
    let best =
        solution_06::least_squares(&solution_06::add_intercept(&x), &y, solution_06::Solver::Qr)
            .unwrap()
            .coefficients;
    let got = last_parameters(&scaled);
    assert_eq!(got.len(), 5);
    for (g, b) in got.iter().zip(best.iter()) {
        assert!(relative(*g, *b) < 1e-8, "{got:?} differs from the least-squares answer {best:?}");
    }
    // The scaler is exercise 07's, fitted on the rows that train.
    let scaler = solution_07::Scaler::fit(&x).unwrap();
    let reported: Vec<f64> =
        scaled["scaling"]["mean"].as_array().unwrap().iter().map(|m| m.as_f64().unwrap()).collect();
    assert_eq!(reported, scaler.mean.as_slice());
    let reported: Vec<f64> = scaled["scaling"]["scale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_f64().unwrap())
        .collect();
    assert_eq!(reported, scaler.scale.as_slice());
    // The same flags on the raw features: the loss runs away.
    let raw = json(&workbook(&[&args[..], &["--stop-below", "0"]].concat()));
    assert_eq!(raw["outcome"], "diverged");
    assert!(raw.get("scaling").is_none(), "no scaling without --scale: {raw}");
}

#[test]
fn scale_handles_a_constant_feature_and_says_what_it_did() {
    let data = housing_csv("train-housing-garden.csv", true);
    let out = workbook(&[
        "train",
        data.to_str().unwrap(),
        "--optimizer",
        "adam",
        "--lr",
        "0.1",
        "--epochs",
        "300",
        "--scale",
        "--stop-below",
        "0",
        "--plot",
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("garden.svg").to_str().unwrap(),
    ]);
    let text = common::text(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("standardised"), "{text}");
    assert!(!text.contains("NaN"), "{text}");
    let v = json(&workbook(&[
        "--json",
        "train",
        data.to_str().unwrap(),
        "--optimizer",
        "sgd",
        "--lr",
        "0.5",
        "--epochs",
        "100",
        "--scale",
        "--stop-below",
        "0",
    ]));
    let params = last_parameters(&v);
    // Every house has a garden: the column is standardised to zeros, its
    // weight never moves from 0, and the other weights are the answer
    // without it.
    assert_eq!(params[5], 0.0, "{params:?}");
    assert!(params.iter().all(|p| p.is_finite()), "{params:?}");
    assert_eq!(v["scaling"]["scale"][4], 1.0);
}

#[test]
fn scale_without_an_intercept_is_refused_with_exit_code_2() {
    let out = workbook(&["train", DATA, "--optimizer", "sgd", "--scale", "--no-intercept"]);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("'--scale' cannot be used with '--no-intercept'"), "{err}");
    // A file with a NaN is refused before anything is scaled, its cell named.
    let nan = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("train-nan.csv");
    std::fs::write(&nan, "a,b,y\n1,2,3\n2,NaN,4\n3,1,5\n4,0,1\n").unwrap();
    let out = workbook(&["train", nan.to_str().unwrap(), "--optimizer", "sgd", "--scale"]);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("line 3, column 2 (b): \"NaN\""), "{err}");
}

/// The features and targets of the training CSV (`a,b,y`).
fn train_data() -> solution_05::Examples {
    let text = std::fs::read_to_string(root().join(DATA)).unwrap();
    let rows: Vec<Vec<f64>> =
        text.lines().skip(1).map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    solution_05::Examples {
        xs: rows.iter().map(|r| r[..2].to_vec()).collect(),
        y: rows.iter().map(|r| r[2]).collect(),
    }
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn a_hidden_layer_with_dropout_runs_exercise_08s_reference_solution() {
    let args = [
        "--json",
        "train",
        DATA,
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--hidden",
        "4",
        "--dropout",
        "0.3",
        "--batch-size",
        "8",
        "--epochs",
        "10",
        "--stop-below",
        "0",
        "--seed",
        "7",
    ];
    let ours = json(&workbook(&args));
    // The same run, through the reference solutions directly.
    let shape = solution_08::Shape { inputs: 2, hidden: 4 };
    let start = solution_08::init(shape, &mut solution_01::seeded_rng(7)).unwrap();
    let examples = train_data();
    let data = solution_05::FeatureSplit { train: examples.clone(), validation: examples.clone() };
    let settings = solution_05::Settings {
        epochs: 10,
        descent: solution_05::Descent::MiniBatch(8),
        seed: 7,
        stop_below: 0.0,
    };
    let config = solution_05::OptimizerConfig::Adam(solution_05::AdamConfig::new(0.05));
    let mut optimizer = solution_05::optimizer(&config).unwrap();
    let run = solution_08::train(
        &start,
        &data,
        solution_05::Criterion::Mse,
        optimizer.as_mut(),
        &settings,
        0.3,
        &mut std::io::sink(),
    )
    .unwrap();
    let network = &ours["network"];
    assert_eq!((network["inputs"].as_u64(), network["hidden"].as_u64()), (Some(2), Some(4)));
    assert_eq!(network["dropout"].as_f64(), Some(0.3));
    let close = |a: &[f64], b: &[f64]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| relative(*x, *y) <= 1e-15)
    };
    assert!(close(&numbers(&network["start"]), &start.params), "{network}");
    let steps = ours["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 50, "10 epochs of 5 batches of 8");
    let last = numbers(&steps[49]["params"]);
    assert!(close(&last, &run.network.params), "{last:?} vs {:?}", run.network.params);
    // Each step's loss is the whole file's, every unit on (no dropout).
    let first =
        solution_08::loss(&start, solution_05::Criterion::Mse, &examples.xs, &examples.y, None);
    assert!(relative(steps[0]["loss"].as_f64().unwrap(), first) <= 1e-15);
    assert!(steps[0]["intercept"].is_null() && steps[0]["coefficients"] == serde_json::json!([]));
    // Dropout changes the steps, not the start.
    let plain: Vec<&str> =
        args.iter().copied().filter(|a| *a != "--dropout" && *a != "0.3").collect();
    let without = json(&workbook(&plain));
    assert_eq!(without["network"]["dropout"].as_f64(), Some(0.0));
    assert_eq!(without["network"]["start"], network["start"]);
    assert_ne!(without["steps"][49]["params"], steps[49]["params"]);
}

#[test]
fn a_hidden_layer_prints_its_weights_and_learns_the_data() {
    let out = workbook(&[
        "train",
        DATA,
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--hidden",
        "3",
        "--epochs",
        "300",
        "--stop-below",
        "0",
        "--plot",
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("network-loss.svg").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("A network of 2 inputs, 3 hidden units (ReLU) and 1 output, dropout 0"),
        "{text}"
    );
    assert!(text.contains("W1[2]") && text.contains("b2"), "{text}");
    let losses = json(&workbook(&[
        "--json",
        "train",
        DATA,
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--hidden",
        "3",
        "--epochs",
        "300",
        "--stop-below",
        "0",
    ]));
    let steps = losses["steps"].as_array().unwrap();
    let (first, last) = (steps[0]["loss"].as_f64().unwrap(), steps[299]["loss"].as_f64().unwrap());
    assert!(last < 0.05 * first, "the loss fell from {first} to only {last}");
}

#[test]
fn bad_hidden_and_dropout_values_are_refused_with_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["--hidden", "0"], "at least one unit"),
        (&["--hidden", "x"], "not a number of hidden units"),
        (&["--hidden", "3", "--dropout", "1"], "invalid dropout probability 1"),
        (&["--hidden", "3", "--dropout=-0.1"], "at least 0 and below 1"),
        (&["--dropout", "0.5"], "--hidden"),
        (&["--hidden", "3", "--no-intercept"], "cannot be used with"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["train", DATA, "--optimizer", "sgd"];
        args.extend(extra);
        let out = workbook(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: expected {expected:?} in: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// `--scale` with `--hidden`: the network trains on the standardised
/// features, and `--json` gives both the network and the scaling it saw.
#[test]
fn a_network_trains_on_standardised_features_and_says_so() {
    let args = [
        "train",
        "exercises/exercise-01/data/house_prices.csv",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--hidden",
        "3",
        "--scale",
        "--epochs",
        "50",
        "--stop-below",
        "0",
    ];
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let out = workbook(&with_json);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mean = v["scaling"]["mean"][0].as_f64().unwrap();
    assert!((mean - 5800.0 / 7.0).abs() < 1e-9, "the mean size of the seven houses: {v}");
    assert!(v["network"].is_object(), "{v}");
    let losses: Vec<f64> =
        v["steps"].as_array().unwrap().iter().map(|s| s["loss"].as_f64().unwrap()).collect();
    assert!(losses[losses.len() - 1] < losses[0] / 10.0, "the loss falls: {losses:?}");
    let text = common::text(&workbook(&args));
    assert!(text.contains("act on the standardised features"), "{text}");
}
