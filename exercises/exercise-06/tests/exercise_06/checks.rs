//! When there is no single answer: check_problem, check_rank, and the
//! errors that least_squares reports.

use exercise_06::{FitError, Solver};
use nalgebra::{DMatrix, DVector};
use support::{call, fail};

use crate::*;

#[track_caller]
fn check_problem_of(x: &DMatrix<f64>, y: &DVector<f64>) -> (String, Result<(), FitError>) {
    let text = format!("check_problem(&x, &y) with x = {}, y = {}", show_matrix(x), show_vector(y));
    let got = call(&text, CHECK_PROBLEM, || exercise_06::check_problem(x, y));
    (text, got)
}

#[test]
fn check_problem_accepts_the_house_table() {
    let (text, got) = check_problem_of(&house_design(), &house_prices());
    expect_ok(
        &text,
        got,
        "()",
        "the house table has 7 rows, 7 prices, 2 columns and only finite numbers: return Ok(()) (see 'When there is no single answer' in chapter 6)",
    );
}

#[test]
fn check_problem_reports_a_length_mismatch() {
    let x = matrix(&[&[1.0, 2.0], &[1.0, 3.0], &[1.0, 5.0]]);
    let (text, got) = check_problem_of(&x, &vector(&[1.0, 2.0, 3.0, 4.0]));
    check_error(
        &text,
        got,
        &FitError::LengthMismatch { rows: 3, targets: 4 },
        &["3 rows", "4 values"],
        "x has 3 rows but y has 4 values: report FitError::LengthMismatch (see 'When there is no single answer' in chapter 6)",
        CHECK_PROBLEM,
    );
    // Lengths come first, even when x has no columns at all.
    let (text, got) = check_problem_of(&DMatrix::zeros(2, 0), &vector(&[1.0]));
    check_error(
        &text,
        got,
        &FitError::LengthMismatch { rows: 2, targets: 1 },
        &["2 rows", "1 values"],
        CHECK_PROBLEM,
        CHECK_PROBLEM,
    );
}

#[test]
fn check_problem_reports_a_matrix_without_columns() {
    let (text, got) = check_problem_of(&DMatrix::zeros(3, 0), &vector(&[1.0, 2.0, 3.0]));
    check_error(
        &text,
        got,
        &FitError::NoColumns,
        &["no columns"],
        "x has no columns, so there is nothing to fit: report FitError::NoColumns (see 'When there is no single answer' in chapter 6)",
        CHECK_PROBLEM,
    );
}

#[test]
fn check_problem_reports_fewer_rows_than_columns() {
    // Two equations, three unknowns: a whole line of exact answers.
    let x = matrix(&[&[1.0, 2.0, 4.0], &[1.0, 3.0, 9.0]]);
    let (text, got) = check_problem_of(&x, &vector(&[1.0, 2.0]));
    check_error(
        &text,
        got,
        &FitError::TooFewRows { rows: 2, parameters: 3 },
        &["2 rows", "3 columns"],
        TOO_FEW_ROWS,
        CHECK_PROBLEM,
    );
}

#[test]
fn check_problem_accepts_as_many_rows_as_columns() {
    // Two equations, two unknowns: exactly one answer, the line through the
    // two points. That is enough rows; only fewer are too few.
    let x = matrix(&[&[1.0, 1.0], &[1.0, 3.0]]);
    let (text, got) = check_problem_of(&x, &vector(&[2.0, 4.0]));
    expect_ok(
        &text,
        got,
        "()",
        "as many rows as columns is a square system with one exact answer: only fewer rows than columns is FitError::TooFewRows (rows < columns, not <=; see 'When there is no single answer' in chapter 6)",
    );
}

