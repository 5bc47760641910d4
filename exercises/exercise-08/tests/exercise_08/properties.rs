//! Properties that hold for any network, checked on 64 random cases each:
//! the gradient against central differences (exercise 03's method), what
//! the ReLU and dropout guarantee, and agreement with the reference solution.

use exercise_08::{Criterion, Shape};
use proptest::collection::vec;
use support::{call, explain};

use crate::*;

/// A random network (1 to 3 inputs, 1 to 5 hidden units), 1 to 6 examples,
/// targets, and masks (or none).
type Case = (Network, Vec<Vec<f64>>, Vec<f64>, Option<Vec<Vec<f64>>>);

fn cases() -> impl Strategy<Value = Case> {
    (1usize..=3, 1usize..=5, 1usize..=6, any::<bool>()).prop_flat_map(|(d, h, n, masked)| {
        let count = h * d + 2 * h + 1;
        (
            vec(-1.5..1.5f64, count),
            vec(vec(-2.0..2.0f64, d), n),
            vec(-3.0..3.0f64, n),
            vec(vec(prop_oneof![Just(0.0), Just(2.0), Just(1.25)], h), n),
        )
            .prop_map(move |(params, xs, y, masks)| {
                (network(d, h, &params), xs, y, masked.then_some(masks))
            })
    })
}

/// Whether some hidden input of some example lies within `margin` of the
/// ReLU's kink, where a central difference straddles it and means nothing.
fn near_kink(net: &Network, xs: &[Vec<f64>], margin: f64) -> bool {
    xs.iter().any(|r| sim_forward(net, r, None, Mistake::None).0.iter().any(|z| z.abs() < margin))
}

#[test]
fn the_gradient_matches_central_differences_on_random_networks() {
    let net = small();
    let _ = call("gradient(&small, Criterion::Mse, …)", GRADIENT, || {
        exercise_08::gradient(&net, Criterion::Mse, &[vec![1.0, 2.0]], &[1.0], None)
    });
    for_all(cases(), |(net, xs, y, masks)| {
        let h = 1e-6;
        if near_kink(&net, &xs, 1e-3) {
            return Ok(());
        }
        let text = format!(
            "gradient(&{}, Criterion::Mse, &{xs:?}, {}, {masks:?}) against central differences of loss(…) with h = {h:e}",
            describe(&net),
            lit(&y)
        );
        let got = exercise_08::gradient(&net, Criterion::Mse, &xs, &y, masks.as_deref());
        let loss_at = |params: &[f64]| {
            let moved = network(net.shape.inputs, net.shape.hidden, params);
            let out: Vec<f64> = xs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    sim_forward(&moved, r, masks.as_ref().map(|m| m[i].as_slice()), Mistake::None).2
                })
                .collect();
            Criterion::Mse.loss(&out, &y)
        };
        let numerical: Vec<f64> = (0..net.params.len())
            .map(|i| {
                let (mut up, mut down) = (net.params.clone(), net.params.clone());
                up[i] += h;
                down[i] -= h;
                (loss_at(&up) - loss_at(&down)) / (2.0 * h)
            })
            .collect();
        let agrees = got.len() == numerical.len()
            && got.iter().zip(&numerical).all(|(a, n)| (a - n).abs() <= 1e-5 * a.abs().max(1.0));
        if agrees {
            return Ok(());
        }
        let hint = diagnose(
            |m| {
                same_numbers(
                    &got,
                    &sim_gradient(&net, Criterion::Mse, &xs, &y, masks.as_deref(), m),
                )
            },
            CENTRAL_DIFFERENCES,
        );
        Err(explain(
            &text,
            short(&got),
            format!("{} (central differences, within 1e-5)", short(&numerical)),
            hint,
        ))
    });
}

#[test]
fn a_dead_unit_gets_no_gradient() {
    for_all(cases(), |(net, xs, y, _)| {
        let text = format!("dead_units(&{}, &{xs:?}) and gradient(…, None)", describe(&net));
        let dead = call(&text, DEAD_UNITS, || exercise_08::dead_units(&net, &xs));
        let g =
            call(&text, GRADIENT, || exercise_08::gradient(&net, Criterion::Mse, &xs, &y, None));
        let Shape { inputs: d, hidden: h } = net.shape;
        for &j in &dead {
            let parts = [&g[j * d..(j + 1) * d], &[g[h * d + j]], &[g[h * d + h + j]]].concat();
            if parts.iter().any(|v| *v != 0.0) {
                return Err(explain(
                    &text,
                    format!("unit {j} dead, and its gradient (W₁ row, b₁, W₂) {parts:?}"),
                    "zeros: no gradient reaches a dead unit",
                    SKIPS_RELU,
                ));
            }
        }
        let expected: Vec<usize> = (0..h)
            .filter(|&j| xs.iter().all(|r| sim_forward(&net, r, None, Mistake::None).0[j] <= 0.0))
            .collect();
        if dead != expected {
            return Err(explain(&text, format!("{dead:?}"), format!("{expected:?}"), DEAD_UNITS));
        }
        Ok(())
    });
}

