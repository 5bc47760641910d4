#!/usr/bin/env python3
"""PyTorch's own parameter trajectories, for exercise 05's strongest test.

Trains `nn.Linear(1, 1)` in float64 on the lecture's training set (80
examples), full batch, from the workshop's untrained model (w = -0.7767,
b = 0.6317), with `torch.optim.SGD`, `Adam` and `AdamW` in a set of
configurations, and writes, for every configuration, the loss before each
step and the parameters after it to

    exercises/exercise-05/tests/fixtures/torch-trajectories.json

The exercise's tests drive the learner's optimizers with the same gradients
and compare every step with these numbers, to about 1e-12 relative.

The data come from `exercises/exercise-05/tests/fixtures/lecture-data.json`,
which the course's reference solution writes:

    cargo run -p solution-05 --example export-lecture-data -- \
        exercises/exercise-05/tests/fixtures/lecture-data.json

so that both sides start from exactly the same f64 numbers. The training
set is copied into the output, and the tests check it against the course's
data bit for bit.

CI does not run this script (it has no PyTorch); a course author runs it
after changing the configurations or the data:

    python3 -m venv /tmp/torch && /tmp/torch/bin/pip install torch
    /tmp/torch/bin/python scripts/torch-reference.py

Every optimizer is made with `foreach=False`, PyTorch's plain loop over the
parameters (`_single_tensor_sgd`, `_single_tensor_adam`), which is also what
it uses by default for tensors on the CPU.
"""

import json
import pathlib

import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "exercises" / "exercise-05" / "tests" / "fixtures"
DATA = FIXTURES / "lecture-data.json"
OUT = FIXTURES / "torch-trajectories.json"

# The workshop's untrained model: nn.Linear(1, 1) after torch.manual_seed(100),
# as exercise 02 and exercise 04 use it.
START_W = -0.7767
START_B = 0.6317
STEPS = 50

# (name, optimizer, criterion, keyword arguments of the optimizer). Every
# hyperparameter that is not given keeps PyTorch's default.
CONFIGURATIONS = [
    ("sgd", "sgd", "mse", {"lr": 0.1}),
    ("sgd-momentum", "sgd", "mse", {"lr": 0.1, "momentum": 0.9}),
    ("sgd-dampening", "sgd", "mse", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}),
    ("sgd-nesterov", "sgd", "mse", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("sgd-weight-decay", "sgd", "mse", {"lr": 0.1, "weight_decay": 0.01}),
    ("sgd-momentum-weight-decay", "sgd", "mse", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
    ("sgd-half-mse", "sgd", "half-mse", {"lr": 0.1, "momentum": 0.5}),
    ("adam-defaults", "adam", "mse", {}),
    ("adam", "adam", "mse", {"lr": 0.1}),
    ("adam-amsgrad", "adam", "mse", {"lr": 0.1, "amsgrad": True}),
    ("adam-betas-eps", "adam", "mse", {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-4}),
    ("adam-weight-decay", "adam", "mse", {"lr": 0.1, "weight_decay": 0.01}),
    ("adam-half-mse", "adam", "half-mse", {"lr": 0.1}),
    ("adamw", "adamw", "mse", {"lr": 0.1}),
    ("adamw-amsgrad", "adamw", "mse", {"lr": 0.1, "weight_decay": 0.1, "amsgrad": True}),
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
    return {name: (list(group[name]) if name == "betas" else group[name]) for name in names}


def run(x, y, optimizer, criterion, given):
    model = torch.nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(START_W)
        model.bias.fill_(START_B)
    opt = OPTIMIZERS[optimizer](model.parameters(), foreach=False, **given)
    mse = torch.nn.MSELoss()
    losses, ws, bs = [], [], []
    for _ in range(STEPS):
        loss = mse(model(x), y)
        if criterion == "half-mse":
            loss = 0.5 * loss
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
        ws.append(model.weight.item())
        bs.append(model.bias.item())
    return losses, ws, bs


def main():
    torch.set_default_dtype(torch.float64)
    data = json.loads(DATA.read_text())
    x = torch.tensor(data["train_x"]).unsqueeze(1)
    y = torch.tensor(data["train_y"]).unsqueeze(1)
    runs = []
    for name, optimizer, criterion, given in CONFIGURATIONS:
        losses, ws, bs = run(x, y, optimizer, criterion, given)
        runs.append(
            {
                "name": name,
                "optimizer": optimizer,
                "criterion": criterion,
                "hyperparameters": hyperparameters(optimizer, given),
                "loss_before_step": losses,
                "w_after_step": ws,
                "b_after_step": bs,
            }
        )
    out = {
        "description": (
            "PyTorch's float64 trajectories of nn.Linear(1, 1) on the lecture's 80 training examples, "
            "full batch, from w = -0.7767, b = 0.6317: for every configuration, the loss before each "
            "step and the parameters after it. Written by scripts/torch-reference.py; do not edit."
        ),
        "torch_version": torch.__version__,
        "start": {"w": START_W, "b": START_B},
        "steps": STEPS,
        "train_x": data["train_x"],
        "train_y": data["train_y"],
        "runs": runs,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(runs)} runs of {STEPS} steps, torch {torch.__version__})")


if __name__ == "__main__":
    main()
