"""Forward values and gradients of the bridge's tensor operations, by Debian's PyTorch in float64.

Every case has float32 inputs (int64 for indices and targets) saved as <case>_in<i>.npy; the reference
casts float inputs to float64. For a differentiable output it draws an upstream gradient <case>_g and
saves the input gradients <case>_grad<i>. manifest.txt lists `case input-count grad-mask` per line
(mask: 1 for each input whose gradient is checked).
"""
import sys
import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
rng = np.random.default_rng(2024)
cases = []


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def positive(*shape):
    return (np.abs(rng.standard_normal(shape)) + 0.5).astype(np.float32)


def ints(high, *shape):
    return rng.integers(0, high, shape).astype(np.int64)


def case(name, inputs, fn, constant=()):
    """constant: indices of float inputs that get no gradient (e.g. running statistics)."""
    cases.append((name, inputs, fn, set(constant)))


# ---- creation and casts ----
case("arange", [], lambda: torch.arange(0.5, 3.1, 0.3, dtype=torch.float32))
case("arange_int", [], lambda: torch.arange(-3, 11, 2, dtype=torch.int64))
case("full", [], lambda: torch.full((2, 3), 2.5, dtype=torch.float64))
case("cast_int64", [randn(3, 4) * 10], lambda x: x.to(torch.int64))
case("cast_uint8", [positive(3, 4) * 20], lambda x: x.to(torch.uint8))
case("cast_float64", [randn(3, 4)], lambda x: x.to(torch.float64) * 3)

# ---- shapes, views, indexing ----
case("reshape", [randn(2, 3, 4)], lambda x: x.reshape(4, 6))
case("view", [randn(2, 3, 4)], lambda x: x.view(6, -1))
case("permute", [randn(2, 3, 4)], lambda x: x.permute(2, 0, 1))
case("transpose", [randn(2, 3, 4)], lambda x: x.transpose(0, 2))
case("contiguous", [randn(2, 3, 4)], lambda x: x.permute(1, 2, 0).contiguous().view(3, 8))
case("flatten", [randn(2, 3, 4, 5)], lambda x: x.flatten(1, 2))
case("flatten_all", [randn(2, 3, 4)], lambda x: x.flatten())
case("unsqueeze", [randn(3, 4)], lambda x: x.unsqueeze(-1))
case("squeeze", [randn(3, 1, 4)], lambda x: x.squeeze(1))
case("expand", [randn(3, 1)], lambda x: x.expand(2, 3, 5))
case("slice", [randn(4, 10)], lambda x: x[:, 1:-2:3])
case("slice_negative", [randn(6, 3)], lambda x: x[-4:100])
case("index_select", [randn(5, 4), np.array([4, 0, 2, 2], dtype=np.int64)], lambda x, i: x.index_select(0, i))
case("gather", [randn(3, 5), ints(5, 3, 4)], lambda x, i: x.gather(1, i))
case("cat", [randn(2, 3), randn(4, 3)], lambda a, b: torch.cat([a, b], 0))
case("cat_dim1", [randn(2, 3), randn(2, 1)], lambda a, b: torch.cat([a, b], 1))
case("stack", [randn(2, 3), randn(2, 3)], lambda a, b: torch.stack([a, b], 1))

# ---- elementwise math, comparisons ----
case("exp", [randn(3, 4)], torch.exp)
case("log", [positive(3, 4)], torch.log)
case("sqrt", [positive(3, 4)], torch.sqrt)
case("abs", [randn(3, 4)], torch.abs)
case("pow", [positive(3, 4)], lambda x: x.pow(2.5))
case("relu", [randn(3, 4)], torch.relu)
case("sigmoid", [randn(3, 4)], torch.sigmoid)
case("softmax", [randn(3, 5)], lambda x: x.softmax(1))
case("log_softmax", [randn(3, 5)], lambda x: x.log_softmax(0))
case("clamp", [randn(4, 5)], lambda x: x.clamp(-0.5, 0.7))
case("clamp_min", [randn(4, 5)], lambda x: x.clamp(min=0.1))
case("clamp_max", [randn(4, 5)], lambda x: x.clamp(max=-0.2))
case("where", [randn(3, 4), randn(3, 4)], lambda a, b: torch.where(a > b, a, b * 2))
case("linear", [randn(4, 3), randn(5, 3), randn(5)], F.linear)
case("linear_nobias", [randn(2, 4, 3), randn(5, 3)], lambda x, w: F.linear(x, w))
for op in ["eq", "ne", "gt", "ge", "lt", "le"]:
    a, b = randn(4, 5), randn(4, 5)
    b[0] = a[0]  # some equal elements
    case(f"{op}", [a, b], lambda x, y, op=op: getattr(x, op)(y))
    c = randn(4, 5)
    c[1, 2] = 0.25
    case(f"{op}_scalar", [c], lambda x, op=op: getattr(x, op)(0.25))

