//! Properties that hold for any numbers, checked on 64 random cases each,
//! and agreement with the reference solution.

use exercise_05::{
    Criterion, Descent, Examples, FeatureSplit, History, OptimizerConfig, Outcome, Settings,
    Training, Trial,
};
use proptest::collection::vec;
use support::{call, explain};

use crate::training::{Case, LoopMistake, describe, same_run, simulate_run};
use crate::*;

/// Predictions and targets, 1 to 20 of each.
fn pairs() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..=20).prop_flat_map(|n| (vec(-100.0..100.0f64, n), vec(-100.0..100.0f64, n)))
}

/// Rows of 1 to 3 features (1 to 12 rows), targets and parameters.
fn examples() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>, Vec<f64>)> {
    (1usize..=3, 1usize..=12).prop_flat_map(|(d, n)| {
        (vec(vec(-5.0..5.0f64, d), n), vec(-5.0..5.0f64, n), vec(-3.0..3.0f64, d + 1))
    })
}

#[test]
fn the_half_mse_and_its_gradient_are_exactly_half_of_the_mse() {
    let once = call("Criterion::HalfMse.loss(&[1.0], &[0.0])", CRITERION, || {
        Criterion::HalfMse.loss(&[1.0], &[0.0])
    });
    let _ = once;
    for_all(pairs(), |(p, y)| {
        let text = format!(
            "Criterion::HalfMse.loss({}, {}) and Criterion::Mse.loss(…), and their output_gradient",
            lit(&p),
            lit(&y)
        );
        let (half, full) = (Criterion::HalfMse.loss(&p, &y), Criterion::Mse.loss(&p, &y));
        if !close(half, 0.5 * full) {
            return Err(explain(
                &text,
                format!("{half:?} and {full:?}"),
                "a HalfMse loss half of the Mse loss",
                CRITERION,
            ));
        }
        let (gh, gf) =
            (Criterion::HalfMse.output_gradient(&p, &y), Criterion::Mse.output_gradient(&p, &y));
        let halved: Vec<f64> = gf.iter().map(|g| 0.5 * g).collect();
        if !same_numbers(&gh, &halved) {
            return Err(explain(
                &text,
                format!("{gh:?} and {gf:?}"),
                "a HalfMse gradient half of the Mse gradient",
                NO_FACTOR_TWO,
            ));
        }
        Ok(())
    });
}

#[test]
fn the_gradient_is_exercise_3s_for_any_number_of_features() {
    call("gradient(Criterion::Mse, &[0.0, 0.0], &[[1.0]], &[1.0])", GRADIENT, || {
        exercise_05::gradient(Criterion::Mse, &[0.0, 0.0], &[vec![1.0]], &[1.0])
    });
    for_all(examples(), |(xs, y, params)| {
        let text = format!("gradient(Criterion::Mse, {}, &{xs:?}, {})", lit(&params), lit(&y));
        let got = exercise_05::gradient(Criterion::Mse, &params, &xs, &y);
        let (w, b) = params.split_at(params.len() - 1);
        let g = solution_03::mse_gradient_features(w, b[0], &xs, &y).map_err(|e| e.to_string())?;
        let mut expected = g.dw.clone();
        expected.push(g.db);
        if same_numbers(&got, &expected) {
            Ok(())
        } else {
            Err(explain(
                &text,
                format!("{got:?}"),
                format!("{expected:?}, exercise 03's mse_gradient_features"),
                GRADIENT,
            ))
        }
    });
}

/// Gradients for 1 to 4 steps on 1 to 4 parameters, and the starting
/// parameters.
fn steps() -> impl Strategy<Value = (Vec<f64>, Vec<Vec<f64>>)> {
    (1usize..=4, 1usize..=4)
        .prop_flat_map(|(n, k)| (vec(-3.0..3.0f64, n), vec(vec(-10.0..10.0f64, n), k)))
}

fn sgd_configs() -> impl Strategy<Value = SgdConfig> {
    (
        0.0..1.0f64,
        prop_oneof![Just(0.0), 0.0..0.99f64],
        prop_oneof![Just(0.0), 0.0..=1.0f64],
        prop_oneof![Just(0.0), 0.0..0.5f64],
        any::<bool>(),
    )
        .prop_map(|(learning_rate, momentum, dampening, weight_decay, nesterov)| {
            let nesterov = nesterov && momentum > 0.0;
            let dampening = if nesterov { 0.0 } else { dampening };
            SgdConfig { learning_rate, momentum, dampening, weight_decay, nesterov }
        })
}

