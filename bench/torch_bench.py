"""PyTorch side of bench/run.ts: the same workloads, printed as JSON on stdout.

Run by bench/run.ts when /usr/bin/python3 can import torch. Usage: torch_bench.py THREADS
"""
import json
import sys
import time

import torch
from torch_tiny_mlp_model import tiny_mlp_step


def best_of(fn, reps, rounds=5):
    """Minimum over `rounds` of the mean time of `reps` calls, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def tiny_mlp():
    step = tiny_mlp_step()
    for _ in range(200):
        step()
    return best_of(step, 1000)


def matmul(n):
    torch.manual_seed(0)
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(3):
        a @ b
    return best_of(lambda: a @ b, 10)


if __name__ == "__main__":
    torch.set_num_threads(int(sys.argv[1]))
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "tinyMlpStep": tiny_mlp(), "matmul512": matmul(512)}))
