//! The tests of exercise 09, "Saving, loading, predicting".
//!
//! Run them with `cargo test -p exercise-09`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter 9
//! to read. Start with the first failing test: the functions build on each
//! other in the order of `src/lib.rs`.
//!
//! Two kinds of tests:
//! - known values: small models worked by hand, and files edited the way a
//!   person or another program edits them (a newer version, a field lost or
//!   added, a parameter too many, a number that is not finite);
//! - properties that must hold for any numbers (checked on 64 random cases
//!   each, always the same ones): every f64 of a random model survives the
//!   trip through JSON bit for bit, and the columns of new data may come in
//!   any order.
//!
//! You never need to edit this file.

use exercise_09::{
    Columns, FORMAT_VERSION, Kind, ModelFile, ModelFileError, PredictError, Standardisation,
    Training,
};
use proptest::prelude::*;
use support::{call, check, check_error, explain, fail};

// ---------------------------------------------------------------------------
// The hints
// ---------------------------------------------------------------------------

const PARAMETER_COUNT: &str = "a linear model of d features has d + 1 parameters, a network exercise 08's h·d + h + h + 1 (see 'The model file' in chapter 9)";
const CHECK: &str = "check returns the first problem in the order of its doc comment: version, features, hidden units, parameter count, scaler length, non-finite numbers, scales (see 'Checking a model' in chapter 9)";
const TO_JSON: &str = "to_json checks the model, then returns serde_json::to_string_pretty(model)? (see 'Saving' in chapter 9)";
const FROM_JSON: &str = "from_json: serde_json::from_str into a serde_json::Value (NotJson), the version read from the value (UnknownVersion for 0, NewerVersion above FORMAT_VERSION), serde_json::from_value into a ModelFile (Fields), then check (see 'Loading' in chapter 9)";
const MATCH_COLUMNS: &str = "match_columns looks up every feature's name in the header, in the model's order, and lists the header's other columns as ignored (see 'Predicting by name' in chapter 9)";
const PREDICT_ONE: &str = "predict_one standardises the values with the scaler if there is one, then applies the linear model (weights, then the bias last) or exercise 08's forward_example (see 'Predicting by name' in chapter 9)";
const PREDICT_ROWS: &str = "predict_rows matches the columns, then for every row checks its length, picks the features' values by position, refuses a non-finite one and calls predict_one (see 'Predicting by name' in chapter 9)";
const ROUND_TRIP: &str = "a model read back must be the very model written, every f64 to the last bit: serde_json writes the shortest decimal that reads back exactly (see 'Saving' in chapter 9)";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-09/misconceptions/) checks that each is caught by a
// test whose message contains its hint.
const LINEAR_WITHOUT_BIAS: &str = "the bias is a parameter too: a linear model of d features has d + 1, not d (see 'The model file' in chapter 9)";
const ACCEPTS_NEWER: &str = "a file of a newer format version must be refused: a newer program may have changed what its fields mean (see 'Versions' in chapter 9)";
const ACCEPTS_VERSION_ZERO: &str = "versions start at 1: a file that says format_version 0 was written by no program (made or edited by hand) and must be refused, before its fields are read (see 'Versions' in chapter 9)";
const VERSION_AFTER_FIELDS: &str = "read the version before the fields: a newer file may have fields this program does not know, and the advice is to update the program, not an \"unknown field\" (see 'Versions' in chapter 9)";
const COUNT_NOT_CHECKED: &str = "compare the number of parameters with parameter_count(kind, features): a file with one too many or too few would predict with the wrong numbers (see 'Checking a model' in chapter 9)";
const NAN_ONLY: &str = "is_finite refuses NaN and both infinities; is_nan lets infinity through (see 'Checking a model' in chapter 9)";
const SAVES_UNCHECKED: &str = "to_json must check the model first: serde_json writes NaN and infinity as null, a file that cannot be loaded back (see 'Saving' in chapter 9)";
const ROUNDED: &str = "never round what you save ({:.6} and the like): the model read back predicts differently; serde_json writes each f64 in full (see 'Saving' in chapter 9)";
const LOADS_UNCHECKED: &str = "from_json must end with check(&model)?: a file is never trusted, whoever wrote it (see 'Loading' in chapter 9)";
const TRUSTS_ORDER: &str = "match the columns by name, never by position: new data may have the same columns in another order (see 'Predicting by name' in chapter 9)";
const EXTRAS_NOT_LISTED: &str = "columns that are not features are ignored, but listed in `ignored`, so that the user sees what was left out (see 'Predicting by name' in chapter 9)";
const FORGETS_SCALER: &str = "a model trained on standardised features predicts from standardised features: apply the saved scaler before the parameters (see 'Predicting by name' in chapter 9)";
const SCALER_MULTIPLIES: &str = "standardising divides by the scale: (x − mean) / scale, not (x − mean) · scale (see 'Predicting by name' in chapter 9)";
const BIAS_FIRST: &str = "the linear parameters are the weights then the bias, as nn.Linear lists them: the bias is the last parameter, not the first (see 'The model file' in chapter 9)";
const ROW_LENGTH: &str = "a row with fewer or more values than the header has columns is an error: its values no longer line up with the names (see 'Predicting by name' in chapter 9)";
const SCALER_LENGTH: &str = "a scaler needs one mean and one scale per feature: check both lengths (see 'Checking a model' in chapter 9)";