#[test]
fn scaling_a_hidden_unit_up_and_its_output_weight_down_changes_nothing() {
    // relu(c·z) = c·relu(z) for c > 0: the ReLU is positively homogeneous.
    for_all((cases(), 0.25..4.0f64), |((net, xs, _, _), c)| {
        let Shape { inputs: d, hidden: h } = net.shape;
        let mut scaled = net.clone();
        for j in 0..h {
            for k in 0..d {
                scaled.params[j * d + k] *= c;
            }
            scaled.params[h * d + j] *= c;
            scaled.params[h * d + h + j] /= c;
        }
        let text = format!(
            "predict(&network, &{xs:?}) and predict(&scaled, …) with every unit scaled by {c}, {}",
            describe(&net)
        );
        let (a, b) = call(&text, PREDICT, || {
            (exercise_08::predict(&net, &xs), exercise_08::predict(&scaled, &xs))
        });
        let ok = a.len() == b.len()
            && a.iter().zip(&b).all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(1.0));
        if ok {
            Ok(())
        } else {
            Err(explain(&text, format!("{a:?} and {b:?}"), "the same predictions", FORWARD))
        }
    });
}

#[test]
fn init_stays_within_its_bounds_for_any_shape() {
    for_all((1usize..=8, 1usize..=8, any::<u64>()), |(d, h, seed)| {
        let shape = Shape { inputs: d, hidden: h };
        let text = format!("init({shape:?}, &mut seeded_rng({seed}))");
        let net = call(&text, INIT, || exercise_08::init(shape, &mut rng(seed)))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a network)", INIT))?;
        if net.params.len() != h * d + 2 * h + 1 {
            return Err(explain(
                &text,
                format!("{} parameters", net.params.len()),
                h * d + 2 * h + 1,
                PARAMETER_COUNT,
            ));
        }
        let (bd, bh) = (1.0 / (d as f64).sqrt(), 1.0 / (h as f64).sqrt());
        for (i, p) in net.params.iter().enumerate() {
            let bound = if i < h * d + h { bd } else { bh };
            if !(-bound..bound).contains(p) {
                return Err(explain(
                    &text,
                    format!("parameter {i} = {p:?}"),
                    format!("a number in [−{bound}, {bound})"),
                    ONE_BOUND,
                ));
            }
        }
        Ok(())
    });
}

#[test]
fn dropout_masks_hold_only_zero_and_the_scale() {
    for_all((0.0..0.95f64, 1usize..=10, 1usize..=10, any::<u64>()), |(p, rows, hidden, seed)| {
        let text = format!("dropout_mask({p:?}, {rows}, {hidden}, &mut seeded_rng({seed}))");
        let mask = call(&text, DROPOUT_MASK, || {
            exercise_08::dropout_mask(p, rows, hidden, &mut rng(seed))
        });
        let scale = 1.0 / (1.0 - p);
        let ok = mask.len() == rows
            && mask.iter().all(|r| r.len() == hidden && r.iter().all(|m| *m == 0.0 || *m == scale));
        if ok {
            Ok(())
        } else {
            Err(explain(
                &text,
                format!("{mask:?}"),
                format!("{rows} rows of {hidden} entries, each 0 or {scale:?}"),
                DROPOUT_MASK,
            ))
        }
    });
}

#[test]
fn the_gradient_agrees_with_the_reference_solution() {
    for_all(cases(), |(net, xs, y, masks)| {
        let text = format!(
            "gradient(&{}, Criterion::HalfMse, &{xs:?}, {}, {masks:?})",
            describe(&net),
            lit(&y)
        );
        let got = call(&text, GRADIENT, || {
            exercise_08::gradient(&net, Criterion::HalfMse, &xs, &y, masks.as_deref())
        });
        let theirs = reference::Network {
            shape: reference::Shape { inputs: net.shape.inputs, hidden: net.shape.hidden },
            params: net.params.clone(),
        };
        let expected = reference::gradient(&theirs, Criterion::HalfMse, &xs, &y, masks.as_deref());
        if same_numbers(&got, &expected) {
            return Ok(());
        }
        let hint = diagnose(
            |m| {
                same_numbers(
                    &got,
                    &sim_gradient(&net, Criterion::HalfMse, &xs, &y, masks.as_deref(), m),
                )
            },
            GRADIENT,
        );
        Err(explain(&text, short(&got), short(&expected), hint))
    });
}
