"""Tensor-level random fixtures: nabla's rand/randn/randint/randperm/bernoulli and the in-place
fills on contiguous and non-contiguous views must give PyTorch's values for the same seed.

Run: /usr/bin/python3 tools/gen_random_tensor_fixtures.py  (writes test/fixtures/random-tensor.json)
"""
import json
import os

import torch

DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32"}
cases = []


def add(name, code, make):
    cases.append({"name": name, "code": code, "values": make().flatten().tolist()})


def seeded(seed, fn):
    def run():
        torch.manual_seed(seed)
        return fn()
    return run


add("rand [4,1]", "manualSeed(0); rand([4, 1])", seeded(0, lambda: torch.rand(4, 1)))
add("rand [3,7] float64", "manualSeed(1); rand([3, 7], { dtype: 'float64' })", seeded(1, lambda: torch.rand(3, 7, dtype=torch.float64)))
add("randn [5]", "manualSeed(2); randn([5])", seeded(2, lambda: torch.randn(5)))
add("randn [4,8]", "manualSeed(2); randn([4, 8])", seeded(2, lambda: torch.randn(4, 8)))
add("randint 0..10 [20]", "manualSeed(4); randint(0, 10, [20])", seeded(4, lambda: torch.randint(0, 10, (20,))))
add("randperm 17", "manualSeed(5); randperm(17)", seeded(5, lambda: torch.randperm(17)))
add("bernoulli probs", "manualSeed(6); bernoulli(full([12], 0.3))", seeded(6, lambda: torch.bernoulli(torch.full((12,), 0.3))))


def generator_case():
    g = torch.Generator().manual_seed(7)
    return torch.rand(6, generator=g)


add("rand with generator", "rand([6], { generator: new Generator().manualSeed(7) })", generator_case)


def fill(seed, make, method):
    def run():
        x = make()
        torch.manual_seed(seed)
        getattr(x, method[0])(*method[1:])
        return x.contiguous()
    return run


add("uniform_ transposed", "manualSeed(3); zeros([3, 5]).t().uniform_()", fill(3, lambda: torch.zeros(3, 5).t(), ("uniform_",)))
add("uniform_ -2..3", "manualSeed(3); zeros([9]).uniform_(-2, 3)", fill(3, lambda: torch.zeros(9), ("uniform_", -2, 3)))
add("normal_ sliced", "manualSeed(3); zeros([4, 6]).slice(1, 1, 4).normal_()", fill(3, lambda: torch.zeros(4, 6)[:, 1:4], ("normal_",)))
add("normal_ contiguous 40", "manualSeed(8); zeros([40]).normal_(1, 2)", fill(8, lambda: torch.zeros(40), ("normal_", 1, 2)))
add("bernoulli_ transposed", "manualSeed(9); zeros([4, 3]).t().bernoulli_(0.4)", fill(9, lambda: torch.zeros(4, 3).t(), ("bernoulli_", 0.4)))

out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "random-tensor.json")
with open(out, "w") as f:
    json.dump({"command": "/usr/bin/python3 tools/gen_random_tensor_fixtures.py", "torch": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases")
