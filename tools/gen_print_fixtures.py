"""Generate test/fixtures/print.json: real PyTorch reprs for nabla's tensor printer.

Run from the repository root:  /usr/bin/python3 tools/gen_print_fixtures.py

"floatFormat" holds [x, precision, '{:.Nf}', '{:.Ne}'] rows checking Python's float formatting.
Each case records dtype, shape, row-major data (nan/inf/-inf as strings), requiresGrad,
gradFn (the autograd node's class name) and PyTorch's repr. Cases with an "options" object were
printed under torch.set_printoptions(**options) (nabla's camelCase names: sciMode, profile).
"""

import json
import math
import os
import random
import struct

import torch

DTYPES = {
    torch.float32: "float32",
    torch.float64: "float64",
    # nabla's int32 is its default integer dtype, standing in for PyTorch's int64: non-empty
    # integer cases are made as int64 so the repr has no dtype suffix, as nabla prints int32.
    torch.int64: "int32",
    torch.int32: "int32",
    torch.bool: "bool",
}

CASES = []
NAMES = set()


def encode(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def add(name, t, options=None):
    assert name not in NAMES, name
    NAMES.add(name)
    assert t.dtype in DTYPES, (name, t.dtype)
    if options:
        torch.set_printoptions(
            precision=options.get("precision"),
            threshold=options.get("threshold"),
            edgeitems=options.get("edgeitems"),
            linewidth=options.get("linewidth"),
            profile=options.get("profile"),
            sci_mode=options.get("sciMode"),
        )
    try:
        text = repr(t)
    finally:
        torch.set_printoptions(profile="default")
    case = {
        "name": name,
        "dtype": DTYPES[t.dtype],
        "shape": list(t.shape),
        "data": [encode(v) for v in t.detach().reshape(-1).tolist()],
        "requiresGrad": bool(t.requires_grad),
        "gradFn": type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        "repr": text,
    }
    if options:
        # JSON has no Infinity; the test maps the string back.
        case["options"] = {
            k: ("inf" if v == math.inf else v) for k, v in options.items()
        }
    CASES.append(case)


def f32(*rows):
    return torch.tensor(rows[0] if len(rows) == 1 else list(rows), dtype=torch.float32)


def seeded(seed, fn):
    torch.manual_seed(seed)
    return fn()


nan, inf = math.nan, math.inf
F32, F64, I32, B = torch.float32, torch.float64, torch.int64, torch.bool

# ---- 0-d -------------------------------------------------------------------------------
add("0d float integral", torch.tensor(3.0))
add("0d float fraction", torch.tensor(3.5))
add("0d zero", torch.tensor(0.0))
add("0d negative zero", torch.tensor(-0.0))
add("0d nan", torch.tensor(nan))
add("0d inf", torch.tensor(inf))
add("0d -inf", torch.tensor(-inf))
add("0d tiny", torch.tensor(1e-5))
add("0d huge", torch.tensor(1e10))
add("0d above 1e8 integral", torch.tensor(123456789.0))
add("0d exactly 1e8", torch.tensor(1e8))
add("0d negative fraction", torch.tensor(-2.71828))
add("0d float64", torch.tensor(0.1, dtype=F64))
add("0d float64 integral", torch.tensor(7.0, dtype=F64))
add("0d int32", torch.tensor(5, dtype=I32))
add("0d int32 negative", torch.tensor(-42, dtype=I32))
add("0d bool true", torch.tensor(True))
add("0d bool false", torch.tensor(False))
add("0d requires_grad", torch.tensor(2.5, requires_grad=True))

# ---- 1-d float32 -------------------------------------------------------------------------
add("1d integral floats", f32([1.0, 2.0, 3.0]))
add("1d fractions", f32([1.5, 2.25]))
add("1d negative mixed", f32([-1.5, 2.25, -0.125]))
add("1d negative integral", f32([-1.0, 2.0, -3.0]))
add("1d all zeros", torch.zeros(4))
add("1d zeros and negative zero", f32([0.0, -0.0, 0.0]))
add("1d negative zero and integral", f32([-0.0, 1.0]))
add("1d negative zero and fraction", f32([-0.0, 1.5]))
add("1d nan and integral", f32([nan, 1.0]))
add("1d nan and wide integral", f32([nan, 100.0]))
add("1d nan and wide fraction", f32([nan, 1000.5]))
add("1d all non-finite", f32([inf, -inf, nan]))
add("1d nan inf fraction", f32([nan, inf, 1.5, -inf]))
add("1d sci with nan", f32([nan, 1e-5, inf, 2.5]))
add("1d tiny and one", f32([1e-5, 1.0]))
add("1d tiny pair", f32([1e-5, 2e-5]))
add("1d below 1e-4", f32([9.9999e-5, 0.5]))
add("1d exactly 1e-4", f32([1e-4, 0.5]))
add("1d ratio just under 1000", f32([0.001, 0.9]))
add("1d ratio over 1000 fraction", f32([0.001, 1.5]))
add("1d ratio over 1000 integral", f32([1.0, 1001.0]))
add("1d ratio exactly 1000 integral", f32([1.0, 1000.0]))
add("1d wide integral no sci", f32([100.0, 50000.0]))
add("1d big integral over 1e8", f32([1e9, 1.0]))
add("1d 1e8 integral", f32([1e8, 1.0, 2.0]))
add("1d huge", f32([1e30, -2e30]))
add("1d very tiny", f32([1e-30, 3e-35]))
add("1d float32 subnormal", f32([1e-40, 1.0]))
add("1d float32 max", f32([3.4028234663852886e38, 1.0]))
add("1d half-even ties", f32([0.03125, 0.09375, 1.03125, -0.15625]))
add("1d half-even ties sci", f32([1.03125, 1e-5, 2.5e-5, 3.0625]))
add("1d round up width", f32([9.99999, 0.5]))
add("1d round up sci", f32([9.99996e-5, 0.5]))
add("1d mixed widths", f32([123.456, 0.5, -7.25]))
add("1d small integral floats with zero", f32([0.0, 1.0, -1.0]))
add("1d 2.3943e-05", f32([2.3943e-05, 3.7064e-05]))
add("1d rand seed 0", seeded(0, lambda: torch.rand(5)))
add("1d randn seed 1", seeded(1, lambda: torch.randn(6)))
add("1d randn x1000", seeded(2, lambda: torch.randn(5) * 1000))
add("1d randn x1e-3", seeded(3, lambda: torch.randn(5) * 1e-3))
add("1d randn x1e5", seeded(4, lambda: torch.randn(5) * 1e5))
add("1d rand x1e-6", seeded(5, lambda: torch.rand(4) * 1e-6))
add("1d single element", f32([0.3]))
add("1d wraps randn 30", seeded(6, lambda: torch.randn(30)))
add("1d wraps arange 50", torch.arange(50, dtype=F32))
add("1d wraps sci 20", seeded(7, lambda: torch.randn(20) * 1e-6))
add("1d wraps big integral 40", torch.arange(40, dtype=F32) * 1000)
add("1d 1000 not summarized", torch.arange(1000, dtype=F32) / 8)
add("1d 1001 summarized", torch.arange(1001, dtype=F32))
add("1d 2000 randn summarized", seeded(8, lambda: torch.randn(2000)))
add(
    "1d summarized with nan edges",
    torch.cat([f32([nan]), torch.arange(1500, dtype=F32), f32([inf])]),
)
add(
    "1d summarized hidden tiny middle",
    torch.cat([torch.ones(3), torch.full((1000,), 1e-7), torch.ones(3) * 2]),
)

# ---- 1-d float64 -------------------------------------------------------------------------
add("1d float64 integral", torch.tensor([1.0, 2.0], dtype=F64))
add("1d float64 randn", seeded(9, lambda: torch.randn(5, dtype=F64)))
add("1d float64 tiny", torch.tensor([1e-5, 3e-7], dtype=F64))
add("1d float64 subnormal", torch.tensor([5e-324, 1.0], dtype=F64))
add("1d float64 1e16", torch.tensor([1e16, 1.0], dtype=F64))
add("1d float64 huge", torch.tensor([1e300, -1e-300], dtype=F64))
add("1d float64 ties", torch.tensor([0.00005, 0.03125, 2.5], dtype=F64))
add("1d float64 tenths", torch.tensor([0.1, 0.2, 0.3], dtype=F64))
add("1d float64 wraps", seeded(10, lambda: torch.randn(25, dtype=F64)))
add("1d float64 summarized", seeded(11, lambda: torch.randn(1200, dtype=F64)))

# ---- int32 / bool ----------------------------------------------------------------------
add("1d int32", torch.tensor([1, 2, 3], dtype=I32))
add("1d int32 negative", torch.tensor([-5, 10, -100], dtype=I32))
add("1d int32 extremes", torch.tensor([2147483647, -2147483648, 0], dtype=I32))
add("1d int32 zeros", torch.zeros(5, dtype=I32))
add("1d int32 wraps", torch.arange(100, dtype=I32))
add("1d int32 wraps wide", torch.arange(-30, 30, dtype=I32) * 1000003)
add("1d int32 summarized", torch.arange(1001, dtype=I32))
add("2d int32", torch.tensor([[1, 2], [3, 4]], dtype=I32))
add("2d int32 mixed widths", torch.tensor([[1, -20], [300, 4]], dtype=I32))
add("3d int32", torch.arange(24, dtype=I32).reshape(2, 3, 4))
add("1d bool", torch.tensor([True, False]))
add("1d bool all true", torch.tensor([True, True, True]))
add("1d bool all false", torch.tensor([False, False]))
add("2d bool", torch.tensor([[True, False, True], [False, True, True]]))
add("3d bool", (torch.arange(12).reshape(2, 2, 3) % 3 == 0))
add("1d bool wraps", torch.arange(30) % 2 == 0)
add("1d bool summarized", torch.arange(1500) % 3 == 0)

# ---- 2-d -------------------------------------------------------------------------------
add("2d eye", torch.eye(3))
add("2d randn", seeded(12, lambda: torch.randn(3, 4)))
add("2d rand", seeded(13, lambda: torch.rand(2, 5)))
add("2d tiny", f32([[2.3943e-05, 3.7064e-05]]))
add("2d rand x1e-5", seeded(14, lambda: torch.rand(2, 3) * 1e-5))
add("2d mixed magnitudes", f32([[1e-3, 1.0], [50.0, 2e4]]))
add("2d integral floats", f32([[1.0, 2.0], [3.0, 4.0]]))
add("2d negative", f32([[-1.25, 2.5], [3.75, -4.0]]))
add("2d with nan and inf", f32([[nan, 1.5], [-inf, 0.0]]))
add("2d one row", f32([[1.0, 2.5, 3.0]]))
add("2d one column", f32([[1.0], [2.5], [3.0]]))
add("2d 1x1", f32([[7.0]]))
add("2d long rows wrap", seeded(15, lambda: torch.randn(4, 30)))
add("2d long integral rows wrap", torch.arange(60, dtype=F32).reshape(2, 30))
add("2d float64 randn", seeded(16, lambda: torch.randn(2, 3, dtype=F64)))
add("2d float64 wrap", seeded(17, lambda: torch.randn(3, 12, dtype=F64) * 1e-5))
add("2d 40x40 summarized", seeded(18, lambda: torch.rand(40, 40)))
add("2d 3x500 summarized", torch.arange(1500, dtype=F32).reshape(3, 500) / 4)
add("2d 500x3 summarized", torch.arange(1500, dtype=F32).reshape(500, 3) - 700)
add("2d 7x200 summarized rows", seeded(19, lambda: torch.randn(7, 200)))
add("2d 1000x1 not summarized", torch.arange(1000, dtype=F32).reshape(1000, 1)[:12])
add("2d 32x32 not summarized", torch.arange(1024, dtype=I32).reshape(32, 32)[:6])
add("2d 32x32 int summarized", torch.arange(1024, dtype=I32).reshape(32, 32))

# ---- 3-d / 4-d / 5-d -------------------------------------------------------------------
add("3d randn", seeded(20, lambda: torch.randn(2, 3, 4)))
add("3d arange float", torch.arange(24, dtype=F32).reshape(2, 3, 4))
add("3d 1x1x1", f32([[[1.5]]]))
add("3d float64", seeded(21, lambda: torch.randn(2, 2, 2, dtype=F64)))
add("3d long rows wrap", seeded(22, lambda: torch.randn(2, 2, 25)))
add("3d 7x11x13 summarized", torch.arange(1001, dtype=F32).reshape(7, 11, 13))
add("3d 10x10x10 not summarized", torch.arange(1000, dtype=F32).reshape(10, 10, 10)[:2])
add("3d 2x3x200 summarized", seeded(23, lambda: torch.rand(2, 3, 200)))
add("4d randn", seeded(24, lambda: torch.randn(2, 2, 2, 3)))
add("4d int32", torch.arange(12, dtype=I32).reshape(2, 1, 3, 2))
add("4d long rows", seeded(25, lambda: torch.randn(2, 1, 2, 30)))
add("4d summarized", torch.arange(2 * 3 * 13 * 13, dtype=F32).reshape(2, 3, 13, 13))
add("5d", seeded(26, lambda: torch.randn(1, 2, 1, 2, 2)))
add("5d bool", torch.tensor([True, False]).reshape(1, 1, 1, 1, 2))
add("6d deep wraps", torch.arange(80, dtype=F32).reshape(1, 1, 1, 1, 2, 40))

# ---- empty -------------------------------------------------------------------------------
add("empty 1d float", torch.tensor([]))
add("empty 0x3", torch.zeros(0, 3))
add("empty 2x0", torch.zeros(2, 0))
add("empty 2x0x3", torch.zeros(2, 0, 3))
add("empty 1d int32", torch.zeros(0, dtype=torch.int32))
add("empty 1d float64", torch.zeros(0, dtype=F64))
add("empty 1d bool", torch.zeros(0, dtype=B))
add("empty 0x3 int32", torch.zeros(0, 3, dtype=torch.int32))
add("empty requires_grad", torch.zeros(0, 2, requires_grad=True))

# ---- autograd suffixes -------------------------------------------------------------------
x = seeded(27, lambda: torch.randn(3, requires_grad=True))
y = seeded(28, lambda: torch.randn(3, requires_grad=True))
w = seeded(29, lambda: torch.randn(3, 2, requires_grad=True))
add("grad leaf", x)
add("grad MulBackward0", x * 2)
add("grad AddBackward0", x + y)
add("grad SubBackward0", x - y)
add("grad DivBackward0", x / y)
add("grad NegBackward0", -x)
add("grad SumBackward0", x.sum())
add("grad MeanBackward0", x.mean())
add("grad SigmoidBackward0", x.sigmoid())
add("grad TanhBackward0", x.tanh())
add("grad ExpBackward0", x.exp())
add("grad ReluBackward0", x.relu())
add("grad PowBackward0", x.pow(2))
add("grad MmBackward0", x.reshape(1, 3) @ w)
add("grad ViewBackward0", x.view(3, 1))
add("grad TBackward0", w.t())
add("grad float64 leaf", torch.tensor([1.0, 2.0], dtype=F64, requires_grad=True))
add("grad float64 MulBackward0", torch.tensor([1.0, 2.5], dtype=F64, requires_grad=True) * 3)
add("grad integral leaf", torch.tensor([1.0, 2.0], requires_grad=True))
add("grad 2d leaf", seeded(30, lambda: torch.randn(2, 3, requires_grad=True)))
add("grad 3d AddBackward0", seeded(31, lambda: torch.randn(2, 2, 2, requires_grad=True)) + 1)
add("grad long leaf wraps", seeded(32, lambda: torch.randn(24, requires_grad=True)))
add(
    "grad long MulBackward0 wraps",
    seeded(33, lambda: torch.randn(30, requires_grad=True)) * 2,
)
add("grad row fills line", seeded(34, lambda: torch.randn(6, requires_grad=True)) * 1e-5)
add("grad suffix just fits", torch.arange(7, dtype=F32).requires_grad_() * 1.5)
add("grad suffix over by one", torch.arange(8, dtype=F32).requires_grad_() * 1.5)
add(
    "grad float64 long wraps",
    seeded(35, lambda: torch.randn(12, dtype=F64, requires_grad=True)) * 1,
)
add("grad summarized", (torch.arange(1200, dtype=F32).requires_grad_() * 0.5))

# Row lengths around the suffix wrap point, found by search so both sides are covered.
for n in range(1, 12):
    t = torch.full((n,), 1.5).requires_grad_()
    add(f"grad requires_grad width {n}", t)
for n in range(4, 10):
    add(f"float64 suffix width {n}", torch.full((n,), 1.25, dtype=F64))

# ---- print options ---------------------------------------------------------------------
r = seeded(36, lambda: torch.randn(6))
add("opt precision 2", r, {"precision": 2})
add("opt precision 8", r, {"precision": 8})
add("opt precision 0", f32([1.5, 2.5, -0.5, 3.25]), {"precision": 0})
add("opt precision 0 sci", f32([1.5e-5, 2.5]), {"precision": 0})
add("opt sci on", r, {"sciMode": True})
add("opt sci on integral", f32([1.0, 2.0, 300.0]), {"sciMode": True})
add("opt sci on zeros ignored", torch.zeros(3), {"sciMode": True})
add("opt sci off tiny", f32([1e-5, 2e-5, 0.5]), {"sciMode": False})
add("opt sci off huge integral", f32([1e10, 1.0]), {"sciMode": False})
add("opt sci off huge", torch.tensor([1e22, 0.5], dtype=F64), {"sciMode": False})
add("opt linewidth 40", seeded(37, lambda: torch.randn(3, 10)), {"linewidth": 40})
add("opt linewidth 120", seeded(38, lambda: torch.randn(3, 20)), {"linewidth": 120})
add("opt linewidth 10 deep", torch.arange(16, dtype=F32).reshape(2, 2, 4) * 100, {"linewidth": 10})
add(
    "opt linewidth 40 suffix",
    seeded(39, lambda: torch.randn(4, requires_grad=True)) * 2,
    {"linewidth": 40},
)
add("opt threshold 5", torch.arange(10, dtype=I32), {"threshold": 5})
add("opt threshold 5 2d", torch.arange(64, dtype=F32).reshape(8, 8), {"threshold": 5})
add("opt edgeitems 1", torch.arange(1500, dtype=F32).reshape(30, 50), {"edgeitems": 1})
add(
    "opt edgeitems 1 threshold 3",
    torch.arange(27, dtype=F32).reshape(3, 3, 3),
    {"edgeitems": 1, "threshold": 3},
)
add("opt edgeitems 0 1d", torch.arange(8, dtype=F32), {"edgeitems": 0, "threshold": 4})
add("opt profile short", seeded(40, lambda: torch.randn(2000)), {"profile": "short"})
add("opt profile short 2d", seeded(41, lambda: torch.randn(3, 4)), {"profile": "short"})
add("opt profile full", torch.arange(1100, dtype=I32), {"profile": "full"})
add("opt threshold inf", torch.arange(1002, dtype=F32) / 2, {"threshold": inf})
add("opt profile short precision 6", r, {"profile": "short", "precision": 6})


# ---- Python float formatting, checked value by value -----------------------------------
def float_format_cases():
    """[x, precision, '{:.Nf}', '{:.Ne}'] for awkward doubles: exact ties, float32 values,
    random bit patterns, subnormals and powers of ten."""
    rng = random.Random(1234)
    xs = [0.5, 0.125, 0.375, 2.5, 1.03125, 0.03125, 1e16, 1e21, 1e22, 5e-324, 1e-310,
          2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 0.3, 1 / 3, 999.99995,
          9.9999e-5, 99999.5, 0.00015, 1.5, 15.5, 1e-4, 1e8, 123456789.0]
    xs += [float(torch.tensor(v, dtype=F32)) for v in (0.1, 1 / 3, 2.3943e-05, 3.7064e-05, 1e-40)]
    xs += [k / 2 ** rng.randint(1, 12) for k in (rng.randint(-5000, 5000) for _ in range(40))]
    xs += [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 12) for _ in range(60)]
    xs += seeded(42, lambda: torch.randn(40) * 10 ** torch.randint(-8, 9, (40,))).tolist()
    while len(xs) < 220:
        v = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(v):
            xs.append(v)
    xs += [-v for v in xs[:25]]
    out = []
    for i, x in enumerate(xs):
        p = (0, 1, 2, 4, 4, 4, 6, 8, 12, 17)[i % 10]
        out.append([x, p, "{:.{}f}".format(x, p), "{:.{}e}".format(x, p)])
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "test", "fixtures", "print.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    doc = {
        "command": "/usr/bin/python3 tools/gen_print_fixtures.py",
        "torch": torch.__version__,
        "cases": CASES,
        "floatFormat": float_format_cases(),
    }
    with open(out, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {len(CASES)} cases, {os.path.getsize(out)} bytes to {out}")


if __name__ == "__main__":
    main()