fn adam_hypers() -> impl Strategy<Value = Hyper> {
    (
        prop_oneof![Just(Kind::Adam), Just(Kind::AdamW)],
        0.0..0.5f64,
        (0.0..0.99f64, 0.0..0.999f64),
        prop_oneof![Just(1e-8), 1e-8..1e-2f64],
        prop_oneof![Just(0.0), 0.0..0.5f64],
        any::<bool>(),
    )
        .prop_map(|(kind, learning_rate, betas, eps, weight_decay, amsgrad)| {
            Hyper::adam(kind, AdamConfig { learning_rate, betas, eps, weight_decay, amsgrad })
        })
}

#[track_caller]
fn agrees(
    hyper: Hyper,
    start: &[f64],
    gradients: &[Vec<f64>],
    fallback: &'static str,
) -> Result<(), String> {
    let mut optimizer = match hyper.kind {
        Kind::Sgd => {
            Box::new(exercise_05::Sgd::new(hyper.sgd_config()).map_err(|e| e.to_string())?)
                as Box<dyn Optimizer>
        }
        Kind::Adam => {
            Box::new(exercise_05::Adam::new(hyper.adam_config()).map_err(|e| e.to_string())?)
        }
        Kind::AdamW => {
            Box::new(exercise_05::Adam::adamw(hyper.adam_config()).map_err(|e| e.to_string())?)
        }
    };
    let text =
        format!("{} stepped from {start:?} with the gradients {gradients:?}", hyper.constructor());
    let mut params = start.to_vec();
    let mut got = Vec::new();
    for g in gradients {
        optimizer
            .step(&mut params, g)
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(())", fallback))?;
        got.push(params.clone());
    }
    let expected = simulate_steps(hyper, Mistake::None, start, gradients);
    if got.len() == expected.len() && got.iter().zip(&expected).all(|(a, b)| same_numbers(a, b)) {
        return Ok(());
    }
    let hint = MISTAKES
        .iter()
        .find(|(m, _)| {
            let wrong = simulate_steps(hyper, *m, start, gradients);
            wrong != expected && got.iter().zip(&wrong).all(|(a, b)| same_numbers(a, b))
        })
        .map_or(fallback, |(_, h)| *h);
    Err(explain(&text, format!("{got:?}"), format!("{expected:?} ({TOL})"), hint))
}

#[test]
fn sgd_agrees_with_pytorchs_rule_for_any_hyperparameters() {
    check_steps(
        Hyper::sgd(SgdConfig { momentum: 0.5, ..SgdConfig::new(0.1) }),
        &[1.0, 2.0],
        &[vec![0.5, -1.0], vec![0.25, 0.5]],
        SGD_STEP,
    );
    for_all((sgd_configs(), steps()), |(config, (start, gradients))| {
        agrees(Hyper::sgd(config), &start, &gradients, SGD_STEP)
    });
}

#[test]
fn adam_and_adamw_agree_with_pytorchs_rule_for_any_hyperparameters() {
    check_steps(
        Hyper::adam(Kind::Adam, AdamConfig::new(0.1)),
        &[1.0, 2.0],
        &[vec![0.5, -1.0], vec![0.25, 0.5]],
        ADAM_STEP,
    );
    for_all((adam_hypers(), steps()), |(hyper, (start, gradients))| {
        agrees(hyper, &start, &gradients, ADAM_STEP)
    });
}

#[test]
fn sgd_on_half_the_mse_at_twice_the_rate_takes_the_same_steps() {
    // L/2 has the gradient g/2, and (2γ)·(g/2) = γ·g: the ½ convention and
    // the learning rate are one knob for SGD.
    check_steps(Hyper::sgd(SgdConfig::new(0.1)), &[1.0, 2.0], &[vec![0.5, -1.0]], SGD_STEP);
    for_all((examples(), 0.001..0.05f64, 1usize..=5), |((xs, y, start), rate, k)| {
        let run = |criterion: Criterion, rate: f64| -> Result<Vec<Vec<f64>>, String> {
            let mut sgd =
                exercise_05::Sgd::new(SgdConfig { momentum: 0.5, ..SgdConfig::new(rate) })
                    .map_err(|e| e.to_string())?;
            drive(&mut sgd, criterion, &start, &xs, &y, k).map_err(|e| e.to_string())
        };
        let (half, full) = (run(Criterion::HalfMse, 2.0 * rate)?, run(Criterion::Mse, rate)?);
        if half.iter().zip(&full).all(|(a, b)| same_numbers(a, b)) {
            Ok(())
        } else {
            Err(explain(
                &format!(
                    "Sgd with momentum 0.5 at rate {} on HalfMse, and at rate {rate} on Mse, from {start:?}",
                    2.0 * rate
                ),
                format!("{half:?} and {full:?}"),
                "the same parameters after every step",
                SGD_STEP,
            ))
        }
    });
}

