#!/usr/bin/env python3
"""Write test/fixtures/nn.json: PyTorch 1.13 references for src/nn.

Run from the repository root:  /usr/bin/python3 tools/gen_nn_fixtures.py

Contents:
- init: default initialization of Linear/Conv2d/whole models after torch.manual_seed, stored in
  full for small tensors, and as first/last values plus exact float64 checksums (math.fsum of the
  values, and of the values times (i % 7 + 1)) for large ones;
- initFns: torch.nn.init functions under given seeds; gains: calculate_gain values;
- layers: each layer's output and gradients (input and parameters) for small inputs, with the
  parameters and upstream gradients used;
- losses: value and gradients (input, and target where it is differentiable) over a grid of options;
- structure: named_parameters / state_dict order and module repr strings;
- erf: math.erf at sample points (for the GELU kernel).
Floats are JSON numbers (Python's repr round-trips exactly, float32 values included).
"""

import copy
import json
import math
import os
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

COMMAND = "/usr/bin/python3 tools/gen_nn_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "nn.json")

torch.set_num_threads(1)


def enc(x):
    # JSON has no inf/nan: spell them as strings (the tests decode them).
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def vals(t):
    return [enc(x) for x in t.detach().reshape(-1).tolist()]


def full(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "values": vals(t)}


def summary(t, k=50):
    v = vals(t)
    return {
        "shape": list(t.shape),
        "first": v[:k],
        "last": v[-k:],
        "fsum": enc(math.fsum(v)),
        "wsum": enc(math.fsum(x * (i % 7 + 1) for i, x in enumerate(v))),
    }


def alexnet():
    return nn.Sequential(
        nn.Conv2d(1, 96, 4), nn.ReLU(),
        nn.Conv2d(96, 96, 3), nn.ReLU(),
        nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(3, 2), nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(6400, 800), nn.ReLU(), nn.Linear(800, 10),
    )


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.scale = nn.Parameter(torch.ones(1))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 4 * 4, 3))

    def forward(self, x):
        return self.head(torch.relu(self.bn(self.conv(x))) * self.scale)


# ------------------------------------------------------------------ default initialization

def gen_init():
    out = {}
    torch.manual_seed(0)
    m = nn.Linear(4, 4)
    out["linear_4_4"] = {"weight": full(m.weight), "bias": full(m.bias)}
    torch.manual_seed(0)
    m = nn.Linear(6400, 800)
    out["linear_6400_800"] = {"weight": summary(m.weight), "bias": full(m.bias)}
    torch.manual_seed(0)
    m = nn.Conv2d(1, 96, 4)
    out["conv_1_96_4"] = {"weight": full(m.weight), "bias": full(m.bias)}
    torch.manual_seed(0)
    m = nn.Conv2d(96, 256, 5, padding=2)
    out["conv_96_256_5_p2"] = {"weight": summary(m.weight), "bias": full(m.bias)}
    # Several modules in a row continue the same stream; then rand() shows the position.
    torch.manual_seed(1)
    a = nn.Conv2d(4, 6, (2, 3), groups=2, bias=False)
    b = nn.Linear(3, 2, bias=False)
    c = nn.Linear(7, 5).double()  # float32 init, then converted
    r = torch.rand(3)
    out["chain_seed1"] = {"conv_4_6_2x3_g2_nobias": full(a.weight), "linear_3_2_nobias": full(b.weight),
                          "linear_7_5_double": {"weight": full(c.weight), "bias": full(c.bias)}, "rand3": vals(r)}
    torch.manual_seed(2)
    net = Net()
    out["net_seed2"] = {k: full(v) for k, v in net.state_dict().items()}
    # Parameters created in float64 draw 53-bit uniforms (two engine outputs each).
    torch.manual_seed(4)
    m = nn.Linear(5, 3, dtype=torch.float64)
    c = nn.Conv2d(2, 3, 2, dtype=torch.float64)
    out["float64_seed4"] = {"linear_5_3": {"weight": full(m.weight), "bias": full(m.bias)},
                            "conv_2_3_2": {"weight": full(c.weight), "bias": full(c.bias)}}
    # A generator other than the global one (torch 1.13's init functions have no generator
    # argument, so this uses Tensor.uniform_(generator=g), which nn.init.uniform_ wraps).
    g = torch.Generator().manual_seed(5)
    out["uniform_gen5"] = full(torch.empty(5, 3).uniform_(-0.25, 0.25, generator=g))
    torch.manual_seed(0)
    model = alexnet()
    out["alexnet"] = {
        "params": [dict(name=n, **summary(p, 20)) for n, p in model.named_parameters()],
        "numel": sum(p.numel() for p in model.parameters()),
    }
    return out