#[test]
fn check_problem_reports_the_first_value_that_is_not_finite() {
    // Column by column: column 1 holds a NaN before column 2's infinity.
    let x = matrix(&[
        &[1.0, 2.0, f64::INFINITY],
        &[1.0, f64::NAN, 1.0],
        &[1.0, 5.0, 2.0],
        &[1.0, 7.0, 3.0],
    ]);
    let (text, got) = check_problem_of(&x, &vector(&[1.0, 2.0, f64::NAN, 4.0]));
    let hint = match &got {
        Err(FitError::NotFiniteFeature { row: 0, column: 2, .. }) => ROW_BY_ROW,
        Err(FitError::NotFiniteTarget { .. }) => Y_FIRST,
        _ => CHECK_PROBLEM,
    };
    check_error(
        &text,
        got,
        &FitError::NotFiniteFeature { row: 1, column: 1, value: f64::NAN },
        &["x[(1, 1)]", "NaN"],
        "one NaN in x makes every coefficient NaN: report FitError::NotFiniteFeature with its row and column (see 'When there is no single answer' in chapter 6)",
        hint,
    );
    let x = matrix(&[&[1.0, 2.0], &[1.0, 3.0], &[1.0, 5.0]]);
    let (text, got) = check_problem_of(&x, &vector(&[1.0, 2.0, f64::INFINITY]));
    check_error(
        &text,
        got,
        &FitError::NotFiniteTarget { row: 2, value: f64::INFINITY },
        &["y[2]", "inf"],
        "an infinite target makes every coefficient infinite or NaN: report FitError::NotFiniteTarget with its row (see 'When there is no single answer' in chapter 6)",
        CHECK_PROBLEM,
    );
}

#[test]
fn check_problem_reports_an_infinity_in_the_middle_of_x() {
    let x = matrix(&[&[1.0, 2.0], &[1.0, 3.0], &[1.0, f64::INFINITY], &[1.0, 7.0]]);
    let (text, got) = check_problem_of(&x, &vector(&[1.0, 2.0, 3.0, 4.0]));
    check_error(
        &text,
        got,
        &FitError::NotFiniteFeature { row: 2, column: 1, value: f64::INFINITY },
        &["x[(2, 1)]", "inf"],
        INFINITY_PASSES,
        CHECK_PROBLEM,
    );
}

#[test]
fn check_problem_reports_the_shape_before_the_values() {
    // Each problem has a wrong shape and a value that is not finite as
    // well: the shape is reported.
    let cases = [
        (
            matrix(&[&[1.0, f64::NAN, 4.0], &[1.0, 3.0, 9.0]]),
            vector(&[1.0, f64::INFINITY]),
            FitError::TooFewRows { rows: 2, parameters: 3 },
        ),
        (
            matrix(&[&[1.0, 2.0], &[1.0, f64::NAN], &[1.0, 5.0]]),
            vector(&[1.0, 2.0, 3.0, f64::NAN]),
            FitError::LengthMismatch { rows: 3, targets: 4 },
        ),
    ];
    for (x, y, expected) in cases {
        let (text, got) = check_problem_of(&x, &y);
        let hint = match &got {
            Err(FitError::NotFiniteFeature { .. } | FitError::NotFiniteTarget { .. }) => {
                SHAPE_FIRST
            }
            _ => CHECK_PROBLEM,
        };
        check_error(&text, got, &expected, &[], CHECK_PROBLEM, hint);
    }
}

#[track_caller]
fn check_rank_of(x: &DMatrix<f64>) -> (String, Result<(), FitError>) {
    let text = format!("check_rank(&x) with x = {}", show_matrix(x));
    let got = call(&text, CHECK_RANK, || exercise_06::check_rank(x));
    (text, got)
}

#[test]
fn check_rank_accepts_independent_columns() {
    let (text, got) = check_rank_of(&house_design());
    expect_ok(&text, got, "()", CHECK_RANK);
    // Filip's columns, 1, x, x², …, x¹⁰, are nearly dependent (κ ≈ 5·10⁹),
    // but not quite: every column sticks out by more than 10⁻¹² of its length.
    let x = nist("Filip").design_matrix();
    let text = "check_rank(&x) with x = the design matrix of NIST's Filip (1, x, …, x¹⁰)";
    let got = call(text, CHECK_RANK, || exercise_06::check_rank(&x));
    expect_ok(text, got, "()", CHECK_RANK);
}

#[test]
fn check_rank_names_a_repeated_column() {
    let x = DMatrix::from_fn(7, 3, |i, j| if j == 0 { 1.0 } else { HOUSE_SIZES[i] });
    let (text, got) = check_rank_of(&x);
    check_error(
        &text,
        got,
        &FitError::DependentColumns { column: 2, combination: vec![(1, 1.0)] },
        &["column 2 = 1 × column 1"],
        NO_SINGULARITY_CHECK,
        CHECK_RANK,
    );
}

#[test]
fn check_rank_names_a_constant_feature_next_to_the_ones() {
    // A feature that is 3.7 for every example is 3.7 times the column of ones.
    let x = matrix(&[&[1.0, 3.7], &[1.0, 3.7], &[1.0, 3.7], &[1.0, 3.7]]);
    let (text, got) = check_rank_of(&x);
    check_error(
        &text,
        got,
        &FitError::DependentColumns { column: 1, combination: vec![(0, 3.7)] },
        &["column 1 = 3.7 × column 0"],
        NO_SINGULARITY_CHECK,
        CHECK_RANK,
    );
}

