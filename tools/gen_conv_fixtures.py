#!/usr/bin/env python3
"""Write test/fixtures/conv.json: PyTorch's conv2d, pooling, batch norm and dropout, for src/ops.

Run from the repository root:  /usr/bin/python3 tools/gen_conv_fixtures.py

Each case seeds its own torch.Generator and draws its input tensors in the listed order, so the
tests regenerate the same inputs with nabla's PyTorch-exact generator instead of storing them:
  kind "sym":  torch.rand(shape, generator=g, dtype=dtype) * 2 - 1   (exact in float32/float64)
  kind "pos":  torch.rand(shape, generator=g, dtype=dtype) + 0.5
  kind "values": the literal values stored in the case (ties, NaN, -inf for max pooling).
After the forward pass, one "sym" tensor wg shaped like the output is drawn from the same generator,
and the case records the gradients of (out * wg).sum() with respect to every float input that
requires grad. Floats are stored with 9 significant digits for float32 (round-trips exactly) and
repr for float64; NaN and infinities as the strings "nan", "inf", "-inf".

Dropout cases seed the global generator with torch.manual_seed(seed) (F.dropout has no generator
argument), draw x = rand*2-1, optionally take a non-contiguous view of it ("t": x.t(), "step2":
x[:, ::2]), run F.dropout, then draw torch.rand(4) to pin the stream position; out and grad
(of out.sum() w.r.t. x) are recorded when small.
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

COMMAND = "/usr/bin/python3 tools/gen_conv_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "conv.json")
DT = {"float32": torch.float32, "float64": torch.float64}


def enc(t):
    """Flat list of a tensor's values as JSON-safe numbers/strings."""
    t = t.detach()
    out = []
    for v in t.reshape(-1).tolist():
        if isinstance(v, int):
            out.append(v)
        elif math.isnan(v):
            out.append("nan")
        elif math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        elif t.dtype == torch.float32:
            out.append(float("%.9g" % v))
        else:
            out.append(v)
    return out


def dec(vals):
    return [float(v) if isinstance(v, str) else v for v in vals]


def make_inputs(case):
    g = torch.Generator().manual_seed(case["seed"])
    dtype = DT[case.get("dtype", "float32")]
    ts = {}
    for spec in case["tensors"]:
        name, shape, kind = spec["name"], spec["shape"], spec["kind"]
        if kind == "sym":
            t = torch.rand(shape, generator=g, dtype=dtype) * 2 - 1
        elif kind == "pos":
            t = torch.rand(shape, generator=g, dtype=dtype) + 0.5
        elif kind == "values":
            t = torch.tensor(dec(spec["values"]), dtype=dtype).reshape(shape)
        else:
            raise ValueError(kind)
        if spec.get("grad", False):
            t.requires_grad_(True)
        ts[name] = t
    return g, dtype, ts


def finish(case, g, dtype, ts, out, extra=None):
    wg = torch.rand(out.shape, generator=g, dtype=dtype) * 2 - 1
    (out * wg).sum().backward()
    case["out_shape"] = list(out.shape)
    case["grad_fn"] = type(out.grad_fn).__name__
    case["out"] = enc(out)
    case["grads"] = {name: enc(t.grad) for name, t in ts.items() if t.requires_grad}
    if extra:
        case.update(extra)
    return case


def T(name, shape, kind="sym", grad=True, values=None):
    d = {"name": name, "shape": shape, "kind": kind, "grad": grad}
    if values is not None:
        d["values"] = values
    return d


# ---------------------------------------------------------------------------------------------
# conv2d


