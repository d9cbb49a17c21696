#!/usr/bin/env python3
"""Write test/fixtures/clip-grad.json: PyTorch 1.13's torch.nn.utils.clip_grad_norm_ and
clip_grad_value_ on float32 and float64 gradients, for bit-exact tests of nabla's nn.utils.

Run from the repository root:  /usr/bin/python3 tools/gen_clip_grad_fixtures.py

Each case: three parameters (sizes 3, 37 and 100; the middle one without a gradient in one case),
gradients drawn from N(0, scale²) with a fixed seed, the call's arguments, the returned total
norm and the gradients afterwards. Values are JSON numbers (float32 values are exact doubles;
Python's repr round-trips them; inf as the string "inf").
"""

import json
import math
import os

import torch

COMMAND = "/usr/bin/python3 tools/gen_clip_grad_fixtures.py"
SIZES = [3, 37, 100]


def num(v):
    return "inf" if v == math.inf else ("-inf" if v == -math.inf else ("nan" if v != v else v))


def params(dtype, scale, skip_middle):
    g = torch.Generator().manual_seed(7)
    out = []
    for i, n in enumerate(SIZES):
        p = torch.zeros(n, dtype=dtype, requires_grad=True)
        if not (skip_middle and i == 1):
            p.grad = (torch.randn(n, generator=g, dtype=torch.float64) * scale).to(dtype)
        out.append(p)
    return out


def record(ps):
    return [None if p.grad is None else [num(v) for v in p.grad.tolist()] for p in ps]


cases = []
for dtype in (torch.float32, torch.float64):
    for scale, max_norm, norm_type, skip in [
        (1.0, 1.0, 2.0, False),  # clipped
        (0.01, 1.0, 2.0, False),  # below the bound: scaled by the clamped 1.0
        (1.0, 0.5, 1.0, True),
        (3.0, 2.0, math.inf, False),
        (1.0, 0.7, 3.0, False),
    ]:
        ps = params(dtype, scale, skip)
        before = record(ps)
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        cases.append({
            "fn": "clipGradNorm_",
            "dtype": str(dtype).replace("torch.", ""),
            "maxNorm": max_norm,
            "normType": num(norm_type),
            "grads": before,
            "total": num(total.item()),
            "totalDtype": str(total.dtype).replace("torch.", ""),
            "after": record(ps),
        })
    ps = params(dtype, 1.0, True)
    before = record(ps)
    torch.nn.utils.clip_grad_value_(ps, 0.5)
    cases.append({"fn": "clipGradValue_", "dtype": str(dtype).replace("torch.", ""), "clipValue": 0.5, "grads": before, "after": record(ps)})

out = {"command": COMMAND, "torch": torch.__version__, "cases": cases}
path = os.path.join("test", "fixtures", "clip-grad.json")
with open(path + ".tmp", "w") as f:
    json.dump(out, f)
os.replace(path + ".tmp", path)
print(f"wrote {path}: {len(cases)} cases")