// ---------------------------------------------------------------------------
// The models of the tests
// ---------------------------------------------------------------------------

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn training() -> Training {
    Training {
        optimizer: "adam, learning rate 0.01".to_string(),
        epochs: 500,
        loss: 24.75,
        data_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_string(),
    }
}

/// price = 0.03·size + 6·bedrooms + 40, raw features.
fn linear() -> ModelFile {
    ModelFile {
        format_version: FORMAT_VERSION,
        kind: Kind::Linear,
        features: names(&["size_sqft", "bedrooms"]),
        target: "price".to_string(),
        parameters: vec![0.03, 6.0, 40.0],
        scaler: None,
        training: training(),
    }
}

/// price = 30·size' + 4·bedrooms' + 100 on standardised features.
fn scaled_linear() -> ModelFile {
    ModelFile {
        parameters: vec![30.0, 4.0, 100.0],
        scaler: Some(Standardisation { mean: vec![2000.0, 3.0], scale: vec![500.0, 0.5] }),
        ..linear()
    }
}

/// Exercise 08's network with 3 hidden units, on standardised features.
fn network() -> ModelFile {
    ModelFile {
        kind: Kind::Hidden { units: 3 },
        // W₁ (3 × 2) row by row, b₁, W₂, b₂: 3·2 + 3 + 3 + 1 = 13.
        parameters: vec![0.5, -0.25, 1.0, 0.75, -0.5, 0.125, 0.1, -0.2, 0.3, 2.0, -1.5, 0.5, 10.0],
        ..scaled_linear()
    }
}

fn show(model: &ModelFile) -> String {
    format!("{model:?}")
}

fn learner_json(model: &ModelFile) -> String {
    let text = format!("to_json(&{})", show(model));
    let got = call(&text, TO_JSON, || exercise_09::to_json(model));
    match got {
        Ok(json) => json,
        Err(e) => fail(&text, format!("Err({e:?})"), "Ok(the JSON text)", TO_JSON),
    }
}

fn reference_json(model: &ModelFile) -> String {
    reference::to_json(&to_reference(model)).unwrap()
}

/// The same model as the reference solution's type (via JSON, which the
/// reference writes and reads).
fn to_reference(model: &ModelFile) -> reference::ModelFile {
    reference::ModelFile {
        format_version: model.format_version,
        kind: match model.kind {
            Kind::Linear => reference::Kind::Linear,
            Kind::Hidden { units } => reference::Kind::Hidden { units },
        },
        features: model.features.clone(),
        target: model.target.clone(),
        parameters: model.parameters.clone(),
        scaler: model
            .scaler
            .as_ref()
            .map(|s| reference::Standardisation { mean: s.mean.clone(), scale: s.scale.clone() }),
        training: reference::Training {
            optimizer: model.training.optimizer.clone(),
            epochs: model.training.epochs,
            loss: model.training.loss,
            data_sha256: model.training.data_sha256.clone(),
        },
    }
}

