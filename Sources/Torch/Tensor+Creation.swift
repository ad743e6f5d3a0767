import CTorchBridge

/// New tensors. Random ones are float32 and draw from the generator `TorchRuntime.manualSeed` seeds.
extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try check(tb.zeros(int64Vector(shape), dtype.bridged))
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try check(tb.ones(int64Vector(shape), dtype.bridged))
    }

    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32) throws -> Tensor {
        try check(tb.full(int64Vector(shape), value, dtype.bridged))
    }

    /// Uniform on [0, 1).
    public static func rand(_ shape: [Int]) throws -> Tensor { try check(tb.rand(int64Vector(shape))) }

    /// Standard normal.
    public static func randn(_ shape: [Int]) throws -> Tensor { try check(tb.randn(int64Vector(shape))) }

    /// [start, end) in steps of `step`, as torch.arange.
    public static func arange(start: Double = 0, end: Double, step: Double = 1,
                              dtype: DType = .float32) throws -> Tensor {
        try check(tb.arange(start, end, step, dtype.bridged))
    }

    /// A copy with its own storage (recorded by autograd, as torch.clone).
    public func clone() throws -> Tensor { try check(tb.clone(handle)) }
}
