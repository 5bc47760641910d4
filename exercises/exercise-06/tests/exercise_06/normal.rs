//! The normal equations: forming XᵀX and Xᵀy, and solving them.

use nalgebra::{DMatrix, DVector};
use support::{call, check, fail};

use crate::*;

#[track_caller]
fn normal_equations_of(x: &DMatrix<f64>, y: &DVector<f64>) -> (String, DMatrix<f64>, DVector<f64>) {
    let text =
        format!("normal_equations(&x, &y) with x = {}, y = {}", show_matrix(x), show_vector(y));
    let (xtx, xty) = call(&text, NORMAL_EQUATIONS, || exercise_06::normal_equations(x, y));
    (text, xtx, xty)
}

#[test]
fn normal_equations_of_the_house_table() {
    // Σ1 = 7, Σx = 5800, Σx² = 5 200 000; Σy = 85, Σxy = 78 600.
    let (text, xtx, xty) = normal_equations_of(&house_design(), &house_prices());
    let expected = matrix(&[&[7.0, 5800.0], &[5800.0, 5_200_000.0]]);
    if !same_matrix(&xtx, &expected) {
        let x = house_design();
        let hint =
            if same_matrix(&xtx, &(&x * x.transpose())) { X_TIMES_XT } else { NORMAL_EQUATIONS };
        fail(&format!("XᵀX from {text}"), show_matrix(&xtx), show_matrix(&expected), hint);
    }
    let expected = vector(&[85.0, 78_600.0]);
    if !same_vector(&xty, &expected) {
        fail(
            &format!("Xᵀy from {text}"),
            show_vector(&xty),
            show_vector(&expected),
            NORMAL_EQUATIONS,
        );
    }
}

#[test]
fn normal_equations_multiply_by_the_transpose() {
    // With a square X, X·X and X·y fit too, so only the numbers tell them
    // apart; the workshop notebook's X was square.
    let x = matrix(&[&[1.0, 2.0], &[3.0, 4.0]]);
    let y = vector(&[5.0, 6.0]);
    let (text, xtx, xty) = normal_equations_of(&x, &y);
    let expected = matrix(&[&[10.0, 14.0], &[14.0, 20.0]]);
    if !same_matrix(&xtx, &expected) {
        let hint = if same_matrix(&xtx, &(&x * &x)) { X_TIMES_X } else { NORMAL_EQUATIONS };
        fail(&format!("XᵀX from {text}"), show_matrix(&xtx), show_matrix(&expected), hint);
    }
    let expected = vector(&[23.0, 34.0]);
    if !same_vector(&xty, &expected) {
        let hint = if same_vector(&xty, &(&x * &y)) { X_TIMES_Y } else { NORMAL_EQUATIONS };
        fail(&format!("Xᵀy from {text}"), show_vector(&xty), show_vector(&expected), hint);
    }
}

#[test]
fn solve_normal_equations_finds_the_best_line_through_the_houses() {
    let text = "solve_normal_equations(&x, &y) with x = [1, size] and y = price of the house table";
    let (x, y) = (house_design(), house_prices());
    let got = call(text, SOLVE_NORMAL, || exercise_06::solve_normal_equations(&x, &y));
    let expected = vector(&[BEST_B, BEST_W]);
    match got {
        Some(w) if same_vector(&w, &expected) => {}
        Some(w) => fail(
            text,
            format!("Some({})", show_vector(&w)),
            format!(
                "Some({}): b = −347/69 and w = 143/6900, worked out in chapter 6",
                show_vector(&expected)
            ),
            SOLVE_NORMAL,
        ),
        None => fail(
            text,
            "None",
            format!("Some({})", show_vector(&expected)),
            "XᵀX of the house table is positive definite, so cholesky() succeeds; return Some with the solution (see 'Solve, don't invert' in chapter 6)",
        ),
    }
}

#[test]
fn solve_normal_equations_returns_none_for_a_column_of_zeros() {
    let x = matrix(&[&[1.0, 0.0], &[1.0, 0.0], &[1.0, 0.0]]);
    let y = vector(&[1.0, 2.0, 3.0]);
    let text = format!(
        "solve_normal_equations(&x, &y) with x = {}, y = {}",
        show_matrix(&x),
        show_vector(&y)
    );
    let got = call(
        &text,
        "XᵀX is singular here and cholesky() returns None: pass the None on (with ? or a match) instead of unwrapping it (see 'Solve, don't invert' in chapter 6)",
        || exercise_06::solve_normal_equations(&x, &y),
    );
    if let Some(w) = got {
        fail(
            &text,
            format!("Some({})", show_vector(&w)),
            "None: a column of zeros makes XᵀX singular, and there is no single answer",
            "return None when cholesky() does; don't replace a failed factorisation with numbers (see 'Solve, don't invert' in chapter 6)",
        );
    }
}

#[test]
fn solve_normal_equations_keeps_six_digits_on_wampler1() {
    // Wampler1: y = 1 + x + x² + x³ + x⁴ + x⁵ exactly, for x = 0, …, 20.
    // κ(X)² is about 5·10⁶ after column scaling: Cholesky keeps about 6.6
    // digits of the certified all-ones answer, an explicit inverse about 3.
    let data = nist("Wampler1");
    let x = data.design_matrix();
    let text = "solve_normal_equations(&x, &y) on NIST's Wampler1 (a polynomial of degree 5)";
    let got = call(text, SOLVE_NORMAL, || exercise_06::solve_normal_equations(&x, &data.y));
    let Some(w) = got else {
        fail(text, "None", "Some(six coefficients, all close to 1)", SOLVE_NORMAL);
    };
    let digits = reference::accuracy::worst_digits(&w, &data.certified);
    check(
        digits >= 5.5,
        text,
        format!("{} (its worst coefficient has {digits:.1} correct digits)", show_vector(&w)),
        "at least 5.5 correct digits in every coefficient (the certified values are all 1)",
        if digits >= 2.0 { EXPLICIT_INVERSE } else { SOLVE_NORMAL },
    );
}
