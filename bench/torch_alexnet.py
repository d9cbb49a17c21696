"""PyTorch side of bench/alexnet.ts. Usage: torch_alexnet.py THREADS STEPS; prints JSON."""
import json
import resource
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


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


peak = [0.0]


def train_step():
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()
    peak[0] = max(peak[0], rss_mib())


def timed(n, fn):
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


model.train()
timed(2, train_step)
rss_warm = rss_mib()
peak[0] = 0.0
train = timed(steps, train_step)
rss_after = rss_mib()
model.eval()
with torch.no_grad():
    timed(2, lambda: model(x))
    forward = timed(steps, lambda: model(x))
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "train": train, "forward": forward, "rssWarm": rss_warm, "rssAfter": rss_after, "rssPeak": peak[0]}))