def conv_cases():
    specs = [
        # name, x shape, w shape, bias, opts, dtype
        ("basic", [2, 3, 6, 7], [4, 3, 3, 3], True, {}),
        ("no_bias", [2, 3, 5, 5], [2, 3, 3, 3], False, {}),
        ("stride2", [2, 2, 7, 8], [3, 2, 3, 3], True, {"stride": 2}),
        ("stride_tuple", [1, 2, 7, 8], [3, 2, 3, 2], True, {"stride": [2, 1]}),
        ("pad1", [2, 2, 5, 6], [3, 2, 3, 3], True, {"padding": 1}),
        ("pad_tuple", [1, 2, 5, 6], [2, 2, 3, 3], True, {"padding": [1, 2]}),
        ("pad_stride3", [2, 2, 8, 7], [2, 2, 3, 3], True, {"padding": 2, "stride": 3}),
        ("same_odd", [2, 2, 6, 5], [3, 2, 3, 3], True, {"padding": "same"}),
        ("same_even", [1, 2, 6, 5], [3, 2, 4, 2], True, {"padding": "same"}),
        ("same_even_dil", [1, 2, 7, 6], [2, 2, 2, 4], True, {"padding": "same", "dilation": [3, 2]}),
        ("valid", [1, 2, 6, 5], [2, 2, 3, 2], True, {"padding": "valid"}),
        ("dilation2", [2, 2, 8, 8], [3, 2, 3, 3], True, {"dilation": 2}),
        ("dilation_tuple_pad", [1, 2, 7, 9], [2, 2, 2, 3], True, {"dilation": [1, 2], "padding": [1, 2]}),
        ("groups2", [2, 4, 6, 6], [6, 2, 3, 3], True, {"groups": 2}),
        ("depthwise", [2, 3, 5, 6], [6, 1, 3, 3], True, {"groups": 3, "padding": 1}),
        ("groups_stride_dil", [1, 4, 9, 8], [4, 2, 2, 3], False, {"groups": 2, "stride": [2, 3], "dilation": [2, 1], "padding": 1}),
        ("nonsquare", [2, 2, 5, 8], [3, 2, 2, 3], True, {}),
        ("pointwise", [2, 3, 4, 5], [4, 3, 1, 1], True, {}),
        ("pointwise_groups", [2, 4, 3, 3], [6, 2, 1, 1], True, {"groups": 2}),
        ("pointwise_stride", [1, 3, 5, 5], [2, 3, 1, 1], True, {"stride": 2}),
        ("kernel_fills_input", [2, 2, 3, 4], [3, 2, 5, 4], True, {"padding": [1, 0]}),
        ("batch1", [1, 3, 6, 6], [2, 3, 5, 5], True, {"padding": 2}),
        ("ex6_first", [2, 1, 10, 10], [6, 1, 4, 4], True, {}),
        ("ex6_pad2_k5", [1, 4, 7, 7], [5, 4, 5, 5], True, {"padding": 2}),
        ("many_channels", [1, 17, 4, 4], [5, 17, 3, 3], True, {"padding": 1}),
    ]
    cases = []
    for i, (name, xs, ws, bias, opts) in enumerate(specs):
        cases.append({"name": name, "seed": 1000 + i, "dtype": "float32", "x": xs, "w": ws, "bias": bias, "opts": opts})
    cases.append({"name": "unbatched", "seed": 1100, "dtype": "float32", "x": [3, 6, 6], "w": [2, 3, 3, 3], "bias": True, "opts": {"padding": 1}})
    cases.append({"name": "float64", "seed": 1101, "dtype": "float64", "x": [2, 2, 6, 5], "w": [3, 2, 3, 2], "bias": True, "opts": {"stride": [1, 2], "padding": [2, 1], "dilation": [1, 2]}})
    cases.append({"name": "float64_same_groups", "seed": 1102, "dtype": "float64", "x": [1, 4, 5, 6], "w": [4, 2, 4, 3], "bias": False, "opts": {"padding": "same", "groups": 2}})
    out = []
    for c in cases:
        c["tensors"] = [T("x", c["x"]), T("weight", c["w"])] + ([T("bias", [c["w"][0]])] if c["bias"] else [])
        g, dtype, ts = make_inputs(c)
        o = c["opts"]
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}
        y = F.conv2d(ts["x"], ts["weight"], ts.get("bias"), **kw)
        out.append(finish({k: c[k] for k in ("name", "seed", "dtype", "tensors", "opts")}, g, dtype, ts, y))
    return out


