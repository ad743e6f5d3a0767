import CTorchBridge

/// Shapes, views and indexing. Negative dims count from the end, as in PyTorch.
extension Tensor {
    public func reshape(_ shape: [Int]) throws -> Tensor { try check(tb.reshape(handle, int64Vector(shape))) }
    /// A view sharing storage; fails where the strides do not allow one (use `reshape`).
    public func view(_ shape: [Int]) throws -> Tensor { try check(tb.view(handle, int64Vector(shape))) }
    public func permute(_ dims: [Int]) throws -> Tensor { try check(tb.permute(handle, int64Vector(dims))) }
    public func transpose(_ a: Int, _ b: Int) throws -> Tensor {
        try check(tb.transpose(handle, Int64(a), Int64(b)))
    }
    public func contiguous() throws -> Tensor { try check(tb.contiguous(handle)) }
    /// The same 4-D tensor laid out channels-last (NHWC in memory; shape and values unchanged), the
    /// layout in which oneDNN's CPU convolutions run fastest. Readers of raw data see NCHW order still.
    public func channelsLast() throws -> Tensor { try check(tb.contiguousChannelsLast(handle)) }
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        try check(tb.flatten(handle, Int64(startDim), Int64(endDim)))
    }
    public func unsqueeze(_ dim: Int) throws -> Tensor { try check(tb.unsqueeze(handle, Int64(dim))) }
    /// Removes `dim` when its size is 1 (otherwise returns the same shape, as PyTorch).
    public func squeeze(dim: Int) throws -> Tensor { try check(tb.squeeze(handle, Int64(dim))) }
    /// Broadcasts size-1 dims to `shape` without copying; -1 keeps a dim.
    public func expand(_ shape: [Int]) throws -> Tensor { try check(tb.expand(handle, int64Vector(shape))) }

    /// Python's `t[start:end:step]` along `dim`: end exclusive, negative bounds count from the end,
    /// out-of-range bounds are clamped.
    public func slice(dim: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        try check(tb.slice(handle, Int64(dim), Int64(start), Int64(end), Int64(step)))
    }

    /// The entries at int64 `index` along `dim`.
    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
        try check(tb.indexSelect(handle, Int64(dim), index.handle))
    }

    /// torch.gather: out[i][j] = self[index[i][j]][j] for dim 0, and so on.
    public func gather(dim: Int, index: Tensor) throws -> Tensor {
        try check(tb.gather(handle, Int64(dim), index.handle))
    }

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try check(tb.cat(tensorVector(tensors), Int64(dim)))
    }

    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try check(tb.stack(tensorVector(tensors), Int64(dim)))
    }
}
