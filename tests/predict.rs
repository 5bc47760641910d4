//! `fit --save`, `train --save` and `cargo workbook predict`, tried as a user
//! would: a model saved, read back, and used on new data whose columns come
//! in another order; and every bad input refused with a clear error and exit
//! code 2.

mod common;

use std::path::PathBuf;

use common::{json, stderr, text, workbook};

/// A scratch folder of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("predict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(name: &str, text: &str) -> String {
    let path = scratch(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The course's housing data (exercise 07) as a CSV file.
fn housing_csv(name: &str) -> String {
    let (x, y) = solution_07::housing(solution_07::HOUSING_TRAIN_ROWS, solution_07::HOUSING_SEED);
    let mut text = solution_07::HOUSING_FEATURES.join(",") + ",price\n";
    for (row, price) in x.row_iter().zip(y.iter()) {
        let cells: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        text.push_str(&format!("{},{price:?}\n", cells.join(",")));
    }
    write(name, &text)
}

/// New houses, their columns in another order than the training file's,
/// with a column the model does not know.
const NEW_HOUSES: &str = "distance_km,id,age_years,bedrooms,size_sqft\n\
                          3.5,a17,12,3,1800\n\
                          20,b2,40,2,950\n\
                          0.5,c9,1,5,3400\n";
/// The same houses in the model's order.
const NEW_ROWS: [[f64; 4]; 3] =
    [[1800.0, 3.0, 12.0, 3.5], [950.0, 2.0, 40.0, 20.0], [3400.0, 5.0, 1.0, 0.5]];

fn saved(path: &str) -> solution_09::ModelFile {
    solution_09::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `predict`'s CSV output: its header and the predictions column.
fn predictions(out: &std::process::Output) -> (Vec<String>, Vec<f64>) {
    assert!(out.status.success(), "{}", text(out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let last = header.len() - 1;
    let values = reader.records().map(|r| r.unwrap()[last].parse().unwrap()).collect();
    (header, values)
}

#[test]
fn fit_save_then_predict_gives_the_fitted_equation_by_column_name() {
    let data = housing_csv("fit.csv");
    let model = scratch("fit.json");
    let model = model.to_str().unwrap();
    let v = json(&workbook(&["--json", "fit", &data, "--save", model]));
    let b = v["intercept"].as_f64().unwrap();
    let w: Vec<f64> =
        v["coefficients"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()).collect();
    let m = saved(model);
    assert_eq!(m.features, solution_07::HOUSING_FEATURES);
    assert_eq!(m.target, "price");
    assert_eq!(m.kind, solution_09::Kind::Linear);
    // The weights then the bias, every bit as fit printed them.
    let expected: Vec<f64> = w.iter().copied().chain([b]).collect();
    assert_eq!(m.parameters, expected);
    assert_eq!(m.training.epochs, 0);
    assert_eq!(m.training.optimizer, "least squares (qr)");
    assert_eq!(m.training.data_sha256.len(), 64);

    let new = write("new.csv", NEW_HOUSES);
    let out = workbook(&["predict", model, &new]);
    assert!(
        stderr(&out).contains("Ignored the columns that are not features: id"),
        "{}",
        text(&out)
    );
    let (header, got) = predictions(&out);
    assert_eq!(
        header,
        ["distance_km", "id", "age_years", "bedrooms", "size_sqft", "predicted_price"]
    );
    for (row, got) in NEW_ROWS.iter().zip(&got) {
        let by_hand: f64 = row.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() + b;
        assert!((got - by_hand).abs() <= 1e-12 * by_hand.abs(), "{got} vs {by_hand}");
    }
}

#[test]
fn train_save_keeps_a_linear_model_in_the_original_units() {
    let data = housing_csv("linear.csv");
    let model = scratch("linear.json");
    let model = model.to_str().unwrap();
    let plot = scratch("linear.svg");
    let v = json(&workbook(&[
        "--json",
        "train",
        &data,
        "--optimizer",
        "adam",
        "--lr",
        "0.5",
        "--epochs",
        "200",
        "--scale",
        "--save",
        model,
        "--plot",
        plot.to_str().unwrap(),
    ]));
    let last = v["steps"].as_array().unwrap().last().unwrap();
    let mut expected: Vec<f64> =
        last["coefficients"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()).collect();
    expected.push(last["intercept"].as_f64().unwrap());
    let m = saved(model);
    assert_eq!(m.parameters, expected, "the last step's weights, then its bias");
    assert_eq!(m.scaler, None, "the steps are in the original units: no scaler to apply");
    assert!(m.training.optimizer.contains("Adam"), "{:?}", m.training);
    assert_eq!(m.training.epochs, 200);
    // The loss of the saved model on the training rows, below the start's.
    let first = v["steps"][0]["loss"].as_f64().unwrap();
    assert!(m.training.loss > 0.0 && m.training.loss < first / 10.0, "{:?}", m.training);
}

#[test]
fn train_save_of_a_network_keeps_its_scaler_and_predicts_as_exercise_08() {
    let data = housing_csv("network.csv");
    let model = scratch("network.json");
    let model = model.to_str().unwrap();
    let plot = scratch("network.svg");
    let v = json(&workbook(&[
        "--json",
        "train",
        &data,
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--epochs",
        "50",
        "--scale",
        "--hidden",
        "3",
        "--save",
        model,
        "--plot",
        plot.to_str().unwrap(),
    ]));
    let numbers = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array().unwrap().iter().map(|c| c.as_f64().unwrap()).collect()
    };
    let params = numbers(&v["steps"].as_array().unwrap().last().unwrap()["params"]);
    let (mean, scale) = (numbers(&v["scaling"]["mean"]), numbers(&v["scaling"]["scale"]));
    let m = saved(model);
    assert_eq!(m.kind, solution_09::Kind::Hidden { units: 3 });
    assert_eq!(m.parameters, params);
    assert_eq!(
        m.scaler,
        Some(solution_09::Standardisation { mean: mean.clone(), scale: scale.clone() })
    );

    let new = write("new-network.csv", NEW_HOUSES);
    let (_, got) = predictions(&workbook(&["predict", model, &new]));
    let network =
        solution_08::Network { shape: solution_08::Shape { inputs: 4, hidden: 3 }, params };
    for (row, got) in NEW_ROWS.iter().zip(&got) {
        let x: Vec<f64> = (0..4).map(|j| (row[j] - mean[j]) / scale[j]).collect();
        let expected = solution_08::forward_example(&network, &x, None).output;
        assert_eq!(*got, expected, "exercise 08's forward pass on the standardised house");
    }
}

#[test]
fn predict_out_writes_the_rows_with_their_predictions() {
    let model = write("out-model.json", &linear_model_json());
    let new = write("out-new.csv", "note,size_sqft\nsmall,500\nlarge,1000\n");
    let out_path = scratch("out.csv");
    let out = workbook(&["predict", &model, &new, "--out", out_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("2 predictions (predicted_price) written to"), "{}", text(&out));
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(written, "note,size_sqft,predicted_price\nsmall,500,15.0\nlarge,1000,25.0\n");
}

/// price = 0.02·size + 5.
fn linear_model_json() -> String {
    let model = solution_09::ModelFile {
        format_version: solution_09::FORMAT_VERSION,
        kind: solution_09::Kind::Linear,
        features: vec!["size_sqft".to_string()],
        target: "price".to_string(),
        parameters: vec![0.02, 5.0],
        scaler: None,
        training: solution_09::Training {
            optimizer: "by hand".to_string(),
            epochs: 0,
            loss: 0.0,
            data_sha256: String::new(),
        },
    };
    solution_09::to_json(&model).unwrap()
}

/// Runs `predict` on files that must be refused: exit code 2, an error that
/// says each of `says`, and nothing on the standard output.
fn refused(model: &str, data: &str, says: &[&str]) {
    let out_path = scratch("refused.csv");
    let _ = std::fs::remove_file(&out_path);
    let out = workbook(&["predict", model, data, "--out", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    for part in says {
        assert!(stderr(&out).contains(part), "expected {part:?} in:\n{}", text(&out));
    }
    assert!(!out_path.exists(), "a refused run writes no output file");
}

#[test]
fn a_bad_row_is_refused_with_its_line() {
    let model = write("bad-row-model.json", &linear_model_json());
    let data = write("bad-row.csv", "size_sqft,note\n500,ok\n\n600x,typo\n");
    refused(
        &model,
        &data,
        &["bad-row.csv, line 4, column 1 (size_sqft): \"600x\" is not a number"],
    );
    let short = write("short-row.csv", "size_sqft,note\n500,ok\n600\n");
    refused(
        &model,
        &short,
        &["short-row.csv, line 3", "header names 2 columns but this row has 1"],
    );
    // Text in a column the model ignores is fine.
    let text_ok = write("text-ok.csv", "size_sqft,note\n500,not a number\n");
    let (_, got) = predictions(&workbook(&["predict", &model, &text_ok]));
    assert_eq!(got, [15.0]);
}

#[test]
fn a_missing_column_is_refused_with_its_name() {
    let model = write("missing-model.json", &linear_model_json());
    let data = write("missing.csv", "size,price\n500,15\n");
    refused(
        &model,
        &data,
        &["the model needs the feature \"size_sqft\"", "its columns: size, price"],
    );
}

#[test]
fn a_damaged_newer_or_edited_model_file_is_refused() {
    let data = write("any.csv", "size_sqft\n500\n");
    let good = linear_model_json();
    let newer =
        write("newer.json", &good.replace("\"format_version\": 1", "\"format_version\": 2"));
    refused(&newer, &data, &["format version 2", "update this program"]);
    let edited = write(
        "edited.json",
        &good.replace("\"parameters\": [\n    0.02,\n", "\"parameters\": [\n"),
    );
    refused(
        &edited,
        &data,
        &["the model has 1 parameters, but a linear model of 1 features has 2"],
    );
    let unknown =
        write("unknown.json", &good.replace("\"target\"", "\"comment\": \"x\",\n  \"target\""));
    refused(&unknown, &data, &["unknown field `comment`"]);
    let cut = write("cut.json", &good[..good.len() / 2]);
    refused(&cut, &data, &["cut.json", "not JSON"]);
    let nowhere = scratch("nowhere.json");
    refused(nowhere.to_str().unwrap(), &data, &["could not read the model file"]);
}

#[test]
fn a_diverged_run_is_not_saved() {
    let data = housing_csv("diverge.csv");
    let model = scratch("diverged.json");
    let plot = scratch("diverged.svg");
    let out = workbook(&[
        "train",
        &data,
        "--optimizer",
        "sgd",
        "--lr",
        "1",
        "--epochs",
        "20",
        "--save",
        model.to_str().unwrap(),
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(stderr(&out).contains("a model that diverged is not saved"), "{}", text(&out));
    assert!(!model.exists());
}
