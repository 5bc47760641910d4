//! When the inputs are wrong: every variant of TrainError, and the messages
//! that go with them.

use std::io::{self, Write};

use exercise_04::{Dataset, Descent, GradientError, Settings, Split, TrainError, Training};
use solution_03::{Argument, InputError};
use support::{call, check, fail};

use crate::*;

const ERRORS: &str = "see 'When the inputs are wrong' in chapter 4";

/// Checks that a call returned exactly the `expected` error, and that its
/// message mentions each of `mentions`.
#[track_caller]
fn check_error(
    text: &str,
    got: Result<Training, TrainError>,
    expected: TrainError,
    mentions: &[&str],
    hint: &str,
) {
    match got {
        Ok(run) => {
            fail(text, format!("Ok: {}", describe(&run)), format!("Err({expected:?})"), hint)
        }
        Err(e) => {
            // Debug, not ==: NaN is not equal to itself.
            check(
                format!("{e:?}") == format!("{expected:?}"),
                text,
                format!("Err({e:?})"),
                format!("Err({expected:?})"),
                hint,
            );
            let message = e.to_string();
            for part in mentions {
                check(
                    message.contains(part),
                    text,
                    format!("an error whose message is \"{message}\""),
                    format!("a message that mentions \"{part}\""),
                    "the messages come from the #[error(...)] attributes of TrainError and of exercise 03's GradientError; put them back as they were (see 'When the inputs are wrong' in chapter 4)",
                );
            }
        }
    }
}

fn train_on(
    split: &Split,
    learning_rate: f64,
    settings: &Settings,
) -> (String, Result<Training, TrainError>) {
    let text =
        format!("train({}, &split, {learning_rate:?}, &{settings:?}, &mut log)", params(UNTRAINED));
    let got = call(&text, ERRORS, || {
        exercise_04::train(UNTRAINED, split, learning_rate, settings, &mut io::sink())
    });
    (text, got)
}

#[test]
fn a_learning_rate_that_is_not_a_positive_number_is_an_error() {
    for rate in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        let (text, got) = train_on(&three_point_split(), rate, &Settings::lecture());
        let hint = match &got {
            Ok(_) if rate.is_nan() => RATE_NAN,
            Ok(_) if rate.is_infinite() => RATE_INFINITE,
            _ => {
                "train refuses a learning rate unless it is finite and greater than 0, before anything else: Err(TrainError::BadLearningRate { learning_rate }) (see 'When the inputs are wrong' in chapter 4)"
            }
        };
        check_error(
            &text,
            got,
            TrainError::BadLearningRate { learning_rate: rate },
            &[&format!("{rate}"), "greater than 0"],
            hint,
        );
    }
}

#[test]
fn a_mini_batch_of_zero_is_an_error_before_anything_is_logged() {
    let settings = Settings { descent: Descent::MiniBatch(0), ..Settings::lecture() };
    let text = format!(
        "train({}, &three_point_split, 0.1, &{settings:?}, &mut log) with log = Vec::new()",
        params(UNTRAINED)
    );
    let mut log: Vec<u8> = Vec::new();
    let got = call(&text, ERRORS, || {
        exercise_04::train(UNTRAINED, &three_point_split(), 0.1, &settings, &mut log)
    });
    check_error(
        &text,
        got,
        TrainError::ZeroBatchSize,
        &["at least 1"],
        "check the batch size before the first epoch: settings.descent.batch_size(data.train.len())? (see 'When the inputs are wrong' in chapter 4)",
    );
    check(
        log.is_empty(),
        &text,
        format!("the error, after writing {:?} to the log", String::from_utf8_lossy(&log)),
        "the error, with nothing written: bad input is refused before any work",
        "check the batch size before the first epoch: settings.descent.batch_size(data.train.len())? (see 'When the inputs are wrong' in chapter 4)",
    );
}

#[test]
fn an_empty_training_set_is_an_error() {
    let split = Split { train: Dataset::default(), validation: three_points() };
    let (text, got) = train_on(&split, 0.1, &Settings::lecture());
    check_error(
        &text,
        got,
        TrainError::TrainingSet(GradientError::NoExamples),
        &["the training set", "no examples"],
        CHECK_SPLIT,
    );
}

#[test]
fn a_training_set_of_different_lengths_is_an_error() {
    let split = Split {
        train: Dataset { x: vec![1.0, 2.0, 3.0], y: vec![3.0, 5.0] },
        validation: three_points(),
    };
    let (text, got) = train_on(&split, 0.1, &Settings::lecture());
    let expected = TrainError::TrainingSet(GradientError::Input(InputError::LengthMismatch {
        first: Argument::X,
        first_len: 3,
        second: Argument::Y,
        second_len: 2,
    }));
    check_error(&text, got, expected, &["the training set", "x has 3", "y has 2"], CHECK_SPLIT);
}

