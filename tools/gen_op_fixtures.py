"""Generate test/fixtures/ops.json: PyTorch's results for nabla's ops, forward and backward.

Run from the repository root:  /usr/bin/python3 tools/gen_op_fixtures.py

Each case is an expression over input tensors, written with nabla's function names and argument
conventions (options objects such as {"dim": 1, "keepdim": true}), so test/ops/oracle.test.ts can
evaluate it by calling the functions exported from src/index.ts:

  {"input": i}                     the i-th input tensor
  {"call": "sum", "args": [...]}   nabla's `sum(...args)`; PyTorch runs the same call through the
                                   adapter of that name in TORCH below
  {"call": ".add_", "args": [...]} a Tensor method: args[0].add_(...args[1:])
  {"call": "@index", "args": [list, i]} the i-th tensor of a list result (split, chunk, …)
  {"float": "nan" | "inf" | "-inf"} a non-finite JS number argument
  anything else                    a literal argument (number, boolean, list, options object)

A case records its inputs (dtype, shape, row-major data, whether they require grad), and either
PyTorch's error message ("error": nabla must throw too) or PyTorch's outputs (a tensor result is one output; lists and (values, indices) pairs are several) and, when
some input requires grad, the class names of the outputs' grad_fn, the weights w_k (one per floating output) and the gradients of
sum_k (out_k * w_k).sum() with respect to each input (null where PyTorch returns no gradient).
Floating data are written with enough digits to round-trip (float32: 9 significant digits,
float64: 17); non-finite values are the strings "nan", "inf", "-inf". PyTorch's int64 is written
as nabla's int32. "kind" groups cases by the tolerance the test applies ("range" is arange and
linspace, whose last bit in PyTorch depends on the SIMD width, FMA contraction and thread split).
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool
DTYPE_NAME = {F32: "float32", F64: "float64", I64: "int32", BOOL: "bool"}
NABLA_DTYPE = {"float32": F32, "float64": F64, "int32": I64, "bool": BOOL}

CASES = []
NAMES = set()


# ---- expressions -------------------------------------------------------------------------------


class In:
    def __init__(self, i):
        self.i = i


class Call:
    def __init__(self, name, *args):
        self.name = name
        self.args = args


def C(name, *args):
    return Call(name, *args)


X, Y, Z, W = In(0), In(1), In(2), In(3)


def encode_expr(e):
    if isinstance(e, In):
        return {"input": e.i}
    if isinstance(e, Call):
        return {"call": e.name, "args": [encode_expr(a) for a in e.args]}
    if isinstance(e, (list, tuple)):
        return [encode_expr(a) for a in e]
    if isinstance(e, dict):
        return {k: encode_expr(v) for k, v in e.items()}
    if isinstance(e, float) and not math.isfinite(e):
        return {"float": "nan" if math.isnan(e) else ("inf" if e > 0 else "-inf")}
    return e


def evaluate(e, inputs):
    if isinstance(e, In):
        return inputs[e.i]
    if isinstance(e, Call):
        args = [evaluate(a, inputs) for a in e.args]
        if e.name == "@index":
            return args[0][args[1]]
        if e.name.startswith("."):
            m = e.name[1:]
            if m in METHOD_ADAPTERS:
                return METHOD_ADAPTERS[m](*args)
            return getattr(args[0], m)(*args[1:])
        return TORCH[e.name](*args)
    if isinstance(e, list):
        return [evaluate(a, inputs) for a in e]
    if isinstance(e, dict):
        return {k: evaluate(v, inputs) for k, v in e.items()}
    return e


# ---- PyTorch adapters: nabla's signature in, PyTorch's call out ----------------------------------

# Methods whose positional arguments PyTorch takes as keywords.
METHOD_ADAPTERS = {
    "add_": lambda t, o, alpha=1: t.add_(o, alpha=alpha),
    "sub_": lambda t, o, alpha=1: t.sub_(o, alpha=alpha),
}


def is_t(v):
    return isinstance(v, torch.Tensor)


def dt(opts):
    return NABLA_DTYPE[opts["dtype"]] if opts and "dtype" in opts else None


def red_dims(x, o):
    o = o or {}
    d = o.get("dim")
    if d is None:
        d = list(range(x.dim()))
    return d, bool(o.get("keepdim", False))


def creation_kw(opts):
    kw = {}
    if opts and "dtype" in opts:
        kw["dtype"] = NABLA_DTYPE[opts["dtype"]]
    return kw


def scalar_operand(x, y):
    """PyTorch's maximum/minimum take tensors only: wrap a scalar at the promoted dtype."""
    if is_t(x) and is_t(y):
        return x, y
    d = torch.result_type(x, y) if is_t(x) else torch.result_type(y, x)
    wrap = lambda v: v.to(d) if is_t(v) else torch.tensor(v, dtype=d)
    return wrap(x), wrap(y)


def binop(fn, reflected):
    def run(x, y, *rest):
        if is_t(x):
            return fn(x, y, *rest)
        return reflected(y, x, *rest)

    return run


def t_sum(x, o=None):
    if not o or ("dim" not in o and not o.get("keepdim")):
        return torch.sum(x)
    d, k = red_dims(x, o)
    return torch.sum(x, dim=d, keepdim=k)


def t_mean(x, o=None):
    if not o or ("dim" not in o and not o.get("keepdim")):
        return torch.mean(x)
    d, k = red_dims(x, o)
    return torch.mean(x, dim=d, keepdim=k)


def t_prod(x, o=None):
    o = o or {}
    if o.get("dim") is None:
        return torch.prod(x)
    return torch.prod(x, o["dim"], keepdim=bool(o.get("keepdim", False)))


def t_extreme(fn):
    def run(x, o=None):
        if o is None or o.get("dim") is None:
            return fn(x)
        r = fn(x, o["dim"], keepdim=bool(o.get("keepdim", False)))
        return [r.values, r.indices]

    return run


def t_arg(fn):
    def run(x, o=None):
        o = o or {}
        return fn(x, dim=o.get("dim"), keepdim=bool(o.get("keepdim", False)))

    return run


def t_var(fn):
    def run(x, o=None):
        d, k = red_dims(x, o)
        return fn(x, dim=d, keepdim=k, correction=(o or {}).get("correction", 1))

    return run


def t_logsumexp(x, o=None):
    d, k = red_dims(x, o)
    return torch.logsumexp(x, dim=d, keepdim=k)


def t_arange(a, b=None, step=1, opts=None):
    if b is None:
        return torch.arange(a, **creation_kw(opts))
    return torch.arange(a, b, step, **creation_kw(opts))


def t_clamp(x, lo=None, hi=None):
    return torch.clamp(x, lo, hi)


def t_where(c, x, y):
    return torch.where(c, x, y)


def t_eye(n, m=None, opts=None):
    return torch.eye(n, n if m is None else m, **creation_kw(opts))


def t_full(shape, v, opts=None):
    return torch.full(shape, v, **creation_kw(opts))


def t_tensor(data, opts=None):
    return torch.tensor(data, **creation_kw(opts))


def t_squeeze(x, d=None):
    return x.squeeze() if d is None else x.squeeze(d)


def t_slice(x, d, start=0, end=None, step=1):
    idx = [slice(None)] * x.dim()
    idx[d] = slice(start, end, step)
    return x[tuple(idx)]


def t_split(x, s, d=0):
    return list(torch.split(x, s, d))


