#!/usr/bin/env python3
"""Write test/fixtures/optim.json: PyTorch optimizer trajectories and lr-scheduler sequences.

Run from the repository root:  /usr/bin/python3 tools/gen_optim_fixtures.py

Optimizers: a 2-layer tanh MLP given by explicit tensors (W1 4x6, b1 6, W2 6x3, b2 3; a fixed
batch x 8x4, y 8x3), loss = mean((tanh(x W1 + b1) W2 + b2 - y)^2) computed with the same ops as
test/optim/optimizers.test.ts. Each case runs 5 steps of zero_grad / forward / backward / step
(PyTorch 1.13's default single-tensor "for-loop" implementations) and records the loss before
each step and every parameter after it. float32 and float64.

HeavyBall has no PyTorch class: its cases use the Python transcription of Form I below
(theta_{k+1} = theta_k - lr g_k + momentum (theta_k - theta_{k-1})), with the same operations as
src/optim/heavy-ball.ts.

Schedulers: an SGD (or Adam) optimizer with two parameter groups (lr 0.1 and 0.05); each case
records get_last_lr() after construction and after each of 30 steps (and the momentum, or
Adam's beta1, for OneCycleLR).

Floats are JSON numbers (Python's repr round-trips exactly; float32 values are exact doubles).
"""

import json
import math
import os

import numpy as np
import torch

COMMAND = "/usr/bin/python3 tools/gen_optim_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "optim.json")
STEPS = 5
SCHED_STEPS = 30

DT = {"float32": torch.float32, "float64": torch.float64}


def make_data():
    rs = np.random.RandomState(1234)
    f = lambda *shape, scale=1.0: (rs.standard_normal(shape) * scale).astype(np.float32)
    return {
        "x": f(8, 4),
        "y": f(8, 3, scale=0.5),
        "W1": f(4, 6, scale=0.5),
        "b1": f(6, scale=0.1),
        "W2": f(6, 3, scale=0.5),
        "b2": f(3, scale=0.1),
    }


PARAM_NAMES = ["W1", "b1", "W2", "b2"]


def loss_fn(x, y, W1, b1, W2, b2):
    h = torch.tanh(x.matmul(W1).add(b1))
    d = h.matmul(W2).add(b2).sub(y)
    return d.mul(d).mean()


class HeavyBall(torch.optim.Optimizer):
    """Form I momentum, transcribed op for op from src/optim/heavy-ball.ts."""

    def __init__(self, params, lr, momentum=0, weight_decay=0, maximize=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, maximize=maximize))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                g = -p.grad if group["maximize"] else p.grad
                if group["weight_decay"] != 0:
                    g = g.add(p, alpha=group["weight_decay"])
                if group["momentum"] != 0:
                    if "previous" not in state:
                        state["previous"] = p.clone()
                    prev = state["previous"]
                    delta = p.sub(prev)
                    prev.copy_(p)
                    p.add_(g, alpha=-group["lr"]).add_(delta, alpha=group["momentum"])
                else:
                    p.add_(g, alpha=-group["lr"])


OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "HeavyBall": HeavyBall,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad,
}

# nabla option name -> PyTorch keyword
KW = {
    "weightDecay": "weight_decay",
    "lrDecay": "lr_decay",
    "initialAccumulatorValue": "initial_accumulator_value",
}


def torch_kwargs(opts):
    out = {}
    for k, v in opts.items():
        out[KW.get(k, k)] = tuple(v) if k == "betas" else v
    return out


