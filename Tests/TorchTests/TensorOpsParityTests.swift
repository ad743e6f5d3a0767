import Foundation
import Testing
import TestSupport
import Torch

/// One run of Tests/reference/tensor_ops.py per test process (it covers every case at once).
private let tensorOpsReference = Result { try Reference.run("tensor_ops.py") }

/// What each case of tensor_ops.py computes, written with our API. Inputs come in the script's order.
private let tensorOpsCases: [String: ([Tensor]) throws -> Tensor] = {
    var c: [String: ([Tensor]) throws -> Tensor] = [
        // creation and casts
        "arange": { _ in try Tensor.arange(start: 0.5, end: 3.1, step: 0.3) },
        "arange_int": { _ in try Tensor.arange(start: -3, end: 11, step: 2, dtype: .int64) },
        "full": { _ in try Tensor.full([2, 3], value: 2.5, dtype: .float64) },
        "cast_int64": { x in try x[0].to(.int64) },
        "cast_uint8": { x in try x[0].to(.uint8) },
        "cast_float64": { x in try x[0].to(.float64) * 3 },
        // shapes, views, indexing
        "reshape": { x in try x[0].reshape([4, 6]) },
        "view": { x in try x[0].view([6, -1]) },
        "permute": { x in try x[0].permute([2, 0, 1]) },
        "transpose": { x in try x[0].transpose(0, 2) },
        "contiguous": { x in try x[0].permute([1, 2, 0]).contiguous().view([3, 8]) },
        "flatten": { x in try x[0].flatten(startDim: 1, endDim: 2) },
        "flatten_all": { x in try x[0].flatten() },
        "unsqueeze": { x in try x[0].unsqueeze(-1) },
        "squeeze": { x in try x[0].squeeze(dim: 1) },
        "expand": { x in try x[0].expand([2, 3, 5]) },
        "slice": { x in try x[0].slice(dim: 1, start: 1, end: -2, step: 3) },
        "slice_negative": { x in try x[0].slice(dim: 0, start: -4, end: 100) },
        "index_select": { x in try x[0].indexSelect(dim: 0, index: x[1]) },
        "gather": { x in try x[0].gather(dim: 1, index: x[1]) },
        "cat": { x in try Tensor.cat([x[0], x[1]]) },
        "cat_dim1": { x in try Tensor.cat([x[0], x[1]], dim: 1) },
        "stack": { x in try Tensor.stack([x[0], x[1]], dim: 1) },
        // elementwise math
        "exp": { x in try x[0].exp() },
        "log": { x in try x[0].log() },
        "sqrt": { x in try x[0].sqrt() },
        "abs": { x in try x[0].abs() },
        "pow": { x in try x[0].pow(2.5) },
        "relu": { x in try x[0].relu() },
        "sigmoid": { x in try x[0].sigmoid() },
        "softmax": { x in try x[0].softmax(dim: 1) },
        "log_softmax": { x in try x[0].logSoftmax(dim: 0) },
        "clamp": { x in try x[0].clamp(min: -0.5, max: 0.7) },
        "clamp_min": { x in try x[0].clamp(min: 0.1) },
        "clamp_max": { x in try x[0].clamp(max: -0.2) },
        "where": { x in try Tensor.where(x[0].gt(x[1]), x[0], x[1] * 2) },
        "linear": { x in try x[0].linear(weight: x[1], bias: x[2]) },
        "linear_nobias": { x in try x[0].linear(weight: x[1], bias: nil) },
        "eq": { x in try x[0].eq(x[1]) }, "eq_scalar": { x in try x[0].eq(0.25) },
        "ne": { x in try x[0].ne(x[1]) }, "ne_scalar": { x in try x[0].ne(0.25) },
        "gt": { x in try x[0].gt(x[1]) }, "gt_scalar": { x in try x[0].gt(0.25) },
        "ge": { x in try x[0].ge(x[1]) }, "ge_scalar": { x in try x[0].ge(0.25) },
        "lt": { x in try x[0].lt(x[1]) }, "lt_scalar": { x in try x[0].lt(0.25) },
        "le": { x in try x[0].le(x[1]) }, "le_scalar": { x in try x[0].le(0.25) },
        // reductions
        "sum_dims": { x in try x[0].sum(dims: [0, 2], keepDim: true) },
        "mean_dims": { x in try x[0].mean(dims: [1]) },
        "max_all": { x in try x[0].max() },
        "min_all": { x in try x[0].min() },
        "max_dim": { x in try x[0].max(dim: 1).values },
        "max_dim_indices": { x in try x[0].max(dim: 1, keepDim: true).indices },
        "min_dim": { x in try x[0].min(dim: -1, keepDim: true).values },
        "min_dim_indices": { x in try x[0].min(dim: -1).indices },
        "argmax": { x in try x[0].argmax(dim: 2) },
        "argmax_keepdim": { x in try x[0].argmax(dim: 0, keepDim: true) },
        "topk": { x in try x[0].topk(4).values },
        "topk_indices": { x in try x[0].topk(4).indices },
        "topk_smallest": { x in try x[0].topk(2, dim: 0, largest: false).values },
        "topk_smallest_indices": { x in try x[0].topk(2, dim: 0, largest: false).indices },
        // neural-network functions
        "conv2d_depthwise": { x in
            try x[0].conv2d(weight: x[1], bias: x[2], stride: [2, 2], padding: [2, 2], dilation: [2, 2], groups: 3)
        },
        "batch_norm_train": { x in try trainBatchNorm(x) },
        "batch_norm_train_running_mean": { x in _ = try trainBatchNorm(x); return x[1] },
        "batch_norm_train_running_var": { x in _ = try trainBatchNorm(x); return x[2] },
        "batch_norm_eval": { x in
            try x[0].batchNorm(runningMean: x[1], runningVar: x[2], weight: x[3], bias: x[4], training: false)
        },
        "max_pool2d": { x in try x[0].maxPool2d(kernelSize: [2, 2]) },
        "max_pool2d_ceil": { x in try x[0].maxPool2d(kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true) },
        "max_pool2d_dilation": { x in
            try x[0].maxPool2d(kernelSize: [2, 3], stride: [1, 2], padding: [1, 0], dilation: [2, 1])
        },
        "avg_pool2d": { x in try x[0].avgPool2d(kernelSize: [2, 2]) },
        "avg_pool2d_ceil_nopad": { x in
            try x[0].avgPool2d(kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true, countIncludePad: false)
        },
        "avg_pool2d_pad": { x in try x[0].avgPool2d(kernelSize: [3, 3], stride: [2, 2], padding: [1, 1]) },
        "adaptive_avg_pool2d": { x in try x[0].adaptiveAvgPool2d([3, 4]) },
        "interpolate_bilinear_default": { x in try x[0].interpolate(size: [8, 3], mode: .bilinear) },
        // losses
        "cross_entropy": { x in try crossEntropy(x[0], x[1]) },
        "mse": { x in try mseLoss(x[0], x[1]) },
        "cosine_similarity": { x in try cosineSimilarity(x[0], x[1]) },
        "cosine_similarity_dim0": { x in try cosineSimilarity(x[0], x[1], dim: 0, eps: 1e-6) },
    ]
    let modes: [(String, InterpolationMode, Bool?)] = [
        ("nearest", .nearest, nil), ("bilinear_align0", .bilinear, false), ("bilinear_align1", .bilinear, true),
        ("bicubic_align0", .bicubic, false), ("bicubic_align1", .bicubic, true),
    ]
    for (tag, mode, align) in modes {
        c["interpolate_\(tag)_up"] = { x in try x[0].interpolate(size: [11, 9], mode: mode, alignCorners: align) }
        c["interpolate_\(tag)_down"] = { x in try x[0].interpolate(size: [5, 4], mode: mode, alignCorners: align) }
    }
    return c
}()

