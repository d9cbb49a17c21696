#!/usr/bin/env python3
"""Write test/fixtures/random.json: PyTorch CPU random streams for src/random.

Run from the repository root:  /usr/bin/python3 tools/gen_random_fixtures.py

Every case seeds its own torch.Generator, runs a list of steps and records,
after each step, the produced values and a digest of the generator state
(left/next/seed, sha256 of the 624 Mersenne Twister words, cached normal).
Floats are stored as JSON numbers (Python's repr round-trips exactly).
"""

import base64
import hashlib
import json
import os
import re
import struct
import sys

import torch

COMMAND = "/usr/bin/python3 tools/gen_random_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "random.json")

DT = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64}


def state_digest(g):
    b = g.get_state().numpy().tobytes()
    assert len(b) == 5056, len(b)
    seed, left, seeded, nxt = struct.unpack_from("<QiiQ", b, 0)
    words = struct.unpack_from("<624Q", b, 24)
    packed = struct.pack("<624I", *[w & 0xFFFFFFFF for w in words])
    (normal_y,) = struct.unpack_from("<d", b, 5024)
    (normal_valid,) = struct.unpack_from("<i", b, 5040)
    (float_normal,) = struct.unpack_from("<f", b, 5048)
    float_valid = b[5052]
    return {
        "seed": str(seed),
        "left": left,
        "next": nxt,
        "words_sha256": hashlib.sha256(packed).hexdigest(),
        "nextDoubleNormal": normal_y if normal_valid else None,
        "nextFloatNormal": float_normal if float_valid else None,
    }


def run_step(g, step):
    op = step["op"]
    n = step.get("n")
    dt = DT.get(step.get("dtype", "float32"))
    if op == "rand":
        t = torch.rand(n, generator=g, dtype=dt)
    elif op == "randn":
        t = torch.randn(n, generator=g, dtype=dt)
    elif op == "uniform":
        t = torch.empty(n, dtype=dt).uniform_(step["from"], step["to"], generator=g)
    elif op == "normal":
        t = torch.empty(n, dtype=dt).normal_(step["mean"], step["std"], generator=g)
    elif op == "normal_strided":
        # Non-contiguous view: numel >= 16 but the scalar path runs.
        base = torch.zeros(2 * n, dtype=dt)
        v = base[::2]
        assert not v.is_contiguous()
        v.normal_(step["mean"], step["std"], generator=g)
        t = v
    elif op == "randint":
        t = torch.randint(step["low"], step["high"], (n,), generator=g, dtype=dt)
    elif op == "randperm":
        t = torch.randperm(n, generator=g)
    elif op == "bernoulli_p":
        t = torch.empty(n, dtype=dt).bernoulli_(step["p"], generator=g)
    elif op == "bernoulli_tensor":
        probs = torch.tensor(step["probs"], dtype=dt)
        t = torch.bernoulli(probs, generator=g)
    else:
        raise ValueError(op)
    return t.tolist()


def case(name, seed, steps):
    g = torch.Generator()
    if seed is not None:
        g.manual_seed(seed)
    out_steps = []
    for s in steps:
        s = dict(s)
        s["values"] = run_step(g, s)
        s["state"] = state_digest(g)
        out_steps.append(s)
    return {"name": name, "seed": None if seed is None else str(seed), "steps": out_steps}


SEEDS = [0, 1, 42, 123456789, 2**32 + 5, 2**63 + 7, 2**64 - 1, -1, 67280421310721]
SIZES = [1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100]


