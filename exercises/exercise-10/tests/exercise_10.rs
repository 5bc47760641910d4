//! The tests of exercise 10, "The capstone: a real data set".
//!
//! Run them with `cargo test -p exercise-10`. Each failure says what was
//! called, what came back, what was expected, and which section of chapter
//! 10 to read. Start with the first failing test: the functions build on
//! each other in the order of `src/lib.rs`.
//!
//! Three kinds of tests:
//! - known values on small tables worked by hand;
//! - properties that hold for any data (checked on 64 random cases each,
//!   always the same ones): the folds partition the rows, the split
//!   partitions the table and depends on the seed alone;
//! - the whole pipeline on the shipped diabetes data: the scalers saw only
//!   the rows they were meant to, the test rows played no part in the
//!   choice, every reported number can be measured again from the saved
//!   model and the data, and the chosen model beats the baseline.
//!
//! The tests are grouped by step, in the order of `src/lib.rs`, from
//! `step01_parse` to `step11_save_and_predict`, so the first failure shown
//! is the earliest step's: `cargo test -p exercise-10 step06` runs one
//! step's tests.
//!
//! You never need to edit this file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use exercise_10::{
    CrossValidation, FOLDS, FRACTIONS, Fitted, Fractions, Kind, ModelFile, PipelineError, Report,
    Rows, SEED, SETTINGS, Schema, Setting, Table, TestRows, Training,
};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use support::{call, check, check_error, explain, fail};

// ---------------------------------------------------------------------------
// The hints
// ---------------------------------------------------------------------------

const PARSE: &str = "parse reads the header, finds the target column by its name, and turns every other field into a number, row by row (see 'Loading' in chapter 10)";
const SPLIT: &str = "split shuffles 0..n with solution_01::shuffled_indices(n, seed), takes the first round(test·n) as the test rows, the next round(validation·n) as the validation rows, and keeps the rest for training (see 'Three sets of rows' in chapter 10)";
const STANDARDISE: &str = "standardise is exercise 07's Scaler::fit on the training rows' x, and nothing else (see 'Standardising on the training rows' in chapter 10)";
const MSE: &str = "mse predicts every row with exercise 09's predict_one (which applies the saved scaler) and averages the squared errors (see 'Fitting every kind of model' in chapter 10)";
const FIT: &str = "fit standardises on the rows it trains on, then fit_scaled trains the setting's model on the transformed rows and saves it as a ModelFile whose training loss is its mse on those rows (see 'Fitting every kind of model' in chapter 10)";
const FOLDS_HINT: &str = "folds cuts 0..n into k runs of consecutive positions, the first n % k of them one row longer (see 'Cross-validation' in chapter 10)";
const CROSS_VALIDATE: &str = "cross_validate fits the setting on the training rows outside each fold, measures it on the fold, and averages the k errors (see 'Cross-validation' in chapter 10)";
const CHOOSE: &str = "choose cross-validates every setting and keeps the lowest mean error, the first of equal ones (see 'Choosing a setting' in chapter 10)";
const TEST_ERROR: &str = "test_error opens the sealed test rows and measures the model and the baseline on them with mse (see 'Why the test rows are touched once' in chapter 10)";
const RUN: &str = "run: split, choose on the training rows, fit the chosen setting and the baseline on the training rows, the validation error, then the test error, last (see 'The whole pipeline' in chapter 10)";
const SAVE: &str = "save writes exercise 09's to_json of the model to the file (see 'Saving and predicting' in chapter 10)";
const PREDICT: &str = "predict reads the file with exercise 09's from_json and calls predict_rows with the table's feature names as the header (see 'Saving and predicting' in chapter 10)";
const CV_DIFFERS: &str = "the cross-validation scores differ from the reference's: make the tests of folds and cross_validate pass first, then check that run cross-validates the training rows, and only those, with k folds (see 'Cross-validation' in chapter 10)";
const RECOMPUTE: &str = "every number the pipeline reports must come out again from the saved model and the data: each error is mse of the model on its own rows (see 'Reading the report' in chapter 10)";

// Hints for the mistakes learners really make. The misconception catalogue
// (solutions/solution-10/misconceptions/) checks that each is caught by a
// test whose message contains its hint.
const UNSEEDED: &str = "shuffle with a generator seeded with `seed`, shuffled_indices(n, seed): the same seed must give the same split on every run, or no result can be checked again (see 'Three sets of rows' in chapter 10)";
const NOT_SHUFFLED: &str = "shuffle the rows before cutting them: a file sorted by date, by hospital or by outcome would put one kind of patient in the test rows (see 'Three sets of rows' in chapter 10)";
const SCALER_BEFORE_SPLIT: &str = "the final model's scaler must be fitted on the training rows only, not on the whole table before the split: the validation and test rows' means would leak into the model (see 'Leakage' in chapter 10)";
const FOLD_SCALER: &str = "each fold's model needs its own scaler, fitted on the fold's training part alone: call fit, which standardises on the rows it trains on, not fit_scaled with a scaler fitted on all the training rows (see 'Leakage' in chapter 10)";
const FOLD_TRAINED_ON_HELD: &str = "a fold's model is trained on the other folds only, never on the fold it is measured on (see 'Cross-validation' in chapter 10)";
const TEST_IN_SELECTION: &str = "cross-validate on the training rows only: test (or validation) rows in the choice leak into it, and the test error no longer measures unseen rows (see 'Why the test rows are touched once' in chapter 10)";
const FOLDS_DROP: &str = "no row may be dropped: when k does not divide n, the first n % k folds get one row more (see 'Cross-validation' in chapter 10)";
const FOLDS_UNEVEN: &str = "every row in exactly one fold, no overlap, and sizes that differ by at most 1: not the remainder piled into the last fold (see 'Cross-validation' in chapter 10)";
const BASELINE_ALL_ROWS: &str = "the baseline predicts the mean of the training targets only, not of the training and validation (or all) rows (see 'A baseline' in chapter 10)";
const VALIDATION_AS_TEST: &str = "the test error is measured on the test rows, in test_error: the validation error, which watched the training, is not the test error (see 'Reading the report' in chapter 10)";
const CV_SUM: &str = "the cross-validation score is the mean of the k fold errors: divide their sum by k (see 'Cross-validation' in chapter 10)";
const CV_LAST: &str = "the cross-validation score averages every fold: collect all k errors, not only the last fold's (see 'Cross-validation' in chapter 10)";
const CHOOSES_BY_TRAINING: &str = "choose by the cross-validation error, the error on rows each model never saw, not by the training loss, which the most flexible model always wins (see 'Choosing a setting' in chapter 10)";
const BASELINE_ON_TEST: &str = "the baseline in the test report is the one fitted on the training rows: predicting the test rows' own mean uses their targets (see 'Reading the report' in chapter 10)";
const CLOSED_FORM_RAW: &str = "solve the closed form on the standardised features, scaler.transform(&train.x): the model is saved with the scaler, so its weights must be for standardised features (see 'Fitting every kind of model' in chapter 10)";

