import CTorchBridge

/// Extremes, argmax and top-k (sum and mean are in Tensor+Arithmetic.swift).
extension Tensor {
    /// Largest element (a 0-dimensional tensor).
    public func max() throws -> Tensor { try check(tb.maxAll(handle)) }
    /// Smallest element (a 0-dimensional tensor).
    public func min() throws -> Tensor { try check(tb.minAll(handle)) }

    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try check(tb.maxDim(handle, Int64(dim), keepDim))
    }

    public func min(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try check(tb.minDim(handle, Int64(dim), keepDim))
    }

    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try check(tb.argmax(handle, Int64(dim), keepDim))
    }

    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true,
                     sorted: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        try check(tb.topk(handle, Int64(k), Int64(dim), largest, sorted))
    }
}