def gen_init_fns():
    cases = []

    def case(name, seed, shape, dtype, fn, args):
        torch.manual_seed(seed)
        t = torch.empty(*shape, dtype=dtype)
        fn(t)
        cases.append({"name": name, "seed": seed, "shape": list(shape), "dtype": str(dtype).replace("torch.", ""),
                      "args": args, "values": vals(t)})

    case("uniform_", 1, (3, 5), torch.float32, lambda t: nn.init.uniform_(t, -2.0, 3.0), {"a": -2.0, "b": 3.0})
    case("uniform_", 1, (3, 5), torch.float64, lambda t: nn.init.uniform_(t, -2.0, 3.0), {"a": -2.0, "b": 3.0})
    case("normal_", 2, (3, 5), torch.float32, lambda t: nn.init.normal_(t, 1.0, 2.0), {"mean": 1.0, "std": 2.0})
    case("normal_", 2, (4, 8), torch.float32, lambda t: nn.init.normal_(t, 1.0, 2.0), {"mean": 1.0, "std": 2.0})
    case("normal_", 2, (5, 7), torch.float32, lambda t: nn.init.normal_(t, -0.5, 0.1), {"mean": -0.5, "std": 0.1})
    case("constant_", 0, (2, 3), torch.float32, lambda t: nn.init.constant_(t, 0.3), {"val": 0.3})
    case("zeros_", 0, (2, 3), torch.float32, nn.init.zeros_, {})
    case("ones_", 0, (2, 3), torch.float32, nn.init.ones_, {})
    gain = nn.init.calculate_gain("relu")
    case("xavierUniform_", 3, (6, 4), torch.float32, lambda t: nn.init.xavier_uniform_(t, gain=gain), {"gain": gain})
    case("xavierUniform_", 3, (10, 20, 3), torch.float32, nn.init.xavier_uniform_, {})
    case("xavierNormal_", 4, (6, 4, 3, 3), torch.float32, nn.init.xavier_normal_, {})
    case("xavierNormal_", 4, (3, 4), torch.float32, lambda t: nn.init.xavier_normal_(t, gain=0.5), {"gain": 0.5})
    case("kaimingUniform_", 5, (8, 3, 3, 3), torch.float32, nn.init.kaiming_uniform_, {})
    case("kaimingUniform_", 6, (8, 3, 3, 3), torch.float32,
         lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"), {"mode": "fan_out", "nonlinearity": "relu"})
    case("kaimingUniform_", 7, (4, 3), torch.float64, lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)), {"a": math.sqrt(5)})
    case("kaimingUniform_", 7, (5, 11), torch.float32,
         lambda t: nn.init.kaiming_uniform_(t, a=0.2, nonlinearity="leaky_relu"), {"a": 0.2, "nonlinearity": "leaky_relu"})
    case("kaimingNormal_", 8, (16, 8), torch.float32,
         lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"), {"mode": "fan_out", "nonlinearity": "relu"})
    case("kaimingNormal_", 9, (3, 2), torch.float32, nn.init.kaiming_normal_, {})
    case("kaimingNormal_", 10, (6, 6), torch.float64, lambda t: nn.init.kaiming_normal_(t, nonlinearity="tanh"), {"nonlinearity": "tanh"})
    gains = []
    for nl, p in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                  ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]:
        gains.append({"nonlinearity": nl, "param": p, "gain": float(nn.init.calculate_gain(nl, p))})
    return cases, gains


# ------------------------------------------------------------------ layers