// ---------------------------------------------------------------------------
// Tables of the tests
// ---------------------------------------------------------------------------

fn schema(features: &[&str]) -> Schema {
    Schema {
        features: features.iter().map(|s| s.to_string()).collect(),
        target: "y".to_string(),
        data_sha256: "hand-made".to_string(),
    }
}

/// y = a + 2b exactly, six rows.
fn exact() -> Table {
    let x = [[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0], [5.0, 6.0], [6.0, 5.0]];
    Table {
        schema: schema(&["a", "b"]),
        x: DMatrix::from_fn(6, 2, |i, j| x[i][j]),
        y: DVector::from_fn(6, |i, _| x[i][0] + 2.0 * x[i][1]),
    }
}

/// `n` rows of two features and a noisy target, the same for the same `n`.
fn noisy(n: usize) -> Table {
    let x = DMatrix::from_fn(n, 2, |i, j| ((i * 7 + j * 3) % 11) as f64 + 0.5 * j as f64);
    let y = DVector::from_fn(n, |i, _| {
        3.0 * x[(i, 0)] - x[(i, 1)] + 10.0 + ((i * 13) % 5) as f64 - 2.0
    });
    Table { schema: schema(&["a", "b"]), x, y }
}

fn to_reference_table(t: &Table) -> reference::Table {
    reference::Table {
        schema: reference::Schema {
            features: t.schema.features.clone(),
            target: t.schema.target.clone(),
            data_sha256: t.schema.data_sha256.clone(),
        },
        x: t.x.clone(),
        y: t.y.clone(),
    }
}

fn to_reference_setting(s: Setting) -> reference::Setting {
    match s {
        Setting::Baseline => reference::Setting::Baseline,
        Setting::ClosedForm => reference::Setting::ClosedForm,
        Setting::Descent { learning_rate } => reference::Setting::Descent { learning_rate },
        Setting::Network { hidden, dropout } => reference::Setting::Network { hidden, dropout },
    }
}

/// The rows of `table` at `indices`, as the reference's type (to measure
/// with the reference's mse).
fn reference_rows(table: &Table, indices: &[usize]) -> reference::Rows {
    reference::Rows::of(&to_reference_table(table), indices)
}

fn column_means(table: &Table, indices: &[usize]) -> Vec<f64> {
    (0..table.x.ncols())
        .map(|j| indices.iter().map(|&i| table.x[(i, j)]).sum::<f64>() / indices.len() as f64)
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn all_close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(*x, *y))
}

fn sorted(indices: &[usize]) -> Vec<usize> {
    let mut v = indices.to_vec();
    v.sort_unstable();
    v
}

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("exercise-10-{}-{name}", std::process::id()))
}

// ---------------------------------------------------------------------------
// 1. Loading
// ---------------------------------------------------------------------------

fn learner_parse(text: &str, target: &str) -> (String, Result<Table, PipelineError>) {
    let call_text = format!("parse({text:?}, {target:?}, \"hash\")");
    let got = call(&call_text, PARSE, || exercise_10::parse(text, target, "hash"));
    (call_text, got)
}

mod step01_parse {
    use super::*;

    #[test]
    fn the_shipped_data_is_the_diabetes_data() {
        let bytes = std::fs::read(exercise_10::DIABETES).unwrap();
        let sha = reference::sha256(&bytes);
        check(
            sha == exercise_10::DIABETES_SHA256,
            "the SHA-256 of data/diabetes.csv",
            &sha,
            exercise_10::DIABETES_SHA256,
            "the data file was changed: `cargo workbook reset 10` brings it back (its origin is in data/README.md)",
        );
        let text = format!("load({:?}, \"progression\")", exercise_10::DIABETES);
        let table = call(&text, PARSE, || {
            exercise_10::load(Path::new(exercise_10::DIABETES), exercise_10::DIABETES_TARGET)
        })
        .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(the table)", PARSE));
        let features = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];
        let got = (table.x.nrows(), table.schema.features.clone(), table.y.len());
        let expected = (442, features.iter().map(|s| s.to_string()).collect::<Vec<_>>(), 442);
        check(got == expected, &text, format!("{got:?}"), format!("{expected:?}"), PARSE);
        let sums =
            (table.y.sum(), table.x.column(0).sum(), table.x[(0, 2)], table.schema.data_sha256);
        let expected = (67243.0, 21445.0, 32.1, exercise_10::DIABETES_SHA256.to_string());
        check(
            sums == expected,
            &text,
            format!("(sum of the targets, sum of the ages, bmi of row 0, hash) = {sums:?}"),
            format!("{expected:?}"),
            PARSE,
        );
    }

    #[test]
    fn parse_reads_a_table_with_the_target_in_the_middle() {
        let (text, got) = learner_parse("a,y,b\n1,10,2\n3, 20 ,4\n", "y");
        let table =
            got.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(the table)", PARSE));
        let expected = Table {
            schema: Schema {
                features: vec!["a".to_string(), "b".to_string()],
                target: "y".to_string(),
                data_sha256: "hash".to_string(),
            },
            x: DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]),
            y: DVector::from_vec(vec![10.0, 20.0]),
        };
        check(table == expected, &text, format!("{table:?}"), format!("{expected:?}"), PARSE);
    }

    #[test]
    fn parse_refuses_a_missing_target_and_a_table_without_features_or_rows() {
        let (text, got) = learner_parse("a,b\n1,2\n", "y");
        let header = vec!["a".to_string(), "b".to_string()];
        let expected = PipelineError::NoTarget { target: "y".to_string(), header };
        check_error(&text, got, expected, &["\"y\"", "a, b"], PARSE, PARSE, PARSE);
        let (text, got) = learner_parse("y\n1\n", "y");
        let expected = PipelineError::NoFeatures { target: "y".to_string() };
        check_error(&text, got, expected, &["feature"], PARSE, PARSE, PARSE);
        let (text, got) = learner_parse("a,y\n", "y");
        check_error(&text, got, PipelineError::NoRows, &["no rows"], PARSE, PARSE, PARSE);
    }

    #[test]
    fn parse_refuses_a_field_that_is_not_a_finite_number_with_its_line() {
        for (data, column, field) in [
            ("a,y\n1,2\n3,x\n", "y", "x"),
            ("a,y\n1,2\n\n5,6\nNaN,1\n", "a", "NaN"),
            ("a,y\n1,inf\n", "y", "inf"),
        ] {
            let line = data.lines().count() as u64;
            let (text, got) = learner_parse(data, "y");
            let expected = PipelineError::NotANumber {
                line,
                column: column.to_string(),
                text: field.to_string(),
            };
            check_error(&text, got, expected, &[&format!("line {line}")], PARSE, PARSE, PARSE);
        }
    }
}