/// The JSON of `model` as a value the tests can edit.
fn value_of(model: &ModelFile) -> serde_json::Value {
    serde_json::from_str(&reference_json(model)).unwrap()
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

fn rounded(values: &[f64]) -> Vec<f64> {
    values.iter().map(|v| format!("{v:.6}").parse().unwrap()).collect()
}

// ---------------------------------------------------------------------------
// 1. The model file
// ---------------------------------------------------------------------------

#[test]
fn parameter_count_of_linear_models_and_networks() {
    for (kind, features, expected) in [
        (Kind::Linear, 4, 5),
        (Kind::Linear, 1, 2),
        (Kind::Hidden { units: 3 }, 4, 19),
        (Kind::Hidden { units: 5 }, 2, 21),
    ] {
        let text = format!("parameter_count({kind:?}, {features})");
        let got = call(&text, PARAMETER_COUNT, || exercise_09::parameter_count(kind, features));
        let hint = if kind == Kind::Linear && got == features {
            LINEAR_WITHOUT_BIAS
        } else {
            PARAMETER_COUNT
        };
        check(got == expected, &text, got, expected, hint);
    }
}

// ---------------------------------------------------------------------------
// 2. Checking and saving
// ---------------------------------------------------------------------------

fn learner_check(model: &ModelFile) -> (String, Result<(), ModelFileError>) {
    let text = format!("check(&{})", show(model));
    let got = call(&text, CHECK, || exercise_09::check(model));
    (text, got)
}

fn expect_check_error(model: ModelFile, expected: ModelFileError, mentions: &[&str], if_ok: &str) {
    let (text, got) = learner_check(&model);
    check_error(&text, got, expected, mentions, if_ok, CHECK, CHECK);
}

#[test]
fn check_accepts_the_models_of_the_tests() {
    for model in [linear(), scaled_linear(), network()] {
        let (text, got) = learner_check(&model);
        check(got.is_ok(), &text, format!("{got:?}"), "Ok(())", CHECK);
    }
}

#[test]
fn check_refuses_a_newer_format_version() {
    let model = ModelFile { format_version: FORMAT_VERSION + 1, ..linear() };
    let found = FORMAT_VERSION + 1;
    expect_check_error(
        model,
        ModelFileError::NewerVersion { found },
        &["update this program"],
        ACCEPTS_NEWER,
    );
}

#[test]
fn check_refuses_format_version_0_which_no_program_writes() {
    let model = ModelFile { format_version: 0, ..linear() };
    expect_check_error(
        model,
        ModelFileError::UnknownVersion { found: 0 },
        &["version 0", "--save"],
        ACCEPTS_VERSION_ZERO,
    );
}

#[test]
fn check_refuses_a_parameter_count_that_does_not_fit() {
    let short = ModelFile { parameters: vec![0.03, 6.0], ..linear() };
    expect_check_error(
        short,
        ModelFileError::ParameterCount { kind: Kind::Linear, features: 2, expected: 3, got: 2 },
        &["3", "2"],
        COUNT_NOT_CHECKED,
    );
    let mut long = network();
    long.parameters.push(0.0);
    expect_check_error(
        long,
        ModelFileError::ParameterCount {
            kind: Kind::Hidden { units: 3 },
            features: 2,
            expected: 13,
            got: 14,
        },
        &["13", "14"],
        COUNT_NOT_CHECKED,
    );
}

#[test]
fn check_refuses_numbers_that_are_not_finite() {
    let mut nan = network();
    nan.parameters[4] = f64::NAN;
    expect_check_error(
        nan,
        ModelFileError::NotFinite { what: "parameters[4]".to_string(), value: f64::NAN },
        &["parameters[4]"],
        NAN_ONLY,
    );
    let mut infinite = scaled_linear();
    infinite.scaler.as_mut().unwrap().mean[1] = f64::INFINITY;
    expect_check_error(
        infinite,
        ModelFileError::NotFinite { what: "scaler.mean[1]".to_string(), value: f64::INFINITY },
        &["scaler.mean[1]"],
        NAN_ONLY,
    );
    let mut loss = linear();
    loss.training.loss = f64::NEG_INFINITY;
    expect_check_error(
        loss,
        ModelFileError::NotFinite { what: "training.loss".to_string(), value: f64::NEG_INFINITY },
        &["training.loss"],
        NAN_ONLY,
    );
}

#[test]
fn check_refuses_a_scaler_of_the_wrong_length_or_scale() {
    let mut short = scaled_linear();
    short.scaler.as_mut().unwrap().scale.pop();
    expect_check_error(
        short,
        ModelFileError::ScalerLength { mean: 2, scale: 1, features: 2 },
        &["2 features"],
        SCALER_LENGTH,
    );
    let mut zero = scaled_linear();
    zero.scaler.as_mut().unwrap().scale[0] = 0.0;
    expect_check_error(zero, ModelFileError::BadScale { index: 0, value: 0.0 }, &[], CHECK);
}

#[test]
fn check_refuses_no_features_a_duplicate_and_no_hidden_units() {
    let none = ModelFile { features: vec![], parameters: vec![1.0], ..linear() };
    expect_check_error(none, ModelFileError::NoFeatures, &[], CHECK);
    let twice = ModelFile { features: names(&["size_sqft", "size_sqft"]), ..linear() };
    expect_check_error(
        twice,
        ModelFileError::DuplicateFeature { name: "size_sqft".to_string() },
        &["size_sqft"],
        CHECK,
    );
    let empty = ModelFile { kind: Kind::Hidden { units: 0 }, parameters: vec![1.0], ..linear() };
    expect_check_error(empty, ModelFileError::NoHiddenUnits, &[], CHECK);
}

#[test]
fn to_json_writes_every_field_of_the_format() {
    let json = learner_json(&scaled_linear());
    let got: Result<serde_json::Value, _> = serde_json::from_str(&json);
    let expected = value_of(&scaled_linear());
    match got {
        Ok(value) => {
            check(value == expected, "to_json(&scaled_linear())", &json, expected, TO_JSON)
        }
        Err(e) => fail("to_json(&scaled_linear())", format!("{json} ({e})"), "JSON text", TO_JSON),
    }
}

#[test]
fn to_json_refuses_a_model_that_could_not_be_loaded_back() {
    let mut model = linear();
    model.parameters[0] = f64::NAN;
    let text = format!("to_json(&{})", show(&model));
    let got = call(&text, TO_JSON, || exercise_09::to_json(&model));
    check_error(
        &text,
        got,
        ModelFileError::NotFinite { what: "parameters[0]".to_string(), value: f64::NAN },
        &["parameters[0]"],
        SAVES_UNCHECKED,
        TO_JSON,
        TO_JSON,
    );
}

/// Numbers that a fixed number of decimals, or a careless parser, changes.
const AWKWARD: [f64; 8] = [
    0.1,
    1.0 / 3.0,
    1.4142135623730951e-7,
    5e-324,
    1.7976931348623157e308,
    -0.0,
    123_456.789_012_345_68,
    -2.5e-12,
];

#[test]
fn to_json_then_from_json_gives_back_every_bit() {
    let mut model = network();
    model.parameters[..8].copy_from_slice(&AWKWARD);
    model.training.loss = 0.1 + 0.2;
    let json = learner_json(&model);
    let text = "from_json(&to_json(&model)?) for a network with awkward parameters";
    let got = call(text, FROM_JSON, || exercise_09::from_json(&json));
    match got {
        Ok(back) => {
            let hint = if same_bits(&back.parameters, &rounded(&model.parameters)) {
                ROUNDED
            } else {
                ROUND_TRIP
            };
            check(
                same_bits(&back.parameters, &model.parameters)
                    && back.training.loss.to_bits() == model.training.loss.to_bits()
                    && back == model,
                text,
                format!("{:?}", back.parameters),
                format!("{:?}", model.parameters),
                hint,
            );
        }
        Err(e) => fail(text, format!("Err({e:?})"), "Ok(the same model)", FROM_JSON),
    }
}

// ---------------------------------------------------------------------------
// 3. Loading
// ---------------------------------------------------------------------------

fn learner_load(what: &str, json: &str) -> (String, Result<ModelFile, ModelFileError>) {
    let text = format!("from_json(text) with {what}");
    let got = call(&text, FROM_JSON, || exercise_09::from_json(json));
    (text, got)
}

#[test]
fn from_json_reads_what_the_reference_wrote() {
    for model in [linear(), scaled_linear(), network()] {
        let (text, got) = learner_load("a file written by the reference", &reference_json(&model));
        match got {
            Ok(back) => check(back == model, &text, show(&back), show(&model), FROM_JSON),
            Err(e) => fail(&text, format!("Err({e:?})"), "Ok(the model)", FROM_JSON),
        }
    }
}

#[test]
fn from_json_refuses_text_that_is_not_json() {
    for (what, json) in [
        ("half a file", "{\"format_version\": 1, \"kind\""),
        ("numbers too large for an f64", "{\"format_version\": 1e999}"),
    ] {
        let (text, got) = learner_load(what, json);
        check(
            matches!(got, Err(ModelFileError::NotJson { .. })),
            &text,
            format!("{got:?}"),
            "Err(NotJson { message: serde_json's, with the line and column })",
            FROM_JSON,
        );
    }
}

/// Loads the linear model's JSON with `format_version` set to `version` and
/// the extra field `field`, which no ModelFile has, and expects `expected`:
/// the version must be read before the fields (`if_ok`: the hint when the
/// file is accepted).
fn expect_version_refused(
    version: u64,
    field: (&str, serde_json::Value),
    expected: ModelFileError,
    mentions: &[&str],
    if_ok: &str,
) {
    let mut value = value_of(&linear());
    value["format_version"] = version.into();
    value[field.0] = field.1;
    let what = format!("format_version {version} and a field {:?}", field.0);
    let (text, got) = learner_load(&what, &value.to_string());
    let hint = match &got {
        Ok(_) => if_ok,
        Err(ModelFileError::Fields { .. }) => VERSION_AFTER_FIELDS,
        Err(_) => FROM_JSON,
    };
    check_error(&text, got, expected, mentions, hint, hint, FROM_JSON);
}

#[test]
fn from_json_refuses_format_version_0_before_its_fields() {
    expect_version_refused(
        0,
        ("notes", serde_json::json!("typed by hand")),
        ModelFileError::UnknownVersion { found: 0 },
        &["version 0"],
        ACCEPTS_VERSION_ZERO,
    );
}

#[test]
fn from_json_refuses_a_newer_version_even_with_fields_it_does_not_know() {
    expect_version_refused(
        FORMAT_VERSION + 1,
        ("calibration", serde_json::json!({"method": "isotonic"})),
        ModelFileError::NewerVersion { found: FORMAT_VERSION + 1 },
        &["update this program"],
        ACCEPTS_NEWER,
    );
}

#[test]
fn from_json_refuses_a_missing_or_unknown_field() {
    for (what, field, edit) in [
        ("no \"target\"", "target", None),
        ("no \"scaler\" (a model saved with one must say so, even as null)", "scaler", None),
        ("an extra field \"comment\"", "comment", Some(serde_json::json!("trained on Monday"))),
        ("\"epochs\" that is text", "epochs", Some(serde_json::json!("500"))),
    ] {
        let mut value = value_of(&scaled_linear());
        let object = if field == "epochs" { &mut value["training"] } else { &mut value };
        let object = object.as_object_mut().unwrap();
        match edit {
            None => {
                object.remove(field);
            }
            Some(v) => {
                object.insert(field.to_string(), v);
            }
        }
        let (text, got) = learner_load(what, &value.to_string());
        let message = match &got {
            Err(ModelFileError::Fields { message }) => message.clone(),
            _ => String::new(),
        };
        check(
            message.contains(field) || (field == "epochs" && message.contains("invalid type")),
            &text,
            format!("{got:?}"),
            format!("Err(Fields {{ message: serde's, naming `{field}` }})"),
            FROM_JSON,
        );
    }
}

#[test]
fn from_json_checks_the_model_it_read() {
    let mut value = value_of(&network());
    value["parameters"].as_array_mut().unwrap().pop();
    let (text, got) = learner_load("12 parameters for a network that needs 13", &value.to_string());
    check_error(
        &text,
        got,
        ModelFileError::ParameterCount {
            kind: Kind::Hidden { units: 3 },
            features: 2,
            expected: 13,
            got: 12,
        },
        &["13"],
        LOADS_UNCHECKED,
        FROM_JSON,
        FROM_JSON,
    );
}

// ---------------------------------------------------------------------------
// 4. Predicting
// ---------------------------------------------------------------------------

fn learner_columns(
    features: &[String],
    header: &[&str],
) -> (String, Result<Columns, PredictError>) {
    let text = format!("match_columns(&{features:?}, &{header:?})");
    let got = call(&text, MATCH_COLUMNS, || exercise_09::match_columns(features, header));
    (text, got)
}

#[test]
fn match_columns_in_the_models_order() {
    let features = names(&["size_sqft", "bedrooms"]);
    let (text, got) = learner_columns(&features, &["size_sqft", "bedrooms"]);
    let expected = Columns { positions: vec![0, 1], ignored: vec![] };
    check(
        got.as_ref() == Ok(&expected),
        &text,
        format!("{got:?}"),
        format!("Ok({expected:?})"),
        MATCH_COLUMNS,
    );
}

#[test]
fn match_columns_in_another_order_with_an_extra_column() {
    let features = names(&["size_sqft", "bedrooms"]);
    let (text, got) = learner_columns(&features, &["bedrooms", "id", "size_sqft"]);
    let expected = Columns { positions: vec![2, 0], ignored: names(&["id"]) };
    let hint = match &got {
        Ok(c) if c.positions == [0, 1] => TRUSTS_ORDER,
        Ok(c) if c.positions == expected.positions => EXTRAS_NOT_LISTED,
        _ => MATCH_COLUMNS,
    };
    check(
        got.as_ref() == Ok(&expected),
        &text,
        format!("{got:?}"),
        format!("Ok({expected:?})"),
        hint,
    );
}

#[test]
fn match_columns_refuses_a_missing_or_doubled_column() {
    let features = names(&["size_sqft", "bedrooms"]);
    let (text, got) = learner_columns(&features, &["size_sqft", "rooms"]);
    check_error(
        &text,
        got,
        PredictError::MissingColumn {
            name: "bedrooms".to_string(),
            header: names(&["size_sqft", "rooms"]),
        },
        &["\"bedrooms\"", "size_sqft, rooms"],
        MATCH_COLUMNS,
        MATCH_COLUMNS,
        MATCH_COLUMNS,
    );
    let (text, got) = learner_columns(&features, &["bedrooms", "size_sqft", "bedrooms"]);
    check_error(
        &text,
        got,
        PredictError::DuplicateColumn { name: "bedrooms".to_string() },
        &["\"bedrooms\""],
        MATCH_COLUMNS,
        MATCH_COLUMNS,
        MATCH_COLUMNS,
    );
}

fn learner_predict_one(model: &ModelFile, values: &[f64]) -> (String, f64) {
    let text = format!("predict_one(&{}, &{values:?})", show(model));
    let got = call(&text, PREDICT_ONE, || exercise_09::predict_one(model, values));
    (text, got)
}

#[test]
fn predict_one_with_a_linear_model() {
    // 0.03·2000 + 6·3 + 40 = 118.
    let (text, got) = learner_predict_one(&linear(), &[2000.0, 3.0]);
    // The bias taken first: 0.03 + 6·2000 + 40·3.
    let hint = if (got - (0.03 + 6.0 * 2000.0 + 40.0 * 3.0)).abs() < 1e-9 {
        BIAS_FIRST
    } else {
        PREDICT_ONE
    };
    check((got - 118.0).abs() < 1e-9, &text, got, "118: 0.03·2000 + 6·3 + 40", hint);
}

#[test]
fn predict_one_standardises_with_the_saved_scaler() {
    // size' = (2500 − 2000)/500 = 1, bedrooms' = (2 − 3)/0.5 = −2:
    // 30·1 + 4·(−2) + 100 = 122.
    let (text, got) = learner_predict_one(&scaled_linear(), &[2500.0, 2.0]);
    let hint = if (got - (30.0 * 2500.0 + 4.0 * 2.0 + 100.0)).abs() < 1e-6 {
        FORGETS_SCALER
    } else if (got - (30.0 * 500.0 * 500.0 + 4.0 * -0.5 + 100.0)).abs() < 1e-6 {
        SCALER_MULTIPLIES
    } else {
        PREDICT_ONE
    };
    check(
        (got - 122.0).abs() < 1e-9,
        &text,
        got,
        "122: 30·(2500 − 2000)/500 + 4·(2 − 3)/0.5 + 100",
        hint,
    );
}

#[test]
fn predict_one_with_a_network_is_exercise_08s_forward_pass() {
    // x' = (1, −2); z = (0.5 + 0.5 + 0.1, 1 − 1.5 − 0.2, −0.5 − 0.25 + 0.3)
    //    = (1.1, −0.7, −0.45); a = (1.1, 0, 0); ŷ = 2·1.1 + 10 = 12.2.
    let (text, got) = learner_predict_one(&network(), &[2500.0, 2.0]);
    let hint = if (got - 10.0).abs() < 1e-9 { FORGETS_SCALER } else { PREDICT_ONE };
    check(
        (got - 12.2).abs() < 1e-9,
        &text,
        got,
        "12.2: z = (1.1, −0.7, −0.45), a = (1.1, 0, 0), 2·1.1 + 10",
        hint,
    );
}

fn learner_predict_rows(
    model: &ModelFile,
    header: &[&str],
    rows: &[Vec<f64>],
) -> (String, Result<exercise_09::Predictions, PredictError>) {
    let text = format!("predict_rows(&{}, &{header:?}, &{rows:?})", show(model));
    let got = call(&text, PREDICT_ROWS, || exercise_09::predict_rows(model, header, rows));
    (text, got)
}

#[test]
fn predict_rows_matches_the_columns_by_name() {
    let header = ["id", "bedrooms", "size_sqft"];
    let rows = vec![vec![1.0, 2.0, 2500.0], vec![2.0, 3.0, 2000.0], vec![3.0, 4.0, 1000.0]];
    let (text, got) = learner_predict_rows(&scaled_linear(), &header, &rows);
    // 122; 30·0 + 4·0 + 100; 30·(−2) + 4·2 + 100.
    let expected = [122.0, 100.0, 48.0];
    match got {
        Ok(p) => {
            let hint = if p.ignored.is_empty() { EXTRAS_NOT_LISTED } else { PREDICT_ROWS };
            check(
                support::compare::same_numbers(&p.values, &expected) && p.ignored == ["id"],
                &text,
                format!("{p:?}"),
                format!("Predictions {{ values: {expected:?}, ignored: [\"id\"] }}"),
                hint,
            );
        }
        Err(e) => fail(
            &text,
            format!("Err({e:?})"),
            format!("Ok(predictions {expected:?})"),
            PREDICT_ROWS,
        ),
    }
}

#[test]
fn predict_rows_refuses_a_row_of_the_wrong_length() {
    let header = ["size_sqft", "bedrooms", "id"];
    let rows = vec![vec![2500.0, 2.0, 1.0], vec![2000.0, 3.0]];
    let (text, got) = learner_predict_rows(&linear(), &header, &rows);
    check_error(
        &text,
        got,
        PredictError::RowLength { row: 1, got: 2, expected: 3 },
        &["row 1"],
        ROW_LENGTH,
        PREDICT_ROWS,
        PREDICT_ROWS,
    );
}

#[test]
fn predict_rows_refuses_a_value_that_is_not_finite_but_not_in_an_ignored_column() {
    let header = ["size_sqft", "note", "bedrooms"];
    let rows = vec![vec![2500.0, f64::NAN, 2.0]];
    let (text, got) = learner_predict_rows(&linear(), &header, &rows);
    check(
        matches!(&got, Ok(p) if p.values.len() == 1 && (p.values[0] - 127.0).abs() < 1e-9),
        &text,
        format!("{got:?}"),
        "Ok([127.0]): the NaN is in a column the model ignores",
        PREDICT_ROWS,
    );
    let rows = vec![vec![2500.0, 0.0, 2.0], vec![2000.0, 0.0, f64::INFINITY]];
    let (text, got) = learner_predict_rows(&linear(), &header, &rows);
    check_error(
        &text,
        got,
        PredictError::NotFiniteValue {
            row: 1,
            column: "bedrooms".to_string(),
            value: f64::INFINITY,
        },
        &["row 1", "\"bedrooms\""],
        PREDICT_ROWS,
        PREDICT_ROWS,
        PREDICT_ROWS,
    );
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// Any finite f64, from the tiniest subnormal to the largest.
fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |v| v.is_finite())
}

