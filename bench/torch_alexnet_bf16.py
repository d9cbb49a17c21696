"""PyTorch side of bench/alexnet-bf16.ts: exercise 6's AlexNet training step in float32 and under
torch.autocast(device_type="cpu", dtype=torch.bfloat16), alternating.

Usage: torch_alexnet_bf16.py THREADS STEPS; prints JSON {version, threads, fp32, bf16} (seconds per step).
"""
import json
import sys
import time

import torch
from torch import nn
from torch_alexnet_model import alexnet

threads, steps = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = alexnet()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))


def step(bf16):
    opt.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=bf16):
        loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


def timed(bf16):
    t0 = time.perf_counter()
    for _ in range(steps):
        step(bf16)
    return (time.perf_counter() - t0) / steps


model.train()
for bf16 in (False, True):
    for _ in range(2):
        step(bf16)  # warm-up: primitive creation
fp32 = timed(False)
bf16 = timed(True)
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "fp32": fp32, "bf16": bf16}))
