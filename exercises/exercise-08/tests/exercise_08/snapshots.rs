//! Snapshots: the house network's initial parameters, and training runs on
//! the curve with and without dropout, at fixed precision, compared with the
//! files in `tests/snapshots/`.

use exercise_08::{Descent, Shape};

use crate::training::{adam, learner_train, settings};
use crate::*;

const HOW_TO_READ: &str = "A '-' line is the expected value, a '+' line is yours.";

/// Compares `text` with the snapshot `name` in tests/snapshots/.
fn snapshot(name: &str, description: &str, text: &str) {
    insta::with_settings!({
        description => format!("{description} {HOW_TO_READ}"),
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn snapshot_of_the_house_networks_initial_parameters() {
    let shape = Shape { inputs: 4, hidden: 3 };
    let net = learner_init(shape, 100);
    let layers = net.layers();
    let row = |v: &[f64]| v.iter().map(|x| fixed(*x, 6)).collect::<Vec<_>>().join(" ");
    let mut text = String::from("init(Shape { inputs: 4, hidden: 3 }, &mut seeded_rng(100))\n");
    for j in 0..3 {
        text.push_str(&format!("W1[{j}] {}\n", row(&layers.w1[j * 4..(j + 1) * 4])));
    }
    text.push_str(&format!(
        "b1    {}\nW2    {}\nb2    {}\n",
        row(layers.b1),
        row(layers.w2),
        fixed(layers.b2, 6)
    ));
    snapshot(
        "house_network_init",
        "Your init of the lecture's house network (4 inputs, 3 hidden units). If every number differs, look at uniform and init_bound; if only W2 and b2 differ, at the output layer's bound 1/√h.",
        &text,
    );
}

#[test]
fn snapshot_of_training_with_and_without_dropout() {
    let start = torch_start();
    let s = settings(200, Descent::MiniBatch(6));
    let (_, plain, _) = learner_train(&start, &adam(), &s, 0.0);
    let (_, dropped, _) = learner_train(&start, &adam(), &s, 0.3);
    let mut text = String::from(
        "the curve's 18 training and 6 validation examples, 2-5-1 network from PyTorch's start, Adam lr 0.05, batches of 6, seed 100\n\
         epoch   train(p=0)   valid(p=0)   train(p=0.3) valid(p=0.3)\n",
    );
    for e in (0..200).step_by(20) {
        text.push_str(&format!(
            "{e:>5} {:>12} {:>12} {:>12} {:>12}\n",
            fixed(plain.history.train[e], 6),
            fixed(plain.history.validation[e], 6),
            fixed(dropped.history.train[e], 6),
            fixed(dropped.history.validation[e], 6),
        ));
    }
    snapshot(
        "curve_training",
        "Your train on the curve, without and with dropout: the losses every 20 epochs. If epoch 0 differs, look at forward_example; if only the dropout columns differ, at dropout_mask and where train draws it.",
        &text,
    );
}