# ---- reductions ----
case("sum_dims", [randn(2, 3, 4)], lambda x: x.sum((0, 2), keepdim=True))
case("mean_dims", [randn(2, 3, 4)], lambda x: x.mean(1))
case("max_all", [randn(3, 4)], lambda x: x.max())
case("min_all", [randn(3, 4)], lambda x: x.min())
case("max_dim", [randn(3, 4, 5)], lambda x: x.max(1).values)
case("max_dim_indices", [randn(3, 4, 5)], lambda x: x.max(1, keepdim=True).indices)
case("min_dim", [randn(3, 4, 5)], lambda x: x.min(-1, keepdim=True).values)
case("min_dim_indices", [randn(3, 4, 5)], lambda x: x.min(-1).indices)
case("argmax", [randn(3, 4, 5)], lambda x: x.argmax(2))
case("argmax_keepdim", [randn(3, 4, 5)], lambda x: x.argmax(0, keepdim=True))
case("topk", [randn(3, 10)], lambda x: x.topk(4).values)
case("topk_indices", [randn(3, 10)], lambda x: x.topk(4).indices)
case("topk_smallest", [randn(6, 3)], lambda x: x.topk(2, dim=0, largest=False).values)
case("topk_smallest_indices", [randn(6, 3)], lambda x: x.topk(2, dim=0, largest=False).indices)

# ---- neural-network functions ----
case("conv2d_depthwise", [randn(2, 3, 11, 9), randn(3, 1, 3, 3), randn(3)],
     lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=2, dilation=2, groups=3))
bn_inputs = lambda: [randn(4, 3, 5, 6), randn(3) * 0.1, positive(3), randn(3), randn(3)]
case("batch_norm_train", bn_inputs(),
     lambda x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2, eps=1e-4), constant=(1, 2))
case("batch_norm_train_running_mean", bn_inputs(),
     lambda x, rm, rv, w, b: (F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2, eps=1e-4), rm)[1],
     constant=(0, 1, 2, 3, 4))
case("batch_norm_train_running_var", bn_inputs(),
     lambda x, rm, rv, w, b: (F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2, eps=1e-4), rv)[1],
     constant=(0, 1, 2, 3, 4))
case("batch_norm_eval", bn_inputs(),
     lambda x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=False), constant=(1, 2))
case("max_pool2d", [randn(2, 3, 8, 9)], lambda x: F.max_pool2d(x, 2))
case("max_pool2d_ceil", [randn(2, 3, 9, 10)],
     lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True))
case("max_pool2d_dilation", [randn(1, 2, 11, 12)],
     lambda x: F.max_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 0), dilation=(2, 1)))
case("avg_pool2d", [randn(2, 3, 8, 8)], lambda x: F.avg_pool2d(x, 2))
case("avg_pool2d_ceil_nopad", [randn(2, 3, 9, 10)],
     lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False))
case("avg_pool2d_pad", [randn(2, 3, 7, 7)], lambda x: F.avg_pool2d(x, 3, stride=2, padding=1))
case("adaptive_avg_pool2d", [randn(2, 3, 7, 9)], lambda x: F.adaptive_avg_pool2d(x, (3, 4)))
for mode, align in [("nearest", None), ("bilinear", False), ("bilinear", True), ("bicubic", False),
                    ("bicubic", True)]:
    tag = f"{mode}" + ("" if align is None else f"_align{int(align)}")
    case(f"interpolate_{tag}_up", [randn(2, 3, 5, 7)],
         lambda x, mode=mode, align=align: F.interpolate(x, size=(11, 9), mode=mode, align_corners=align))
    case(f"interpolate_{tag}_down", [randn(1, 2, 12, 10)],
         lambda x, mode=mode, align=align: F.interpolate(x, size=(5, 4), mode=mode, align_corners=align))
case("interpolate_bilinear_default", [randn(1, 2, 4, 6)],
     lambda x: F.interpolate(x, size=(8, 3), mode="bilinear"))

# ---- losses ----
case("cross_entropy", [randn(6, 5), ints(5, 6)], F.cross_entropy)
case("mse", [randn(3, 4), randn(3, 4)], F.mse_loss)
case("cosine_similarity", [randn(4, 6), randn(4, 6)], F.cosine_similarity)
case("cosine_similarity_dim0", [randn(5, 3), randn(5, 1)], lambda a, b: F.cosine_similarity(a, b, dim=0, eps=1e-6))

def save(key, array):
    np.save(f"{out}/{key}.npy", np.array(array, order="C"))  # the Swift reader takes C order only


with open(f"{out}/manifest.txt", "w") as manifest:
    for name, inputs, fn, constant in cases:
        tensors, mask = [], []
        for i, a in enumerate(inputs):
            save(f"{name}_in{i}", a)
            differentiable = a.dtype == np.float32 and i not in constant
            t = torch.tensor(a, dtype=torch.float64) if a.dtype == np.float32 else torch.tensor(a)
            tensors.append(t.requires_grad_(differentiable))
            mask.append("1" if differentiable else "0")
        y = fn(*tensors)
        save(f"{name}_y", y.detach().numpy())
        if y.requires_grad:
            g = randn(*y.shape)
            save(f"{name}_g", g)
            y.backward(torch.tensor(g, dtype=torch.float64))
            for i, t in enumerate(tensors):
                if t.requires_grad:
                    grad = t.grad if t.grad is not None else torch.zeros_like(t)
                    save(f"{name}_grad{i}", grad.numpy())
        else:
            mask = ["0"] * len(inputs)
        manifest.write(f"{name} {len(inputs)} {''.join(mask) or '-'}\n")