// ---------------------------------------------------------------------------
// 2. Splitting
// ---------------------------------------------------------------------------

fn learner_split(
    table: &Table,
    fractions: Fractions,
    seed: u64,
) -> (String, Result<exercise_10::Split, PipelineError>) {
    let text = format!("split(&a table of {} rows, {fractions:?}, {seed})", table.y.len());
    let got = call(&text, SPLIT, || exercise_10::split(table, fractions, seed));
    (text, got)
}

/// The training, validation and test rows of a split.
type Parts = (Vec<usize>, Vec<usize>, Vec<usize>);

/// The three parts' indices, or the failure message.
fn split_indices(table: &Table, fractions: Fractions, seed: u64) -> Result<Parts, String> {
    let (text, got) = learner_split(table, fractions, seed);
    match got {
        Ok(s) => Ok((s.train.indices, s.validation.indices, s.test.indices().to_vec())),
        Err(e) => Err(explain(&text, format!("Err({e:?})"), "Ok(the split)", SPLIT)),
    }
}

fn reference_indices(table: &Table, fractions: Fractions, seed: u64) -> Parts {
    let f = reference::Fractions { validation: fractions.validation, test: fractions.test };
    let s = reference::split(&to_reference_table(table), f, seed).unwrap();
    (s.train.indices, s.validation.indices, s.test.indices().to_vec())
}

/// Whether the split and the reference's differ, and the hint for it.
fn split_problem(table: &Table, fractions: Fractions, seed: u64) -> Result<(), String> {
    let text = format!("split(&a table of {} rows, {fractions:?}, {seed})", table.y.len());
    let got = split_indices(table, fractions, seed)?;
    let expected = reference_indices(table, fractions, seed);
    if got == expected {
        return Ok(());
    }
    let again = split_indices(table, fractions, seed)?;
    let n = table.y.len();
    let all: Vec<usize> = got.0.iter().chain(&got.1).chain(&got.2).copied().collect();
    let hint = if again != got {
        UNSEEDED
    } else if sorted(&all) == (0..n).collect::<Vec<_>>()
        && sorted(&got.2) == got.2
        && sorted(&got.0) == got.0
    {
        NOT_SHUFFLED
    } else {
        SPLIT
    };
    Err(explain(
        &text,
        format!("(train, validation, test) = {got:?}"),
        format!("{expected:?}"),
        hint,
    ))
}

mod step02_split {
    use super::*;

    #[test]
    fn split_ten_rows_into_six_two_and_two() {
        let table = noisy(10);
        if let Err(message) = split_problem(&table, FRACTIONS, SEED) {
            panic!("{message}");
        }
        let (train, validation, test) = split_indices(&table, FRACTIONS, SEED).unwrap();
        let sizes = (train.len(), validation.len(), test.len());
        check(
            sizes == (6, 2, 2),
            "split(&10 rows, 0.2 and 0.2, 10)",
            format!("{sizes:?}"),
            "(6, 2, 2)",
            SPLIT,
        );
    }

    #[test]
    fn the_split_depends_on_the_seed_alone_and_partitions_the_rows() {
        let strategy = (3usize..80, 0.05f64..0.4, 0.05f64..0.4, any::<u64>());
        support::properties::for_all(10, strategy, |(n, validation, test, seed)| {
            let table = noisy(n);
            let fractions = Fractions { validation, test };
            let f = reference::Fractions { validation, test };
            if reference::split(&to_reference_table(&table), f, seed).is_err() {
                return Ok(());
            }
            split_problem(&table, fractions, seed)?;
            let (train, v, t) = split_indices(&table, fractions, seed)?;
            let all: Vec<usize> = train.iter().chain(&v).chain(&t).copied().collect();
            if sorted(&all) == (0..n).collect::<Vec<_>>() {
                Ok(())
            } else {
                Err(explain(
                    "the split's rows",
                    format!("{all:?}"),
                    "every row 0..n exactly once",
                    SPLIT,
                ))
            }
        });
    }