TORCH = {
    # creation
    "tensor": t_tensor,
    "zeros": lambda s, o=None: torch.zeros(s, **creation_kw(o) or {"dtype": F32}),
    "ones": lambda s, o=None: torch.ones(s, **creation_kw(o) or {"dtype": F32}),
    "full": t_full,
    "zerosLike": lambda x, o=None: torch.zeros_like(x, **creation_kw(o)),
    "onesLike": lambda x, o=None: torch.ones_like(x, **creation_kw(o)),
    "fullLike": lambda x, v, o=None: torch.full_like(x, v, **creation_kw(o)),
    "arange": t_arange,
    "linspace": lambda a, b, n, o=None: torch.linspace(a, b, n, **creation_kw(o)),
    "eye": t_eye,
    # conversion
    "clone": torch.clone,
    "contiguous": lambda x: x.contiguous(),
    "to": lambda x, d: x.to(NABLA_DTYPE[d]),
    # views
    "view": lambda x, s: x.view(s),
    "reshape": lambda x, s: x.reshape(s),
    "flatten": lambda x, a=0, b=-1: torch.flatten(x, a, b),
    "unflatten": lambda x, d, s: x.unflatten(d, s),
    "permute": lambda x, p: x.permute(p),
    "transpose": torch.transpose,
    "t": torch.t,
    "expand": lambda x, s: x.expand(s),
    "squeeze": t_squeeze,
    "unsqueeze": torch.unsqueeze,
    "narrow": torch.narrow,
    "select": torch.select,
    "slice": t_slice,
    # joining
    "cat": lambda ts, d=0: torch.cat(ts, d),
    "stack": lambda ts, d=0: torch.stack(ts, d),
    "split": t_split,
    "chunk": lambda x, n, d=0: list(torch.chunk(x, n, d)),
    "unbind": lambda x, d=0: list(torch.unbind(x, d)),
    # binary
    "add": lambda x, y, alpha=1: torch.add(x, y, alpha=alpha) if is_t(x) else x + y,
    "sub": lambda x, y, alpha=1: torch.sub(x, y, alpha=alpha) if is_t(x) else torch.rsub(y, x),
    "mul": binop(torch.mul, torch.mul),
    "div": binop(torch.div, lambda y, x: x / y),
    "pow": torch.pow,
    "maximum": lambda x, y: torch.maximum(*scalar_operand(x, y)),
    "minimum": lambda x, y: torch.minimum(*scalar_operand(x, y)),
    "eq": binop(torch.eq, torch.eq),
    "ne": binop(torch.ne, torch.ne),
    "lt": binop(torch.lt, torch.gt),
    "le": binop(torch.le, torch.ge),
    "gt": binop(torch.gt, torch.lt),
    "ge": binop(torch.ge, torch.le),
    "logicalAnd": torch.logical_and,
    "logicalOr": torch.logical_or,
    "where": t_where,
    # unary
    "neg": torch.neg,
    "abs": torch.abs,
    "sign": torch.sign,
    "exp": torch.exp,
    "log": torch.log,
    "log1p": torch.log1p,
    "expm1": torch.expm1,
    "sqrt": torch.sqrt,
    "rsqrt": torch.rsqrt,
    "reciprocal": torch.reciprocal,
    "square": torch.square,
    "sin": torch.sin,
    "cos": torch.cos,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "clamp": t_clamp,
    "logicalNot": torch.logical_not,
    # reductions
    "sum": t_sum,
    "mean": t_mean,
    "prod": t_prod,
    "max": t_extreme(torch.max),
    "min": t_extreme(torch.min),
    "argmax": t_arg(torch.argmax),
    "argmin": t_arg(torch.argmin),
    "var": t_var(torch.var),
    "std": t_var(torch.std),
    "logsumexp": t_logsumexp,
    "sumTo": lambda x, s: x.sum_to_size(s),
    "softmax": lambda x, d: torch.softmax(x, d),
    "logSoftmax": lambda x, d: torch.log_softmax(x, d),
    # linear algebra
    "matmul": torch.matmul,
    "mm": torch.mm,
    "bmm": torch.bmm,
    "dot": torch.dot,
    "outer": torch.outer,
    "diag": lambda x, k=0: torch.diag(x, k),
    "diagflat": lambda x, k=0: torch.diagflat(x, k),
    # indexing
    "gather": torch.gather,
    "indexSelect": torch.index_select,
    "scatterAdd": torch.scatter_add,
    "oneHot": lambda i, n=-1: F.one_hot(i, n),
}


# ---- serialization -----------------------------------------------------------------------------


def num(v, dtype):
    if dtype in (F32, F64):
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == int(v) and abs(v) < 2**53:
            return int(v) if not (v == 0 and math.copysign(1, v) < 0) else -0.0
        return float(f"{v:.9g}") if dtype == F32 else v
    if dtype == BOOL:
        return bool(v)
    return int(v)


def enc_tensor(t):
    t = t.detach()
    assert t.dtype in DTYPE_NAME, t.dtype
    return {
        "dtype": DTYPE_NAME[t.dtype],
        "shape": list(t.shape),
        "data": [num(v, t.dtype) for v in t.reshape(-1).tolist()],
    }


def flatten_outputs(out):
    if is_t(out):
        return [out]
    if isinstance(out, (list, tuple)):
        return [o for x in out for o in flatten_outputs(x)]
    raise TypeError(type(out))


# ---- inputs --------------------------------------------------------------------------------------


def rnd(shape, kind="randn", dtype=F64):
    """Random inputs rounded to 4 decimals, so they are short in JSON and exact on both sides."""
    if kind == "randn":
        t = torch.randn(shape, dtype=F64)
    elif kind == "pos":  # away from 0, for log/sqrt/div/pow bases
        t = torch.rand(shape, dtype=F64) * 2 + 0.2
    elif kind == "unit":  # (-0.9, 0.9)
        t = (torch.rand(shape, dtype=F64) * 2 - 1) * 0.9
    elif kind == "away":  # |x| in [0.2, 2]: away from the kinks of abs/relu/sign
        t = (torch.rand(shape, dtype=F64) * 1.8 + 0.2) * torch.where(torch.rand(shape) < 0.5, -1.0, 1.0).to(F64)
    elif kind == "int":
        return torch.randint(-5, 6, shape, dtype=I64)
    elif kind == "nat":
        return torch.randint(0, 6, shape, dtype=I64)
    elif kind == "bool":
        return torch.rand(shape) < 0.5
    else:
        raise ValueError(kind)
    return (torch.round(t * 1e4) / 1e4).to(dtype)


def lit(data, dtype):
    return torch.tensor(data, dtype=dtype)


def idx(data):
    return lit(data, I64)


# ---- cases ---------------------------------------------------------------------------------------


def add(name, kind, expr, inputs=(), grad=None, note=None):
    """Records one case. `grad` (default: any float64 input) marks inputs that require grad."""
    assert name not in NAMES, name
    NAMES.add(name)
    inputs = [t.detach().clone() for t in inputs]
    if grad is None:
        grad = [t.dtype == F64 for t in inputs]
    leaves = [t.clone().requires_grad_(g) for t, g in zip(inputs, grad)]
    case = {
        "name": name,
        "kind": kind,
        "expr": encode_expr(expr),
        "inputs": [dict(enc_tensor(t), requiresGrad=bool(g)) for t, g in zip(inputs, grad)],
    }
    try:
        out = evaluate(expr, leaves)
    except (RuntimeError, IndexError, ValueError) as e:
        # PyTorch refuses this call; nabla must refuse it too (messages differ).
        case["error"] = str(e).split("\n")[0]
        CASES.append(case)
        return
    outs = flatten_outputs(out)
    case["outputs"] = [enc_tensor(o) for o in outs]
    if note:
        case["note"] = note
    if any(grad):
        case["gradFns"] = [type(o.grad_fn).__name__ if o.grad_fn is not None else None for o in outs]
        weights, loss = [], None
        for o in outs:
            if o.dtype in (F32, F64) and o.requires_grad:
                w = (torch.round(torch.randn(o.shape, dtype=F64) * 1e3) / 1e3).to(o.dtype)
                weights.append(enc_tensor(w)["data"])
                term = (o * w).sum()
                loss = term if loss is None else loss + term
            else:
                weights.append(None)
        if loss is not None:
            gl = [l for l in leaves if l.requires_grad]
            grads = torch.autograd.grad(loss, gl, allow_unused=True)
            it = iter(grads)
            case["weights"] = weights
            case["grads"] = [
                (None if (g := next(it)) is None else enc_tensor(g)) if l.requires_grad else None for l in leaves
            ]
    CASES.append(case)


def both(name, kind, expr, inputs, grad=None, note=None):
    """A float32 forward case and a float64 forward+gradient case on the same values."""
    add(f"{name} [float32]", kind, expr, [t.to(F32) if t.dtype == F64 else t for t in inputs], grad=[False] * len(inputs), note=note)
    add(f"{name} [float64]", kind, expr, inputs, grad=grad, note=note)


