#!/usr/bin/env python3
"""Write test/fixtures/autocast.json: PyTorch 1.13's CPU bfloat16 autocast on conv2d, linear and
matmul, forward and backward, for src/autocast.

Run from the repository root:  /usr/bin/python3 tools/gen_autocast_fixtures.py

Each case stores its float32 inputs (drawn with torch.randn from a seeded generator, stored with 9
significant digits, which round-trips float32) and a float32 weight tensor wg shaped like the
output. Inside `torch.autocast(device_type="cpu", dtype=torch.bfloat16)` the op runs on the
inputs; outside it, loss = (out.float() * wg).sum() and its backward give the gradients (the
backward of the autocast op runs in bf16, as PyTorch records it). The case records the output
(a bf16 tensor, stored as its float values) and the gradients of every input, plus the same
quantities computed in float32 without autocast ("fp32"), so tests can check that nabla is near
PyTorch's bf16 results and not merely near float32. The "model" case runs conv2d -> relu ->
flatten -> linear inside autocast and cross_entropy (float32, as autocast runs it) on the result.

"ref" is autocast's arithmetic written out: the same graph in float64 with every value autocast
holds in bf16 rounded to bf16 (the op's inputs and output in forward, the gradients flowing
through them in backward), i.e. bf16 products accumulated exactly and rounded once. PyTorch's
convolutions (oneDNN) give these values; its matrix products on this Debian build (generic BLAS,
no oneDNN bf16 matmul) accumulate some layouts in bf16 and land a few bf16 ulps away, which the
script prints per case.
"""

import json
import os

import torch
import torch.nn.functional as F

COMMAND = "/usr/bin/python3 tools/gen_autocast_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "autocast.json")


def enc(t):
    return [float(f"{v:.9g}") for v in t.detach().float().reshape(-1).tolist()]


def draw(g, shape):
    return torch.randn(shape, generator=g, dtype=torch.float32)


def run_case(name, seed, shapes, op, kwargs, targets=None):
    g = torch.Generator().manual_seed(seed)
    inputs = {k: draw(g, s) for k, s in shapes.items()}
    result = {"name": name, "op": op, "kwargs": kwargs, "inputs": {k: {"shape": list(v.shape), "values": enc(v)} for k, v in inputs.items()}}
    for mode in ("bf16", "fp32"):
        leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=(mode == "bf16")):
            out = forward(op, leaves, kwargs)
        if op == "model":
            loss = F.cross_entropy(out.float(), targets)
        else:
            if "wg" not in result:
                gw = torch.Generator().manual_seed(seed + 1000)
                result["wg"] = {"shape": list(out.shape), "values": enc(draw(gw, list(out.shape)))}
            wg = torch.tensor(result["wg"]["values"], dtype=torch.float32).reshape(out.shape)
            loss = (out.float() * wg).sum()
        loss.backward()
        if mode == "bf16":
            assert out.dtype == torch.bfloat16, (name, out.dtype)
        result[mode] = {
            "outDtype": str(out.dtype).replace("torch.", ""),
            "out": {"shape": list(out.shape), "values": enc(out)},
            "loss": float(loss),
            "grads": {k: enc(v.grad) for k, v in leaves.items()},
        }
    result["ref"] = reference(op, inputs, kwargs, result.get("wg"), targets)
    for k in ["out"] + [f"grad {n}" for n in inputs]:
        a = result["ref"]["out"]["values"] if k == "out" else result["ref"]["grads"][k[5:]]
        b = result["bf16"]["out"]["values"] if k == "out" else result["bf16"]["grads"][k[5:]]
        gap = max(abs(x - y) for x, y in zip(a, b)) / max(abs(y) for y in b)
        print(f"{name:40s} {k:8s} |ref - torch autocast| / max = {gap:.2e}")
    if targets is not None:
        result["targets"] = targets.tolist()
    return result


class RoundBf16(torch.autograd.Function):
    """A value autocast holds in bf16: rounded in forward, its gradient rounded in backward."""

    @staticmethod
    def forward(ctx, x):
        return x.to(torch.bfloat16).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        return g.to(torch.bfloat16).to(g.dtype)


def reference(op, inputs, kw, wg, targets):
    R = RoundBf16.apply
    leaves = {k: v.double().requires_grad_(True) for k, v in inputs.items()}
    t = {k: R(v) for k, v in leaves.items()}
    if op == "model":
        h = R(F.conv2d(t["x"], t["cw"], t["cb"]))
        out = R(F.linear(R(torch.flatten(F.relu(h), 1)), t["lw"], t["lb"]))
        loss = F.cross_entropy(out, targets)
    else:
        out = R(forward(op, t, kw))
        loss = (out * torch.tensor(wg["values"], dtype=torch.float64).reshape(out.shape)).sum()
    loss.backward()
    return {"out": {"shape": list(out.shape), "values": enc(out)}, "loss": float(loss), "grads": {k: enc(v.grad) for k, v in leaves.items()}}


def forward(op, t, kw):
    if op == "conv2d":
        return F.conv2d(t["x"], t["w"], t.get("b"), stride=kw["stride"], padding=kw["padding"], groups=kw["groups"])
    if op == "linear":
        return F.linear(t["x"], t["w"], t.get("b"))
    if op == "matmul":
        return torch.matmul(t["a"], t["b"])
    if op == "model":
        h = F.relu(F.conv2d(t["x"], t["cw"], t["cb"], padding=0))
        return F.linear(torch.flatten(h, 1), t["lw"], t["lb"])
    raise ValueError(op)


def main():
    conv = {"stride": 1, "padding": 1, "groups": 1}
    cases = [
        run_case("conv2d bias pad1", 1, {"x": [2, 3, 7, 7], "w": [4, 3, 3, 3], "b": [4]}, "conv2d", conv),
        run_case(
            "conv2d stride2 groups2 no bias",
            2,
            {"x": [2, 4, 9, 9], "w": [6, 2, 3, 3]},
            "conv2d",
            {"stride": 2, "padding": 0, "groups": 2},
        ),
        run_case("conv2d 5x5 channels 8", 3, {"x": [2, 8, 8, 8], "w": [4, 8, 5, 5], "b": [4]}, "conv2d", {**conv, "padding": 2}),
        run_case("linear bias", 4, {"x": [5, 40], "w": [7, 40], "b": [7]}, "linear", {}),
        run_case("linear no bias 3-D input", 5, {"x": [2, 3, 24], "w": [6, 24]}, "linear", {}),
        run_case("matmul batched", 6, {"a": [3, 4, 33], "b": [3, 33, 6]}, "matmul", {}),
        run_case(
            "model conv-relu-linear-cross_entropy",
            7,
            {"x": [4, 2, 6, 6], "cw": [3, 2, 3, 3], "cb": [3], "lw": [5, 48], "lb": [5]},
            "model",
            {},
            targets=torch.tensor([0, 3, 4, 1]),
        ),
    ]
    doc = {"command": COMMAND, "torch": torch.__version__, "cases": cases}
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, OUT)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
