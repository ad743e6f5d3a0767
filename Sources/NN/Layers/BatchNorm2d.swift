import Torch

/// torch.nn.BatchNorm2d with affine parameters and running statistics (`running_mean`,
/// `running_var`, `num_batches_tracked`), updated in training mode with `momentum`.
public final class BatchNorm2d: Module, UnaryLayer {
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor
    public let numBatchesTracked: Tensor
    public let eps: Double
    public let momentum: Double
    /// Set for sync-BN: training-mode statistics come from every rank's batch (SyncBatchNorm.swift).
    public var syncGroup: ProcessGroup?

    public init(_ features: Int, eps: Double = 1e-5, momentum: Double = 0.1) throws {
        self.eps = eps
        self.momentum = momentum
        weight = try Tensor.ones([features])
        bias = try Tensor.zeros([features])
        runningMean = try Tensor.zeros([features])
        runningVar = try Tensor.ones([features])
        numBatchesTracked = try Tensor.zeros([], dtype: .int64)
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", bias)
        registerBuffer("running_mean", runningMean)
        registerBuffer("running_var", runningVar)
        registerBuffer("num_batches_tracked", numBatchesTracked)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch detachedPass {
        case .batchStatistics? where syncGroup != nil:
            return try synchronizedForward(x, group: syncGroup!, weight: forForward(weight),
                                           bias: forForward(bias), updateRunning: false)
        case .batchStatistics?:
            // No running statistics given: batch statistics, nothing updated.
            return try x.batchNorm(
                runningMean: nil, runningVar: nil, weight: forForward(weight), bias: forForward(bias),
                training: true, momentum: momentum, eps: eps)
        case .runningStatistics?:
            return try x.batchNorm(
                runningMean: runningMean, runningVar: runningVar, weight: forForward(weight),
                bias: forForward(bias), training: false, momentum: momentum, eps: eps)
        case nil where isTraining && syncGroup != nil:
            try numBatchesTracked.add_(1)
            return try synchronizedForward(x, group: syncGroup!, weight: weight, bias: bias,
                                           updateRunning: true)
        case nil:
            if isTraining { try numBatchesTracked.add_(1) }
            return try x.batchNorm(
                runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                training: isTraining, momentum: momentum, eps: eps)
        }
    }
}
