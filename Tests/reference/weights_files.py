"""Weight files in every encoding users have, written by Debian's PyTorch, plus what torch.load reads.

Writes into OUT: model_zip.pth (torch.save, zip), model_legacy.pth (_use_new_zipfile_serialization=False),
model_2017.pth (the 2017 encoding: a torch.FloatTensor object plus BUILD state), model.safetensors
(written here with json+struct+numpy), evil_zip.pth and evil_legacy.pth (a pickle naming os.system),
checkpoint_zip.pth and checkpoint_legacy.pth ({"epoch", "state_dict", "optimizer"}: SGD momentum tensors
outside the state dict), storage_views.pth (legacy tensors on storage views, as torch < 0.4 wrote them),
storage_two_types.pth (one storage named as float and as long),
and crafted_<case>_{zip,legacy}.pth (hand-assembled pickles: cycles, shared and deeply nested containers).
For each weights file F, F.keys.json lists [key, dtype-in-file] in file order and F.<i>.npy holds tensor
i as torch.load returns it (float16/bfloat16 as float32, the documented conversion).
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import zipfile

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


# A training checkpoint: the optimizer's momentum buffers are tensors on storages the state dict never uses.
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
model.fc(model.conv(torch.randn(1, 3, 3, 3)).flatten(1)).sum().backward()
opt.step()
checkpoint = {"epoch": 3, "state_dict": model.state_dict(), "optimizer": opt.state_dict()}
for name, zip_format in [("checkpoint_zip.pth", True), ("checkpoint_legacy.pth", False)]:
    path = os.path.join(out, name)
    torch.save(checkpoint, path, _use_new_zipfile_serialization=zip_format)
    loaded = torch.load(path)["state_dict"]
    dump(path, loaded, {k: dtype_name(t) for k, t in loaded.items()})


# Storage views in the legacy format: the persistent id ends with (view_key, offset, size) in elements
# of the root storage; the tensor's own offset counts from the view's start.
class StorageView:
    def __init__(self, key, offset, size, storage_type=torch.FloatStorage):
        self.key, self.offset, self.size, self.storage_type = key, offset, size, storage_type


class OnStorage:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride)

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args + (False, collections.OrderedDict()))


class ViewPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, StorageView):
            view = None if obj.key is None else (obj.key, obj.offset, obj.size)
            return ("storage", obj.storage_type, "root", "cpu", 20, view)
        return None


def legacy_file(path, write_object, keys, storages=b""):
    """The legacy layout: magic, protocol, system info, the object, the storage keys, the storages."""
    with open(path, "wb") as f:
        for header in (0x1950a86a20f9469cfc6c, 1001,
                       dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))):
            pickle.dump(header, f, protocol=2)
        write_object(f)
        pickle.dump(keys, f, protocol=2)
        f.write(storages)


root = torch.arange(20, dtype=torch.float32) * 1.5
shape = (2, 3)  # one tuple object for two tensors: the pickle shares it through the memo
views = collections.OrderedDict([
    ("whole", OnStorage(StorageView(None, 0, 20), 4, (4,), (1,))),
    ("view_a", OnStorage(StorageView("va", 5, 8), 2, shape, (3, 1))),
    ("view_a_flat", OnStorage(StorageView("va", 5, 8), 0, (8,), (1,))),
    ("view_b", OnStorage(StorageView("vb", 12, 8), 1, shape, (1, 2))),
])
path = os.path.join(out, "storage_views.pth")
legacy_file(path, lambda f: ViewPickler(f, protocol=2).dump(views), ["root"],
            struct.pack("<q", 20) + root.numpy().tobytes())
loaded = torch.load(path)
dump(path, loaded, {k: "float32" for k in loaded})

# One storage named as two element types (torch.save refuses to write that).
two_types = collections.OrderedDict([("f", OnStorage(StorageView(None, 0, 20), 0, (4,), (1,))),
                                     ("l", OnStorage(StorageView(None, 0, 20, torch.LongStorage), 0, (2,), (1,)))])
legacy_file(os.path.join(out, "storage_two_types.pth"), lambda f: ViewPickler(f, protocol=2).dump(two_types), ["root"],
            struct.pack("<q", 20) + root.numpy().tobytes())


# Hand-assembled pickles that no pickler writes but a file can hold.
def op(code, *args):
    return bytes([code]) + b"".join(args)


def text(s):
    return op(0x58, struct.pack("<I", len(s)), s.encode())


def put(i):
    return op(0x72, struct.pack("<I", i))  # LONG_BINPUT


def get(i):
    return op(0x6a, struct.pack("<I", i))  # LONG_BINGET


EMPTY_LIST, EMPTY_DICT, APPEND, SETITEM, TUPLE1, POP = b"]", b"}", b"a", b"s", b"\x85", b"0"
chain = 100_000  # far past any stack: freeing such a chain recursively would overflow it
crafted = {
    # {"state_dict": <itself>}
    "self_dict": EMPTY_DICT + put(0) + text("state_dict") + get(0) + SETITEM,
    # l = []; l.append(l)
    "cyclic_list": EMPTY_LIST + put(0) + get(0) + APPEND,
    # a = {}; b = {}; a["b"] = b; b["a"] = a
    "cyclic_dicts": EMPTY_DICT + put(0) + text("b") + EMPTY_DICT + put(1) + SETITEM
                    + get(1) + text("a") + get(0) + SETITEM + POP,
    # {"a": l, "b": l} with one list l
    "shared_list": EMPTY_DICT + text("a") + EMPTY_LIST + put(0) + SETITEM + text("b") + get(0) + SETITEM,
    # l0 = []; l1 = []; l0.append(l1); l2 = []; l1.append(l2); ... each list grows after it was placed
    "list_chain": EMPTY_LIST + put(0) + b"".join(get(i - 1) + EMPTY_LIST + put(i) + APPEND + POP
                                                 for i in range(1, chain)),
    # the same through tuples: l0.append((l1,)); l1.append((l2,)); ...
    "tuple_chain": EMPTY_LIST + put(0) + b"".join(get(i - 1) + EMPTY_LIST + put(i) + TUPLE1 + APPEND + POP
                                                  for i in range(1, chain)),
    # [[[...]]] built inside out: 64 levels are accepted (not a state dict), 65 are not
    "nested_64": EMPTY_LIST * 64 + APPEND * 63,
    "nested_65": EMPTY_LIST * 65 + APPEND * 64,
}
for case, body in crafted.items():
    pickled = b"\x80\x02" + body + b"."
    with zipfile.ZipFile(os.path.join(out, f"crafted_{case}_zip.pth"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pickled)
        z.writestr("archive/byteorder", "little")
    legacy_file(os.path.join(out, f"crafted_{case}_legacy.pth"), lambda f: f.write(pickled), [])