# creation ------------------------------------------------------------------------------------------
for name, expr in [
    ("zeros [2, 3]", C("zeros", [2, 3])),
    ("zeros int32", C("zeros", [2, 2], {"dtype": "int32"})),
    ("ones float64", C("ones", [3], {"dtype": "float64"})),
    ("ones 0-d", C("ones", [])),
    ("full float", C("full", [2, 2], 1.5)),
    ("full int", C("full", [3], 7)),
    ("full bool", C("full", [2], True)),
    ("full with dtype", C("full", [2], 3, {"dtype": "float64"})),
    ("eye 3", C("eye", 3)),
    ("eye 2x4", C("eye", 2, 4)),
    ("eye 4x2 int32", C("eye", 4, 2, {"dtype": "int32"})),
    ("arange 5", C("arange", 5)),
    ("arange 1..4", C("arange", 1, 4)),
    ("arange 0..1 by 0.25", C("arange", 0, 1, 0.25)),
    ("arange -1..1 by 0.3", C("arange", -1, 1, 0.3)),
    ("arange 10..0 by -3", C("arange", 10, 0, -3)),
    ("arange 1.5..4", C("arange", 1.5, 4)),
    ("arange float64", C("arange", 0, 2, 0.1, {"dtype": "float64"})),
    ("arange float32 0..2 by 0.1", C("arange", 0, 2, 0.1)),
    ("arange empty", C("arange", 3, 3)),
    ("arange 0..0.3 by 0.1 (length 3)", C("arange", 0, 0.3, 0.1)),
    ("arange 1..2.1 by 0.1", C("arange", 1, 2.1, 0.1)),
    ("arange -3..3 by 0.7", C("arange", -3, 3, 0.7)),
    ("arange int32 with float step", C("arange", 0, 5, 1.5, {"dtype": "int32"})),
    ("linspace int32", C("linspace", 0, 10, 4, {"dtype": "int32"})),
    ("eye 3x0", C("eye", 3, 0)),
    ("linspace 0..1 x5", C("linspace", 0, 1, 5)),
    ("linspace -2..3 x7", C("linspace", -2, 3, 7)),
    ("linspace 0..1 x1", C("linspace", 0, 1, 1)),
    ("linspace 0..1 x0", C("linspace", 0, 1, 0)),
    ("linspace 1..0 x4", C("linspace", 1, 0, 4)),
    ("linspace 0..1 x100", C("linspace", 0, 1, 100)),
    ("linspace -3.3..7.1 x33", C("linspace", -3.3, 7.1, 33)),
    ("linspace float64 0..10 x11", C("linspace", 0, 10, 11, {"dtype": "float64"})),
    ("linspace float64 0..1 x7", C("linspace", 0, 1, 7, {"dtype": "float64"})),
    ("tensor nested int", C("tensor", [[1, 2], [3, 4]])),
    ("tensor nested float", C("tensor", [[1.5, 2], [3, -4.25]])),
    ("tensor bool", C("tensor", [True, False, True])),
    ("tensor scalar", C("tensor", 2.5)),
    ("tensor float64", C("tensor", [0.1, 0.2], {"dtype": "float64"})),
]:
    add(f"creation: {name}", "range" if expr.name in ("arange", "linspace") else "creation", expr)
add("creation: zerosLike", "creation", C("zerosLike", X), [rnd([2, 3], dtype=F32)])
add("creation: onesLike int", "creation", C("onesLike", X), [rnd([4], "int")])
add("creation: fullLike", "creation", C("fullLike", X, 2.5), [rnd([2, 2], dtype=F64)], grad=[False])
add("creation: onesLike with dtype", "creation", C("onesLike", X, {"dtype": "float64"}), [rnd([3], dtype=F32)])

# conversion --------------------------------------------------------------------------------------
both("convert: clone", "view", C("clone", X), [rnd([2, 3])])
both("convert: contiguous of transpose", "view", C("contiguous", C("transpose", X, 0, 1)), [rnd([2, 3])])
add("convert: to float64", "elementwise", C("to", X, "float64"), [rnd([4], dtype=F32)])
add("convert: float64 to float32 grad", "elementwise", C("to", X, "float32"), [rnd([4])], note="grad flows back as float64")
add("convert: float to int truncates", "elementwise", C("to", X, "int32"), [lit([1.7, -1.7, 0.2, -0.0, 3.0], F32)])
add("convert: float to bool", "elementwise", C("to", X, "bool"), [lit([0.5, 0.0, -2.0, 256.0, float("nan")], F32)])
add("convert: int to bool", "elementwise", C("to", X, "bool"), [lit([0, 1, -1, 256, 2], I64)])
add("convert: bool to float", "elementwise", C("to", X, "float32"), [lit([True, False], BOOL)])

# views ---------------------------------------------------------------------------------------------
A234 = lambda: rnd([2, 3, 4])
for name, expr, shape in [
    ("reshape [4, -1]", C("reshape", X, [4, -1]), [2, 3, 4]),
    ("reshape to 0-d", C("reshape", X, []), [1]),
    ("reshape of transpose (copies)", C("reshape", C("transpose", X, 0, 2), [4, 6]), [2, 3, 4]),
    ("reshape of expand", C("reshape", C("expand", X, [2, 3, 4]), [6, 4]), [3, 1]),
    ("view [6, 4]", C("view", X, [6, 4]), [2, 3, 4]),
    ("view [-1]", C("view", X, [-1]), [2, 3, 4]),
    ("view splitting a dim of a permuted tensor", C("view", C("permute", X, [1, 0, 2]), [3, 2, 2, 2]), [2, 3, 4]),
    ("view merging dims of a slice", C("view", C("slice", X, 2, 0, 2), [6, 2]), [2, 3, 4]),
    ("transpose 0 1", C("transpose", X, 0, 1), [2, 3, 4]),
    ("transpose -1 -3", C("transpose", X, -1, -3), [2, 3, 4]),
    ("t", C("t", X), [3, 4]),
    ("t of 1-d", C("t", X), [3]),
    ("permute [2, 0, 1]", C("permute", X, [2, 0, 1]), [2, 3, 4]),
    ("permute negative", C("permute", X, [-1, 0, 1]), [2, 3, 4]),
    ("expand [3,1] to [2,3,4]", C("expand", X, [2, 3, 4]), [3, 1]),
    ("expand with -1", C("expand", X, [2, -1, 5]), [3, 1]),
    ("expand 0-d", C("expand", X, [2, 2]), []),
    ("squeeze all", C("squeeze", X), [1, 3, 1, 2]),
    ("squeeze dim", C("squeeze", X, 2), [1, 3, 1, 2]),
    ("squeeze non-1 dim is a no-op", C("squeeze", X, 1), [1, 3, 1, 2]),
    ("squeeze negative dim", C("squeeze", X, -4), [1, 3, 1, 2]),
    ("unsqueeze 0", C("unsqueeze", X, 0), [2, 3]),
    ("unsqueeze -1", C("unsqueeze", X, -1), [2, 3]),
    ("unsqueeze middle of transpose", C("unsqueeze", C("t", X), 1), [2, 3]),
    ("flatten", C("flatten", X), [2, 3, 4]),
    ("flatten 1", C("flatten", X, 1), [2, 3, 4]),
    ("flatten 0 1", C("flatten", X, 0, 1), [2, 3, 4]),
    ("flatten 0-d", C("flatten", X), []),
    ("unflatten", C("unflatten", X, 1, [2, -1]), [3, 4, 2]),
    ("narrow", C("narrow", X, 1, 1, 2), [2, 3, 4]),
    ("narrow negative start", C("narrow", X, -1, -3, 2), [2, 3, 4]),
    ("select", C("select", X, 1, 2), [2, 3, 4]),
    ("select negative index", C("select", X, 0, -1), [2, 3, 4]),
    ("select of 1-d", C("select", X, 0, 1), [4]),
    ("slice 1:3", C("slice", X, 1, 1, 3), [2, 3, 4]),
    ("slice ::2", C("slice", X, 2, 0, 4, 2), [2, 3, 4]),
    ("slice 1::2 open end", C("slice", X, 2, 1, 2**31, 2), [2, 3, 5]),
    ("slice negative bounds", C("slice", X, -1, -3, -1), [2, 3, 4]),
    ("slice clipped", C("slice", X, 0, -10, 10), [2, 3]),
    ("slice empty", C("slice", X, 1, 2, 1), [2, 3]),
    ("slice of slice", C("slice", C("slice", X, 1, 1, 7, 2), 1, 1, 3), [2, 8]),
]:
    both(f"view: {name}", "view", expr, [rnd(shape)])
