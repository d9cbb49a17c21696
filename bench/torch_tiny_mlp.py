"""PyTorch side of bench/tiny-mlp.ts: the same workloads, wall-clock and CPU time, as JSON on stdout.

Usage: torch_tiny_mlp.py ROUNDS
"""
import json
import sys
import time

import torch
from torch_tiny_mlp_model import tiny_mlp_step


def times(fn, reps, rounds):
    """Best over `rounds` of the mean wall-clock and process CPU seconds of `reps` calls."""
    for _ in range(reps):
        fn()
    wall = cpu = float("inf")
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            fn()
        wall = min(wall, (time.perf_counter() - t0) / reps)
        cpu = min(cpu, (time.process_time() - c0) / reps)
    return {"wall": wall, "cpu": cpu}


def workloads():
    step = tiny_mlp_step()
    a, b = torch.rand(4, 1), torch.rand(4, 1)
    g = torch.rand(4, 1, requires_grad=True)
    w = torch.rand(4, 4)
    return {
        "MLP step (fwd+bwd)": step,
        "add [4,1]+[4,1]": lambda: a + b,
        "add, recording (requires grad)": lambda: g + b,
        "sigmoid [4,1]": lambda: torch.sigmoid(a),
        "mul by a number": lambda: a * 0.5,
        "matmul [4,4]@[4,1]": lambda: w @ a,
    }


if __name__ == "__main__":
    rounds = int(sys.argv[1])
    torch.set_num_threads(1)
    out = {name: times(fn, 1000 if name.startswith("MLP") else 20000, rounds) for name, fn in workloads().items()}
    print(json.dumps({"version": torch.__version__, "times": out}))
