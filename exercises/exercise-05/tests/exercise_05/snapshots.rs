//! Snapshots: the loss histories your code produces on the lecture's data,
//! at fixed precision, compared with the files in `tests/snapshots/`.

use exercise_05::{Criterion, OptimizerConfig, Settings};
use support::{call, fail};

use crate::*;

const HOW_TO_READ: &str = "A '-' line is the expected value, a '+' line is yours. \
    If epoch 0 differs, look at Criterion::loss and forward; if epoch 1 differs, at the first step of the optimizer; \
    if only later epochs differ, at what the optimizer remembers between steps.";

/// The optimizers of the snapshot, as `(label, config)`.
pub fn lineup() -> Vec<(&'static str, OptimizerConfig)> {
    vec![
        ("SGD", OptimizerConfig::Sgd(SgdConfig::new(0.1))),
        ("momentum", OptimizerConfig::Sgd(SgdConfig { momentum: 0.9, ..SgdConfig::new(0.1) })),
        (
            "Nesterov",
            OptimizerConfig::Sgd(SgdConfig {
                momentum: 0.9,
                nesterov: true,
                ..SgdConfig::new(0.1)
            }),
        ),
        ("Adam", OptimizerConfig::Adam(AdamConfig::new(0.1))),
        ("AdamW", OptimizerConfig::AdamW(AdamConfig::adamw(0.1))),
    ]
}

#[test]
fn snapshot_of_five_optimizers_on_the_lecture_data() {
    let settings = Settings { epochs: 60, ..Settings::lecture() };
    let mut columns = Vec::new();
    for (label, config) in lineup() {
        let text = format!(
            "train_line({UNTRAINED:?}, &lecture_split()?, Criterion::Mse, optimizer(&{config:?})?.as_mut(), &{settings:?}, &mut log)"
        );
        let run = call(&text, TRAIN, || {
            let mut optimizer = exercise_05::optimizer(&config)?;
            exercise_05::train_line(
                UNTRAINED,
                &lecture(),
                Criterion::Mse,
                optimizer.as_mut(),
                &settings,
                &mut std::io::sink(),
            )
        })
        .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a training run)", TRAIN));
        columns.push((label, run));
    }
    let mut table = String::from(
        "the lecture's data (80 training examples), batch descent, Criterion::Mse, start w = -0.7767, b = 0.6317\n\
         SGD: lr 0.1; momentum: lr 0.1, momentum 0.9; Nesterov: the same with nesterov; Adam: lr 0.1; AdamW: lr 0.1, weight decay 0.01\n\
         training loss before each epoch\nepoch",
    );
    for (label, _) in &columns {
        table.push_str(&format!(" {label:>14}"));
    }
    table.push('\n');
    for e in 0..settings.epochs {
        table.push_str(&format!("{e:>5}"));
        for (_, run) in &columns {
            let cell = run.history.train.get(e).map_or("-".to_string(), |l| fixed(*l, 10));
            table.push_str(&format!(" {cell:>14}"));
        }
        table.push('\n');
    }
    for (label, run) in &columns {
        table.push_str(&format!(
            "{label}: {:?}, final w = {}, b = {}\n",
            run.outcome,
            fixed(run.params.w, 10),
            fixed(run.params.b, 10)
        ));
    }
    insta::with_settings!({
        description => format!("Your optimizers on the lecture's data, through your train_line and optimizer: one row per epoch. {HOW_TO_READ}"),
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("five_optimizers_on_the_lecture_data", table);
    });
}

#[test]
fn snapshot_of_the_learning_rate_sweep() {
    let settings = Settings { epochs: exercise_05::SWEEP_EPOCHS, ..Settings::lecture() };
    let config = OptimizerConfig::Sgd(SgdConfig::new(0.1));
    let rates = exercise_05::LEARNING_RATES;
    let text = format!(
        "sweep({UNTRAINED:?}, &lecture_split()?, Criterion::Mse, &{config:?}, &{rates:?}, &{settings:?})"
    );
    let trials = call(&text, SWEEP, || {
        exercise_05::sweep(UNTRAINED, &lecture(), Criterion::Mse, &config, &rates, &settings)
    })
    .unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(three trials)", SWEEP));
    let best = call("best_choice(&trials)", BEST, || exercise_05::best_choice(&trials));
    let mut table = format!(
        "plain SGD on the lecture's data, batch descent, Criterion::Mse, {} epochs from w = -0.7767, b = 0.6317\n\
         validation loss after e epochs\nepoch",
        settings.epochs
    );
    for t in &trials {
        table.push_str(&format!(" {:>14}", format!("lr {}", t.learning_rate)));
    }
    table.push('\n');
    for e in (0..settings.epochs).step_by(10).chain([settings.epochs - 1]) {
        table.push_str(&format!("{e:>5}"));
        for t in &trials {
            let cell =
                t.training.history.validation.get(e).map_or("-".to_string(), |l| fixed(*l, 10));
            table.push_str(&format!(" {cell:>14}"));
        }
        table.push('\n');
    }
    match best {
        Some(c) => table.push_str(&format!(
            "best: learning rate {}, {} epochs, validation loss {}\n",
            c.learning_rate,
            c.epochs,
            fixed(c.validation_loss, 10)
        )),
        None => table.push_str("best: none\n"),
    }
    insta::with_settings!({
        description => format!("Your sweep over the workshop's learning rates, and your best_choice. {HOW_TO_READ}"),
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("learning_rate_sweep", table);
    });
}