    #[test]
    fn split_refuses_bad_fractions_and_empty_parts() {
        let table = noisy(10);
        for fractions in [
            Fractions { validation: 0.5, test: 0.5 },
            Fractions { validation: -0.1, test: 0.2 },
            Fractions { validation: f64::NAN, test: 0.2 },
        ] {
            let (text, got) = learner_split(&table, fractions, SEED);
            let expected = PipelineError::BadFractions {
                validation: fractions.validation,
                test: fractions.test,
            };
            check_error(
                &text,
                got.map(|s| s.train.indices),
                expected,
                &["fractions"],
                SPLIT,
                SPLIT,
                SPLIT,
            );
        }
        let (text, got) = learner_split(&noisy(3), Fractions { validation: 0.1, test: 0.4 }, SEED);
        let expected = PipelineError::TooFewRows { rows: 3, train: 2, validation: 0, test: 1 };
        check_error(
            &text,
            got.map(|s| s.train.indices),
            expected,
            &["3 rows"],
            SPLIT,
            SPLIT,
            SPLIT,
        );
    }
}

// ---------------------------------------------------------------------------
// 3. Standardising
// ---------------------------------------------------------------------------

mod step03_standardise {
    use super::*;

    #[test]
    fn standardise_measures_the_training_rows_only() {
        let table = noisy(12);
        let rows = Rows::of(&table, &[1, 4, 5, 9]);
        let text = "standardise(&rows 1, 4, 5 and 9 of a table of 12)";
        let got = call(text, STANDARDISE, || exercise_10::standardise(&rows));
        let expected = exercise_10::Scaler::fit(&rows.x).unwrap();
        match got {
            Ok(s) if s == expected => {}
            other => fail(text, format!("{other:?}"), format!("Ok({expected:?})"), STANDARDISE),
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Fitting
// ---------------------------------------------------------------------------

fn training(loss: f64) -> Training {
    Training { optimizer: "by hand".to_string(), epochs: 0, loss, data_sha256: "x".to_string() }
}

/// y = 2·(a − 1)/2 + 1 on standardised a (mean 1, scale 2).
fn hand_model() -> ModelFile {
    ModelFile::linear(
        vec!["a".to_string()],
        "y".to_string(),
        &exercise_10::Linear { w: DVector::from_vec(vec![2.0]), b: 1.0 },
        Some(&exercise_10::Scaler {
            mean: DVector::from_vec(vec![1.0]),
            scale: DVector::from_vec(vec![2.0]),
        }),
        training(0.0),
    )
}

fn one_feature_rows(a: &[f64], y: &[f64]) -> Rows {
    Rows {
        indices: (0..a.len()).collect(),
        x: DMatrix::from_column_slice(a.len(), 1, a),
        y: DVector::from_column_slice(y),
    }
}

fn learner_fit(
    setting: Setting,
    table: &Table,
    train: &[usize],
    watch: &[usize],
) -> (String, Fitted) {
    let text = format!("fit({setting:?}, &rows {train:?}, &rows {watch:?}, &schema)");
    let (t, w) = (Rows::of(table, train), Rows::of(table, watch));
    let got = call(&text, FIT, || exercise_10::fit(setting, &t, &w, &table.schema));
    match got {
        Ok(fitted) => (text, fitted),
        Err(e) => fail(&text, format!("Err({e:?})"), "Ok(the fitted model)", FIT),
    }
}

fn reference_fit(
    setting: Setting,
    table: &Table,
    train: &[usize],
    watch: &[usize],
) -> reference::Fitted {
    let r = to_reference_table(table);
    let (t, w) = (reference::Rows::of(&r, train), reference::Rows::of(&r, watch));
    reference::fit(to_reference_setting(setting), &t, &w, &r.schema).unwrap()
}

mod step04_mse {
    use super::*;

    #[test]
    fn mse_of_a_saved_model_by_hand() {
        // a = 1, 3, 5 → a' = 0, 1, 2 → ŷ = 1, 3, 5; y = 1, 4, 3 → errors 0, −1, 2.
        let rows = one_feature_rows(&[1.0, 3.0, 5.0], &[1.0, 4.0, 3.0]);
        let text = "mse(&ŷ = 2·(a − 1)/2 + 1, &a = [1, 3, 5], y = [1, 4, 3])";
        let got = call(text, MSE, || exercise_10::mse(&hand_model(), &rows));
        check(close(got, 5.0 / 3.0), text, got, 5.0 / 3.0, MSE);
    }
}

mod step05_fit {
    use super::*;

    #[test]
    fn the_baseline_predicts_the_mean_of_the_training_targets() {
        let table = noisy(10);
        let (train, watch) = ([0, 2, 3, 7, 8], [1, 5]);
        let (text, fitted) = learner_fit(Setting::Baseline, &table, &train, &watch);
        let mean = train.iter().map(|&i| table.y[i]).sum::<f64>() / 5.0;
        let expected = vec![0.0, 0.0, mean];
        let got = &fitted.model.parameters;
        let both: Vec<usize> = train.iter().chain(&watch).copied().collect();
        let mean_of_both = both.iter().map(|&i| table.y[i]).sum::<f64>() / both.len() as f64;
        let hint = if got.last().is_some_and(|b| close(*b, mean_of_both)) {
            BASELINE_ALL_ROWS
        } else {
            FIT
        };
        check(
            all_close(got, &expected)
                && fitted.model.kind == Kind::Linear
                && fitted.model.scaler.is_none(),
            &text,
            format!(
                "a {} with parameters {got:?} and scaler {:?}",
                fitted.model.kind, fitted.model.scaler
            ),
            format!(
                "a linear model with parameters {expected:?} (weights 0, the training mean) and no scaler"
            ),
            hint,
        );
    }

    #[test]
    fn the_closed_form_recovers_a_table_that_is_exactly_linear() {
        let table = exact();
        let (text, fitted) = learner_fit(Setting::ClosedForm, &table, &[0, 1, 2, 3, 4], &[5]);
        let all = reference_rows(&table, &[0, 1, 2, 3, 4, 5]);
        let error = reference::mse(&fitted.model, &all);
        let scaler = fitted.model.scaler.as_ref().map(|s| s.mean.clone());
        let expected_mean = column_means(&table, &[0, 1, 2, 3, 4]);
        let hint = if scaler.is_some() && fitted.model.parameters.len() == 3 && error > 1e-6 {
            CLOSED_FORM_RAW
        } else {
            FIT
        };
        check(
            error < 1e-12 && scaler == Some(expected_mean.clone()),
            &text,
            format!(
                "a model whose mse on all six rows of y = a + 2b is {error:e}, scaler means {scaler:?}"
            ),
            format!("mse 0 (within 1e-12): y = a + 2b exactly; scaler means {expected_mean:?}"),
            hint,
        );
    }

    #[test]
    fn gradient_descent_and_the_network_train_as_the_reference_does() {
        let table = noisy(40);
        let train: Vec<usize> = (0..30).collect();
        let watch: Vec<usize> = (30..40).collect();
        for setting in [
            Setting::Descent { learning_rate: 0.05 },
            Setting::Network { hidden: 3, dropout: 0.0 },
            Setting::Network { hidden: 3, dropout: 0.5 },
        ] {
            let (text, fitted) = learner_fit(setting, &table, &train, &watch);
            let expected = reference_fit(setting, &table, &train, &watch);
            let same = fitted.model.kind == expected.model.kind
                && all_close(&fitted.model.parameters, &expected.model.parameters)
                && all_close(&fitted.history.train, &expected.history.train)
                && all_close(&fitted.history.validation, &expected.history.validation)
                && fitted.model.scaler == expected.model.scaler
                && fitted.model.training.epochs == expected.model.training.epochs;
            check(
                same,
                &text,
                format!("{:?}, history {:?}", fitted.model, fitted.history),
                format!("{:?}, history {:?}", expected.model, expected.history),
                FIT,
            );
        }
    }

    #[test]
    fn every_fitted_model_reports_its_own_training_loss_and_data() {
        let table = noisy(30);
        let train: Vec<usize> = (0..24).collect();
        let watch: Vec<usize> = (24..30).collect();
        for setting in SETTINGS.into_iter().take(5) {
            let (text, fitted) = learner_fit(setting, &table, &train, &watch);
            let loss = reference::mse(&fitted.model, &reference_rows(&table, &train));
            let t = &fitted.model.training;
            let hint = if setting == Setting::ClosedForm { CLOSED_FORM_RAW } else { RECOMPUTE };
            check(
                close(t.loss, loss) && t.data_sha256 == table.schema.data_sha256,
                &text,
                format!("training.loss {:?}, data_sha256 {:?}", t.loss, t.data_sha256),
                format!(
                    "training.loss {loss:?} (the model's mse on its training rows), data_sha256 \"hand-made\""
                ),
                hint,
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 5. Choosing: cross-validation
// ---------------------------------------------------------------------------

fn learner_folds(n: usize, k: usize) -> (String, Result<Vec<Vec<usize>>, PipelineError>) {
    let text = format!("folds({n}, {k})");
    let got = call(&text, FOLDS_HINT, || exercise_10::folds(n, k));
    (text, got)
}

/// Whether `got` are k folds that partition 0..n, in order, of sizes that
/// differ by at most 1; the hint if not.
fn folds_problem(n: usize, k: usize, got: &[Vec<usize>]) -> Option<&'static str> {
    let all: Vec<usize> = got.iter().flatten().copied().collect();
    let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
    let (small, large) =
        (sizes.iter().min().copied().unwrap_or(0), sizes.iter().max().copied().unwrap_or(0));
    if all == (0..n).collect::<Vec<_>>() && got.len() == k && large - small <= 1 {
        return None;
    }
    if all.len() < n && BTreeSet::from_iter(&all).len() == all.len() {
        Some(FOLDS_DROP)
    } else {
        Some(FOLDS_UNEVEN)
    }
}

fn learner_cross_validate(
    setting: Setting,
    table: &Table,
    train: &[usize],
    k: usize,
) -> (String, CrossValidation) {
    let text = format!("cross_validate({setting:?}, &rows {train:?}, {k}, &schema)");
    let rows = Rows::of(table, train);
    let got = call(&text, CROSS_VALIDATE, || {
        exercise_10::cross_validate(setting, &rows, k, &table.schema)
    });
    match got {
        Ok(cv) => (text, cv),
        Err(e) => fail(&text, format!("Err({e:?})"), "Ok(the cross-validation)", CROSS_VALIDATE),
    }
}

/// Twenty-three training rows, in a shuffled order, of a table of 30.
fn cv_rows() -> Vec<usize> {
    vec![3, 17, 25, 0, 9, 12, 28, 5, 21, 14, 1, 19, 8, 26, 11, 23, 6, 15, 29, 2, 18, 10, 27]
}

mod step06_folds {
    use super::*;

    #[test]
    fn folds_of_ten_rows_by_hand() {
        for (n, k, expected) in [
            (10, 3, vec![vec![0, 1, 2, 3], vec![4, 5, 6], vec![7, 8, 9]]),
            (6, 3, vec![vec![0, 1], vec![2, 3], vec![4, 5]]),
            (5, 5, vec![vec![0], vec![1], vec![2], vec![3], vec![4]]),
            (11, 4, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8], vec![9, 10]]),
        ] {
            let (text, got) = learner_folds(n, k);
            match got {
                Ok(folds) if folds == expected => {}
                Ok(folds) => fail(
                    &text,
                    format!("{folds:?}"),
                    format!("{expected:?}"),
                    folds_problem(n, k, &folds).unwrap_or(FOLDS_HINT),
                ),
                Err(e) => {
                    fail(&text, format!("Err({e:?})"), format!("Ok({expected:?})"), FOLDS_HINT)
                }
            }
        }
    }

    #[test]
    fn folds_partition_any_number_of_rows() {
        let strategy = (2usize..300).prop_flat_map(|n| (Just(n), 2..=n.min(25)));
        support::properties::for_all(11, strategy, |(n, k)| {
            let (text, got) = learner_folds(n, k);
            match got {
                Ok(folds) => match folds_problem(n, k, &folds) {
                    None => Ok(()),
                    Some(hint) => Err(explain(
                        &text,
                        format!("{folds:?}"),
                        format!(
                            "{k} folds covering 0..{n} once each, in order, sizes {} or {}",
                            n / k,
                            n.div_ceil(k)
                        ),
                        hint,
                    )),
                },
                Err(e) => Err(explain(&text, format!("Err({e:?})"), "Ok(the folds)", FOLDS_HINT)),
            }
        });
    }

    #[test]
    fn folds_refuse_fewer_than_two_or_more_than_the_rows() {
        for (n, k) in [(10, 1), (10, 0), (3, 4)] {
            let (text, got) = learner_folds(n, k);
            let expected = PipelineError::BadFolds { k, rows: n };
            check_error(
                &text,
                got,
                expected,
                &[&format!("{k} folds")],
                FOLDS_HINT,
                FOLDS_HINT,
                FOLDS_HINT,
            );
        }
    }
}

mod step07_cross_validate {
    use super::*;

    #[test]
    fn cross_validation_holds_out_every_training_row_once() {
        let table = noisy(30);
        let train = cv_rows();
        let (text, cv) = learner_cross_validate(Setting::ClosedForm, &table, &train, 4);
        let held: Vec<Vec<usize>> = cv.folds.iter().map(|f| f.held_out.clone()).collect();
        let expected: Vec<Vec<usize>> =
            [0..6, 6..12, 12..18, 18..23].into_iter().map(|r| train[r].to_vec()).collect();
        // The held-out rows as positions among the training rows, to tell a
        // mistake in the folds from one in cross_validate.
        let positions: Vec<Vec<usize>> = held
            .iter()
            .map(|fold| {
                fold.iter()
                    .map(|i| train.iter().position(|t| t == i).unwrap_or(usize::MAX))
                    .collect()
            })
            .collect();
        check(
            held == expected,
            &text,
            format!("held-out rows {held:?}"),
            format!("{expected:?}"),
            folds_problem(train.len(), 4, &positions).unwrap_or(CROSS_VALIDATE),
        );
    }

    #[test]
    fn every_fold_model_was_trained_without_its_held_out_rows() {
        let table = noisy(30);
        let train = cv_rows();
        for setting in [Setting::Baseline, Setting::ClosedForm] {
            let (text, cv) = learner_cross_validate(setting, &table, &train, 4);
            for (i, fold) in cv.folds.iter().enumerate() {
                let rest: Vec<usize> =
                    train.iter().copied().filter(|r| !fold.held_out.contains(r)).collect();
                let on_rest = reference::mse(&fold.model, &reference_rows(&table, &rest));
                let got = fold.model.training.loss;
                check(
                    close(got, on_rest),
                    &text,
                    format!("fold {i}'s model with training.loss {got:?}"),
                    format!(
                        "training.loss {on_rest:?}, its mse on the {} training rows outside fold {i}",
                        rest.len()
                    ),
                    FOLD_TRAINED_ON_HELD,
                );
            }
        }
    }

    #[test]
    fn every_fold_scaler_saw_only_its_training_part() {
        let table = noisy(30);
        let train = cv_rows();
        let (text, cv) = learner_cross_validate(Setting::ClosedForm, &table, &train, 4);
        for (i, fold) in cv.folds.iter().enumerate() {
            let rest: Vec<usize> =
                train.iter().copied().filter(|r| !fold.held_out.contains(r)).collect();
            let expected = column_means(&table, &rest);
            let got = fold.model.scaler.as_ref().map(|s| s.mean.clone()).unwrap_or_default();
            check(
                all_close(&got, &expected),
                &text,
                format!("fold {i}'s scaler with means {got:?}"),
                format!("means {expected:?}, of the {} training rows outside fold {i}", rest.len()),
                FOLD_SCALER,
            );
        }
    }

    #[test]
    fn the_cross_validation_score_is_the_mean_of_the_fold_errors() {
        let table = noisy(30);
        let train = cv_rows();
        let (text, cv) = learner_cross_validate(Setting::ClosedForm, &table, &train, 4);
        let errors: Vec<f64> = cv
            .folds
            .iter()
            .map(|f| reference::mse(&f.model, &reference_rows(&table, &f.held_out)))
            .collect();
        let got: Vec<f64> = cv.folds.iter().map(|f| f.mse).collect();
        check(
            all_close(&got, &errors),
            &text,
            format!("fold errors {got:?}"),
            format!("{errors:?}, each model's mse on its held-out rows"),
            CROSS_VALIDATE,
        );
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        let hint = if close(cv.mean, mean * 4.0) {
            CV_SUM
        } else if errors.last().is_some_and(|e| close(cv.mean, *e)) {
            CV_LAST
        } else {
            CROSS_VALIDATE
        };
        check(
            close(cv.mean, mean),
            &text,
            format!("mean {:?}", cv.mean),
            format!("{mean:?}, the mean of {errors:?}"),
            hint,
        );
    }
}

mod step08_choose {
    use super::*;

    #[test]
    fn choose_keeps_the_setting_with_the_lowest_cross_validation_error() {
        let table = noisy(30);
        let rows = Rows::of(&table, &cv_rows());
        let settings = [Setting::Baseline, Setting::ClosedForm, Setting::ClosedForm];
        let text = "choose(&[Baseline, ClosedForm, ClosedForm], &23 rows, 4, &schema)";
        let got = call(text, CHOOSE, || exercise_10::choose(&settings, &rows, 4, &table.schema));
        let choice =
            got.unwrap_or_else(|e| fail(text, format!("Err({e:?})"), "Ok(the choice)", CHOOSE));
        let means: Vec<f64> = choice.scores.iter().map(|s| s.mean).collect();
        check(
            choice.best == 1 && means.len() == 3,
            text,
            format!("best {} of means {means:?}", choice.best),
            "best 1, the first closed form (the first of equal means)",
            CHOOSE,
        );
        let empty =
            call("choose(&[], …)", CHOOSE, || exercise_10::choose(&[], &rows, 4, &table.schema));
        check_error(
            "choose(&[], &23 rows, 4, &schema)",
            empty.map(|c| c.best),
            PipelineError::NoSettings,
            &["settings"],
            CHOOSE,
            CHOOSE,
            CHOOSE,
        );
    }
}

// ---------------------------------------------------------------------------
// 6. Reporting
// ---------------------------------------------------------------------------

fn diabetes() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        reference::load(Path::new(reference::DIABETES), reference::DIABETES_TARGET)
            .map(|t| Table {
                schema: Schema {
                    features: t.schema.features,
                    target: t.schema.target,
                    data_sha256: t.schema.data_sha256,
                },
                x: t.x,
                y: t.y,
            })
            .unwrap()
    })
}

const RUN_CALL: &str = "run(&the diabetes table, &SETTINGS, FRACTIONS, SEED, FOLDS)";

/// The learner's pipeline on the shipped data, run once for all the tests
/// that look at it.
fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let got =
            call(RUN_CALL, RUN, || exercise_10::run(diabetes(), &SETTINGS, FRACTIONS, SEED, FOLDS));
        got.unwrap_or_else(|e| fail(RUN_CALL, format!("Err({e:?})"), "Ok(the report)", RUN))
    })
}

