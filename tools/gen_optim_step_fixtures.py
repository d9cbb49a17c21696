#!/usr/bin/env python3
"""Write test/fixtures/optim-steps.json: PyTorch's float32 optimizer updates, for bit-exact tests
of nabla's fused step kernels (backend sgdStep/adamStep/adadeltaStep).

Run from the repository root:  /usr/bin/python3 tools/gen_optim_step_fixtures.py

Each case: three float32 parameters (sizes 1, 37 and 100: lengths on both sides of ATen's
vector width, so vectorized bodies and scalar tails both appear), explicit gradients for 3 steps
(standard normals, with a 0, a -0 and a large value sprinkled in), PyTorch 1.13's single-tensor
implementation (foreach=False). Recorded: the parameters after every step and the optimizer
state after the last one. Values are JSON numbers (float32 values are exact doubles; Python's
repr round-trips them).
"""

import json
import os

import numpy as np
import torch

COMMAND = "/usr/bin/python3 tools/gen_optim_step_fixtures.py"
SIZES = [1, 37, 100]
STEPS = 3

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4}),
    ("SGD", {"lr": 0.03, "momentum": 0.8, "dampening": 0.1}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-2, "maximize": True}),
    ("Adam", {"lr": 1e-3}),
    ("Adam", {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1, "amsgrad": True, "maximize": True}),
    ("AdamW", {"lr": 1e-3}),
    ("AdamW", {"lr": 3e-3, "weight_decay": 0.05, "amsgrad": True}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-5, "weight_decay": 1e-3, "maximize": True}),
]

CAMEL = {"weight_decay": "weightDecay"}
STATE_KEYS = {"momentum_buffer": "momentumBuffer", "exp_avg": "expAvg", "exp_avg_sq": "expAvgSq",
              "max_exp_avg_sq": "maxExpAvgSq", "square_avg": "squareAvg", "acc_delta": "accDelta"}


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def grads_for(rng, n):
    g = rng.standard_normal(n).astype(np.float32)
    if n > 3:
        g[1], g[2], g[3] = 0.0, -0.0, 1e4
    return g


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(16)
    cases = []
    for name, opts in CASES:
        init = [rng.standard_normal(n).astype(np.float32) for n in SIZES]
        grads = [[grads_for(rng, n) for n in SIZES] for _ in range(STEPS)]
        params = [torch.tensor(a, requires_grad=True) for a in init]
        opt = getattr(torch.optim, name)(params, foreach=False, **opts)
        after = []
        for step in range(STEPS):
            for p, g in zip(params, grads[step]):
                p.grad = torch.tensor(g)
            opt.step()
            after.append([values(p) for p in params])
        state = []
        for p in params:
            s = opt.state[p]
            state.append({STATE_KEYS[k]: values(v) for k, v in s.items() if k in STATE_KEYS and v is not None})
        options = {CAMEL.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()}
        cases.append({
            "optimizer": name,
            "options": options,
            "initial": [[float(v) for v in a] for a in init],
            "grads": [[[float(v) for v in g] for g in step] for step in grads],
            "after": after,
            "state": state,
        })
    out = {"command": COMMAND, "torch": torch.__version__, "sizes": SIZES, "cases": cases}
    path = os.path.join("test", "fixtures", "optim-steps.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f)
    os.replace(path + ".tmp", path)
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
