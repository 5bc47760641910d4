#!/usr/bin/env python3
"""PyTorch's own training steps of a network with a hidden layer, for exercise 08.

Trains `nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1))` in
float64 on a small data set made here, from PyTorch's default
initialisation (after `torch.manual_seed(8)`), with `torch.optim.SGD`,
`Adam` and `AdamW`, full batch and mini-batch, with and without dropout,
and writes, for every step, the batch's rows, the dropout mask, the batch's
loss before the step and the parameters after it to

    exercises/exercise-08/tests/fixtures/torch-network.json

The exercise's tests start the learner's network from the same parameters,
feed it the same batches and masks, step exercise 05's optimizers with the
learner's gradients, and compare every step, to 1e-12 relative.

Dropout: `nn.Dropout(p)` in training multiplies its input by
`bernoulli(1 − p) / (1 − p)` (ATen's `dropout`); the script draws that noise
itself, checks once that `F.dropout` gives the very same output from the
same generator state, and records which units were kept, so that both sides
use the same masks.

CI does not run this script (it has no PyTorch); a course author runs it
after changing the cases:

    python3 -m venv /tmp/torch && /tmp/torch/bin/pip install torch
    /tmp/torch/bin/python scripts/torch-network-reference.py

Every optimizer is made with `foreach=False`, PyTorch's plain loop over the
parameters, as in scripts/torch-reference.py.
"""

import json
import pathlib
import random

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "exercises" / "exercise-08" / "tests" / "fixtures" / "torch-network.json"

INPUTS, HIDDEN, ROWS = 2, 5, 24

# y = |a| − b² + 0.5·a·b + noise: a curve a line cannot fit.
rng = random.Random(8)
xs, ys = [], []
for _ in range(ROWS):
    a, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
    xs.append([a, b])
    ys.append(abs(a) - b * b + 0.5 * a * b + rng.gauss(0, 0.1))
X = torch.tensor(xs)
Y = torch.tensor(ys)

torch.manual_seed(8)
TEMPLATE = torch.nn.Sequential(
    torch.nn.Linear(INPUTS, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 1)
)


def flat(model):
    """The parameters in the order of model.parameters(), weights row by row."""
    return [v for p in model.parameters() for v in p.detach().reshape(-1).tolist()]


START = flat(TEMPLATE)

# (name, optimizer, criterion, batch size (None: full batch), dropout p, epochs, keyword arguments)
CASES = [
    ("sgd-batch", "sgd", "mse", None, 0.0, 25, {"lr": 0.02}),
    ("sgd-momentum-minibatch", "sgd", "mse", 8, 0.0, 5, {"lr": 0.01, "momentum": 0.9}),
    ("sgd-nesterov-decay", "sgd", "half-mse", 5, 0.0, 4, {"lr": 0.02, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}),
    ("adam-batch", "adam", "mse", None, 0.0, 25, {"lr": 0.05}),
    ("adam-amsgrad-minibatch", "adam", "mse", 5, 0.0, 4, {"lr": 0.05, "amsgrad": True, "weight_decay": 0.01}),
    ("adamw-stochastic", "adamw", "mse", 1, 0.0, 1, {"lr": 0.01}),
    ("sgd-dropout-minibatch", "sgd", "mse", 8, 0.5, 5, {"lr": 0.02, "momentum": 0.5}),
    ("adam-dropout-batch", "adam", "mse", None, 0.3, 25, {"lr": 0.05}),
    ("adamw-dropout-minibatch", "adamw", "half-mse", 6, 0.2, 4, {"lr": 0.05, "weight_decay": 0.1}),
]

OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


def hyperparameters(optimizer, given):
    """Every hyperparameter of the run, PyTorch's defaults filled in."""
    probe = OPTIMIZERS[optimizer]([torch.zeros(1, requires_grad=True)], **given)
    group = probe.param_groups[0]
    if optimizer == "sgd":
        names = ["lr", "momentum", "dampening", "weight_decay", "nesterov"]
    else:
        names = ["lr", "betas", "eps", "weight_decay", "amsgrad"]
    return {n: (list(group[n]) if n == "betas" else group[n]) for n in names}


def check_dropout_is_aten():
    """F.dropout is h·bernoulli(1 − p)/(1 − p), drawn from the same generator."""
    h = torch.rand(7, HIDDEN) + 0.1
    for p in (0.2, 0.5):
        torch.manual_seed(5)
        want = F.dropout(h, p, training=True)
        torch.manual_seed(5)
        noise = torch.empty_like(h).bernoulli_(1 - p).div_(1 - p)
        assert torch.equal(want, h * noise), "F.dropout is not h·bernoulli(1 − p)/(1 − p)"


def run(name, optimizer, criterion, batch, p, epochs, given):
    model = torch.nn.Sequential(
        torch.nn.Linear(INPUTS, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 1)
    )
    model.load_state_dict(TEMPLATE.state_dict())
    opt = OPTIMIZERS[optimizer](model.parameters(), foreach=False, **given)
    loss_fn = torch.nn.MSELoss()
    order_rng = random.Random(name)
    torch.manual_seed(len(name))
    steps = []
    size = batch or ROWS
    for _ in range(epochs):
        order = list(range(ROWS))
        if batch is not None:
            order_rng.shuffle(order)
        for start in range(0, ROWS, size):
            rows = order[start:start + size]
            x, y = X[rows], Y[rows]
            opt.zero_grad()
            hidden = torch.relu(model[0](x))
            keep = None
            if p > 0:
                noise = torch.empty_like(hidden).bernoulli_(1 - p)
                keep = noise.to(torch.int64).tolist()
                hidden = hidden * noise.div_(1 - p)
            out = model[2](hidden).squeeze(1)
            loss = loss_fn(out, y)
            if criterion == "half-mse":
                loss = 0.5 * loss
            loss.backward()
            opt.step()
            steps.append({"rows": rows, "keep": keep, "loss": loss.item(), "params": flat(model)})
    return {
        "name": name,
        "optimizer": optimizer,
        "criterion": criterion,
        "dropout": p,
        "hyperparameters": hyperparameters(optimizer, given),
        "steps": steps,
    }


check_dropout_is_aten()
fixture = {
    "torch": torch.__version__,
    "inputs": INPUTS,
    "hidden": HIDDEN,
    "xs": xs,
    "y": ys,
    "start": START,
    "runs": [run(*case) for case in CASES],
}
OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
print(f"wrote {OUT} ({len(CASES)} runs, torch {torch.__version__})")