#[test]
fn a_nan_in_the_validation_set_is_an_error_that_names_it() {
    let split = Split {
        train: three_points(),
        validation: Dataset { x: vec![0.5, 2.5], y: vec![2.0, f64::NAN] },
    };
    let (text, got) = train_on(&split, 0.1, &Settings::lecture());
    let inner = GradientError::Input(InputError::NotFinite {
        argument: Argument::Y,
        index: 1,
        value: f64::NAN,
    });
    let hint = split_hint(got.as_ref().err(), &inner);
    let expected = TrainError::ValidationSet(inner);
    check_error(&text, got, expected, &["the validation set", "y[1] is NaN"], hint);
}

/// The hint for a run or check that should have reported `inner` as a
/// problem of the validation set.
fn split_hint(got: Option<&TrainError>, inner: &GradientError) -> &'static str {
    match got {
        Some(e) if format!("{e:?}") == format!("{:?}", TrainError::TrainingSet(inner.clone())) => {
            VALIDATION_AS_TRAINING
        }
        _ => CHECK_SPLIT,
    }
}

#[test]
fn check_split_names_an_empty_validation_set() {
    let split = Split { train: three_points(), validation: Dataset::default() };
    let text = "check_split(&Split { train: three_points, validation: Dataset::default() })";
    let got = call(text, CHECK_SPLIT, || exercise_04::check_split(&split));
    let expected: Result<(), TrainError> =
        Err(TrainError::ValidationSet(GradientError::NoExamples));
    let hint = split_hint(got.as_ref().err(), &GradientError::NoExamples);
    check(got == expected, text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn when_both_sets_are_wrong_the_training_set_is_reported() {
    // The training set is empty and the validation set holds an infinity:
    // check_split checks the training set first, so that is what it reports.
    let split = Split {
        train: Dataset::default(),
        validation: Dataset { x: vec![0.5, f64::INFINITY], y: vec![2.0, 6.0] },
    };
    let text = "check_split(&Split { train: Dataset::default(), validation: Dataset { x: vec![0.5, f64::INFINITY], y: vec![2.0, 6.0] } })";
    let got = call(text, CHECK_SPLIT, || exercise_04::check_split(&split));
    let expected: Result<(), TrainError> = Err(TrainError::TrainingSet(GradientError::NoExamples));
    let hint = match got {
        Err(TrainError::ValidationSet(_)) => VALIDATION_FIRST,
        _ => CHECK_SPLIT,
    };
    check(got == expected, text, format!("{got:?}"), format!("{expected:?}"), hint);
}

#[test]
fn bad_data_are_reported_before_a_mini_batch_of_zero() {
    let split = Split { train: Dataset::default(), validation: three_points() };
    let settings = Settings { descent: Descent::MiniBatch(0), ..Settings::lecture() };
    let (text, got) = train_on(&split, 0.1, &settings);
    let hint = match got {
        Err(TrainError::ZeroBatchSize) => BATCH_BEFORE_DATA,
        _ => CHECK_SPLIT,
    };
    check_error(
        &text,
        got,
        TrainError::TrainingSet(GradientError::NoExamples),
        &["the training set", "no examples"],
        hint,
    );
}

#[test]
fn a_bad_learning_rate_is_reported_before_bad_data() {
    let split = Split { train: Dataset::default(), validation: three_points() };
    let (text, got) = train_on(&split, 0.0, &Settings::lecture());
    let hint = match got {
        Err(TrainError::TrainingSet(_)) => DATA_BEFORE_RATE,
        _ => {
            "train refuses a learning rate unless it is finite and greater than 0, before anything else (see 'When the inputs are wrong' in chapter 4)"
        }
    };
    check_error(
        &text,
        got,
        TrainError::BadLearningRate { learning_rate: 0.0 },
        &["the learning rate is 0"],
        hint,
    );
}

/// A writer that refuses every write, like a full disk.
struct FullDisk;

impl Write for FullDisk {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("the disk is full"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_log_that_cannot_be_written_is_an_error_not_a_panic() {
    let text = format!(
        "train({}, &three_point_split, 0.1, &Settings::lecture(), &mut a_writer_that_fails)",
        params(UNTRAINED)
    );
    let got = call(&text, ERRORS, || {
        exercise_04::train(
            UNTRAINED,
            &three_point_split(),
            0.1,
            &Settings::lecture(),
            &mut FullDisk,
        )
    });
    check_error(
        &text,
        got,
        TrainError::Log { message: "the disk is full".to_string() },
        &["progress log", "the disk is full"],
        "turn the write's io::Error into TrainError::Log { message: e.to_string() } with map_err, and return it with ? (see 'A line of progress' in chapter 4)",
    );
}