# view() where the memory layout forbids it: PyTorch raises, so must nabla.
for name, expr, shape in [
    ("view of transpose", C("view", C("t", X), [6]), [2, 3]),
    ("view of permute merging incompatible dims", C("view", C("permute", X, [1, 0, 2]), [6, 4]), [2, 3, 4]),
    ("view of expand merging the broadcast dim", C("view", C("expand", X, [3, 4]), [12]), [3, 1]),
    ("view of a column slice", C("view", C("slice", X, 1, 1, 3), [4]), [2, 4]),
]:
    add(f"view error: {name}", "view", expr, [rnd(shape, dtype=F32)])
for name, expr, shape in [
    ("view of expand splitting the broadcast dim", C("view", C("expand", X, [3, 4]), [3, 2, 2]), [3, 1]),
    ("view of expand adding unit dims", C("view", C("expand", X, [3, 4]), [3, 1, 4, 1]), [3, 1]),
    ("view of a row slice", C("view", C("slice", X, 0, 1, 3), [8]), [3, 4]),
    ("view of a strided slice merging rows", C("view", C("slice", X, 1, 0, 4, 2), [4]), [2, 4]),
    ("view of a column slice keeping rows", C("view", C("slice", X, 1, 1, 3), [2, 1, 2]), [2, 4]),
    ("view of permute splitting a dim", C("view", C("permute", X, [2, 0, 1]), [2, 2, 6]), [2, 3, 4]),
    ("view of transpose to [1, 3, 2, 1]", C("view", C("t", X), [1, 3, 2, 1]), [2, 3]),
    ("view of a 0-stride size-1 dim", C("view", C("unsqueeze", C("t", X), 1), [3, 2]), [2, 3]),
]:
    both(f"view: {name}", "view", expr, [rnd(shape)])
both("view: expand then sum (broadcast grad)", "reduction", C("sum", C("expand", X, [4, 3, 2]), {"dim": [0, 2]}), [rnd([3, 1])])

# joining ---------------------------------------------------------------------------------------------
both("join: cat dim 0", "view", C("cat", [X, Y], 0), [rnd([2, 3]), rnd([1, 3])])
both("join: cat dim 1 three", "view", C("cat", [X, Y, Z], 1), [rnd([2, 1]), rnd([2, 3]), rnd([2, 2])])
both("join: cat dim -1 of 3-d", "view", C("cat", [X, Y], -1), [rnd([2, 2, 1]), rnd([2, 2, 3])])
both("join: cat with transposed input", "view", C("cat", [C("t", X), Y], 0), [rnd([3, 2]), rnd([1, 3])])
both("join: cat skips empty 1-d", "view", C("cat", [X, Y], 0), [rnd([0]), rnd([2, 2])])
add("join: cat promotes float32 + float64", "view", C("cat", [X, Y]), [rnd([2], dtype=F32), rnd([3])])
add("join: cat promotes int + float32", "view", C("cat", [X, Y]), [rnd([2], "int"), rnd([2], dtype=F32)])
add("join: cat bool + int", "view", C("cat", [X, Y]), [rnd([2], "bool"), rnd([2], "int")])
both("join: stack dim 0", "view", C("stack", [X, Y]), [rnd([2, 3]), rnd([2, 3])])
both("join: stack dim 1", "view", C("stack", [X, Y, Z], 1), [rnd([2, 3]), rnd([2, 3]), rnd([2, 3])])
both("join: stack dim -1", "view", C("stack", [X, Y], -1), [rnd([2, 3]), rnd([2, 3])])
both("join: stack 0-d", "view", C("stack", [X, Y]), [rnd([]), rnd([])])
both("join: split size 2", "view", C("split", X, 2), [rnd([5, 2])])
both("join: split size 2 dim 1", "view", C("split", X, 2, 1), [rnd([2, 5])])
both("join: split sizes", "view", C("split", X, [1, 3, 1], 1), [rnd([2, 5])])
both("join: split larger than dim", "view", C("split", X, 10), [rnd([3])])
both("join: chunk 3 of 5", "view", C("chunk", X, 3), [rnd([5])])
both("join: chunk 4 of 6 (gives 3)", "view", C("chunk", X, 4, 1), [rnd([2, 6])])
both("join: chunk 2 dim -1", "view", C("chunk", X, 2, -1), [rnd([2, 3, 4])])
both("join: unbind", "view", C("unbind", X, 1), [rnd([2, 3])])
both("join: one split piece used twice", "elementwise", C("mul", C("@index", C("split", X, 1), 0), C("@index", C("split", X, 1), 0)), [rnd([2, 3])])
both("join: only the last chunk used", "elementwise", C("exp", C("@index", C("chunk", X, 2, 1), 1)), [rnd([2, 4])])

# elementwise -----------------------------------------------------------------------------------------
BIN = ["add", "sub", "mul", "div", "maximum", "minimum"]
for op in BIN:
    kindx = "pos" if op == "div" else "randn"
    both(f"{op}: same shape", "elementwise", C(op, X, Y), [rnd([2, 3]), rnd([2, 3], kindx)])
    both(f"{op}: broadcast [2,3] [3]", "elementwise", C(op, X, Y), [rnd([2, 3]), rnd([3], kindx)])
    both(f"{op}: broadcast [3,1] [1,4]", "elementwise", C(op, X, Y), [rnd([3, 1]), rnd([1, 4], kindx)])
    both(f"{op}: broadcast [2,1,3] [4,1]", "elementwise", C(op, X, Y), [rnd([2, 1, 3]), rnd([4, 1], kindx)])
    both(f"{op}: 0-d and [2,3]", "elementwise", C(op, X, Y), [rnd([]), rnd([2, 3], kindx)])
    both(f"{op}: tensor and scalar", "elementwise", C(op, X, 1.5), [rnd([2, 3])])
    both(f"{op}: scalar and tensor", "elementwise", C(op, 1.5, X), [rnd([2, 3], kindx)])
    both(f"{op}: non-contiguous operands", "elementwise", C(op, C("t", X), C("slice", Y, 1, 0, 6, 2)), [rnd([3, 2]), rnd([2, 6], kindx)])
both("add: alpha", "elementwise", C("add", X, Y, 2.5), [rnd([2, 3]), rnd([3])])
both("sub: alpha", "elementwise", C("sub", X, Y, -0.5), [rnd([2, 3]), rnd([3])])
both("add: same tensor twice", "elementwise", C("add", X, X), [rnd([3])])
both("mul: same tensor twice", "elementwise", C("mul", X, X), [rnd([3])])
both("maximum: ties split the gradient", "elementwise", C("maximum", X, Y), [lit([1.0, 2.0, 3.0, -1.0], F64), lit([1.0, 1.0, 3.0, 0.0], F64)])
both("minimum: ties split the gradient", "elementwise", C("minimum", X, Y), [lit([1.0, 2.0, 3.0, -1.0], F64), lit([1.0, 1.0, 3.0, 0.0], F64)])
both("maximum: scalar tie", "elementwise", C("maximum", X, 0.5), [lit([0.5, 1.0, 0.0], F64)])
add("maximum: nan propagates", "elementwise", C("maximum", X, Y), [lit([float("nan"), 1.0], F32), lit([0.0, float("nan")], F32)])
add("minimum: nan propagates", "elementwise", C("minimum", X, Y), [lit([float("nan"), 1.0], F32), lit([0.0, float("nan")], F32)])

