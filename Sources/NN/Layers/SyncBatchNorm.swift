import Torch

/// Sync-BN (torch.nn.SyncBatchNorm's semantics): in training, BatchNorm2d normalizes with the
/// statistics of the batch of every rank together. Plain BatchNorm math over sums that the process
/// group adds up with a differentiable all-reduce, so backward is exact (the sums' gradients are
/// summed over ranks too) and BAS's background pass, which normalizes with batch statistics,
/// synchronizes as well. Two passes (mean, then centred squares) keep float32 close to libtorch's own
/// batch norm.
extension BatchNorm2d {
    /// Normalizes `x` [N, C, H, W] with the world's batch statistics; updates the running statistics
    /// (unbiased variance, as PyTorch) when `updateRunning`.
    func synchronizedForward(_ x: Tensor, group: ProcessGroup, weight w: Tensor, bias b: Tensor,
                             updateRunning: Bool) throws -> Tensor {
        let channels = x.shape[1]
        let local = Double(x.shape[0] * x.shape[2] * x.shape[3])
        // The count travels with the sums: ranks may hold batches of different sizes.
        let localCount = try Tensor([Float(local)], shape: [1]).to(device: x.device)
        let sums = try group.differentiableSum(Tensor.cat([x.sum(dims: [0, 2, 3]), localCount]))
        let count = try sums.slice(dim: 0, start: channels, end: channels + 1)
        let mean = try sums.slice(dim: 0, start: 0, end: channels) / count
        let centred = try x - mean.view([1, channels, 1, 1])
        let squares = try group.differentiableSum((centred * centred).sum(dims: [0, 2, 3]))
        let variance = try squares / count
        let inverse = try 1.0 / (variance + eps).sqrt()
        if updateRunning {
            let n = try count.item()
            try withNoGrad {
                let unbiased = try variance.detach() * (n / Swift.max(n - 1, 1))
                _ = try runningMean.copy_(runningMean * (1 - momentum) + mean.detach() * momentum)
                _ = try runningVar.copy_(runningVar * (1 - momentum) + unbiased * momentum)
            }
        }
        let scale = try (inverse * w).view([1, channels, 1, 1])
        return try centred * scale + b.view([1, channels, 1, 1])
    }
}