mod step09_test_error {
    use super::*;

    #[test]
    fn test_error_by_hand() {
        // The model of mse_of_a_saved_model_by_hand; the baseline predicts 2.
        let rows = one_feature_rows(&[1.0, 3.0, 5.0], &[1.0, 4.0, 3.0]);
        let baseline = ModelFile::linear(
            vec!["a".to_string()],
            "y".to_string(),
            &exercise_10::Linear { w: DVector::from_vec(vec![0.0]), b: 2.0 },
            None,
            training(0.0),
        );
        let text = "test_error(&ŷ = 2·(a − 1)/2 + 1, &ŷ = 2, sealed a = [1, 3, 5], y = [1, 4, 3])";
        let got = call(text, TEST_ERROR, || {
            exercise_10::test_error(&hand_model(), &baseline, TestRows::seal(rows))
        });
        // Baseline errors −1, 2, 1: 6/3 = 2. The test rows' own mean, 8/3, would give 14/9.
        let hint = if close(got.baseline, 14.0 / 9.0) { BASELINE_ON_TEST } else { TEST_ERROR };
        check(
            close(got.model, 5.0 / 3.0)
                && close(got.baseline, 2.0)
                && got.rows == 3
                && got.indices == [0, 1, 2],
            text,
            format!("{got:?}"),
            "rows 3, indices [0, 1, 2], model 5/3, baseline 2.0",
            hint,
        );
    }
}

