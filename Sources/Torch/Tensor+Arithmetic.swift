import CTorchBridge

/// Broadcasting arithmetic with tensor and scalar operands. Operators throw libtorch's message on a
/// shape mismatch: `let y = try a * b + 1`.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        try check(tb.binary(.add, a.handle, b.handle))
    }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        try check(tb.binary(.sub, a.handle, b.handle))
    }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        try check(tb.binary(.mul, a.handle, b.handle))
    }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        try check(tb.binary(.div, a.handle, b.handle))
    }

    public static func + (a: Tensor, s: Double) throws -> Tensor {
        try check(tb.binaryScalar(.add, a.handle, s, false))
    }
    public static func - (a: Tensor, s: Double) throws -> Tensor {
        try check(tb.binaryScalar(.sub, a.handle, s, false))
    }
    public static func * (a: Tensor, s: Double) throws -> Tensor {
        try check(tb.binaryScalar(.mul, a.handle, s, false))
    }
    public static func / (a: Tensor, s: Double) throws -> Tensor {
        try check(tb.binaryScalar(.div, a.handle, s, false))
    }

    public static func + (s: Double, a: Tensor) throws -> Tensor {
        try check(tb.binaryScalar(.add, a.handle, s, true))
    }
    public static func - (s: Double, a: Tensor) throws -> Tensor {
        try check(tb.binaryScalar(.sub, a.handle, s, true))
    }
    public static func * (s: Double, a: Tensor) throws -> Tensor {
        try check(tb.binaryScalar(.mul, a.handle, s, true))
    }
    public static func / (s: Double, a: Tensor) throws -> Tensor {
        try check(tb.binaryScalar(.div, a.handle, s, true))
    }

    public static prefix func - (a: Tensor) throws -> Tensor { try check(tb.neg(a.handle)) }

    public func matmul(_ other: Tensor) throws -> Tensor { try check(tb.matmul(handle, other.handle)) }

    /// Sum of all elements (a 0-dimensional tensor).
    public func sum() throws -> Tensor { try check(tb.sumAll(handle)) }
    public func sum(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        try check(tb.sumDims(handle, int64Vector(dims), keepDim))
    }

    /// Mean of all elements (a 0-dimensional tensor).
    public func mean() throws -> Tensor { try check(tb.meanAll(handle)) }
    public func mean(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        try check(tb.meanDims(handle, int64Vector(dims), keepDim))
    }
}