def build():
    cases = []
    cases.append(case("headline rand float32 x4", 0, [{"op": "rand", "dtype": "float32", "n": 4}]))
    cases.append(case("fresh torch.Generator() (no manual_seed)", None, [
        {"op": "rand", "dtype": "float32", "n": 5},
        {"op": "randn", "dtype": "float64", "n": 3},
    ]))

    # Single fresh-seeded calls over seeds x sizes x dtypes.
    for seed in SEEDS:
        for op in ("rand", "randn"):
            for dt in ("float32", "float64"):
                for n in SIZES:
                    cases.append(case(f"{op} {dt} n={n} seed={seed}", seed, [{"op": op, "dtype": dt, "n": n}]))
    for seed in (0, 42):
        for op in ("rand", "randn"):
            for dt in ("float32", "float64"):
                cases.append(case(f"{op} {dt} n=1000 seed={seed}", seed, [{"op": op, "dtype": dt, "n": 1000}]))
    # Larger float32 normal sample: the AVX2 path is bit-exact, prove it at scale.
    cases.append(case("randn float32 n=20000 seed=7", 7, [{"op": "randn", "dtype": "float32", "n": 20000}]))
    # Float64 normal sample for the libm-rounding statistics.
    cases.append(case("randn float64 n=12000 seed=7", 7, [{"op": "randn", "dtype": "float64", "n": 12000}]))

    # Mixed sequences: stream position and the cached normal sample.
    seq = [
        {"op": "rand", "dtype": "float32", "n": 5},
        {"op": "randn", "dtype": "float64", "n": 3},  # scalar path: leaves a cached sample
        {"op": "randn", "dtype": "float32", "n": 1},  # consumes the cached sample
        {"op": "randperm", "n": 10},
        {"op": "randn", "dtype": "float64", "n": 1},  # fresh pair, cache set again
        {"op": "randn", "dtype": "float32", "n": 20},  # AVX2 path: cache untouched
        {"op": "randn", "dtype": "float64", "n": 17},  # normal_fill: cache untouched
        {"op": "randn", "dtype": "float32", "n": 2},  # uses the old cache, then fresh pair
        {"op": "randint", "dtype": "int64", "low": 0, "high": 10, "n": 7},
        {"op": "randint", "dtype": "int64", "low": -5, "high": 1000000, "n": 5},
        {"op": "bernoulli_p", "dtype": "float32", "p": 0.3, "n": 20},
        {"op": "bernoulli_tensor", "dtype": "float32", "probs": [0.1, 0.5, 0.9, 0.0, 1.0, 0.25, 0.75, 0.5, 0.33, 0.66, 0.01, 0.99]},
        {"op": "bernoulli_tensor", "dtype": "float64", "probs": [0.1, 0.5, 0.9, 0.0, 1.0, 0.25, 0.75, 0.5, 0.33, 0.66, 0.01, 0.99]},
        {"op": "uniform", "dtype": "float32", "from": -2.0, "to": 3.0, "n": 9},
        {"op": "normal", "dtype": "float64", "mean": 1.5, "std": 0.25, "n": 5},
        {"op": "normal", "dtype": "float32", "mean": -1.0, "std": 2.0, "n": 33},
        {"op": "rand", "dtype": "float64", "n": 17},
        {"op": "randperm", "n": 1},
        {"op": "randperm", "n": 0},
        {"op": "randn", "dtype": "float32", "n": 0},
        {"op": "randn", "dtype": "float64", "n": 18},
        {"op": "randn", "dtype": "float64", "n": 15},
        {"op": "normal_strided", "dtype": "float32", "mean": 0.0, "std": 1.0, "n": 20},
        {"op": "rand", "dtype": "float32", "n": 700},  # crosses a 624-word twist
        {"op": "randn", "dtype": "float32", "n": 3},
    ]
    for seed in (0, 42, 2**32 + 5, -1):
        cases.append(case(f"sequence seed={seed}", seed, seq))

    # randperm
    for seed in (0, 42, 123456789):
        for n in (0, 1, 2, 3, 7, 16, 100, 1000):
            cases.append(case(f"randperm n={n} seed={seed}", seed, [{"op": "randperm", "n": n}]))
    cases.append(case("randperm n=3000 seed=1", 1, [{"op": "randperm", "n": 3000}]))

    # randint
    ranges = [(0, 2), (0, 10), (-100, 100), (3, 4), (0, 2**31 - 1), (-2**31, 2**31 - 1), (-2**31, 2**31), (0, 2**31)]
    for seed in (0, 42):
        for lo, hi in ranges:
            cases.append(case(f"randint [{lo},{hi}) int64 seed={seed}", seed, [{"op": "randint", "dtype": "int64", "low": lo, "high": hi, "n": 40}]))
    for lo, hi in [(0, 10), (-1000, 1000), (0, 2**30), (0, 2**40), (-(2**45), 2**45 + 12345)]:
        for dt in ("float32", "float64"):
            cases.append(case(f"randint [{lo},{hi}) {dt}", 3, [{"op": "randint", "dtype": dt, "low": lo, "high": hi, "n": 40}]))

    # uniform_ with bounds
    for lo, hi in [(-3.7, 5.1), (0.1, 0.35), (1e-3, 7e5), (2.0, 2.0), (-1e10, 1e10), (-0.5, 0.5)]:
        for dt in ("float32", "float64"):
            cases.append(case(f"uniform_({lo},{hi}) {dt}", 11, [{"op": "uniform", "dtype": dt, "from": lo, "to": hi, "n": 60}]))

    # normal_ with mean/std across paths
    for mean, std in [(0.3, 2.5), (-1.25, 0.7), (5.0, 0.0), (100.0, 1e-3)]:
        for dt in ("float32", "float64"):
            for n in (5, 16, 40):
                cases.append(case(f"normal_({mean},{std}) {dt} n={n}", 13, [{"op": "normal", "dtype": dt, "mean": mean, "std": std, "n": n}]))

    # bernoulli
    for p in (0.0, 1e-3, 0.3, 0.5, 0.999, 1.0):
        for dt in ("float32", "float64"):
            cases.append(case(f"bernoulli_({p}) {dt}", 17, [{"op": "bernoulli_p", "dtype": dt, "p": p, "n": 64}]))
    g = torch.Generator().manual_seed(99)
    probs32 = [round(x, 6) for x in torch.rand(80, generator=g, dtype=torch.float64).tolist()] + [0.0, 1.0, 0.5, 1e-8]
    for dt in ("float32", "float64"):
        cases.append(case(f"bernoulli(probs) {dt}", 19, [{"op": "bernoulli_tensor", "dtype": dt, "probs": probs32}]))
    return cases


def torch_states():
    """Raw torch.get_rng_state() bytes at two points, for setTorchState tests."""
    g = torch.Generator().manual_seed(2024)
    torch.randn(5, generator=g, dtype=torch.float64)  # leaves a cached normal sample
    torch.rand(3, generator=g)
    s1 = g.get_state().numpy().tobytes()
    after1 = torch.randn(4, generator=g, dtype=torch.float64).tolist()
    return {
        "bytes_base64": base64.b64encode(s1).decode("ascii"),
        "then_randn_float64_4": after1,
        "digest_after": state_digest(g),
    }


def cpu_capability():
    m = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
    return m.group(1) if m else None


def main():
    data = {
        "command": COMMAND,
        "torch_version": torch.__version__,
        "python": sys.version.split()[0],
        "cpu_capability": cpu_capability(),
        "mkl": torch.backends.mkl.is_available(),
        "notes": "Generated by PyTorch on CPU. Seeds are decimal strings (uint64 / negative allowed). "
        "Each step stores its output and the generator state digest afterwards.",
        "torch_state": torch_states(),
        "cases": build(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes, {len(data['cases'])} cases)")


if __name__ == "__main__":
    main()
