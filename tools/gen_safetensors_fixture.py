#!/usr/bin/env python3
"""Write safetensors fixtures under test/fixtures/safetensors/ from real torch tensors.

Run from the repository root:  /usr/bin/python3 tools/gen_safetensors_fixture.py

Debian has no python3-safetensors, so the files are written here by the format's spec, laid out
like the reference (Rust) writer: tensors sorted by dtype alignment (largest first) then name,
data packed in that order, "__metadata__" first in the header, the JSON header padded with spaces
to a multiple of 8 bytes, an 8-byte little-endian header length in front.

- torch_mixed.safetensors: float32, float64, int64 (in int32 range) and bool tensors + metadata
  (what nabla must read);
- torch_nabla_dtypes.safetensors: float32, float64, int32, bool + metadata, the dtypes nabla
  writes, so the test can compare nabla's bytes with these;
- torch_int64_big.safetensors: an int64 value outside int32 range (nabla must refuse it).
- fixtures.json: the command, and for each file the tensors' dtype, shape and values.
"""

import json
import os
import struct

import torch

COMMAND = "/usr/bin/python3 tools/gen_safetensors_fixture.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "safetensors")

# The reference writer's Dtype order (its enum order), used for sorting: larger first.
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "U16": 6, "F16": 7, "BF16": 8, "I32": 9, "U32": 10, "F32": 11, "F64": 12, "I64": 13, "U64": 14}
NAME = {torch.float32: "F32", torch.float64: "F64", torch.int32: "I32", torch.int64: "I64", torch.bool: "BOOL", torch.uint8: "U8"}


def to_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bool:
        return bytes(t.to(torch.uint8).flatten().tolist())
    # numpy's tobytes() of a little-endian array: the raw row-major bytes.
    arr = t.numpy()
    return arr.astype(arr.dtype.newbyteorder("<")).tobytes()


def write(path, tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-RANK[NAME[kv[1].dtype]], kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, t in items:
        b = to_bytes(t)
        header[name] = {"dtype": NAME[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    js = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)


def describe(tensors):
    return {name: {"dtype": NAME[t.dtype], "shape": list(t.shape), "values": t.flatten().tolist()} for name, t in tensors.items()}


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    mixed = {
        "layer.weight": torch.randn(3, 4, generator=g),
        "layer.bias": torch.rand(3, generator=g, dtype=torch.float64),
        "steps": torch.tensor([0, -5, 2**31 - 1, -(2**31)], dtype=torch.int64),
        "mask": torch.tensor([[True, False], [False, True]]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }
    meta = {"format": "pt", "note": "written by gen_safetensors_fixture.py"}
    write(os.path.join(OUT, "torch_mixed.safetensors"), mixed, meta)

    native = {
        "w": torch.randn(2, 3, generator=g),
        "b": torch.rand(2, generator=g, dtype=torch.float64),
        "idx": torch.tensor([7, -1, 123456], dtype=torch.int32),
        "flags": torch.tensor([True, False, True]),
    }
    write(os.path.join(OUT, "torch_nabla_dtypes.safetensors"), native, {"epoch": "3"})

    big = {"count": torch.tensor([1, 2**40], dtype=torch.int64)}
    write(os.path.join(OUT, "torch_int64_big.safetensors"), big)

    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump(
            {
                "command": COMMAND,
                "torch": torch.__version__,
                "torch_mixed.safetensors": {"metadata": meta, "tensors": describe(mixed)},
                "torch_nabla_dtypes.safetensors": {"metadata": {"epoch": "3"}, "tensors": describe(native)},
                "torch_int64_big.safetensors": {"metadata": None, "tensors": describe(big)},
            },
            f,
            indent=1,
        )
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
