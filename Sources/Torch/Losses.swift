import CTorchBridge

/// Cross-entropy of [N, C] logits against int64 class indices [N], averaged over the batch.
public func crossEntropy(_ logits: Tensor, _ target: Tensor) throws -> Tensor {
    try check(tb.crossEntropy(logits.handle, target.handle))
}

/// Mean squared error over all elements.
public func mseLoss(_ input: Tensor, _ target: Tensor) throws -> Tensor {
    try check(tb.mseLoss(input.handle, target.handle))
}

/// torch.nn.functional.cosine_similarity along `dim`.
public func cosineSimilarity(_ a: Tensor, _ b: Tensor, dim: Int = 1, eps: Double = 1e-8) throws -> Tensor {
    try check(tb.cosineSimilarity(a.handle, b.handle, Int64(dim), eps))
}
