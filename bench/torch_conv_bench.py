"""PyTorch side of bench/conv.ts: conv2d forward + backward on the exercise-6 layer shapes.

Run by bench/conv.ts when /usr/bin/python3 can import torch. Usage: torch_conv_bench.py THREADS BATCH ROUNDS
Prints JSON: {version, threads, layers: [seconds per forward+backward, ...]} in bench/conv.ts's order.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

# (in channels, out channels, kernel, padding, input size, input needs grad): exercise 6's convs.
LAYERS = [
    (1, 96, 4, 0, 28, False),
    (96, 96, 3, 0, 25, True),
    (96, 256, 5, 2, 23, True),
    (256, 384, 3, 1, 11, True),
    (384, 384, 3, 1, 11, True),
    (384, 256, 3, 1, 11, True),
]


def best_of(fn, reps, rounds):
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def layer(batch, cin, cout, k, pad, size, input_grad, rounds):
    torch.manual_seed(0)
    x = torch.rand(batch, cin, size, size).requires_grad_(input_grad)
    w = (torch.rand(cout, cin, k, k) * 0.1).requires_grad_(True)
    b = torch.rand(cout).requires_grad_(True)
    out_size = size + 2 * pad - k + 1
    g = torch.rand(batch, cout, out_size, out_size)

    def step():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b, padding=pad).backward(g)

    for _ in range(2):
        step()
    return best_of(step, 3, rounds)


if __name__ == "__main__":
    threads, batch, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    times = [layer(batch, *spec, rounds) for spec in LAYERS]
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "layers": times}))
