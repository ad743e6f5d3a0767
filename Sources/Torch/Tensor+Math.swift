import CTorchBridge

/// Elementwise math, comparisons (bool results) and activations.
extension Tensor {
    public func exp() throws -> Tensor { try check(tb.unary(.exp, handle)) }
    public func log() throws -> Tensor { try check(tb.unary(.log, handle)) }
    public func sqrt() throws -> Tensor { try check(tb.unary(.sqrt, handle)) }
    public func abs() throws -> Tensor { try check(tb.unary(.abs, handle)) }
    public func relu() throws -> Tensor { try check(tb.unary(.relu, handle)) }
    public func sigmoid() throws -> Tensor { try check(tb.unary(.sigmoid, handle)) }
    public func pow(_ exponent: Double) throws -> Tensor { try check(tb.pow(handle, exponent)) }

    public func eq(_ other: Tensor) throws -> Tensor { try check(tb.compare(.eq, handle, other.handle)) }
    public func ne(_ other: Tensor) throws -> Tensor { try check(tb.compare(.ne, handle, other.handle)) }
    public func gt(_ other: Tensor) throws -> Tensor { try check(tb.compare(.gt, handle, other.handle)) }
    public func ge(_ other: Tensor) throws -> Tensor { try check(tb.compare(.ge, handle, other.handle)) }
    public func lt(_ other: Tensor) throws -> Tensor { try check(tb.compare(.lt, handle, other.handle)) }
    public func le(_ other: Tensor) throws -> Tensor { try check(tb.compare(.le, handle, other.handle)) }

    public func eq(_ scalar: Double) throws -> Tensor { try check(tb.compareScalar(.eq, handle, scalar)) }
    public func ne(_ scalar: Double) throws -> Tensor { try check(tb.compareScalar(.ne, handle, scalar)) }
    public func gt(_ scalar: Double) throws -> Tensor { try check(tb.compareScalar(.gt, handle, scalar)) }
    public func ge(_ scalar: Double) throws -> Tensor { try check(tb.compareScalar(.ge, handle, scalar)) }
    public func lt(_ scalar: Double) throws -> Tensor { try check(tb.compareScalar(.lt, handle, scalar)) }
    public func le(_ scalar: Double) throws -> Tensor { try check(tb.compareScalar(.le, handle, scalar)) }

    /// Elementwise `condition ? a : b`, broadcasting all three.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        try check(tb.whereCondition(condition.handle, a.handle, b.handle))
    }

    /// Clamps to [min, max]; at least one bound must be given.
    public func clamp(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try check(tb.clamp(handle, min != nil, min ?? 0, max != nil, max ?? 0))
    }

    public func softmax(dim: Int) throws -> Tensor { try check(tb.softmax(handle, Int64(dim))) }
    public func logSoftmax(dim: Int) throws -> Tensor { try check(tb.logSoftmax(handle, Int64(dim))) }

    /// Zeroes each element with probability p and scales the rest by 1/(1-p) when training; identity
    /// otherwise.
    public func dropout(p: Double, training: Bool) throws -> Tensor {
        try check(tb.dropout(handle, p, training))
    }

    /// self @ weight^T + bias, as torch.nn.functional.linear.
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        try check(tb.linear(handle, weight.handle, bias?.handle ?? tb.TensorHandle()))
    }
}