def run_layer(name, module, x, extra=None):
    x = x.clone().requires_grad_(True)
    params = {n: full(p) for n, p in module.named_parameters()}
    buffers_before = {n: full(b) for n, b in module.named_buffers()}
    buffers_and_params_before = OrderedDict((k, v.clone()) for k, v in module.state_dict().items())
    y = module(x)
    indices = None
    if isinstance(y, tuple):
        y, indices = y
    gy = torch.randn(y.shape)
    y.backward(gy)
    rec = {
        "name": name,
        "module": extra or {},
        "training": module.training,
        "params": params,
        "buffersBefore": buffers_before,
        "input": full(x),
        "output": full(y),
        "gradOutput": full(gy),
        "gradInput": full(x.grad),
        "gradParams": {n: full(p.grad) for n, p in module.named_parameters() if p.grad is not None},
        "buffersAfter": {n: full(b) for n, b in module.named_buffers()},
    }
    if indices is not None:
        rec["indices"] = full(indices)
    if extra and extra.get("type") != "Dropout":
        # The same computation in float64 from the same float32 values: the accurate results.
        m64 = copy.deepcopy(module)
        for p in m64.parameters():
            p.grad = None
        m64.load_state_dict(OrderedDict((k, v) for k, v in buffers_and_params_before.items()))
        m64 = m64.double()
        x64 = x.detach().double().requires_grad_(True)
        y64 = m64(x64)
        if isinstance(y64, tuple):
            y64 = y64[0]
        y64.backward(gy.double())
        rec["output64"] = full(y64)
        rec["gradInput64"] = full(x64.grad)
        rec["gradParams64"] = {n: full(p.grad) for n, p in m64.named_parameters() if p.grad is not None}
    return rec




