#!/usr/bin/env python3
"""Write test/fixtures/data.json: PyTorch 1.13 orders for src/data.

Run from the repository root:  /usr/bin/python3 tools/gen_data_fixtures.py

Records, from real torch.utils.data code:
- RandomSampler orders for several seeds and sizes, without a generator (the sampler draws a
  seed from the default generator) and with an explicit one (two epochs, to pin down how much of
  the generator's stream an epoch consumes), plus replacement / num_samples variants;
- random_split indices (lengths and fractions, explicit and default generator);
- DataLoader(shuffle=True, batch_size=64) over 6000 items after manual_seed(0): the first batch's
  indices, and what the default generator yields after one epoch (DataLoader draws a base seed);
- the label recipes of src/data/labels.ts (withRandomLabels, fractionSubset);
- toTensor / normalize float32 values (torchvision's ToTensor and Normalize arithmetic);
- a few facts about Debian's Fashion-MNIST IDX files (when installed), read here with gzip+numpy.
"""

import gzip
import json
import os

import numpy as np
import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset, random_split

COMMAND = "/usr/bin/python3 tools/gen_data_fixtures.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "data.json")
FASHION = "/usr/share/datasets/fashion-mnist"


def checksum(xs):
    """sum((k + 1) * x_k): order-sensitive, exact in a JS double for the sizes used here."""
    return sum((k + 1) * int(x) for k, x in enumerate(xs))


def sampler_cases():
    out = []
    for seed in [0, 1, 42, 12345]:
        for n in [1, 2, 10, 100, 1000]:
            torch.manual_seed(seed)
            no_gen = list(RandomSampler(range(n)))
            after = torch.rand(2).tolist()  # the default stream after the sampler's seed draw
            g = torch.Generator().manual_seed(seed)
            s = RandomSampler(range(n), generator=g)
            e1 = list(s)
            e2 = list(s)
            out.append({"seed": seed, "n": n, "noGenerator": no_gen, "defaultAfter": after, "generatorEpoch1": e1, "generatorEpoch2": e2})
    return out


def sampler_variants():
    g = torch.Generator().manual_seed(3)
    repl = list(RandomSampler(range(10), replacement=True, num_samples=40, generator=g))
    g = torch.Generator().manual_seed(3)
    more = list(RandomSampler(range(10), num_samples=25, generator=g))
    g = torch.Generator().manual_seed(3)
    fewer = list(RandomSampler(range(10), num_samples=4, generator=g))
    after_fewer = torch.rand(2, generator=g).tolist()
    return {"replacement": repl, "numSamples25": more, "numSamples4": fewer, "numSamples4After": after_fewer}


def split_cases():
    out = []

    def rec(name, n, lengths, seed, explicit):
        if explicit:
            parts = random_split(range(n), lengths, generator=torch.Generator().manual_seed(seed))
        else:
            torch.manual_seed(seed)
            parts = random_split(range(n), lengths)
        idx = [list(p.indices) for p in parts]
        entry = {"name": name, "n": n, "lengths": lengths, "seed": seed, "explicitGenerator": explicit, "sizes": [len(i) for i in idx]}
        if n <= 1000:
            entry["indices"] = idx
        else:
            entry["heads"] = [i[:20] for i in idx]
            entry["checksums"] = [checksum(i) for i in idx]
        out.append(entry)

    rec("ints", 10, [3, 7], 42, True)
    rec("fractions", 30, [0.3, 0.3, 0.4], 42, True)
    rec("remainder", 11, [0.5, 0.5], 1, True)
    rec("defaultGenerator", 100, [10, 90], 0, False)
    rec("mnist10pct", 60000, [6000, 54000], 0, True)
    return out