# pow
both("pow: scalar exponent 3", "elementwise", C("pow", X, 3), [rnd([2, 3])])
both("pow: scalar exponent 0.5", "elementwise", C("pow", X, 0.5), [rnd([2, 3], "pos")])
both("pow: scalar exponent -1.5", "elementwise", C("pow", X, -1.5), [rnd([4], "pos")])
both("pow: scalar exponent 2", "elementwise", C("pow", X, 2), [rnd([4])])
both("pow: scalar exponent 0", "elementwise", C("pow", X, 0), [rnd([4])])
both("pow: tensor exponent", "elementwise", C("pow", X, Y), [rnd([2, 3], "pos"), rnd([2, 3])])
both("pow: tensor exponent broadcast", "elementwise", C("pow", X, Y), [rnd([2, 1], "pos"), rnd([3])])
both("pow: zero base", "elementwise", C("pow", X, Y), [lit([0.0, 0.0, 0.0, 2.0], F64), lit([2.0, 0.0, 1.5, 0.0], F64)])
both("pow: scalar base", "elementwise", C("pow", 2.5, X), [rnd([2, 3])])
both("pow: .pow method scalar", "elementwise", C(".pow", X, 3), [rnd([3])])
both("pow: negative base integer exponent", "elementwise", C("pow", X, 3), [lit([-2.0, -0.5, 1.5], F64)])
add("pow: int ** int", "elementwise", C("pow", X, Y), [lit([2, 3, -2, 0], I64), lit([3, 2, 3, 0], I64)])
add("pow: int ** float scalar", "elementwise", C("pow", X, 2.5), [lit([1, 2, 4], I64)])
add("pow: int ** 2", "elementwise", C("pow", X, 2), [lit([1, -2, 4], I64)])

# unary
UN = [("neg", "randn"), ("abs", "away"), ("sign", "away"), ("exp", "randn"), ("log", "pos"), ("log1p", "pos"), ("expm1", "randn"),
      ("sqrt", "pos"), ("rsqrt", "pos"), ("reciprocal", "pos"), ("square", "randn"), ("sin", "randn"), ("cos", "randn"),
      ("sigmoid", "randn"), ("tanh", "randn"), ("relu", "away")]
for op, kind in UN:
    both(f"{op}", "elementwise", C(op, X), [rnd([3, 4], kind)])
    both(f"{op}: non-contiguous", "elementwise", C(op, C("t", X)), [rnd([3, 2], kind)])
both("abs: at zero", "elementwise", C("abs", X), [lit([0.0, -0.0, 1.0, -2.0], F64)])
both("relu: at zero", "elementwise", C("relu", X), [lit([0.0, -0.0, 1.0, -2.0], F64)])
both("sigmoid: large magnitudes", "elementwise", C("sigmoid", X), [lit([-100.0, -20.0, 0.0, 20.0, 100.0], F64)])
both("tanh: large magnitudes", "elementwise", C("tanh", X), [lit([-30.0, -5.0, 0.0, 5.0, 30.0], F64)])
both("exp: large magnitudes", "elementwise", C("exp", X), [lit([-100.0, -10.0, 10.0, 80.0], F64)])
add("log: zero and negative", "elementwise", C("log", X), [lit([0.0, -1.0, 1.0], F32)])
add("sqrt: negative", "elementwise", C("sqrt", X), [lit([-1.0, 4.0], F32)])
add("sign: zero and nan", "elementwise", C("sign", X), [lit([0.0, -0.0, float("nan"), -3.0], F32)])
add("relu: nan", "elementwise", C("relu", X), [lit([float("nan"), -1.0], F32)])
add("exp: int input gives float32", "elementwise", C("exp", X), [rnd([4], "int")])
add("sqrt: int input gives float32", "elementwise", C("sqrt", X), [rnd([4], "nat")])
add("sigmoid: int input", "elementwise", C("sigmoid", X), [rnd([4], "int")])
add("neg: int", "elementwise", C("neg", X), [rnd([4], "int")])
add("abs: int", "elementwise", C("abs", X), [rnd([4], "int")])
add("relu: int", "elementwise", C("relu", X), [rnd([4], "int")])
add("square: int", "elementwise", C("square", X), [rnd([4], "int")])
add("logicalNot: bool", "elementwise", C("logicalNot", X), [rnd([5], "bool")])
add("logicalNot: float with nan", "elementwise", C("logicalNot", X), [lit([0.0, 2.0, float("nan")], F32)])

# clamp
both("clamp: min and max", "elementwise", C("clamp", X, -0.5, 0.5), [rnd([3, 4])])
both("clamp: min only", "elementwise", C("clamp", X, 0), [rnd([3, 4])])
both("clamp: max only", "elementwise", C("clamp", X, None, 0.25), [rnd([3, 4])])
both("clamp: at the bounds", "elementwise", C("clamp", X, -1, 1), [lit([-1.0, 1.0, 0.0, 2.0, -2.0], F64)])
both("clamp: min > max", "elementwise", C("clamp", X, 1, -1), [lit([-2.0, 0.0, 2.0], F64)])
add("clamp: int", "elementwise", C("clamp", X, -2, 3), [rnd([6], "int")])
add("clamp: int with float bounds", "elementwise", C("clamp", X, 0.5, 2.5), [lit([0, 1, 2, 3], I64)])
add("clamp: nan stays nan", "elementwise", C("clamp", X, 0, 1), [lit([float("nan"), 2.0], F32)])

# where and comparisons
both("where: tensors", "elementwise", C("where", C("gt", X, 0), X, Y), [rnd([2, 3]), rnd([2, 3])])
both("where: broadcast cond", "elementwise", C("where", C("gt", Z, 0), X, Y), [rnd([2, 3]), rnd([1, 3]), rnd([2, 1])])
both("where: scalar other", "elementwise", C("where", C("lt", X, 0), X, 0.5), [rnd([2, 3])])
both("where: scalar self", "elementwise", C("where", C("lt", X, 0), -1.5, X), [rnd([2, 3])])
add("where: bool cond input, int and float", "elementwise", C("where", X, Y, Z), [rnd([4], "bool"), rnd([4], "int"), rnd([4], dtype=F32)])
add("where: float32 and float64", "elementwise", C("where", X, Y, Z), [rnd([4], "bool"), rnd([4], dtype=F32), rnd([4])])
add("where: int and float scalar", "elementwise", C("where", X, Y, 2.5), [rnd([4], "bool"), rnd([4], "int")])
CMP = ["eq", "ne", "lt", "le", "gt", "ge"]
for op in CMP:
    add(f"{op}: tensors with ties", "elementwise", C(op, X, Y), [lit([1.0, 2.0, 3.0, float("nan")], F32), lit([1.0, 3.0, 2.0, float("nan")], F32)])
    add(f"{op}: broadcast", "elementwise", C(op, X, Y), [rnd([2, 1], "int"), rnd([3], "int")])
    add(f"{op}: scalar", "elementwise", C(op, X, 0.5), [lit([0.0, 0.5, 1.0], F32)])
    add(f"{op}: scalar first", "elementwise", C(op, 0.5, X), [lit([0.0, 0.5, 1.0], F32)])
    add(f"{op}: int tensor and float scalar", "elementwise", C(op, X, 1.5), [lit([1, 2, 3], I64)])
    add(f"{op}: float32 vs float64", "elementwise", C(op, X, Y), [lit([0.1, 0.5], F32), lit([0.1, 0.5], F64)])
add("logicalAnd", "elementwise", C("logicalAnd", X, Y), [rnd([6], "bool"), rnd([6], "bool")])
add("logicalOr", "elementwise", C("logicalOr", X, Y), [rnd([6], "bool"), rnd([6], "bool")])
add("logicalAnd: floats with nan", "elementwise", C("logicalAnd", X, Y), [lit([float("nan"), 0.0, 2.0], F32), lit([1.0, 1.0, float("nan")], F32)])
add("logicalOr: floats with nan", "elementwise", C("logicalOr", X, Y), [lit([float("nan"), 0.0, 0.0], F32), lit([0.0, 0.0, float("nan")], F32)])