def gen_layers():
    torch.manual_seed(123)
    L = []
    L.append(run_layer("Linear(5,3)", nn.Linear(5, 3), torch.randn(2, 5), {"type": "Linear", "args": [5, 3]}))
    L.append(run_layer("Linear(5,3,bias=False) 3-D input", nn.Linear(5, 3, bias=False), torch.randn(2, 4, 5),
                       {"type": "Linear", "args": [5, 3], "opts": {"bias": False}}))
    convs = [
        ("Conv2d(3,4,3)", (3, 4, 3), {}, (2, 3, 7, 7)),
        ("Conv2d(3,4,(2,3),stride=2,padding=(1,2))", (3, 4, [2, 3]), {"stride": 2, "padding": [1, 2]}, (2, 3, 8, 9)),
        ("Conv2d(4,6,3,dilation=2,groups=2,bias=False)", (4, 6, 3), {"dilation": 2, "groups": 2, "bias": False}, (1, 4, 9, 9)),
        ("Conv2d(2,3,4,padding='same')", (2, 3, 4), {"padding": "same"}, (1, 2, 6, 6)),
        ("Conv2d(2,3,3,padding='valid',stride=(2,1))", (2, 3, 3), {"padding": "valid", "stride": [2, 1]}, (1, 2, 7, 6)),
        ("Conv2d(3,3,3,groups=3,padding=1)", (3, 3, 3), {"groups": 3, "padding": 1}, (2, 3, 5, 5)),
        ("Conv2d(3,4,3) unbatched", (3, 4, 3), {}, (3, 7, 7)),
    ]
    for name, args, opts, shape in convs:
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}
        a = tuple(tuple(v) if isinstance(v, list) else v for v in args)
        L.append(run_layer(name, nn.Conv2d(*a, **kw), torch.randn(*shape), {"type": "Conv2d", "args": list(args), "opts": opts}))
    pools = [
        ("MaxPool2d(3,2)", "MaxPool2d", [3], {"stride": 2}, (2, 3, 9, 9)),
        ("MaxPool2d(2,ceil_mode=True)", "MaxPool2d", [2], {"ceilMode": True}, (1, 2, 5, 5)),
        ("MaxPool2d(3,stride=1,padding=1)", "MaxPool2d", [3], {"stride": 1, "padding": 1}, (1, 2, 5, 6)),
        ("MaxPool2d(2,stride=1,dilation=2)", "MaxPool2d", [2], {"stride": 1, "dilation": 2}, (1, 2, 6, 6)),
        ("MaxPool2d((2,3),return_indices=True)", "MaxPool2d", [[2, 3]], {"returnIndices": True}, (1, 2, 4, 6)),
        ("AvgPool2d(2)", "AvgPool2d", [2], {}, (2, 3, 6, 6)),
        ("AvgPool2d(3,2,padding=1,count_include_pad=False)", "AvgPool2d", [3], {"stride": 2, "padding": 1, "countIncludePad": False}, (1, 2, 7, 7)),
        ("AvgPool2d(3,2,padding=1)", "AvgPool2d", [3], {"stride": 2, "padding": 1}, (1, 2, 7, 7)),
        ("AvgPool2d(3,2,ceil_mode=True)", "AvgPool2d", [3], {"stride": 2, "ceilMode": True}, (1, 2, 8, 8)),
        ("AvgPool2d(2,divisor_override=3)", "AvgPool2d", [2], {"divisorOverride": 3}, (1, 2, 4, 4)),
        ("AdaptiveAvgPool2d(1)", "AdaptiveAvgPool2d", [1], {}, (2, 3, 5, 5)),
        ("AdaptiveAvgPool2d((2,3))", "AdaptiveAvgPool2d", [[2, 3]], {}, (1, 2, 5, 7)),
        ("AdaptiveAvgPool2d(3) on 7x7", "AdaptiveAvgPool2d", [3], {}, (1, 1, 7, 7)),
    ]
    py = {"stride": "stride", "padding": "padding", "dilation": "dilation", "ceilMode": "ceil_mode",
          "returnIndices": "return_indices", "countIncludePad": "count_include_pad", "divisorOverride": "divisor_override"}
    for name, typ, args, opts, shape in pools:
        kw = {py[k]: v for k, v in opts.items()}
        a = [tuple(v) if isinstance(v, list) else v for v in args]
        L.append(run_layer(name, getattr(nn, typ)(*a, **kw), torch.randn(*shape), {"type": typ, "args": args, "opts": opts}))
    acts = [
        ("ReLU", nn.ReLU(), {"type": "ReLU"}),
        ("LeakyReLU(0.2)", nn.LeakyReLU(0.2), {"type": "LeakyReLU", "args": [0.2]}),
        ("Sigmoid", nn.Sigmoid(), {"type": "Sigmoid"}),
        ("Tanh", nn.Tanh(), {"type": "Tanh"}),
        ("GELU", nn.GELU(), {"type": "GELU"}),
        ("GELU(approximate='tanh')", nn.GELU(approximate="tanh"), {"type": "GELU", "opts": {"approximate": "tanh"}}),
        ("Softmax(dim=1)", nn.Softmax(dim=1), {"type": "Softmax", "args": [1]}),
        ("LogSoftmax(dim=-1)", nn.LogSoftmax(dim=-1), {"type": "LogSoftmax", "args": [-1]}),
        ("Flatten()", nn.Flatten(), {"type": "Flatten"}),
        ("Identity", nn.Identity(), {"type": "Identity"}),
    ]
    for name, m, extra in acts:
        x = torch.randn(3, 4, 5) * 3
        x[0, 0, :3] = 0.0
        L.append(run_layer(name, m, x, extra))
    x = torch.linspace(-8, 8, 41)
    L.append(run_layer("GELU wide range", nn.GELU(), x, {"type": "GELU"}))
    L.append(run_layer("GELU(tanh) wide range", nn.GELU(approximate="tanh"), x, {"type": "GELU", "opts": {"approximate": "tanh"}}))

    # Batch norm: sequences of steps on one module.
    def bn_seq(name, m, extra, shapes, modes, randomize_affine=True):
        if randomize_affine and m.affine:
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape))
        steps = []
        for shape, mode in zip(shapes, modes):
            m.train(mode == "train")
            for p in m.parameters():
                p.grad = None
            steps.append(run_layer(f"{name} step", m, torch.randn(*shape) * 2 + 1, extra))
        return {"name": name, "module": extra, "steps": steps}

    bn = []
    bn.append(bn_seq("BatchNorm2d(3)", nn.BatchNorm2d(3), {"type": "BatchNorm2d", "args": [3]},
                     [(4, 3, 3, 3)] * 3, ["train", "train", "eval"]))
    bn.append(bn_seq("BatchNorm1d(4,momentum=None)", nn.BatchNorm1d(4, momentum=None),
                     {"type": "BatchNorm1d", "args": [4], "opts": {"momentum": None}}, [(5, 4)] * 4, ["train", "train", "train", "eval"]))
    bn.append(bn_seq("BatchNorm1d(3) 3-D", nn.BatchNorm1d(3, momentum=0.3, eps=1e-3),
                     {"type": "BatchNorm1d", "args": [3], "opts": {"momentum": 0.3, "eps": 1e-3}}, [(4, 3, 5)] * 2, ["train", "eval"]))
    bn.append(bn_seq("BatchNorm2d(3,affine=False)", nn.BatchNorm2d(3, affine=False),
                     {"type": "BatchNorm2d", "args": [3], "opts": {"affine": False}}, [(2, 3, 4, 4)] * 2, ["train", "eval"]))
    bn.append(bn_seq("BatchNorm2d(3,track_running_stats=False)", nn.BatchNorm2d(3, track_running_stats=False),
                     {"type": "BatchNorm2d", "args": [3], "opts": {"trackRunningStats": False}}, [(2, 3, 4, 4)] * 2, ["train", "eval"]))

    # Dropout: the mask comes from the generator.
    drop = []
    torch.manual_seed(7)
    x = torch.randn(4, 8)
    torch.manual_seed(0)
    drop.append(run_layer("Dropout(0.5) seed 0", nn.Dropout(0.5), x, {"type": "Dropout", "args": [0.5], "seed": 0}))
    x2 = torch.randn(3, 5, 7)
    torch.manual_seed(3)
    drop.append(run_layer("Dropout(0.2) seed 3", nn.Dropout(0.2), x2, {"type": "Dropout", "args": [0.2], "seed": 3}))
    m = nn.Dropout(0.5).eval()
    drop.append(run_layer("Dropout eval", m, x, {"type": "Dropout", "args": [0.5], "eval": True}))
    return L, bn, drop