def loader_cases():
    data = TensorDataset(torch.arange(6000))
    res = {}
    torch.manual_seed(0)
    loader = DataLoader(data, batch_size=64, shuffle=True)
    batches = [b[0].tolist() for b in loader]
    res["shuffleDefault"] = {
        "n": 6000,
        "batchSize": 64,
        "length": len(loader),
        "firstBatch": batches[0],
        "lastBatch": batches[-1],
        "epochChecksum": checksum([i for b in batches for i in b]),
        "defaultAfterEpoch": torch.rand(2).tolist(),
        "epoch2FirstBatch": next(iter(loader))[0].tolist(),
    }
    g = torch.Generator().manual_seed(0)
    loader = DataLoader(data, batch_size=64, shuffle=True, generator=g, drop_last=True)
    e1 = [b[0].tolist() for b in loader]
    e2 = [b[0].tolist() for b in loader]
    res["shuffleGenerator"] = {
        "n": 6000,
        "batchSize": 64,
        "length": len(loader),
        "epoch1FirstBatch": e1[0],
        "epoch1Checksum": checksum([i for b in e1 for i in b]),
        "epoch2FirstBatch": e2[0],
        "epoch2Checksum": checksum([i for b in e2 for i in b]),
        "generatorAfter": torch.rand(2, generator=g).tolist(),
    }
    torch.manual_seed(0)
    loader = DataLoader(data, batch_size=64)
    for _ in loader:
        pass
    res["sequentialDefaultAfterEpoch"] = torch.rand(2).tolist()
    torch.manual_seed(0)
    res["int64RandomSeeds"] = [str(int(torch.empty((), dtype=torch.int64).random_().item())) for _ in range(4)]
    return res


def label_cases():
    out = []
    for seed, n, fraction, classes in [(0, 100, 0.5, 10), (1, 20, 1.0, 10), (7, 50, 0.2, 3)]:
        g = torch.Generator().manual_seed(seed)
        k = round(fraction * n)
        perm = torch.randperm(n, generator=g)
        idx = perm[:k].sort().values
        new = torch.randint(0, classes, (k,), generator=g)
        out.append({"seed": seed, "n": n, "fraction": fraction, "numClasses": classes, "indices": idx.tolist(), "labels": new.tolist()})
    g = torch.Generator().manual_seed(0)
    sub = torch.randperm(60000, generator=g)[:6000].tolist()
    return {"randomLabels": out, "fractionSubset": {"n": 60000, "fraction": 0.1, "seed": 0, "head": sub[:20], "checksum": checksum(sub)}}


def transform_cases():
    # torchvision.transforms.ToTensor on a uint8 image: img.to(float32).div(255).
    x = torch.arange(256, dtype=torch.uint8).view(1, 16, 16)
    t = x.to(dtype=torch.float32).div(255)
    # torchvision.transforms.functional.normalize: tensor.sub_(mean).div_(std), mean/std as tensors.
    mean = torch.as_tensor([0.1307], dtype=torch.float32).view(-1, 1, 1)
    std = torch.as_tensor([0.3081], dtype=torch.float32).view(-1, 1, 1)
    n = t.clone().sub_(mean).div_(std)
    rgb = torch.arange(256, dtype=torch.uint8).view(4, 8, 8).float().div(255)[:3]
    m3 = torch.as_tensor([0.485, 0.456, 0.406], dtype=torch.float32).view(-1, 1, 1)
    s3 = torch.as_tensor([0.229, 0.224, 0.225], dtype=torch.float32).view(-1, 1, 1)
    n3 = rgb.clone().sub_(m3).div_(s3)
    return {
        "toTensor": t.flatten().tolist(),
        "normalizeMnist": {"mean": [0.1307], "std": [0.3081], "values": n.flatten().tolist()},
        "normalizeRgb": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "shape": list(rgb.shape), "values": n3.flatten().tolist()},
    }


def fashion_facts():
    if not os.path.isdir(FASHION):
        return None

    def read(name):
        with gzip.open(os.path.join(FASHION, name), "rb") as f:
            b = f.read()
        ndim = b[3]
        dims = [int.from_bytes(b[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
        return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

    out = {}
    for split, prefix in [("train", "train"), ("test", "t10k")]:
        imgs = read(f"{prefix}-images-idx3-ubyte.gz")
        labels = read(f"{prefix}-labels-idx1-ubyte.gz")
        out[split] = {
            "shape": list(imgs.shape),
            "labelsHead": labels[:20].tolist(),
            "labelCounts": np.bincount(labels, minlength=10).tolist(),
            "pixelSums": [int(imgs[i].astype(np.int64).sum()) for i in range(5)],
            "image0Row14": imgs[0, 14].tolist(),
        }
    return out


def main():
    fixture = {
        "command": COMMAND,
        "torch": torch.__version__,
        "sampler": sampler_cases(),
        "samplerVariants": sampler_variants(),
        "randomSplit": split_cases(),
        "loader": loader_cases(),
        "labels": label_cases(),
        "transforms": transform_cases(),
        "fashionMnist": fashion_facts(),
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