# (optimizer, options, extras). extras: groups = per-group overrides for [W1, b1] and [W2, b2];
# frozen = parameter names that get no gradient.
CASES = [
    ("SGD", {"lr": 0.1}, {}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, {}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, {}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True}, {}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weightDecay": 0.01}, {}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "nesterov": True, "weightDecay": 0.05, "maximize": True}, {}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, {"groups": [{"lr": 0.02}, {"momentum": 0.5, "nesterov": True}]}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, {"frozen": ["b2"]}),
    ("HeavyBall", {"lr": 0.1, "momentum": 0.9}, {}),
    ("HeavyBall", {"lr": 0.05, "momentum": 0.7, "weightDecay": 0.01, "maximize": True}, {}),
    ("Adam", {"lr": 0.01}, {}),
    ("Adam", {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6}, {}),
    ("Adam", {"lr": 0.01, "amsgrad": True}, {}),
    ("Adam", {"lr": 0.01, "weightDecay": 0.1}, {}),
    ("Adam", {"lr": 0.01, "maximize": True, "amsgrad": True, "weightDecay": 0.05}, {}),
    ("Adam", {"lr": 0.01}, {"groups": [{"lr": 0.003, "betas": [0.5, 0.9]}, {"amsgrad": True}]}),
    ("AdamW", {"lr": 0.01}, {}),
    ("AdamW", {"lr": 0.01, "weightDecay": 0.5, "amsgrad": True}, {}),
    ("AdamW", {"lr": 0.02, "betas": [0.7, 0.95], "weightDecay": 0.1, "maximize": True}, {}),
    ("RMSprop", {"lr": 0.01}, {}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6}, {}),
    ("RMSprop", {"lr": 0.01, "centered": True}, {}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}, {}),
    ("RMSprop", {"lr": 0.005, "centered": True, "momentum": 0.8, "weightDecay": 0.1}, {}),
    ("RMSprop", {"lr": 0.01, "maximize": True, "momentum": 0.5}, {}),
    ("Adagrad", {"lr": 0.1}, {}),
    ("Adagrad", {"lr": 0.1, "lrDecay": 0.05}, {}),
    ("Adagrad", {"lr": 0.1, "initialAccumulatorValue": 0.1, "eps": 1e-6}, {}),
    ("Adagrad", {"lr": 0.1, "weightDecay": 0.1, "maximize": True, "lrDecay": 0.01}, {}),
]

# Cases also run in float64 (indices into CASES).
FLOAT64 = [1, 3, 8, 12, 17, 23, 27]


def run_case(name, opts, extras, dtype, data):
    dt = DT[dtype]
    x = torch.tensor(data["x"], dtype=dt)
    y = torch.tensor(data["y"], dtype=dt)
    params = {n: torch.tensor(data[n], dtype=dt).requires_grad_(n not in extras.get("frozen", [])) for n in PARAM_NAMES}
    plist = [params[n] for n in PARAM_NAMES]
    if "groups" in extras:
        g0, g1 = extras["groups"]
        arg = [dict(params=plist[:2], **torch_kwargs(g0)), dict(params=plist[2:], **torch_kwargs(g1))]
    else:
        arg = plist
    opt = OPTIMIZERS[name](arg, **torch_kwargs(opts))
    losses, traj = [], []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(x, y, *plist)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        traj.append({n: params[n].detach().reshape(-1).tolist() for n in PARAM_NAMES})
    return {"losses": losses, "params": traj}


def optimizer_cases(data):
    out = []
    for i, (name, opts, extras) in enumerate(CASES):
        for dtype in ["float32"] + (["float64"] if i in FLOAT64 else []):
            case = {"optimizer": name, "options": opts, "dtype": dtype}
            case.update(extras)
            case.update(run_case(name, opts, extras, dtype, data))
            out.append(case)
    return out


# ---------------------------------------------------------------- schedulers

S = torch.optim.lr_scheduler


def sched_optimizer(kind):
    p1 = torch.zeros(2, requires_grad=True)
    p2 = torch.zeros(3, requires_grad=True)
    groups = [{"params": [p1]}, {"params": [p2], "lr": 0.05}]
    if kind == "Adam":
        return torch.optim.Adam(groups, lr=0.1, betas=(0.9, 0.999))
    return torch.optim.SGD(groups, lr=0.1, momentum=0.9)


LAMBDAS = {
    # the same functions are written in test/optim/schedulers.test.ts
    "pow095": lambda e: 0.95 ** e,
    "inverse": lambda e: 1.0 / (1.0 + 0.1 * e),
}

