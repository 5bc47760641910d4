//! Properties: what must hold for any numbers, checked on 64 random cases
//! each (always the same ones), and agreement with the reference solution.

use exercise_03::{GRADIENT_CHECK_STEP, GRADIENT_CHECK_THRESHOLD, Gradient};
use proptest::collection::vec;
use proptest::prelude::*;
use support::call;

use crate::*;

/// Numbers of the size a regression meets; the properties stay away from
/// overflow, which is not what they are about.
fn number() -> impl Strategy<Value = f64> {
    -100.0..100.0f64
}

/// A parameter of a line.
fn parameter() -> impl Strategy<Value = f64> {
    -10.0..10.0f64
}

/// Inputs and targets of the same length, 1 to 20 examples.
fn examples() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..=20).prop_flat_map(|n| (vec(number(), n), vec(number(), n)))
}

/// Rows of `d` features (0 to 4) and their targets, 1 to 12 examples, with a
/// weight for each feature.
fn feature_examples() -> impl Strategy<Value = (Vec<f64>, Vec<Vec<f64>>, Vec<f64>)> {
    (0usize..=4, 1usize..=12)
        .prop_flat_map(|(d, n)| (vec(parameter(), d), vec(vec(number(), d), n), vec(number(), n)))
}

/// The size of the terms that make up a gradient: rounding errors are a
/// small multiple of 10⁻¹⁶ of this.
fn term_size(w: f64, b: f64, x: &[f64], y: &[f64]) -> Gradient {
    let size = |xi: f64, yi: f64| (w * xi).abs() + b.abs() + yi.abs();
    Gradient {
        dw: 2.0 * mean(x.iter().zip(y).map(|(&xi, &yi)| size(xi, yi) * xi.abs())),
        db: 2.0 * mean(x.iter().zip(y).map(|(&xi, &yi)| size(xi, yi))),
    }
}

/// The reference solution's gradient as the exercise's type.
fn from_reference(g: reference::Gradient) -> Gradient {
    Gradient { dw: g.dw, db: g.db }
}

/// Whether `got` is within `slack` (times the size of the terms) of
/// `expected`, component by component.
fn within(got: Gradient, expected: Gradient, size: Gradient, slack: f64) -> bool {
    (got.dw - expected.dw).abs() <= slack * (1.0 + size.dw)
        && (got.db - expected.db).abs() <= slack * (1.0 + size.db)
}