#[test]
fn check_rank_measures_distances_in_each_columns_own_units() {
    // Tiny numbers, independent columns: R₁₁ is tiny too, but so is the column.
    let x = matrix(&[&[1.0, 1e-14], &[1.0, 2e-14], &[1.0, 4e-14], &[1.0, 7e-14]]);
    let (text, got) = check_rank_of(&x);
    expect_ok(&text, got, "()", ABSOLUTE_TOLERANCE);
    // Large numbers, dependent columns: column 2 = 2 × column 1, and the
    // rounding left in R₂₂ is large in absolute terms.
    let a = [1.1e9, 2.3e9, 3.7e9, 5.3e9];
    let x = DMatrix::from_fn(4, 3, |i, j| [1.0, a[i], 2.0 * a[i]][j]);
    let (text, got) = check_rank_of(&x);
    check_error(
        &text,
        got,
        &FitError::DependentColumns { column: 2, combination: vec![(1, 2.0)] },
        &["column 2 = 2 × column 1"],
        ABSOLUTE_TOLERANCE,
        CHECK_RANK,
    );
}

#[test]
fn check_rank_names_a_column_of_zeros() {
    // A feature that is 0 for every example: |R₁₁| = 0, and so is its length.
    let x = matrix(&[&[1.0, 0.0], &[1.0, 0.0], &[1.0, 0.0]]);
    let (text, got) = check_rank_of(&x);
    check_error(
        &text,
        got,
        &FitError::DependentColumns { column: 1, combination: vec![] },
        &["column 1 is all zeros"],
        ZERO_COLUMN,
        CHECK_RANK,
    );
}

#[test]
fn check_rank_accepts_a_small_feature_next_to_a_large_one() {
    // Sizes in the billions next to a feature of about 0.001: the small
    // column sticks out of the others by about its own length, so it is a
    // new direction, however small next to the matrix as a whole.
    let a = [1.1e9, 2.3e9, 3.7e9, 5.3e9];
    let c = [0.001, -0.002, 0.0015, 0.0005];
    let x = DMatrix::from_fn(4, 3, |i, j| [1.0, a[i], c[i]][j]);
    let (text, got) = check_rank_of(&x);
    expect_ok(&text, got, "()", WHOLE_MATRIX);
}

#[test]
fn least_squares_reports_a_singular_problem_instead_of_an_answer() {
    let y = vector(&[1.0, 2.0, 3.0, 4.0]);
    let repeated =
        matrix(&[&[1.0, 2.0, 2.0], &[1.0, 3.0, 3.0], &[1.0, 5.0, 5.0], &[1.0, 7.0, 7.0]]);
    let wide = matrix(&[
        &[1.0, 2.0, 4.0, 8.0, 16.0],
        &[1.0, 3.0, 9.0, 27.0, 81.0],
        &[1.0, 5.0, 25.0, 125.0, 625.0],
        &[1.0, 7.0, 49.0, 343.0, 2401.0],
    ]);
    for solver in Solver::ALL {
        let text = format!(
            "least_squares(&x, &y, Solver::{solver:?}) with x = {}, y = {}",
            show_matrix(&repeated),
            show_vector(&y)
        );
        let got = call(&text, PIPELINE, || exercise_06::least_squares(&repeated, &y, solver));
        let expected = FitError::DependentColumns { column: 2, combination: vec![(1, 1.0)] };
        match got {
            Err(e) if e == expected => {}
            Ok(_) | Err(FitError::IllConditioned { .. }) => {
                fail(&text, format!("{got:?}"), format!("Err({expected:?})"), NO_SINGULARITY_CHECK)
            }
            Err(e) => fail(&text, format!("Err({e:?})"), format!("Err({expected:?})"), CHECK_RANK),
        }
        let text = format!(
            "least_squares(&x, &y, Solver::{solver:?}) with x = {}, y = {}",
            show_matrix(&wide),
            show_vector(&y)
        );
        let got = call(&text, TOO_FEW_ROWS, || exercise_06::least_squares(&wide, &y, solver));
        check_error(
            &text,
            got,
            &FitError::TooFewRows { rows: 4, parameters: 5 },
            &["4 rows", "5 columns"],
            TOO_FEW_ROWS,
            TOO_FEW_ROWS,
        );
    }
}
