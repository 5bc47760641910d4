#!/usr/bin/env python3
"""PyTorch's float64 trajectories for `cargo workbook train` (tests/train.rs).

Not run by CI (it needs torch): run it by hand after changing the cases, with
a Python that has torch, e.g.

    python3 scripts/torch-train-reference.py

It writes tests/fixtures/train-data.csv (two features, made here, so that both
sides read the very same numbers) and tests/fixtures/train-torch.json: for
each case, the command line's flags and torch's steps (the full-batch loss
before each optimizer step and the parameters after it), in the shape that
`cargo workbook --json train` prints.
"""
import json
import pathlib
import random

import torch

torch.set_default_dtype(torch.float64)
root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "tests" / "fixtures"

# y = 1.5·a − 2·b + 0.5 + noise, 40 rows, a and b in [-1, 1].
rng = random.Random(100)
rows = []
for _ in range(40):
    a, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
    rows.append((a, b, 1.5 * a - 2.0 * b + 0.5 + rng.gauss(0, 0.1)))
csv = "a,b,y\n" + "".join(f"{a!r},{b!r},{y!r}\n" for a, b, y in rows)
(fixtures / "train-data.csv").write_text(csv)
X = torch.tensor([[a, b] for a, b, _ in rows])
Y = torch.tensor([[y] for _, _, y in rows])

CASES = [
    ("sgd-nesterov", ["--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--nesterov"]),
    ("sgd-dampening-decay", ["--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.5", "--dampening", "0.1", "--weight-decay", "0.01"]),
    ("sgd-half-mse", ["--optimizer", "sgd", "--lr", "0.1", "--loss", "half-mse"]),
    ("adam-amsgrad-decay", ["--optimizer", "adam", "--lr", "0.1", "--amsgrad", "--weight-decay", "0.01", "--betas", "0.8,0.99", "--eps", "1e-6"]),
    ("adamw", ["--optimizer", "adamw", "--lr", "0.1"]),
    ("adam-no-intercept", ["--optimizer", "adam", "--lr", "0.05", "--no-intercept"]),
]
EPOCHS = 30


def flag(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def run(args):
    bias = "--no-intercept" not in args
    model = torch.nn.Linear(2, 1, bias=bias)
    with torch.no_grad():
        model.weight.zero_()
        if bias:
            model.bias.zero_()
    lr = float(flag(args, "--lr"))
    name = flag(args, "--optimizer")
    if name == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=float(flag(args, "--momentum", 0)),
                              dampening=float(flag(args, "--dampening", 0)), nesterov="--nesterov" in args,
                              weight_decay=float(flag(args, "--weight-decay", 0)))
    else:
        betas = tuple(float(b) for b in flag(args, "--betas", "0.9,0.999").split(","))
        cls = torch.optim.Adam if name == "adam" else torch.optim.AdamW
        decay = float(flag(args, "--weight-decay", 0 if name == "adam" else 0.01))
        opt = cls(model.parameters(), lr=lr, betas=betas, eps=float(flag(args, "--eps", 1e-8)),
                  weight_decay=decay, amsgrad="--amsgrad" in args)
    half = flag(args, "--loss") == "half-mse"
    steps = []
    for step in range(1, EPOCHS + 1):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), Y)
        if half:
            loss = 0.5 * loss
        loss.backward()
        opt.step()
        steps.append({
            "step": step,
            "loss": loss.item(),
            "intercept": model.bias.item() if bias else None,
            "coefficients": model.weight.detach().flatten().tolist(),
        })
    return steps


out = {
    "torch": torch.__version__,
    "epochs": EPOCHS,
    "cases": [{"name": n, "args": a, "steps": run(a)} for n, a in CASES],
}
(fixtures / "train-torch.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {len(CASES)} cases with torch {torch.__version__}")