# ------------------------------------------------------------------ losses

def loss_case(name, fn, opts, x, t, grad_target=False):
    x = x.clone().requires_grad_(True)
    if grad_target:
        t = t.clone().requires_grad_(True)
    y = fn(x, t)
    gy = torch.randn(y.shape) if y.dim() > 0 else torch.tensor(1.0)
    y.backward(gy)
    rec = {"name": name, "opts": opts, "input": full(x), "target": full(t), "output": full(y), "gradOutput": full(gy),
           "gradInput": full(x.grad)}
    if grad_target:
        rec["gradTarget"] = full(t.grad)
    return rec


def jsopts(opts):
    m = {"ignore_index": "ignoreIndex", "label_smoothing": "labelSmoothing", "pos_weight": "posWeight"}
    out = {}
    for k, v in opts.items():
        out[m.get(k, k)] = full(v) if isinstance(v, torch.Tensor) else v
    return out


def gen_losses():
    torch.manual_seed(321)
    cases = []
    reds = ["mean", "sum", "none"]
    x = torch.randn(3, 4)
    t = torch.randn(3, 4)
    for r in reds:
        cases.append(loss_case(f"mse {r}", lambda a, b, r=r: F.mse_loss(a, b, reduction=r), {"fn": "mseLoss", "reduction": r}, x, t, True))
        cases.append(loss_case(f"l1 {r}", lambda a, b, r=r: F.l1_loss(a, b, reduction=r), {"fn": "l1Loss", "reduction": r}, x, t, True))

    logits = torch.randn(6, 4) * 2
    target = torch.tensor([0, 3, 2, 1, 2, 0])
    w = torch.rand(4) + 0.5
    big = torch.tensor([[1000.0, -1000.0, 0.0, 500.0], [-3e4, 2e4, 1e4, 0.0], [80.0, 90.0, 100.0, 110.0],
                        [1e-3, -1e-3, 0.0, 0.0], [-200.0, -210.0, -190.0, -205.0], [3.0, 3.0, 3.0, 3.0]])
    for inp_name, inp in [("", logits), (" large logits", big)]:
        for r in reds:
            for wt in [None, w]:
                for ls in [0.0, 0.1]:
                    for ii in [-100, 2]:
                        opts = {"reduction": r, "label_smoothing": ls, "ignore_index": ii}
                        if wt is not None:
                            opts["weight"] = wt
                        o = dict(opts)
                        name = f"ce{inp_name} {r} w={wt is not None} ls={ls} ii={ii}"
                        cases.append(loss_case(name, lambda a, b, o=o: F.cross_entropy(a, b, **o),
                                               dict(fn="crossEntropy", **jsopts(opts)), inp, target))
    # N, C, d1, d2 with class indices.
    x4 = torch.randn(2, 3, 2, 2)
    t4 = torch.tensor([[[0, 1], [2, 1]], [[1, 1], [0, 2]]])
    for r in reds:
        for ls in [0.0, 0.2]:
            o = {"reduction": r, "label_smoothing": ls, "weight": torch.tensor([0.2, 1.0, 2.0]), "ignore_index": 1}
            cases.append(loss_case(f"ce 4-D {r} ls={ls}", lambda a, b, o=o: F.cross_entropy(a, b, **o), dict(fn="crossEntropy", **jsopts(o)), x4, t4))
    # Unbatched: [C] input with a 0-d target.
    cases.append(loss_case("ce unbatched", lambda a, b: F.cross_entropy(a, b), {"fn": "crossEntropy"}, torch.randn(5), torch.tensor(3)))
    cases.append(loss_case("ce unbatched none ls", lambda a, b: F.cross_entropy(a, b, reduction="none", label_smoothing=0.3),
                           {"fn": "crossEntropy", "reduction": "none", "labelSmoothing": 0.3}, torch.randn(5), torch.tensor(1)))
    # Class probabilities.
    probs = torch.softmax(torch.randn(6, 4), dim=1)
    for r in reds:
        for wt in [None, w]:
            for ls in [0.0, 0.25]:
                opts = {"reduction": r, "label_smoothing": ls}
                if wt is not None:
                    opts["weight"] = wt
                o = dict(opts)
                cases.append(loss_case(f"ce probs {r} w={wt is not None} ls={ls}", lambda a, b, o=o: F.cross_entropy(a, b, **o),
                                       dict(fn="crossEntropy", **jsopts(opts)), logits, probs, True))
    # NLL.
    logp = torch.log_softmax(torch.randn(5, 4), dim=1)
    t5 = torch.tensor([1, 0, 3, 3, 2])
    for r in reds:
        for wt in [None, w]:
            for ii in [-100, 3]:
                opts = {"reduction": r, "ignore_index": ii}
                if wt is not None:
                    opts["weight"] = wt
                o = dict(opts)
                cases.append(loss_case(f"nll {r} w={wt is not None} ii={ii}", lambda a, b, o=o: F.nll_loss(a, b, **o),
                                       dict(fn="nllLoss", **jsopts(opts)), logp, t5))
    x3 = torch.log_softmax(torch.randn(2, 3, 4), dim=1)
    t3 = torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]])
    for r in reds:
        cases.append(loss_case(f"nll 3-D {r}", lambda a, b, r=r: F.nll_loss(a, b, reduction=r), {"fn": "nllLoss", "reduction": r}, x3, t3))
    # BCE: probabilities incl. exact 0 and 1 (the log clamp at -100).
    p = torch.rand(3, 4) * 0.98 + 0.01
    p[0, 0] = 0.0
    p[0, 1] = 1.0
    p[1, 0] = 1e-30
    y = torch.rand(3, 4)
    y[0, 0] = 0.0
    y[0, 1] = 1.0
    y[2, :] = torch.tensor([0.0, 1.0, 1.0, 0.0])
    bw = torch.rand(4) + 0.5
    for r in reds:
        for wt in [None, bw]:
            opts = {"reduction": r}
            if wt is not None:
                opts["weight"] = wt
            o = dict(opts)
            cases.append(loss_case(f"bce {r} w={wt is not None}", lambda a, b, o=o: F.binary_cross_entropy(a, b, **o),
                                   dict(fn="binaryCrossEntropy", **jsopts(opts)), p, y, True))
    # BCE with logits, incl. very large logits.
    z = torch.randn(3, 4) * 3
    z[0] = torch.tensor([100.0, -100.0, 1e4, -1e4])
    z[1, 0] = 40.0
    z[1, 1] = -40.0
    pw = torch.tensor([0.5, 1.0, 2.0, 3.0])
    for r in reds:
        for wt in [None, bw]:
            for pwt in [None, pw]:
                opts = {"reduction": r}
                if wt is not None:
                    opts["weight"] = wt
                if pwt is not None:
                    opts["pos_weight"] = pwt
                o = dict(opts)
                cases.append(loss_case(f"bce logits {r} w={wt is not None} pw={pwt is not None}",
                                       lambda a, b, o=o: F.binary_cross_entropy_with_logits(a, b, **o),
                                       dict(fn="binaryCrossEntropyWithLogits", **jsopts(opts)), z, y, True))
    return cases