private func trainBatchNorm(_ x: [Tensor]) throws -> Tensor {
    try x[0].batchNorm(runningMean: x[1], runningVar: x[2], weight: x[3], bias: x[4], training: true,
                       momentum: 0.2, eps: 1e-4)
}

/// `name input-count grad-mask` lines of the script's manifest.
private func manifest() throws -> [String: (inputs: Int, differentiable: [Bool])] {
    let dir = try tensorOpsReference.get()
    let text = try String(contentsOf: dir.appendingPathComponent("manifest.txt"), encoding: .utf8)
    var entries: [String: (Int, [Bool])] = [:]
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count == 3, let count = Int(fields[1]) else { throw TorchError("bad manifest line: \(line)") }
        entries[fields[0]] = (count, fields[2] == "-" ? [] : fields[2].map { $0 == "1" })
    }
    return entries
}

/// Integer and bool results must match exactly and in type; floats within the tolerance.
private func exactDType(_ kind: NPYArray.Kind) -> DType? {
    switch kind {
    case .bool: return .bool
    case .int64: return .int64
    case .uint8: return .uint8
    default: return nil
    }
}

@Suite("Tensor operations against PyTorch", .serialized)
struct TensorOpsParityTests {
    init() { configureTestRuntime }

    @Test func everyReferenceCaseHasAnImplementation() throws {
        let names = Set(try manifest().keys)
        #expect(names.count > 80)
        #expect(names.subtracting(tensorOpsCases.keys).sorted() == [], "cases without a Swift implementation")
        #expect(Set(tensorOpsCases.keys).subtracting(names).sorted() == [], "Swift cases the script lacks")
    }

    @Test(arguments: tensorOpsCases.keys.sorted())
    func forwardAndGradientsMatch(_ name: String) throws {
        let dir = try tensorOpsReference.get()
        let entries = try manifest()
        let entry = try #require(entries[name])
        let inputs = try (0..<entry.inputs).map { i -> Tensor in
            let t = try Reference.tensor(dir, "\(name)_in\(i)")
            return entry.differentiable[i] ? try t.requiringGrad() : t
        }
        let compute = try #require(tensorOpsCases[name])
        let y = try compute(inputs)
        let expected = try Reference.load(dir, "\(name)_y")
        #expect(y.shape == expected.shape, "\(name): output shape")
        if let exactType = exactDType(expected.kind) {
            let values = try y.doubles()
            #expect(y.dtype == exactType, "\(name): dtype \(y.dtype)")
            #expect(values == expected.doubles(), "\(name): values")
        } else {
            let error = try relativeError(y, expected)
            #expect(error < parityTolerance, "\(name): forward relative error \(error)")
        }
        guard entry.differentiable.contains(true) else { return }
        try y.backward(try Reference.tensor(dir, "\(name)_g"))
        for (i, input) in inputs.enumerated() where entry.differentiable[i] {
            let grad = try #require(input.grad, "\(name): input \(i) has no gradient")
            let error = try relativeError(grad, Reference.load(dir, "\(name)_grad\(i)"))
            #expect(error < parityTolerance, "\(name): gradient \(i) relative error \(error)")
        }
    }
}
