"""Weight files in every encoding users have, written by Debian's PyTorch, plus what torch.load reads.

Writes into OUT: model_zip.pth (torch.save, zip), model_legacy.pth (_use_new_zipfile_serialization=False),
model_2017.pth (the 2017 encoding: a torch.FloatTensor object plus BUILD state), model.safetensors
(written here with json+struct+numpy), evil_zip.pth and evil_legacy.pth (a pickle naming os.system).
For each weights file F, F.keys.json lists [key, dtype-in-file] in file order and F.<i>.npy holds tensor
i as torch.load returns it (float16/bfloat16 as float32, the documented conversion).
"""
import collections
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

out = sys.argv[1]
marker = sys.argv[2] if len(sys.argv) > 2 else os.path.join(out, "pwned")
torch.manual_seed(3)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 5)


model = Small()
model.bn.running_mean.uniform_(-1, 1)
model.bn.running_var.uniform_(0.5, 2)
model.bn.num_batches_tracked += 7
sd = model.state_dict()

big = torch.randn(40)
shared = torch.arange(12, dtype=torch.float32)
sd["extra.float64"] = torch.randn(3, 2, dtype=torch.float64)
sd["extra.float16"] = torch.randn(2, 3).half()
sd["extra.bfloat16"] = torch.randn(5).bfloat16()
sd["extra.int64"] = torch.tensor([[-5, 1 << 40], [7, 0]], dtype=torch.int64)
sd["extra.int32"] = torch.tensor([-3, 2, 1 << 30], dtype=torch.int32)
sd["extra.uint8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
sd["extra.bool"] = torch.tensor([True, False, True])
sd["extra.transposed"] = torch.randn(3, 4).t()            # non-contiguous view
sd["extra.view_with_offset"] = big[10:22].view(3, 4)      # offset 10 into a 40-element storage
sd["extra.shared_a"] = shared.view(3, 4)                  # two keys sharing one storage
sd["extra.shared_b"] = shared[2:8]
sd["extra.scalar"] = torch.tensor(2.5)
sd["extra.empty"] = torch.zeros(0, 3)


def dump(path, tensors, dtypes):
    with open(path + ".keys.json", "w") as f:
        json.dump([[k, dtypes[k]] for k in tensors], f)
    for i, (k, t) in enumerate(tensors.items()):
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()
        np.save(f"{path}.{i}.npy", t.contiguous().numpy())


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


names = {k: dtype_name(t) for k, t in sd.items()}

for name, zip_format in [("model_zip.pth", True), ("model_legacy.pth", False)]:
    path = os.path.join(out, name)
    torch.save(sd, path, _use_new_zipfile_serialization=zip_format)
    dump(path, torch.load(path), names)


# The 2017 encoding: what torch 0.1/0.2 pickled for a tensor.
class Tensor2017:
    def __init__(self, t):
        self.t = t

    def __reduce__(self):
        t = self.t
        cls = {torch.float32: torch.FloatTensor, torch.float64: torch.DoubleTensor,
               torch.int64: torch.LongTensor, torch.uint8: torch.ByteTensor}[t.dtype]
        return (cls, (), (t.storage(), t.storage_offset(), tuple(t.size()), t.stride()))


old = collections.OrderedDict(
    (k, Tensor2017(t)) for k, t in sd.items()
    if t.dtype in (torch.float32, torch.float64, torch.int64, torch.uint8) and t.dim() > 0 and t.numel() > 0)
path = os.path.join(out, "model_2017.pth")
with open(path, "wb") as f:
    torch.serialization._legacy_save(old, f, __import__("pickle"), 2)
dump(path, torch.load(path), names)

# safetensors: 8-byte little-endian header length, JSON header, byte buffer.
st_names = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
            torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}
header, chunks, offset = {"__metadata__": {"format": "pt", "source": "weights_files.py"}}, [], 0
for k, t in sd.items():
    t = t.contiguous()
    raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
    header[k] = {"dtype": st_names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    chunks.append(raw)
    offset += len(raw)
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
path = os.path.join(out, "model.safetensors")
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
dump(path, sd, names)


class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + marker,))


torch.save({"weight": torch.ones(2), "payload": Evil()}, os.path.join(out, "evil_zip.pth"))
torch.save({"weight": torch.ones(2), "payload": Evil()}, os.path.join(out, "evil_legacy.pth"),
           _use_new_zipfile_serialization=False)