#[test]
fn gradients_agree_with_the_reference_solution() {
    gradient_once(GRADIENT);
    for_all((parameter(), parameter(), examples()), |(w, b, (x, y))| {
        let expected =
            from_reference(reference::mse_gradient(w, b, &x, &y).expect("valid examples"));
        let got = ok_gradient(w, b, &x, &y, GRADIENT)?;
        if !within(got, expected, term_size(w, b, &x, &y), 1e-12) {
            let text = format!("mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
            return Err(explain(
                &text,
                grad(got),
                grad(expected),
                diagnose_gradient(got, w, b, &x, &y, false),
            ));
        }
        let expected =
            from_reference(reference::half_mse_gradient(w, b, &x, &y).expect("valid examples"));
        let text = format!("half_mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
        let got = call(&text, HALF, || exercise_03::half_mse_gradient(w, b, &x, &y))
            .map_err(|e| explain(&text, format!("Err({e:?})"), grad(expected), HALF))?;
        if !within(got, expected, term_size(w, b, &x, &y), 1e-12) {
            return Err(explain(
                &text,
                grad(got),
                grad(expected),
                diagnose_gradient(got, w, b, &x, &y, true),
            ));
        }
        Ok(())
    });
}

#[test]
fn feature_gradients_agree_with_the_reference_solution() {
    call("mse_gradient_features(&[1.0], 0.0, &[vec![1.0]], &[1.0])", FEATURES, || {
        exercise_03::mse_gradient_features(&[1.0], 0.0, &[vec![1.0]], &[1.0])
    })
    .ok();
    for_all((feature_examples(), parameter()), |((w, xs, y), b)| {
        let expected = reference::mse_gradient_features(&w, b, &xs, &y).expect("valid examples");
        let expected = exercise_03::FeatureGradient { dw: expected.dw, db: expected.db };
        let text =
            format!("mse_gradient_features({}, {b:?}, {}, {})", lit(&w), rows_lit(&xs), lit(&y));
        let got = call(&text, FEATURES, || exercise_03::mse_gradient_features(&w, b, &xs, &y))
            .map_err(|e| {
                explain(&text, format!("Err({e:?})"), format!("Ok({expected:?})"), FEATURES)
            })?;
        // Rounding: the terms are at most about 4·10·100·100 + ... here.
        let slack = |v: f64| 1e-9 * (1.0 + v.abs());
        let same = got.dw.len() == expected.dw.len()
            && got.dw.iter().zip(&expected.dw).all(|(g, e)| (g - e).abs() <= slack(*e) + 1e-7)
            && (got.db - expected.db).abs() <= slack(expected.db) + 1e-7;
        if same {
            return Ok(());
        }
        Err(explain(
            &text,
            format!("{got:?}"),
            format!("{expected:?}"),
            diagnose_feature_gradient(&got, &w, b, &xs, &y),
        ))
    });
}

#[test]
fn one_feature_gradient_is_the_one_input_gradient() {
    gradient_once(GRADIENT);
    for_all((parameter(), parameter(), examples()), |(w, b, (x, y))| {
        let one = ok_gradient(w, b, &x, &y, GRADIENT)?;
        let expected = expected_gradient(w, b, &x, &y);
        if !within(one, expected, term_size(w, b, &x, &y), 1e-12) {
            let text = format!("mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
            return Err(explain(
                &text,
                grad(one),
                grad(expected),
                diagnose_gradient(one, w, b, &x, &y, false),
            ));
        }
        let xs: Vec<Vec<f64>> = x.iter().map(|&xi| vec![xi]).collect();
        let text =
            format!("mse_gradient_features(&[{w:?}], {b:?}, {}, {})", rows_lit(&xs), lit(&y));
        let many =
            call(&text, FEATURES, || exercise_03::mse_gradient_features(&[w], b, &xs, &y))
                .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a gradient)", FEATURES))?;
        let as_one = many.dw.first().map(|&dw| Gradient { dw, db: many.db });
        match as_one {
            Some(g) if many.dw.len() == 1 && within(g, one, term_size(w, b, &x, &y), 1e-12) => {
                Ok(())
            }
            _ => Err(explain(
                &text,
                format!("{many:?}"),
                format!(
                    "FeatureGradient {{ dw: [{:?}], db: {:?} }}, what mse_gradient({w:?}, {b:?}, ...) gives",
                    one.dw, one.db
                ),
                diagnose_feature_gradient(&many, &[w], b, &xs, &y),
            )),
        }
    });
}

#[test]
fn half_gradient_is_half_the_gradient() {
    gradient_once(GRADIENT);
    for_all((parameter(), parameter(), examples()), |(w, b, (x, y))| {
        let full = ok_gradient(w, b, &x, &y, GRADIENT)?;
        let text = format!("half_mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
        let half = call(&text, HALF, || exercise_03::half_mse_gradient(w, b, &x, &y))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a gradient)", HALF))?;
        let expected = Gradient { dw: full.dw / 2.0, db: full.db / 2.0 };
        if close_gradient(half, expected) {
            return Ok(());
        }
        let hint = if close_gradient(half, full) { FORGOT_HALF } else { HALF };
        Err(explain(
            &text,
            grad(half),
            format!("{}, half of mse_gradient's {}", grad(expected), grad(full)),
            hint,
        ))
    });
}

#[test]
fn gradient_is_linear_in_the_errors() {
    // Fix x, w and b, and choose the targets so that the errors are e₁, e₂,
    // or a·e₁ + c·e₂. The gradient is a mean of errors times inputs, so it
    // must follow: g(a·e₁ + c·e₂) = a·g(e₁) + c·g(e₂).
    gradient_once(GRADIENT);
    let cases = (parameter(), parameter(), -3.0..3.0f64, -3.0..3.0f64, 1usize..=20).prop_flat_map(
        |(w, b, a, c, n)| {
            (Just((w, b, a, c)), vec(number(), n), vec(number(), n), vec(number(), n))
        },
    );
    for_all(cases, |((w, b, a, c), x, e1, e2)| {
        let targets = |errors: &[f64]| -> Vec<f64> {
            x.iter().zip(errors).map(|(xi, ei)| w * xi + b - ei).collect()
        };
        let combined: Vec<f64> = e1.iter().zip(&e2).map(|(u, v)| a * u + c * v).collect();
        let (y1, y2, y) = (targets(&e1), targets(&e2), targets(&combined));
        let g1 = ok_gradient(w, b, &x, &y1, GRADIENT)?;
        let g2 = ok_gradient(w, b, &x, &y2, GRADIENT)?;
        let got = ok_gradient(w, b, &x, &y, GRADIENT)?;
        let expected = Gradient { dw: a * g1.dw + c * g2.dw, db: a * g1.db + c * g2.db };
        let size = term_size(w, b, &x, &y);
        if within(got, expected, size, 1e-11) {
            return Ok(());
        }
        let text = format!("mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
        Err(explain(
            &text,
            grad(got),
            format!(
                "{}: {a:?}·g(e₁) + {c:?}·g(e₂), with g(e₁) = {} and g(e₂) = {}",
                grad(expected),
                grad(g1),
                grad(g2)
            ),
            "the gradient must be linear in the errors: each error counts once, multiplied by its x (for dw) or by 1 (for db), never squared or made positive (see 'The gradient of the mean squared error' in chapter 3)",
        ))
    });
}

#[test]
fn gradient_is_zero_at_the_least_squares_line() {
    // The best line through any points (with x not all equal) has
    // slope = cov(x, y) / var(x) and passes through the point of means. At
    // the bottom of the bowl the cost is flat: both slopes are 0.
    gradient_once(GRADIENT);
    let cases = (2usize..=20).prop_flat_map(|n| (vec(number(), n), vec(number(), n))).prop_filter(
        "x must not be all the same",
        |(x, _)| {
            let mx = mean(x.iter().copied());
            mean(x.iter().map(|v| (v - mx) * (v - mx))) > 1.0
        },
    );
    for_all(cases, |(x, y)| {
        let (mx, my) = (mean(x.iter().copied()), mean(y.iter().copied()));
        let cov = mean(x.iter().zip(&y).map(|(a, c)| (a - mx) * (c - my)));
        let var = mean(x.iter().map(|a| (a - mx) * (a - mx)));
        let w = cov / var;
        let b = my - w * mx;
        let got = ok_gradient(w, b, &x, &y, GRADIENT)?;
        if within(got, Gradient { dw: 0.0, db: 0.0 }, term_size(w, b, &x, &y), 1e-9) {
            return Ok(());
        }
        let text = format!("mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
        Err(explain(
            &text,
            grad(got),
            "Gradient { dw: 0.0, db: 0.0 }, up to rounding: this is the least-squares line, the bottom of the cost",
            GRADIENT,
        ))
    });
}

#[test]
fn a_small_step_against_the_gradient_lowers_the_cost() {
    // The minus sign of gradient descent: from any line that is not the best
    // one, a small enough step against the gradient goes downhill.
    gradient_once(GRADIENT);
    for_all((parameter(), parameter(), examples()), |(w, b, (x, y))| {
        let g = ok_gradient(w, b, &x, &y, GRADIENT)?;
        let expected = expected_gradient(w, b, &x, &y);
        // A step small enough for the curvature of this cost.
        let alpha = 0.1 / (1.0 + mean(x.iter().map(|v| v * v)));
        let before = cost_of(w, b, &x, &y);
        let decrease = alpha * (expected.dw * expected.dw + expected.db * expected.db);
        if decrease <= 1e-9 * (1.0 + before) {
            return Ok(()); // (almost) at the bottom: nothing to see
        }
        let after = cost_of(w - alpha * g.dw, b - alpha * g.db, &x, &y);
        if after < before {
            return Ok(());
        }
        let text = format!("mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
        let hint = diagnose_gradient(g, w, b, &x, &y, false);
        let hint = if hint == GRADIENT {
            "a step against the gradient must go downhill: the gradient points the way the cost rises fastest (see 'Against the gradient' in chapter 3)"
        } else {
            hint
        };
        Err(explain(
            &text,
            grad(g),
            format!(
                "a gradient such that the step (w, b) − {alpha:e}·gradient lowers the cost; it raised it from {before:?} to {after:?}"
            ),
            hint,
        ))
    });
}

#[test]
fn analytic_gradient_agrees_with_central_differences() {
    // The learner's formula against the learner's measurement, on random
    // data. The cost is a parabola in w and in b, so the central difference
    // has no truncation error: only rounding, about 10⁻¹⁶·cost / h.
    gradient_once(GRADIENT);
    for_all((parameter(), parameter(), examples()), |(w, b, (x, y))| {
        let analytic = ok_gradient(w, b, &x, &y, GRADIENT)?;
        let text = format!(
            "numerical_gradient(|w, b| <the MSE of {} and {}>, {w:?}, {b:?}, {GRADIENT_CHECK_STEP:e})",
            lit(&x),
            lit(&y)
        );
        let cost = |w: f64, b: f64| cost_of(w, b, &x, &y);
        let numerical = call(&text, NUMERICAL, || {
            exercise_03::numerical_gradient(cost, w, b, GRADIENT_CHECK_STEP)
        })
        .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a gradient)", NUMERICAL))?;
        let allowed = 1e-8 * (1.0 + cost(w, b));
        let agree = |a: f64, n: f64| (a - n).abs() <= 1e-6 * a.abs().max(n.abs()) + allowed;
        if agree(analytic.dw, numerical.dw) && agree(analytic.db, numerical.db) {
            return Ok(());
        }
        let expected = expected_gradient(w, b, &x, &y);
        let hint = if !close_gradient(analytic, expected) {
            diagnose_gradient(analytic, w, b, &x, &y, false)
        } else {
            diagnose_numerical_mse(numerical, (w, b, &x, &y), GRADIENT_CHECK_STEP, NUMERICAL)
        };
        Err(explain(
            &format!("mse_gradient({w:?}, {b:?}, {}, {}) against {text}", lit(&x), lit(&y)),
            format!("analytic {} and numerical {}", grad(analytic), grad(numerical)),
            "two gradients that agree to about six digits",
            hint,
        ))
    });
}

#[test]
fn gradient_check_passes_on_random_data() {
    // Where the gradient is not close to zero (a relative error says little
    // about a slope that is almost flat), the check must pass.
    gradient_once(GRADIENT);
    for_all((parameter(), parameter(), examples()), |(w, b, (x, y))| {
        let expected = expected_gradient(w, b, &x, &y);
        // Rounding leaves the measured slopes about 10⁻¹¹·cost off; where a
        // slope is 10⁻⁴·cost or more, that is a relative error below 10⁻⁶.
        let scale = 1e-4 * (1.0 + cost_of(w, b, &x, &y));
        if expected.dw.abs() < scale || expected.db.abs() < scale {
            return Ok(());
        }
        let text = format!("check_mse_gradient({w:?}, {b:?}, {}, {})", lit(&x), lit(&y));
        let report = call(&text, CHECK, || exercise_03::check_mse_gradient(w, b, &x, &y))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a GradientCheck)", CHECK))?;
        if report.passed() {
            return Ok(());
        }
        let hint = crate::gradient_check::diagnose_check(&report, (w, b, &x, &y));
        Err(explain(
            &text,
            format!("{report:?}, which did not pass"),
            format!(
                "both relative errors at most GRADIENT_CHECK_THRESHOLD = {GRADIENT_CHECK_THRESHOLD:e}"
            ),
            hint,
        ))
    });
}

#[test]
fn central_difference_of_a_cube_is_off_by_exactly_h_squared() {
    // ((a + h)³ − (a − h)³) / (2h) = 3a² + h² for every a and h: the error
    // is h², whatever a is. Halve h and it drops four times; the forward
    // difference's error, 3ah + h², only halves.
    call("central_difference(|a| a * a * a, 2.0, 0.001)", CENTRAL, || {
        exercise_03::central_difference(|a| a * a * a, 2.0, 0.001)
    })
    .ok();
    for_all((-10.0..10.0f64, 0.01..0.1f64), |(a, h)| {
        let text = format!("central_difference(|a| a * a * a, {a:?}, {h:?})");
        let got = call(&text, CENTRAL, || exercise_03::central_difference(|a| a * a * a, a, h))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a number)", CENTRAL))?;
        let expected = 3.0 * a * a + h * h;
        // Rounding: about 10⁻¹⁶ · a³ / h ≤ 10⁻¹¹ here.
        if (got - expected).abs() <= 1e-9 {
            return Ok(());
        }
        let forward = 3.0 * a * a + 3.0 * a * h + h * h;
        let hint = if (got - forward).abs() <= 1e-9 {
            FORWARD_WHERE_CENTRAL
        } else if (got - 2.0 * expected).abs() <= 1e-9 {
            OVER_H
        } else {
            CENTRAL
        };
        Err(explain(
            &text,
            num(got),
            format!("{expected:?}: 3a² + h², the true slope 3a² plus an error of h²"),
            hint,
        ))
    });
}

#[test]
fn relative_error_does_not_depend_on_the_scale() {
    call("relative_error(2.0, 1.0)", RELATIVE, || exercise_03::relative_error(2.0, 1.0));
    let cases = (-100.0..100.0f64, -100.0..100.0f64, -12i32..12);
    for_all(cases, |(a, n, power)| {
        let k = 10f64.powi(power);
        let text =
            format!("relative_error({a:?}, {n:?}) and relative_error({:?}, {:?})", k * a, k * n);
        let base = call(&text, RELATIVE, || exercise_03::relative_error(a, n));
        let scaled = call(&text, RELATIVE, || exercise_03::relative_error(k * a, k * n));
        let swapped = call(&text, RELATIVE, || exercise_03::relative_error(n, a));
        if (scaled - base).abs() <= 1e-12 * base.max(1.0) && swapped == base {
            return Ok(());
        }
        let hint = if close(base, (a - n).abs()) { ABSOLUTE } else { RELATIVE };
        Err(explain(
            &format!("{text}, and relative_error({n:?}, {a:?})"),
            format!("{base:?}, {scaled:?} and {swapped:?}"),
            format!(
                "the same number three times: scaling both by {k:e} or swapping them changes nothing"
            ),
            hint,
        ))
    });
}