# ------------------------------------------------------------------ structure and printing

def camel(s):
    parts = s.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def gen_structure():
    model = alexnet()
    net = Net()
    reprs = {
        "alexnet": repr(model),
        "net": repr(net),
        "sequential_named": repr(nn.Sequential(OrderedDict([("conv1", nn.Conv2d(1, 20, 5)), ("relu1", nn.ReLU()),
                                                            ("pool", nn.MaxPool2d(2)), ("bn", nn.BatchNorm2d(20, momentum=None)),
                                                            ("fc", nn.Sequential(nn.Flatten(), nn.Linear(10, 2, bias=False)))]))),
        "module_list": repr(nn.ModuleList([nn.Linear(2, 3), nn.Tanh(), nn.ModuleList([nn.Sigmoid()])])),
        "module_dict": repr(nn.ModuleDict({"act": nn.LeakyReLU(0.2), "gelu": nn.GELU(approximate="tanh")})),
        "empty_sequential": repr(nn.Sequential()),
        "layers": [repr(m) for m in [
            nn.Conv2d(2, 4, 3, padding="same", groups=2, bias=False),
            nn.Conv2d(2, 4, (2, 3), stride=(2, 1), padding="valid", dilation=(1, 2)),
            nn.Conv2d(96, 256, 5, padding=2),
            nn.MaxPool2d(3, 2), nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, ceil_mode=True),
            nn.AvgPool2d(2), nn.AvgPool2d(3, stride=2, padding=1),
            nn.AdaptiveAvgPool2d(1), nn.AdaptiveAvgPool2d((2, 3)),
            nn.BatchNorm1d(4, momentum=None), nn.BatchNorm2d(8, eps=1e-3, momentum=0.01, affine=False, track_running_stats=False),
            nn.Dropout(), nn.Dropout(0.25), nn.Flatten(), nn.Flatten(0, 2), nn.Identity(),
            nn.ReLU(), nn.ReLU(inplace=True), nn.LeakyReLU(), nn.LeakyReLU(0.2), nn.Sigmoid(), nn.Tanh(),
            nn.GELU(), nn.GELU(approximate="tanh"), nn.Softmax(), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1),
            nn.Linear(4, 4), nn.Linear(3, 1, bias=False),
            nn.MSELoss(), nn.L1Loss(), nn.CrossEntropyLoss(), nn.NLLLoss(), nn.BCELoss(), nn.BCEWithLogitsLoss(),
        ]],
    }
    return {
        "alexnet": {
            "namedParameters": [[n, list(p.shape)] for n, p in model.named_parameters()],
            "stateDictKeys": list(model.state_dict().keys()),
            "numParameters": sum(p.numel() for p in model.parameters()),
        },
        "net": {
            "namedParameters": [[camel(n), list(p.shape)] for n, p in net.named_parameters()],
            "namedBuffers": [camel(n) for n, _ in net.named_buffers()],
            "stateDictKeys": [".".join(camel(s) for s in k.split(".")) for k in net.state_dict().keys()],
            "namedModules": [n for n, _ in net.named_modules()],
            "numParameters": sum(p.numel() for p in net.parameters()),
        },
        "reprs": reprs,
    }


def gen_alexnet_forward():
    torch.manual_seed(0)
    model = alexnet().eval()
    torch.manual_seed(1)
    x = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        y = model(x)
    return {"seedModel": 0, "seedInput": 1, "input": {"shape": [2, 1, 28, 28]}, "output": full(y)}


def main():
    layers, bn, drop = gen_layers()
    init_fns, gains = gen_init_fns()
    xs = [0.0, 1e-30, 1e-10, 0.1, 0.5, 0.84, 0.84375, 0.9, 1.0, 1.2, 1.25, 1.5, 2.0, 2.5, 2.857, 2.86, 3.5, 4.0, 5.0, 5.9, 6.0, 7.0]
    xs = xs + [-v for v in xs if v != 0] + [i / 37 for i in range(-300, 301, 7)]
    data = {
        "command": COMMAND,
        "torch_version": torch.__version__,
        "init": gen_init(),
        "initFns": init_fns,
        "gains": gains,
        "layers": layers,
        "batchnorm": bn,
        "dropout": drop,
        "losses": gen_losses(),
        "structure": gen_structure(),
        "alexnetForward": gen_alexnet_forward(),
        "erf": [[x, math.erf(x)] for x in xs],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
