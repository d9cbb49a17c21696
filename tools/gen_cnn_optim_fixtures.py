#!/usr/bin/env python3
"""Write test/fixtures/cnn-optim.json: 5 steps of each optimizer on a small CNN, from PyTorch 1.13.

Run from the repository root:  /usr/bin/python3 tools/gen_cnn_optim_fixtures.py

The model is built from torch.nn modules right after torch.manual_seed(0), so nabla, whose
Conv2d/Linear initializers reproduce PyTorch's, builds the same weights from the same seed
(test/optim/cnn.test.ts checks that bit for bit against the "initial" record):

    Sequential(
      0: Conv2d(2, 4, 3, padding=1), 1: ReLU, 2: MaxPool2d(2),
      3: Conv2d(4, 6, 3), 4: ReLU, 5: Flatten, 6: Linear(96, 5))

on a fixed float32 batch x [8, 2, 12, 12] with labels y [8] in 0..4 (drawn with numpy, stored in
the fixture), loss = CrossEntropyLoss (mean). Each case rebuilds the model from the seed and runs
5 steps of zero_grad / forward / backward / step (PyTorch 1.13's default single-tensor
implementations), recording the loss before each step and every parameter after it. float32.

HeavyBall (Form I momentum) has no PyTorch class: its case uses the hand-written Python
transcription in tools/gen_optim_fixtures.py, theta_{k+1} = theta_k - lr g_k + momentum
(theta_k - theta_{k-1}).

Floats are JSON numbers (Python's repr round-trips exactly; float32 values are exact doubles).
"""

import json
import os

import numpy as np
import torch
from torch import nn

from gen_optim_fixtures import HeavyBall, torch_kwargs

COMMAND = "/usr/bin/python3 tools/gen_cnn_optim_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "cnn-optim.json")
STEPS = 5
SEED = 0

OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "HeavyBall": HeavyBall,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad,
}

# (optimizer, nabla options); the PyTorch keywords are the snake_case forms.
CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}),
    ("HeavyBall", {"lr": 0.05, "momentum": 0.9}),
    ("Adam", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weightDecay": 0.1, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("Adagrad", {"lr": 0.1}),
]


def make_model():
    torch.manual_seed(SEED)
    return nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(96, 5),
    )


def make_batch():
    rs = np.random.RandomState(2024)
    x = rs.standard_normal((8, 2, 12, 12)).astype(np.float32)
    y = rs.randint(0, 5, size=8).astype(np.int64)
    return x, y


def params_of(model):
    return {name: p.detach().reshape(-1).tolist() for name, p in model.named_parameters()}


def run_case(name, opts, x, y):
    model = make_model()
    opt = OPTIMIZERS[name](model.parameters(), **torch_kwargs(opts))
    loss_fn = nn.CrossEntropyLoss()
    losses, traj = [], []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        traj.append(params_of(model))
    return {"optimizer": name, "options": opts, "losses": losses, "params": traj}


def main():
    torch.set_num_threads(1)
    xa, ya = make_batch()
    x, y = torch.from_numpy(xa), torch.from_numpy(ya)
    model = make_model()
    fixture = {
        "command": COMMAND,
        "torch": torch.__version__,
        "seed": SEED,
        "steps": STEPS,
        "x": {"shape": list(xa.shape), "values": xa.reshape(-1).astype(np.float64).tolist()},
        "y": ya.tolist(),
        "shapes": {name: list(p.shape) for name, p in model.named_parameters()},
        "initial": params_of(model),
        "cases": [run_case(name, opts, x, y) for name, opts in CASES],
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