SCHEDULERS = [
    ("StepLR", {"stepSize": 7, "gamma": 0.5}, lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
    ("StepLR", {"stepSize": 3}, lambda o: S.StepLR(o, step_size=3)),
    ("MultiStepLR", {"milestones": [3, 10, 10, 22], "gamma": 0.3}, lambda o: S.MultiStepLR(o, milestones=[3, 10, 10, 22], gamma=0.3)),
    ("ExponentialLR", {"gamma": 0.9}, lambda o: S.ExponentialLR(o, gamma=0.9)),
    ("CosineAnnealingLR", {"tMax": 10, "etaMin": 0.001}, lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    ("CosineAnnealingLR", {"tMax": 7}, lambda o: S.CosineAnnealingLR(o, T_max=7)),
    ("LambdaLR", {"lrLambda": ["pow095", "inverse"]}, lambda o: S.LambdaLR(o, lr_lambda=[LAMBDAS["pow095"], LAMBDAS["inverse"]])),
    ("LambdaLR", {"lrLambda": "pow095"}, lambda o: S.LambdaLR(o, lr_lambda=LAMBDAS["pow095"])),
    ("LinearLR", {}, lambda o: S.LinearLR(o)),
    ("LinearLR", {"startFactor": 0.25, "endFactor": 0.9, "totalIters": 8}, lambda o: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=8)),
    ("OneCycleLR", {"maxLr": [0.1, 0.05], "totalSteps": 30}, lambda o: S.OneCycleLR(o, max_lr=[0.1, 0.05], total_steps=30)),
    (
        "OneCycleLR",
        {"maxLr": 0.2, "totalSteps": 30, "annealStrategy": "linear", "threePhase": True, "pctStart": 0.25},
        lambda o: S.OneCycleLR(o, max_lr=0.2, total_steps=30, anneal_strategy="linear", three_phase=True, pct_start=0.25),
    ),
    (
        "OneCycleLR",
        {"maxLr": 0.3, "epochs": 5, "stepsPerEpoch": 6, "threePhase": True, "baseMomentum": [0.8, 0.7], "maxMomentum": 0.9},
        lambda o: S.OneCycleLR(o, max_lr=0.3, epochs=5, steps_per_epoch=6, three_phase=True, base_momentum=[0.8, 0.7], max_momentum=0.9),
    ),
    (
        "OneCycleLR",
        {"maxLr": 0.1, "totalSteps": 30, "cycleMomentum": False, "divFactor": 10, "finalDivFactor": 100, "pctStart": 0.4},
        lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=30, cycle_momentum=False, div_factor=10.0, final_div_factor=100.0, pct_start=0.4),
    ),
    ("OneCycleLR", {"maxLr": 0.01, "totalSteps": 30}, lambda o: S.OneCycleLR(o, max_lr=0.01, total_steps=30), "Adam"),
]


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def scheduler_cases():
    out = []
    for entry in SCHEDULERS:
        name, opts, make = entry[:3]
        kind = entry[3] if len(entry) > 3 else "SGD"
        opt = sched_optimizer(kind)
        sched = make(opt)
        lrs, moms = [sched.get_last_lr()], [momenta(opt)]
        for _ in range(SCHED_STEPS):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
            moms.append(momenta(opt))
        case = {"scheduler": name, "options": opts, "optimizer": kind, "lrs": lrs}
        if name == "OneCycleLR":
            case["momenta"] = moms
        out.append(case)
    return out


def main():
    torch.set_num_threads(1)
    data = make_data()
    fixture = {
        "command": COMMAND,
        "torch": torch.__version__,
        "steps": STEPS,
        "data": {k: v.reshape(-1).astype(np.float64).tolist() for k, v in data.items()},
        "shapes": {k: list(v.shape) for k, v in data.items()},
        "optimizers": optimizer_cases(data),
        "schedulers": scheduler_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