#[test]
fn train_agrees_with_the_reference_solution() {
    let first = Case {
        start: vec![0.0, 0.0],
        data: FeatureSplit::from_split(&three_point_split()),
        criterion: Criterion::Mse,
        config: OptimizerConfig::Sgd(SgdConfig::new(0.1)),
        settings: Settings { epochs: 2, ..Settings::lecture() },
    };
    let (text, got) = crate::training::train_case(&first, "three_points");
    crate::training::check_run(&text, got, &first);
    let configs = prop_oneof![
        sgd_configs().prop_map(OptimizerConfig::Sgd),
        adam_hypers().prop_map(|h| if h.kind == Kind::Adam {
            OptimizerConfig::Adam(h.adam_config())
        } else {
            OptimizerConfig::AdamW(h.adam_config())
        }),
    ];
    let descents = prop_oneof![
        Just(Descent::Batch),
        Just(Descent::Stochastic),
        (1usize..6).prop_map(Descent::MiniBatch)
    ];
    let cases = (
        examples(),
        examples(),
        configs,
        descents,
        any::<u64>(),
        0usize..8,
        prop_oneof![Just(Criterion::Mse), Just(Criterion::HalfMse)],
    )
        .prop_filter("as many features in both sets", |((a, ..), (b, ..), ..)| {
            a[0].len() == b[0].len()
        })
        .prop_map(
            |((xs, y, start), (vxs, vy, _), config, descent, seed, epochs, criterion)| Case {
                start,
                data: FeatureSplit {
                    train: Examples { xs, y },
                    validation: Examples { xs: vxs, y: vy },
                },
                criterion,
                config,
                settings: Settings { epochs, descent, seed, stop_below: 1e-3 },
            },
        );
    for_all(cases, |case| {
        let text = case.text("data");
        let mut optimizer = crate::pytorch::reference_optimizer(&case.config);
        let got = exercise_05::train(
            &case.start,
            &case.data,
            case.criterion,
            optimizer.as_mut(),
            &case.settings,
            &mut std::io::sink(),
        )
        .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a run)", TRAIN))?;
        let expected = simulate_run(&case, LoopMistake::None);
        if same_run(&got, &expected) {
            Ok(())
        } else {
            Err(explain(&text, describe(&got), describe(&expected), TRAIN))
        }
    });
}

#[test]
fn the_best_choice_is_the_reference_solutions() {
    let empty: [Trial; 0] = [];
    call("best_choice(&[])", BEST, || exercise_05::best_choice(&empty));
    let histories = vec((0.0001..1.0f64, vec((0.0..5.0f64, 0.0..5.0f64), 0..8)), 0..5);
    for_all(histories, |runs| {
        let trials: Vec<Trial> = runs
            .iter()
            .map(|(rate, losses)| Trial {
                learning_rate: *rate,
                training: Training {
                    params: UNTRAINED,
                    history: History {
                        train: losses.iter().map(|l| l.0).collect(),
                        validation: losses.iter().map(|l| l.1).collect(),
                    },
                    outcome: Outcome::MaxEpochs,
                },
            })
            .collect();
        let reference_trials: Vec<reference::Trial> = trials
            .iter()
            .map(|t| reference::Trial {
                learning_rate: t.learning_rate,
                training: t.training.clone(),
            })
            .collect();
        let got = exercise_05::best_choice(&trials);
        let expected = reference::best_choice(&reference_trials).map(|c| exercise_05::Choice {
            learning_rate: c.learning_rate,
            epochs: c.epochs,
            validation_loss: c.validation_loss,
        });
        if got == expected {
            Ok(())
        } else {
            Err(explain(
                &format!("best_choice of {} trials: {runs:?}", trials.len()),
                format!("{got:?}"),
                format!("{expected:?}"),
                BEST,
            ))
        }
    });
}