/// A random model that passes check: linear or a network, with or without a
/// scaler, every number any finite f64 (a scale any positive one).
fn any_model() -> impl Strategy<Value = ModelFile> {
    (1usize..5, 0usize..4)
        .prop_flat_map(|(d, h)| {
            let kind = if h == 0 { Kind::Linear } else { Kind::Hidden { units: h } };
            let count = reference_count(kind, d);
            (
                Just(kind),
                Just(d),
                prop::collection::vec(finite(), count),
                prop::option::of((
                    prop::collection::vec(finite(), d),
                    prop::collection::vec(finite().prop_map(|v| v.abs().max(f64::MIN_POSITIVE)), d),
                )),
                finite(),
            )
        })
        .prop_map(|(kind, d, parameters, scaler, loss)| ModelFile {
            format_version: FORMAT_VERSION,
            kind,
            features: (0..d).map(|j| format!("x{j}")).collect(),
            target: "y".to_string(),
            parameters,
            scaler: scaler.map(|(mean, scale)| Standardisation { mean, scale }),
            training: Training { loss, ..training() },
        })
}

fn reference_count(kind: Kind, d: usize) -> usize {
    match kind {
        Kind::Linear => reference::parameter_count(reference::Kind::Linear, d),
        Kind::Hidden { units } => reference::parameter_count(reference::Kind::Hidden { units }, d),
    }
}