# type promotion
PROMO = [
    ("int + float scalar", C("add", X, 2.5), [rnd([3], "int")]),
    ("int + int scalar", C("add", X, 2), [rnd([3], "int")]),
    ("int * bool scalar", C("mul", X, True), [rnd([3], "int")]),
    ("int + float32", C("add", X, Y), [rnd([3], "int"), rnd([3], dtype=F32)]),
    ("int + float64", C("add", X, Y), [rnd([3], "int"), rnd([3])]),
    ("float32 + float64", C("add", X, Y), [rnd([3], dtype=F32), rnd([3])]),
    ("float32 * float64 0-d", C("mul", X, Y), [rnd([3], dtype=F32), rnd([])]),
    ("float64 0-d * float32", C("mul", Y, X), [rnd([3], dtype=F32), rnd([])]),
    ("int * float64 0-d", C("mul", X, Y), [rnd([3], "int"), rnd([])]),
    ("int 0-d * float32", C("mul", X, Y), [rnd([], "int"), rnd([3], dtype=F32)]),
    ("int 0-d + float scalar", C("add", X, 0.5), [rnd([], "int")]),
    ("float64 0-d + float scalar", C("add", X, 0.1), [rnd([])]),
    ("float32 + float scalar 0.1", C("add", X, 0.1), [rnd([3], dtype=F32)]),
    ("float64 + float scalar 0.1", C("add", X, 0.1), [rnd([3])]),
    ("bool + int", C("add", X, Y), [rnd([4], "bool"), rnd([4], "int")]),
    ("bool + bool", C("add", X, Y), [rnd([6], "bool"), rnd([6], "bool")]),
    ("bool * bool", C("mul", X, Y), [rnd([6], "bool"), rnd([6], "bool")]),
    ("bool + int scalar", C("add", X, 3), [rnd([4], "bool")]),
    ("bool + float scalar", C("add", X, 0.5), [rnd([4], "bool")]),
    ("bool + bool scalar", C("add", X, True), [rnd([4], "bool")]),
    ("bool + float32", C("add", X, Y), [rnd([4], "bool"), rnd([4], dtype=F32)]),
    ("int / int is true division", C("div", X, Y), [lit([7, -7, 1], I64), lit([2, 2, 3], I64)]),
    ("int / int scalar", C("div", X, 4), [lit([7, -7, 1], I64)]),
    ("int - float scalar", C("sub", X, 0.25), [rnd([3], "int")]),
    ("float scalar - int", C("sub", 0.25, X), [rnd([3], "int")]),
    ("int maximum float32", C("maximum", X, Y), [rnd([3], "int"), rnd([3], dtype=F32)]),
    ("int maximum float scalar", C("maximum", X, 0.5), [rnd([3], "int")]),
    ("float32 maximum float64", C("maximum", X, Y), [rnd([3], dtype=F32), rnd([3])]),
    ("int eq float", C("eq", X, Y), [lit([1, 2], I64), lit([1.0, 2.5], F32)]),
    ("float32 + float64 with grad", C("add", X, Y), [rnd([3], dtype=F32), rnd([3])]),
    ("float32 * float64 0-d with grad", C("mul", X, Y), [rnd([3], dtype=F32), rnd([])]),
    ("int * float64 with grad", C("mul", X, Y), [rnd([3], "int"), rnd([3])]),
]
for name, expr, ins in PROMO:
    add(f"promotion: {name}", "elementwise", expr, ins)

# reductions ------------------------------------------------------------------------------------------
R = [
    ("all", {}),
    ("dim 0", {"dim": 0}),
    ("dim 1", {"dim": 1}),
    ("dim -1 keepdim", {"dim": -1, "keepdim": True}),
    ("dims [0, 2]", {"dim": [0, 2]}),
    ("dims [2, 0] keepdim", {"dim": [2, 0], "keepdim": True}),
    ("dims [1, 2]", {"dim": [1, 2]}),
    ("all keepdim", {"keepdim": True}),
]
for name, o in R:
    for op in ["sum", "mean", "logsumexp"]:
        both(f"{op}: {name}", "reduction", C(op, X, o), [rnd([2, 3, 4])])
    for op in ["var", "std"]:
        both(f"{op}: {name}", "reduction", C(op, X, o), [rnd([2, 3, 4])])
        both(f"{op}: {name} correction 0", "reduction", C(op, X, dict(o, correction=0)), [rnd([2, 3, 4])])
both("sumTo: [2,3,4] to [3,1]", "reduction", C("sumTo", X, [3, 1]), [rnd([2, 3, 4])])
both("sumTo: [2,3] to [1,3]", "reduction", C("sumTo", X, [1, 3]), [rnd([2, 3])])
both("sumTo: same shape", "reduction", C("sumTo", X, [2, 3]), [rnd([2, 3])])
both("sum: dim [] reduces all", "reduction", C("sum", X, {"dim": []}), [rnd([2, 3])])
both("mean: dim [] reduces all", "reduction", C("mean", X, {"dim": []}), [rnd([2, 3])])
# PyTorch 1.13's VarBackward0 returns -inf for dim=[] (it takes N as 1), so forward only.
add("var: dim [] reduces all", "reduction", C("var", X, {"dim": []}), [rnd([2, 3], dtype=F32)])
both("sum: 0-d", "reduction", C("sum", X), [rnd([])])
both("sum: 0-d dim 0", "reduction", C("sum", X, {"dim": 0}), [rnd([])])
both("sum: non-contiguous dim 1", "reduction", C("sum", C("permute", X, [2, 0, 1]), {"dim": 1}), [rnd([2, 3, 4])])
both("sum: empty dim", "reduction", C("sum", X, {"dim": 0}), [rnd([0, 3])])
both("sum: empty tensor", "reduction", C("sum", X, {"dim": 1}), [rnd([2, 0])])
both("mean: empty dim gives nan", "reduction", C("mean", X, {"dim": 1}), [rnd([2, 0])])
both("prod: empty dim gives 1", "reduction", C("prod", X, {"dim": 0}), [rnd([0, 2])])
add("max error: empty dim", "reduction", C("max", X, {"dim": 0}), [rnd([0, 2], dtype=F32)])
add("argmax error: empty", "reduction", C("argmax", X), [rnd([0], dtype=F32)])
add("mean error: int", "reduction", C("mean", X), [rnd([3], "int")])
add("sum error: dim out of range", "reduction", C("sum", X, {"dim": 2}), [rnd([2, 3], dtype=F32)])
both("add: empty broadcast", "elementwise", C("add", X, Y), [rnd([0, 3]), rnd([3])])
add("add error: broadcast", "elementwise", C("add", X, Y), [rnd([2, 3], dtype=F32), rnd([2], dtype=F32)])
add("sub error: bool", "elementwise", C("sub", X, Y), [rnd([2], "bool"), rnd([2], "bool")])
add("gather error: index out of range", "view", C("gather", X, 1, Y), [rnd([2, 3], dtype=F32), idx([[3], [0]])])
add("gather error: negative index", "view", C("gather", X, 1, Y), [rnd([2, 3], dtype=F32), idx([[-1], [0]])])
add("indexSelect error: negative index", "view", C("indexSelect", X, 0, Y), [rnd([2, 3], dtype=F32), idx([-1])])
add("gather error: index larger than input", "view", C("gather", X, 1, Y), [rnd([2, 3], dtype=F32), idx([[0], [0], [0]])])
add("cat error: shapes", "view", C("cat", [X, Y]), [rnd([2, 3], dtype=F32), rnd([2, 4], dtype=F32)])
add("reshape error: size", "view", C("reshape", X, [4, -1]), [rnd([2, 3], dtype=F32)])
add("squeeze error: dim out of range", "view", C("squeeze", X, 2), [rnd([2, 3], dtype=F32)])
add("sum: int", "reduction", C("sum", X, {"dim": 1}), [rnd([2, 3], "int")])
add("sum: bool", "reduction", C("sum", X), [rnd([7], "bool")])
add("sum: int all", "reduction", C("sum", X), [rnd([2, 3], "int")])
both("mean: 1-d", "reduction", C("mean", X), [rnd([5])])
both("var: single element gives nan", "reduction", C("var", X), [rnd([1])])
both("var: correction 2", "reduction", C("var", X, {"dim": 1, "correction": 2}), [rnd([2, 5])])
both("std: 1-d", "reduction", C("std", X), [rnd([6])])
both("logsumexp: large values", "reduction", C("logsumexp", X, {"dim": 1}), [lit([[1000.0, 1000.0, -1000.0], [-1000.0, -999.0, -1001.0]], F64)])
add("logsumexp: -inf entries", "reduction", C("logsumexp", X, {"dim": 1}), [lit([[float("-inf"), 0.0], [float("-inf"), float("-inf")]], F32)])
add("logsumexp: inf entries", "reduction", C("logsumexp", X, {"dim": 1}), [lit([[float("inf"), 0.0], [1.0, 2.0]], F32)])
add("logsumexp: int input", "reduction", C("logsumexp", X, {"dim": 0}), [lit([1, 2, 3], I64)])
for d in [0, 1, -1]:
    both(f"softmax: dim {d}", "reduction", C("softmax", X, d), [rnd([3, 4]) * 3])
    both(f"logSoftmax: dim {d}", "reduction", C("logSoftmax", X, d), [rnd([3, 4]) * 3])
