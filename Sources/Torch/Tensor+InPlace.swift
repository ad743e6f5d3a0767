import CTorchBridge

/// In-place writes for initialization, weight loading and buffers. Autograd never records them, so
/// they also apply to parameters that require gradients. Each returns `self` for chaining.
extension Tensor {
    /// Copies `source` (broadcast and converted to this tensor's dtype) into this tensor.
    @discardableResult
    public func copy_(_ source: Tensor) throws -> Tensor {
        try check(tb.copyInto(handle, source.handle))
        return self
    }

    @discardableResult
    public func fill_(_ value: Double) throws -> Tensor { try inPlace(.fill, value) }

    @discardableResult
    public func zero_() throws -> Tensor { try inPlace(.fill, 0) }

    @discardableResult
    public func add_(_ scalar: Double) throws -> Tensor { try inPlace(.add, scalar) }

    @discardableResult
    public func mul_(_ scalar: Double) throws -> Tensor { try inPlace(.mul, scalar) }

    @discardableResult
    public func normal_(mean: Double = 0, std: Double = 1) throws -> Tensor {
        try inPlace(.normal, mean, std)
    }

    /// Uniform on [low, high).
    @discardableResult
    public func uniform_(low: Double, high: Double) throws -> Tensor { try inPlace(.uniform, low, high) }

    /// Re-points this tensor at `data`'s storage, dtype and device while keeping its identity (PyTorch's
    /// `t.data = data`), so every copy of this `Tensor`, which shares the tensor, sees the change.
    public func setData(_ data: Tensor) throws { try check(tb.setData(handle, data.handle)) }

    private func inPlace(_ op: tb.InPlaceOp, _ a: Double, _ b: Double = 0) throws -> Tensor {
        try check(tb.applyInPlace(op, handle, a, b))
        return self
    }
}
