import CTorchBridge

extension Tensor {
    /// 2-D convolution of an [N, C, H, W] input, as torch.nn.functional.conv2d.
    public func conv2d(
        weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1, 1], padding: [Int] = [0, 0],
        dilation: [Int] = [1, 1], groups: Int = 1
    ) throws -> Tensor {
        try check(tb.conv2d(
            handle, weight.handle, bias?.handle ?? tb.TensorHandle(), int64Vector(stride),
            int64Vector(padding), int64Vector(dilation), Int64(groups)))
    }
}

/// How `interpolate` resamples, as torch.nn.functional.interpolate's mode.
public enum InterpolationMode: Sendable {
    case nearest, bilinear, bicubic

    var bridged: tb.InterpolationMode {
        switch self {
        case .nearest: return .nearest
        case .bilinear: return .bilinear
        case .bicubic: return .bicubic
        }
    }
}

/// Pooling, normalization and resampling of [N, C, H, W] inputs, as torch.nn.functional.
extension Tensor {
    /// torch.nn.functional.batch_norm. When training, normalizes with batch statistics and updates
    /// `runningMean`/`runningVar` in place (unbiased variance, weight `momentum`); otherwise uses them.
    public func batchNorm(
        runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?, bias: Tensor?, training: Bool,
        momentum: Double = 0.1, eps: Double = 1e-5
    ) throws -> Tensor {
        let none = tb.TensorHandle()
        return try check(tb.batchNorm(
            handle, runningMean?.handle ?? none, runningVar?.handle ?? none, weight?.handle ?? none,
            bias?.handle ?? none, training, momentum, eps))
    }

    /// `stride` defaults to the kernel size.
    public func maxPool2d(
        kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0, 0], dilation: [Int] = [1, 1],
        ceilMode: Bool = false
    ) throws -> Tensor {
        try check(tb.maxPool2d(
            handle, int64Vector(kernelSize), int64Vector(stride ?? []), int64Vector(padding),
            int64Vector(dilation), ceilMode))
    }

    /// `stride` defaults to the kernel size.
    public func avgPool2d(
        kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0, 0], ceilMode: Bool = false,
        countIncludePad: Bool = true
    ) throws -> Tensor {
        try check(tb.avgPool2d(
            handle, int64Vector(kernelSize), int64Vector(stride ?? []), int64Vector(padding), ceilMode,
            countIncludePad))
    }

    public func adaptiveAvgPool2d(_ outputSize: [Int]) throws -> Tensor {
        try check(tb.adaptiveAvgPool2d(handle, int64Vector(outputSize)))
    }

    /// Resizes to `size` = [H, W]. `alignCorners` nil is PyTorch's None (false for bilinear and
    /// bicubic); nearest accepts only nil.
    public func interpolate(size: [Int], mode: InterpolationMode,
                            alignCorners: Bool? = nil) throws -> Tensor {
        let align: Int32 = alignCorners.map { $0 ? 1 : 0 } ?? -1
        return try check(tb.interpolate(handle, int64Vector(size), mode.bridged, align))
    }
}