both("softmax: 3-d dim 1", "reduction", C("softmax", X, 1), [rnd([2, 3, 4])])
both("logSoftmax: 3-d dim 1", "reduction", C("logSoftmax", X, 1), [rnd([2, 3, 4])])
both("softmax: large values", "reduction", C("softmax", X, -1), [lit([[1000.0, 1001.0, 999.0], [-1000.0, -1000.0, 0.0]], F64)])
both("logSoftmax: large values", "reduction", C("logSoftmax", X, -1), [lit([[1000.0, 1001.0, 999.0], [-1000.0, -1000.0, 0.0]], F64)])
both("softmax: 1-d", "reduction", C("softmax", X, 0), [rnd([5])])
both("softmax: non-contiguous", "reduction", C("softmax", C("t", X), 1), [rnd([4, 3])])
add("softmax: -inf entries", "reduction", C("softmax", X, 1), [lit([[float("-inf"), 0.0, 1.0]], F32)])
both("prod: all", "reduction", C("prod", X), [rnd([2, 3], "pos")])
both("prod: dim 1", "reduction", C("prod", X, {"dim": 1}), [rnd([2, 3], "pos")])
both("prod: dim 0 keepdim", "reduction", C("prod", X, {"dim": 0, "keepdim": True}), [rnd([2, 3])])
both("prod: with one zero", "reduction", C("prod", X, {"dim": 1}), [lit([[2.0, 0.0, 3.0], [1.5, 2.0, -1.0]], F64)])
both("prod: with two zeros", "reduction", C("prod", X), [lit([2.0, 0.0, 3.0, 0.0], F64)])
add("prod: int", "reduction", C("prod", X, {"dim": 0}), [rnd([3, 2], "int")])

# max / min / argmax / argmin
for op in ["max", "min"]:
    both(f"{op}: all", "reduction", C(op, X), [rnd([3, 4])])
    for name, o in [("dim 0", {"dim": 0}), ("dim 1", {"dim": 1}), ("dim -1 keepdim", {"dim": -1, "keepdim": True}), ("dim 1 of 3-d", {"dim": 1})]:
        shape = [2, 3, 4] if "3-d" in name else [3, 4]
        both(f"{op}: {name}", "reduction", C(op, X, o), [rnd(shape)])
    both(f"{op}: all with two tied extremes", "reduction", C(op, X), [lit([[1.0, 5.0, -5.0], [5.0, 0.0, -5.0]], F64)])
    both(f"{op}: all with three tied extremes", "reduction", C(op, X), [lit([[5.0, 5.0, -5.0], [5.0, -5.0, -5.0]], F64)])
    both(f"{op}: dim with ties", "reduction", C(op, X, {"dim": 1}), [lit([[1.0, 5.0, 5.0], [-5.0, 0.0, -5.0]], F64)])
    both(f"{op}: non-contiguous", "reduction", C(op, C("t", X), {"dim": 1}), [rnd([4, 3])])
    both(f"{op}: 0-d dim 0", "reduction", C(op, X, {"dim": 0}), [rnd([])])
    add(f"{op}: int", "reduction", C(op, X, {"dim": 0}), [rnd([3, 2], "int")])
    add(f"{op}: nan", "reduction", C(op, X, {"dim": 1}), [lit([[1.0, float("nan"), 3.0], [2.0, 1.0, 0.0]], F32)])
    add(f"{op}: all with nan", "reduction", C(op, X), [lit([1.0, float("nan"), 3.0], F32)])
for op in ["argmax", "argmin"]:
    add(f"{op}: all", "reduction", C(op, X), [rnd([3, 4], dtype=F32)])
    add(f"{op}: dim 0", "reduction", C(op, X, {"dim": 0}), [rnd([3, 4], dtype=F32)])
    add(f"{op}: dim 1 keepdim", "reduction", C(op, X, {"dim": 1, "keepdim": True}), [rnd([3, 4], dtype=F32)])
    add(f"{op}: all keepdim", "reduction", C(op, X, {"keepdim": True}), [rnd([3, 4], dtype=F32)])
    add(f"{op}: ties pick the first", "reduction", C(op, X, {"dim": 1}), [lit([[1.0, 5.0, 5.0], [-5.0, 0.0, -5.0]], F32)])
    add(f"{op}: all ties", "reduction", C(op, X), [lit([[1.0, 5.0, -5.0], [5.0, 0.0, -5.0]], F32)])
    add(f"{op}: int", "reduction", C(op, X, {"dim": 1}), [rnd([2, 5], "int")])
    add(f"{op}: nan wins", "reduction", C(op, X), [lit([1.0, float("nan"), 3.0], F32)])
    add(f"{op}: non-contiguous", "reduction", C(op, C("t", X), {"dim": 0}), [rnd([3, 4], dtype=F32)])

# matmul ----------------------------------------------------------------------------------------------
MM = [
    ("1-D @ 1-D", [4], [4]),
    ("2-D @ 1-D", [3, 4], [4]),
    ("1-D @ 2-D", [3], [3, 4]),
    ("2-D @ 2-D", [2, 3], [3, 4]),
    ("3-D @ 3-D", [2, 3, 4], [2, 4, 2]),
    ("3-D @ 2-D", [2, 3, 4], [4, 5]),
    ("2-D @ 3-D", [3, 4], [2, 4, 2]),
    ("3-D @ 1-D", [2, 3, 4], [4]),
    ("1-D @ 3-D", [3], [2, 3, 4]),
    ("[2,1,3,4] @ [5,4,2]", [2, 1, 3, 4], [5, 4, 2]),
    ("[1,3,4] @ [2,4,2] broadcast batch 1", [1, 3, 4], [2, 4, 2]),
    ("[3,1,2,3] @ [1,2,3,2]", [3, 1, 2, 3], [1, 2, 3, 2]),
    ("4-D @ 1-D", [2, 2, 3, 4], [4]),
    ("1-D @ 4-D", [3], [2, 2, 3, 4]),
    ("[1,1] @ [1,1]", [1, 1], [1, 1]),
    ("inner dim 1 (outer product)", [3, 1], [1, 2]),
]
for name, sa, sb in MM:
    both(f"matmul: {name}", "matmul", C("matmul", X, Y), [rnd(sa), rnd(sb)])
both("matmul: transposed operands", "matmul", C("matmul", C("t", X), C("t", Y)), [rnd([4, 3]), rnd([2, 4])])
both("matmul: permuted batch operand", "matmul", C("matmul", C("permute", X, [1, 0, 2]), Y), [rnd([3, 2, 4]), rnd([4, 2])])
both("matmul: expanded operand", "matmul", C("matmul", C("expand", X, [2, 3, 4]), Y), [rnd([1, 3, 4]), rnd([2, 4, 2])])
both("matmul: same tensor both sides", "matmul", C("matmul", X, X), [rnd([3, 3])])
both("matmul: larger 2-D", "matmul", C("matmul", X, Y), [rnd([8, 37]), rnd([37, 5])])
both("matmul: empty inner dim", "matmul", C("matmul", X, Y), [rnd([2, 0]), rnd([0, 3])])
both("matmul: empty batch", "matmul", C("matmul", X, Y), [rnd([0, 2, 3]), rnd([3, 2])])
add("matmul error: inner dims", "matmul", C("matmul", X, Y), [rnd([2, 3], dtype=F32), rnd([4, 2], dtype=F32)])
add("matmul error: batch dims", "matmul", C("matmul", X, Y), [rnd([2, 2, 3], dtype=F32), rnd([3, 3, 2], dtype=F32)])
add("matmul error: 0-d", "matmul", C("matmul", X, Y), [rnd([], dtype=F32), rnd([3], dtype=F32)])
add("matmul: int", "matmul", C("matmul", X, Y), [rnd([2, 3], "int"), rnd([3, 2], "int")])
both("mm", "matmul", C("mm", X, Y), [rnd([2, 3]), rnd([3, 4])])
both("bmm", "matmul", C("bmm", X, Y), [rnd([2, 3, 4]), rnd([2, 4, 2])])
both("dot", "matmul", C("dot", X, Y), [rnd([5]), rnd([5])])
both("outer", "matmul", C("outer", X, Y), [rnd([3]), rnd([4])])
add("outer: promotes", "matmul", C("outer", X, Y), [rnd([3], "int"), rnd([2], dtype=F32)])

