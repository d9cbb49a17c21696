"""PyTorch side of bench/run.ts: the same workloads, printed as JSON on stdout.

Run by bench/run.ts when /usr/bin/python3 can import torch. Usage: torch_bench.py THREADS
"""
import json
import sys
import time

import torch


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
    torch.manual_seed(0)
    X, Y = torch.rand(4, 1), torch.rand(1, 1)
    params = []
    for l in range(1, 7):
        rows = 4 if l < 6 else 1
        params.append((torch.rand(rows, 4, requires_grad=True), torch.rand(rows, 1, requires_grad=True)))

    def step():
        y = X
        for i, (A, b) in enumerate(params):
            z = A @ y + b
            y = torch.sigmoid(z) if i < 5 else z
        loss = 0.5 * (y - Y) ** 2
        for A, b in params:
            A.grad = None
            b.grad = None
        loss.backward()

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