#[test]
fn every_f64_of_a_random_model_survives_the_round_trip() {
    support::properties::for_all(9, any_model(), |model| {
        let text = format!("from_json(&to_json(&{})?)", show(&model));
        let json = call(&text, TO_JSON, || exercise_09::to_json(&model))
            .map_err(|e| explain(&text, format!("Err({e:?}) from to_json"), "Ok", TO_JSON))?;
        let back = call(&text, FROM_JSON, || exercise_09::from_json(&json))
            .map_err(|e| explain(&text, format!("Err({e:?}) from from_json"), "Ok", FROM_JSON))?;
        let bits = |m: &ModelFile| {
            let mut all = m.parameters.clone();
            if let Some(s) = &m.scaler {
                all.extend(&s.mean);
                all.extend(&s.scale);
            }
            all.push(m.training.loss);
            all
        };
        if same_bits(&bits(&back), &bits(&model)) && back == model {
            Ok(())
        } else {
            let hint = if same_bits(&back.parameters, &rounded(&model.parameters)) {
                ROUNDED
            } else {
                ROUND_TRIP
            };
            Err(explain(&text, format!("{:?}", bits(&back)), format!("{:?}", bits(&model)), hint))
        }
    });
}

#[test]
fn the_order_of_the_columns_never_changes_a_prediction() {
    let strategy =
        (prop::collection::vec(-1e3f64..1e3, 2), Just(vec![0usize, 1, 2]).prop_shuffle());
    support::properties::for_all(19, strategy, |(values, order)| {
        let model = network();
        let columns = ["size_sqft", "bedrooms", "id"];
        let row = [values[0], values[1], 7.0];
        let header: Vec<&str> = order.iter().map(|&i| columns[i]).collect();
        let shuffled: Vec<f64> = order.iter().map(|&i| row[i]).collect();
        let expected = reference::predict_one(&to_reference(&model), &values);
        let (text, got) = learner_predict_rows(&model, &header, &[shuffled]);
        match got {
            Ok(p) if p.values.len() == 1 && support::compare::close(p.values[0], expected) => {
                Ok(())
            }
            Ok(p) => Err(explain(
                &text,
                format!("{:?}", p.values),
                format!("[{expected:?}]"),
                TRUSTS_ORDER,
            )),
            Err(e) => Err(explain(
                &text,
                format!("Err({e:?})"),
                format!("Ok([{expected:?}])"),
                PREDICT_ROWS,
            )),
        }
    });
}
