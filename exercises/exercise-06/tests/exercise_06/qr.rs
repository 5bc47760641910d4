//! QR: least squares without squaring the condition number.

use support::{call, check, fail};

use crate::*;

#[test]
fn solve_qr_finds_the_best_line_through_the_houses() {
    let text = "solve_qr(&x, &y) with x = [1, size] and y = price of the house table";
    let (x, y) = (house_design(), house_prices());
    let got = call(text, SOLVE_QR, || exercise_06::solve_qr(&x, &y));
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
            SOLVE_QR,
        ),
        None => fail(
            text,
            "None",
            format!("Some({})", show_vector(&expected)),
            "R has no zero on its diagonal here, so solve_upper_triangular succeeds; return Some with the solution (see 'QR: least squares without squaring' in chapter 6)",
        ),
    }
}

#[test]
fn solve_qr_returns_none_for_a_column_of_zeros() {
    let x = matrix(&[&[1.0, 0.0], &[1.0, 0.0], &[1.0, 0.0]]);
    let y = vector(&[1.0, 2.0, 3.0]);
    let text = format!("solve_qr(&x, &y) with x = {}, y = {}", show_matrix(&x), show_vector(&y));
    let got = call(
        &text,
        "R has a zero on its diagonal here and solve_upper_triangular returns None: pass the None on instead of unwrapping it (see 'QR: least squares without squaring' in chapter 6)",
        || exercise_06::solve_qr(&x, &y),
    );
    if let Some(w) = got {
        fail(
            &text,
            format!("Some({})", show_vector(&w)),
            "None: a column of zeros leaves a zero on R's diagonal, and there is no single answer",
            SOLVE_QR,
        );
    }
}

#[test]
fn solve_qr_keeps_nine_digits_on_wampler3() {
    // Wampler3: the all-ones polynomial of degree 5 plus noise. QR keeps
    // about 9.5 digits of the certified answer; anything that goes through
    // XᵀX keeps about 6.6.
    let data = nist("Wampler3");
    let x = data.design_matrix();
    let text = "solve_qr(&x, &y) on NIST's Wampler3 (a polynomial of degree 5)";
    let got = call(text, SOLVE_QR, || exercise_06::solve_qr(&x, &data.y));
    let Some(w) = got else {
        fail(text, "None", "Some(six coefficients, all close to 1)", SOLVE_QR);
    };
    let digits = reference::accuracy::worst_digits(&w, &data.certified);
    check(
        digits >= 8.5,
        text,
        format!("{} (its worst coefficient has {digits:.1} correct digits)", show_vector(&w)),
        "at least 8.5 correct digits in every coefficient (the certified values are all 1)",
        if digits >= 2.0 { QR_SQUARES } else { SOLVE_QR },
    );
}