mod step10_run {
    use super::*;

    #[test]
    fn on_the_diabetes_data_the_chosen_model_beats_the_baseline() {
        let r = report();
        let chosen = &r.choice.scores[r.choice.best];
        let baseline =
            r.choice.scores.iter().find(|s| s.setting == Setting::Baseline).map(|s| s.mean);
        check(
            baseline.is_some_and(|b| chosen.mean < b) && r.test.model < r.test.baseline,
            RUN_CALL,
            format!(
                "{}: cross-validation {:.1} (baseline {baseline:?}), test {:.1} (baseline {:.1})",
                chosen.setting, chosen.mean, r.test.model, r.test.baseline
            ),
            "a chosen model with lower errors than the baseline's, in cross-validation and on the test rows",
            RUN,
        );
    }

    #[test]
    fn the_final_scaler_saw_only_the_training_rows() {
        let r = report();
        let expected = column_means(diabetes(), &r.train);
        let got = r.model.model.scaler.as_ref().map(|s| s.mean.clone()).unwrap_or_default();
        check(
            all_close(&got, &expected),
            RUN_CALL,
            format!("a model whose scaler has the means {got:?}"),
            format!("the means of the {} training rows, {expected:?}", r.train.len()),
            SCALER_BEFORE_SPLIT,
        );
    }