# ---------------------------------------------------------------------------------------------
# pooling

TIES = [0, 1, 1, 0, 2, 2, 1, 2, 2, 0, 2, 1, 0, 1, 2, 2, 1, 1, 2, 0, 0, 2, 2, 2, 1, 0, 1, 2, 2, 1]  # 5x6
SPECIAL = [0.5, "nan", 1, "-inf", 2, 0, "-inf", "-inf", "nan", 3, "nan", 1, 0, 2, "-inf", "-inf", "-inf", "-inf", 1, 0, "nan", 0, 2, 1, 1]  # 5x5


def pool_cases():
    cases = []
    seed = 2000

    def add(kind, x, opts, **extra):
        nonlocal seed
        c = {"name": extra.pop("name"), "seed": seed, "dtype": extra.pop("dtype", "float32"), "kind": kind, "opts": opts}
        seed += 1
        c["tensors"] = [x]
        cases.append(c)

    mx = "max"
    add(mx, T("x", [2, 2, 6, 6]), {"kernelSize": 2}, name="max_k2")
    add(mx, T("x", [2, 2, 7, 7]), {"kernelSize": 3, "stride": 2}, name="max_k3s2")
    add(mx, T("x", [1, 2, 8, 8]), {"kernelSize": 3, "stride": 2, "ceilMode": True}, name="max_k3s2_ceil")
    # H: ceil gives 3 windows but the third would start in the right padding, so PyTorch keeps 2; W keeps 3.
    add(mx, T("x", [1, 2, 5, 7]), {"kernelSize": 3, "stride": 3, "padding": 1, "ceilMode": True}, name="max_ceil_lastwindow_rule")
    add(mx, T("x", [2, 2, 7, 6]), {"kernelSize": 3, "stride": 2, "padding": 1}, name="max_pad1")
    add(mx, T("x", [1, 2, 9, 9]), {"kernelSize": 3, "stride": 1, "dilation": 2}, name="max_dil2")
    add(mx, T("x", [1, 2, 8, 9]), {"kernelSize": [3, 2], "stride": [2, 1], "padding": [1, 1], "dilation": [2, 3], "ceilMode": True}, name="max_dil_tuple_pad_ceil")
    add(mx, T("x", [2, 5, 7]), {"kernelSize": [2, 3], "stride": [1, 2]}, name="max_unbatched_nonsquare")
    add(mx, T("x", [1, 1, 5, 6], "values", values=TIES), {"kernelSize": 2, "stride": 1}, name="max_ties")
    add(mx, T("x", [1, 1, 5, 6], "values", values=TIES), {"kernelSize": 3, "stride": 1, "padding": 1}, name="max_ties_pad")
    add(mx, T("x", [1, 1, 5, 5], "values", values=SPECIAL), {"kernelSize": 2, "stride": 1}, name="max_nan_inf")
    add(mx, T("x", [1, 1, 5, 5], "values", values=SPECIAL), {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True}, name="max_nan_inf_pad")
    add(mx, T("x", [2, 2, 6, 7]), {"kernelSize": 3, "stride": 2, "padding": 1}, name="max_float64", dtype="float64")

    av = "avg"
    add(av, T("x", [2, 2, 6, 6]), {"kernelSize": 2}, name="avg_k2")
    add(av, T("x", [2, 2, 7, 7]), {"kernelSize": 3, "stride": 2, "padding": 1}, name="avg_pad_include")
    add(av, T("x", [2, 2, 7, 7]), {"kernelSize": 3, "stride": 2, "padding": 1, "countIncludePad": False}, name="avg_pad_exclude")
    add(av, T("x", [1, 2, 8, 7]), {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True}, name="avg_ceil_include")
    add(av, T("x", [1, 2, 8, 7]), {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}, name="avg_ceil_exclude")
    add(av, T("x", [1, 2, 5, 7]), {"kernelSize": 3, "stride": 3, "padding": 1, "ceilMode": True}, name="avg_ceil_lastwindow_rule")
    add(av, T("x", [1, 2, 6, 8]), {"kernelSize": [2, 4], "stride": [3, 1], "padding": [1, 2], "ceilMode": True}, name="avg_nonsquare_ceil")
    add(av, T("x", [2, 2, 6, 6]), {"kernelSize": 3, "stride": 2, "padding": 1, "divisorOverride": 5}, name="avg_divisor")
    add(av, T("x", [3, 5, 6]), {"kernelSize": 2, "stride": 1}, name="avg_unbatched")
    add(av, T("x", [2, 2, 5, 7]), {"kernelSize": 2, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}, name="avg_float64", dtype="float64")

    ad = "adaptive"
    add(ad, T("x", [2, 2, 6, 6]), {"outputSize": 1}, name="adaptive_1")
    add(ad, T("x", [2, 2, 7, 5]), {"outputSize": [2, 3]}, name="adaptive_2x3")
    add(ad, T("x", [1, 2, 7, 5]), {"outputSize": 3}, name="adaptive_overlap")
    add(ad, T("x", [1, 2, 3, 4]), {"outputSize": [5, 6]}, name="adaptive_upsample")
    add(ad, T("x", [1, 2, 4, 5]), {"outputSize": [4, 5]}, name="adaptive_identity")
    add(ad, T("x", [3, 6, 5]), {"outputSize": [4, 2]}, name="adaptive_unbatched")
    add(ad, T("x", [2, 2, 9, 7]), {"outputSize": [4, 3]}, name="adaptive_float64", dtype="float64")

    out = []
    for c in cases:
        g, dtype, ts = make_inputs(c)
        o = c["opts"]
        t2 = lambda v: tuple(v) if isinstance(v, list) else v
        x = ts["x"]
        extra = {}
        if c["kind"] == "max":
            y, idx = F.max_pool2d(x, t2(o["kernelSize"]), t2(o.get("stride")), t2(o.get("padding", 0)), t2(o.get("dilation", 1)),
                                  ceil_mode=o.get("ceilMode", False), return_indices=True)
            y2 = F.max_pool2d(x, t2(o["kernelSize"]), t2(o.get("stride")), t2(o.get("padding", 0)), t2(o.get("dilation", 1)),
                              ceil_mode=o.get("ceilMode", False))
            assert torch.equal(y.nan_to_num(), y2.nan_to_num()), c["name"]
            extra["indices"] = enc(idx)
        elif c["kind"] == "avg":
            y = F.avg_pool2d(x, t2(o["kernelSize"]), t2(o.get("stride")), t2(o.get("padding", 0)), ceil_mode=o.get("ceilMode", False),
                             count_include_pad=o.get("countIncludePad", True), divisor_override=o.get("divisorOverride"))
        else:
            y = F.adaptive_avg_pool2d(x, t2(o["outputSize"]))
        out.append(finish({k: c[k] for k in ("name", "seed", "dtype", "kind", "tensors", "opts")}, g, dtype, ts, y, extra))
    return out