# diag / diagflat
for k in [0, 1, -2, 5]:
    both(f"diag: 1-D offset {k}", "view", C("diag", X, k), [rnd([3])])
for shape in [[3, 3], [3, 5], [5, 2]]:
    for k in [0, 1, -1, 2]:
        both(f"diag: {shape} offset {k}", "view", C("diag", X, k), [rnd(shape)])
both("diag: of transposed", "view", C("diag", C("t", X), 1), [rnd([3, 4])])
both("diagflat: 1-D", "view", C("diagflat", X), [rnd([3])])
both("diagflat: 2-D offset 1", "view", C("diagflat", X, 1), [rnd([2, 2])])
both("diagflat: 2-D offset -2", "view", C("diagflat", X, -2), [rnd([2, 3])])
add("diag: int", "view", C("diag", X), [rnd([3], "int")])

# indexing ----------------------------------------------------------------------------------------------
both("gather: dim 1", "view", C("gather", X, 1, Y), [rnd([3, 4]), idx([[0, 3], [1, 1], [2, 0]])])
both("gather: dim 0", "view", C("gather", X, 0, Y), [rnd([3, 4]), idx([[0, 2, 1, 0], [2, 2, 0, 1]])])
both("gather: index smaller in other dims", "view", C("gather", X, 1, Y), [rnd([3, 4]), idx([[3, 0], [1, 1]])])
both("gather: dim -1 of 3-d", "view", C("gather", X, -1, Y), [rnd([2, 3, 4]), idx([[[0, 3], [1, 1], [2, 0]], [[3, 3], [0, 0], [1, 2]]])])
both("gather: non-contiguous input", "view", C("gather", C("t", X), 0, Y), [rnd([4, 3]), idx([[2, 0, 1, 1]])])
both("indexSelect: dim 0 repeated", "view", C("indexSelect", X, 0, Y), [rnd([3, 4]), idx([2, 0, 2])])
both("indexSelect: dim 1", "view", C("indexSelect", X, 1, Y), [rnd([3, 4]), idx([3, 1])])
both("indexSelect: dim 1 of 3-d", "view", C("indexSelect", X, 1, Y), [rnd([2, 3, 2]), idx([1, 1, 0, 2])])
both("indexSelect: 0-d index", "view", C("indexSelect", X, 0, Y), [rnd([3, 2]), idx(1)])
both("indexSelect: non-contiguous input", "view", C("indexSelect", C("t", X), 0, Y), [rnd([4, 3]), idx([2, 0])])
both("scatterAdd: dim 0 duplicates", "view", C("scatterAdd", X, 0, Z, Y), [rnd([3, 4]), rnd([2, 4]), idx([[0, 1, 2, 0], [0, 1, 0, 2]])])
both("scatterAdd: dim 1", "view", C("scatterAdd", X, 1, Z, Y), [rnd([2, 5]), rnd([2, 3]), idx([[0, 4, 0], [1, 1, 1]])])
both("scatterAdd: index smaller than input", "view", C("scatterAdd", X, 1, Z, Y), [rnd([3, 5]), rnd([2, 2]), idx([[0, 4], [2, 2]])])
# PyTorch's ScatterAddBackward0 fails when src is larger than index, so forward only.
add("scatterAdd: index smaller than input and src", "view", C("scatterAdd", X, 1, Z, Y), [rnd([3, 5], dtype=F32), rnd([3, 3], dtype=F32), idx([[0, 4], [2, 2]])])
add("scatterAdd: int", "view", C("scatterAdd", X, 0, Z, Y), [rnd([3], "int"), rnd([4], "int"), idx([0, 2, 2, 1])])
add("oneHot: classes inferred", "view", C("oneHot", X), [idx([0, 2, 1, 2])])
add("oneHot: numClasses", "view", C("oneHot", X, 5), [idx([[0, 4], [1, 3]])])
add("oneHot: 0-d", "view", C("oneHot", X, 3), [idx(1)])

# inputs that are contiguous but start at an offset into their storage ---------------------------------
OFF = lambda: C("narrow", X, 0, 1, 2)  # rows 1..2 of a [3, 4] tensor: contiguous, offset 4
for name, expr in [
    ("exp", C("exp", OFF())),
    ("relu", C("relu", OFF())),
    ("clamp", C("clamp", OFF(), -0.5, 0.5)),
    ("add", C("add", OFF(), Y)),
    ("mul broadcast", C("mul", Y, OFF())),
    ("where", C("where", C("gt", OFF(), 0), OFF(), Y)),
    ("sum dim 1", C("sum", OFF(), {"dim": 1})),
    ("max dim 1", C("max", OFF(), {"dim": 1})),
    ("argmax", C("argmax", OFF())),
    ("softmax", C("softmax", OFF(), 1)),
    ("logsumexp", C("logsumexp", OFF(), {"dim": 0})),
    ("var", C("var", OFF(), {"dim": 1})),
    ("matmul", C("matmul", OFF(), C("t", Y))),
    ("matmul right", C("matmul", C("t", Y), OFF())),
    ("gather", C("gather", OFF(), 1, Z)),
    ("indexSelect", C("indexSelect", OFF(), 1, C("select", Z, 0, 0))),
    ("cat", C("cat", [OFF(), Y])),
    ("diag", C("diag", OFF(), 1)),
    ("reshape", C("reshape", OFF(), [4, 2])),
    ("view then t", C("t", C("view", OFF(), [8, 1]))),
    ("contiguous of a select", C("contiguous", C("select", X, 0, 2))),
    ("to float32", C("to", OFF(), "float32")),
]:
    both(f"offset input: {name}", "reduction" if name in ("sum dim 1", "softmax", "logsumexp", "var", "matmul", "matmul right") else "view" if name in ("gather", "indexSelect", "cat", "diag", "reshape", "view then t", "contiguous of a select") else "elementwise", expr, [rnd([3, 4]), rnd([2, 4]), idx([[3, 0], [1, 1]])])

# in-place ops on non-leaf tensors (as methods) ----------------------------------------------------------
both("inplace: add_ on non-leaf", "elementwise", C(".add_", C("mul", X, 2), Y), [rnd([2, 3]), rnd([3])])
both("inplace: sub_ alpha on non-leaf", "elementwise", C(".sub_", C("mul", X, 2), Y, 3), [rnd([2, 3]), rnd([2, 3])])
both("inplace: mul_ on non-leaf", "elementwise", C(".mul_", C("mul", X, 2), Y), [rnd([2, 3]), rnd([2, 3])])
both("inplace: div_ on non-leaf", "elementwise", C(".div_", C("add", X, 1), Y), [rnd([2, 3]), rnd([3], "pos")])
both("inplace: mul_ then used", "elementwise", C("mul", C(".mul_", C("sin", X), Y), X), [rnd([3]), rnd([3])])
both("inplace: clamp_ on non-leaf", "elementwise", C(".clamp_", C("mul", X, 1), -0.5, 0.5), [rnd([2, 3])])
both("inplace: add_ on a fresh zeros buffer", "elementwise", C(".add_", C("zeros", [3], {"dtype": "float64"}), X), [rnd([3])])
both("inplace: mul_ on a fresh ones buffer", "elementwise", C(".mul_", C(".add_", C("ones", [3], {"dtype": "float64"}), 1), X), [rnd([3])])


def main():
    out = {
        "command": "/usr/bin/python3 tools/gen_op_fixtures.py",
        "torch": torch.__version__,
        "cases": CASES,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "ops.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