    #[test]
    fn cross_validation_used_only_the_training_rows() {
        let r = report();
        let expected = sorted(&r.train);
        for score in &r.choice.scores {
            let held: Vec<usize> =
                sorted(&score.folds.iter().flat_map(|f| f.held_out.clone()).collect::<Vec<_>>());
            if held == expected {
                continue;
            }
            let outside: Vec<usize> =
                held.iter().copied().filter(|i| !r.train.contains(i)).collect();
            let missing: Vec<usize> =
                expected.iter().copied().filter(|i| !held.contains(i)).collect();
            let twice: Vec<usize> =
                held.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
            let hint = if !outside.is_empty() {
                TEST_IN_SELECTION
            } else if twice.is_empty() {
                FOLDS_DROP
            } else {
                FOLDS_UNEVEN
            };
            fail(
                RUN_CALL,
                format!(
                    "the cross-validation of {} held out {} rows; rows that are not training rows: {outside:?}; training rows never held out: {missing:?}; rows held out twice: {twice:?}",
                    score.setting,
                    held.len(),
                ),
                format!("the {} training rows, each held out once", expected.len()),
                hint,
            );
        }
    }

    #[test]
    fn every_reported_number_can_be_measured_again_from_the_saved_model() {
        let r = report();
        let table = diabetes();
        let n = table.y.len();
        check(
            r.test.indices != r.validation,
            RUN_CALL,
            format!("a test report on the rows {:?}", r.test.indices),
            "the test rows, not the validation rows",
            VALIDATION_AS_TEST,
        );
        check(
            r.test.indices != r.validation,
            RUN_CALL,
            format!("a test report on the rows {:?}", r.test.indices),
            "the test rows, not the validation rows",
            VALIDATION_AS_TEST,
        );
        let all: Vec<usize> =
            r.train.iter().chain(&r.validation).chain(&r.test.indices).copied().collect();
        check(
            sorted(&all) == (0..n).collect::<Vec<_>>(),
            RUN_CALL,
            format!("train, validation and test rows {all:?}"),
            "every row of the table in exactly one of them",
            SPLIT,
        );
        let path = temp_file("report-model.json");
        let saved = call("save(&report.model.model, path)", SAVE, || {
            exercise_10::save(&r.model.model, &path)
        });
        if let Err(e) = saved {
            fail("save(&report.model.model, path)", format!("Err({e:?})"), "Ok(())", SAVE);
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let _ = std::fs::remove_file(&path);
        let model = solution_09::from_json(&text).unwrap_or_else(|e| {
            fail("from_json(the saved file)", format!("Err({e})"), "the model", SAVE)
        });
        let measure =
            |m: &ModelFile, rows: &[usize]| reference::mse(m, &reference_rows(table, rows));
        for (what, got, expected, hint) in [
            ("training.loss", model.training.loss, measure(&model, &r.train), RECOMPUTE),
            ("validation_error", r.validation_error, measure(&model, &r.validation), RECOMPUTE),
            (
                "test.model",
                r.test.model,
                measure(&model, &r.test.indices),
                if close(r.test.model, r.validation_error) {
                    VALIDATION_AS_TEST
                } else {
                    RECOMPUTE
                },
            ),
            ("test.baseline", r.test.baseline, measure(&r.baseline, &r.test.indices), RECOMPUTE),
            (
                "the baseline's bias",
                r.baseline.parameters.last().copied().unwrap_or(f64::NAN),
                r.train.iter().map(|&i| table.y[i]).sum::<f64>() / r.train.len() as f64,
                BASELINE_ALL_ROWS,
            ),
        ] {
            check(
                close(got, expected),
                RUN_CALL,
                format!("{what} {got:?}"),
                format!("{expected:?}, measured again from the saved model and the data"),
                hint,
            );
        }
    }

    #[test]
    fn the_pipeline_chooses_and_reports_as_the_reference_does() {
        let r = report();
        let expected = reference::run(
            &to_reference_table(diabetes()),
            &reference::SETTINGS,
            reference::FRACTIONS,
            reference::SEED,
            reference::FOLDS,
        )
        .unwrap();
        let got_means: Vec<f64> = r.choice.scores.iter().map(|s| s.mean).collect();
        let means: Vec<f64> = expected.choice.scores.iter().map(|s| s.mean).collect();
        let training_losses: Vec<f64> =
            r.choice.scores.iter().map(|s| s.folds[0].model.training.loss).collect();
        let by_training =
            training_losses.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i);
        let hint = if !all_close(&got_means, &means) {
            CV_DIFFERS
        } else if by_training == Some(r.choice.best) {
            CHOOSES_BY_TRAINING
        } else {
            CHOOSE
        };
        check(
            r.choice.best == expected.choice.best && all_close(&got_means, &means),
            RUN_CALL,
            format!("best {} of the means {got_means:?}", r.choice.best),
            format!("best {} of the means {means:?}", expected.choice.best),
            hint,
        );
        check(
            close(r.test.model, expected.test.model)
                && r.train == expected.train
                && r.validation == expected.validation,
            RUN_CALL,
            format!("test error {:?}", r.test.model),
            format!("{:?}", expected.test.model),
            RUN,
        );
    }
}