# ---------------------------------------------------------------------------------------------
# batch norm


def bn_cases():
    specs = [
        # name, x shape, affine, running, training, momentum, eps, dtype
        ("train_2d", [6, 4], True, True, True, None, None, "float32"),
        ("eval_2d", [5, 3], True, True, False, None, None, "float32"),
        ("train_4d", [3, 4, 3, 5], True, True, True, None, None, "float32"),
        ("eval_4d", [2, 3, 4, 4], True, True, False, None, None, "float32"),
        ("train_4d_no_affine", [2, 3, 3, 3], False, True, True, 0.3, 1e-3, "float32"),
        ("eval_4d_no_affine", [2, 3, 3, 3], False, True, False, None, 1e-3, "float32"),
        ("train_no_running", [4, 3, 2, 2], True, False, True, None, None, "float32"),
        ("train_3d", [3, 2, 7], True, True, True, 0.5, None, "float32"),
        ("train_batch2_1x1", [2, 3, 1, 1], True, True, True, None, None, "float32"),
        ("train_4d_f64", [3, 2, 3, 4], True, True, True, 0.2, None, "float64"),
        ("eval_2d_f64", [4, 3], True, True, False, None, 1e-2, "float64"),
    ]
    out = []
    for i, (name, xs, affine, running, training, momentum, eps, dtype) in enumerate(specs):
        c_ = xs[1]
        tensors = [T("x", xs)]
        if affine:
            tensors += [T("weight", [c_], "pos"), T("bias", [c_])]
        if running:
            tensors += [T("runningMean", [c_], grad=False), T("runningVar", [c_], "pos", grad=False)]
        opts = {"training": training}
        if momentum is not None:
            opts["momentum"] = momentum
        if eps is not None:
            opts["eps"] = eps
        c = {"name": name, "seed": 3000 + i, "dtype": dtype, "tensors": tensors, "opts": opts}
        g, dtype_t, ts = make_inputs(c)
        y = F.batch_norm(ts["x"], ts.get("runningMean"), ts.get("runningVar"), ts.get("weight"), ts.get("bias"), training=training,
                         momentum=momentum if momentum is not None else 0.1, eps=eps if eps is not None else 1e-5)
        extra = {}
        if running:
            extra["runningMeanAfter"] = enc(ts["runningMean"])
            extra["runningVarAfter"] = enc(ts["runningVar"])
        out.append(finish(c, g, dtype_t, ts, y, extra))
    return out


