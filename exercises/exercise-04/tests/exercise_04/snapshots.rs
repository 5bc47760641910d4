//! Snapshots: the loss histories your code produces on the lecture's data,
//! at fixed precision, compared with the files in `tests/snapshots/`.

use exercise_04::{Descent, Outcome, Settings, Training};
use support::{call, fail};

use crate::*;

/// The run of the lecture's settings with `descent`, as a table.
fn report(descent: Descent) -> String {
    let settings = Settings { descent, ..Settings::lecture() };
    let text =
        format!("train({}, &lecture_split()?, 0.1, &{settings:?}, &mut log)", params(UNTRAINED));
    let got = call(&text, TRAIN, || {
        exercise_04::train(UNTRAINED, &lecture(), 0.1, &settings, &mut std::io::sink())
    });
    let run: Training =
        got.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a training run)", TRAIN));
    let mut table = format!(
        "the lecture's data (80 training, 20 validation examples, seed 100)\n\
         start w = -0.7767, b = 0.6317; learning rate 0.1; {descent:?}; seed 100\n\
         epoch      train loss   validation loss\n"
    );
    for (e, (t, v)) in run.history.train.iter().zip(&run.history.validation).enumerate() {
        table.push_str(&format!("{e:>5} {:>15} {:>17}\n", fixed(*t, 10), fixed(*v, 10)));
    }
    let outcome = match run.outcome {
        Outcome::Diverged { epoch, loss } => {
            format!("Diverged {{ epoch: {epoch}, loss: {} }}", fixed(loss, 10))
        }
        other => format!("{other:?}"),
    };
    table.push_str(&format!(
        "outcome: {outcome}\nfinal w = {}, b = {}\n",
        fixed(run.params.w, 10),
        fixed(run.params.b, 10)
    ));
    table
}

const HOW_TO_READ: &str = "A '-' line is the expected value, a '+' line is yours. \
    If epoch 0 differs, look at loss; if epoch 0 agrees and epoch 1 differs, at gradient_step and run_epoch; \
    if only later epochs differ, at the shuffling: one generator for the whole run, a fresh shuffled order every epoch, the last batch kept.";

#[test]
fn snapshot_of_batch_descent_on_the_lecture_data() {
    let table = report(Descent::Batch);
    insta::with_settings!({
        description => format!("Your train on the lecture's data with batch descent: one step per epoch on all 80 training examples, 100 epochs. \
            The training loss falls from 3.84 but is still about 0.03 after 100 epochs: with α = 0.1 the slope and the intercept settle slowly. {HOW_TO_READ}"),
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("batch_descent_on_the_lecture_data", table);
    });
}

#[test]
fn snapshot_of_stochastic_descent_on_the_lecture_data() {
    let table = report(Descent::Stochastic);
    insta::with_settings!({
        description => format!("Your train on the lecture's data with stochastic descent: 80 steps per epoch, one example each, in a new shuffled order every epoch. \
            By epoch 2 the training loss is near the noise floor of about 0.01 and then wanders around it. {HOW_TO_READ}"),
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("stochastic_descent_on_the_lecture_data", table);
    });
}

#[test]
fn snapshot_of_mini_batch_descent_on_the_lecture_data() {
    let table = report(Descent::MiniBatch(32));
    insta::with_settings!({
        description => format!("Your train on the lecture's data with mini-batches of 32: ⌈80 / 32⌉ = 3 steps per epoch, on 32, 32 and 16 examples, in a new shuffled order every epoch. {HOW_TO_READ}"),
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("mini_batch_descent_on_the_lecture_data", table);
    });
}