// ---------------------------------------------------------------------------
// 7. Saving and predicting
// ---------------------------------------------------------------------------

mod step11_save_and_predict {
    use super::*;

    #[test]
    fn save_writes_a_file_that_exercise_09_loads() {
        let path = temp_file("save.json");
        let model = hand_model();
        let text = format!("save(&{model:?}, {path:?})");
        let got = call(&text, SAVE, || exercise_10::save(&model, &path));
        let read = std::fs::read_to_string(&path).unwrap_or_default();
        let _ = std::fs::remove_file(&path);
        let back = solution_09::from_json(&read);
        check(
            got.is_ok() && back.as_ref() == Ok(&model),
            &text,
            format!("{got:?}, and the file read back: {back:?}"),
            format!("Ok(()), and the file read back: Ok({model:?})"),
            SAVE,
        );
        let mut bad = hand_model();
        bad.parameters[0] = f64::NAN;
        let got = call(&text, SAVE, || exercise_10::save(&bad, &path));
        let _ = std::fs::remove_file(&path);
        check(
            matches!(got, Err(PipelineError::File(_))),
            "save(&a model with a NaN weight, path)",
            format!("{got:?}"),
            "Err(PipelineError::File(NotFinite …)): exercise 09's to_json checks first",
            SAVE,
        );
    }

    #[test]
    fn predict_reads_the_saved_model_and_matches_the_columns_by_name() {
        let path = temp_file("predict.json");
        std::fs::write(&path, solution_09::to_json(&hand_model()).unwrap()).unwrap();
        // The columns in another order, and one the model does not use.
        let table = Table {
            schema: schema(&["extra", "a"]),
            x: DMatrix::from_row_slice(3, 2, &[9.0, 1.0, 9.0, 3.0, 9.0, 5.0]),
            y: DVector::from_vec(vec![0.0, 0.0, 0.0]),
        };
        let text = format!("predict({path:?}, &a table of the columns extra, a = [1, 3, 5])");
        let got = call(&text, PREDICT, || exercise_10::predict(&path, &table));
        let _ = std::fs::remove_file(&path);
        match got {
            Ok(values) if all_close(&values, &[1.0, 3.0, 5.0]) => {}
            other => fail(&text, format!("{other:?}"), "Ok([1.0, 3.0, 5.0])", PREDICT),
        }
        let missing = temp_file("no-such-model.json");
        let text = format!("predict({missing:?}, &table)");
        let got = call(&text, PREDICT, || exercise_10::predict(&missing, &table));
        let named =
            matches!(&got, Err(PipelineError::Io { path, .. }) if path.contains("no-such-model"));
        check(
            named,
            &text,
            format!("{got:?}"),
            "Err(PipelineError::Io { path: the file's path, .. })",
            PREDICT,
        );
    }
}
