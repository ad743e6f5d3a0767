import CTorchBridge

extension Tensor {
    /// Accumulates gradients into the leaves. `gradient` may be omitted for a one-element tensor.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try check(tb.backward(handle, gradient?.handle ?? tb.TensorHandle(), retainGraph))
    }

    /// The accumulated gradient, nil before any backward pass reached this tensor.
    public var grad: Tensor? {
        let g = tb.gradOf(handle)
        return g.defined() ? Tensor(handle: g) : nil
    }

    /// The same data, cut from the autograd graph (a stop-gradient).
    public func detach() -> Tensor { Tensor(handle: tb.detach(handle)) }

    public var requiresGrad: Bool { tb.requiresGrad(handle) }

    /// Marks this tensor (shared by every copy) as a leaf that records gradients; returns it.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) throws -> Tensor {
        try check(tb.setRequiresGrad(handle, flag))
        return self
    }
}

extension Tensor {
    /// Drops the accumulated gradient (setToNone, PyTorch 2's default) or zeroes it in place.
    public func zeroGrad(setToNone: Bool = true) throws {
        try check(tb.zeroGrads(tensorVector([self]), setToNone))
    }
}

/// Runs `body` with gradient recording off on this thread (libtorch's grad mode is thread-local), as
/// `with torch.no_grad():`. The previous mode comes back when `body` returns or throws.
public func withNoGrad<T>(_ body: () throws -> T) rethrows -> T {
    let scope = tb.NoGradScope()
    // The bridge's guard restores the previous mode when destroyed; keep it alive through `body`,
    // whether that returns or throws.
    return try withExtendedLifetime(scope) { try body() }
}

extension TorchRuntime {
    /// Whether autograd records operations on this thread (false inside `withNoGrad`).
    public static var isGradEnabled: Bool { tb.isGradEnabled() }
}