# ---------------------------------------------------------------------------------------------
# dropout


def dropout_cases():
    specs = [
        # seed, shape, p, training, dtype, store values (else only the mask)
        (0, [4, 5], 0.5, True, "float32", True),
        (1, [3, 4, 5], 0.3, True, "float32", True),
        (2, [2, 3, 4, 4], 0.9, True, "float32", True),
        (3, [17], 0.1, True, "float32", True),
        (4, [3, 7], 0.25, True, "float64", True),
        (5, [64, 40], 0.5, True, "float32", False),
        (6, [8, 96, 5], 0.5, True, "float32", False),
        (7, [4, 5], 0.0, True, "float32", True),
        (8, [4, 5], 1.0, True, "float32", True),
        (9, [4, 5], 0.5, False, "float32", True),
        (12345, [6, 6], 0.7, True, "float32", True),
        # Non-contiguous inputs: the mask is still drawn in the input's logical row-major order.
        (10, [4, 5], 0.5, True, "float32", "t"),
        (11, [4, 6], 0.5, True, "float32", "step2"),
    ]
    out = []
    for seed, shape, p, training, dtype, values in specs:
        torch.manual_seed(seed)
        x = (torch.rand(shape, dtype=DT[dtype]) * 2 - 1).requires_grad_(True)
        view = values if isinstance(values, str) else None
        xv = x.t() if view == "t" else x[:, ::2] if view == "step2" else x
        y = F.dropout(xv, p, training)
        nxt = torch.rand(4)
        y.sum().backward()
        c = {"seed": seed, "shape": shape, "p": p, "training": training, "dtype": dtype,
             "mask": "".join("1" if v != 0 else "0" for v in y.detach().reshape(-1).tolist()), "next": enc(nxt)}
        if view:
            c["view"] = view
        if values:
            c["out"] = enc(y)
            c["grad"] = enc(x.grad)
        out.append(c)
    return out


def main():
    torch.set_num_threads(1)
    fixture = {
        "command": COMMAND,
        "torch": torch.__version__,
        "conv": conv_cases(),
        "pool": pool_cases(),
        "batchnorm": bn_cases(),
        "dropout": dropout_cases(),
    }
    text = json.dumps(fixture, separators=(",", ":"))
    with open(OUT, "w") as f:
        f.write(text + "\n")
    print(f"wrote {OUT} ({len(text) / 1e6:.2f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
