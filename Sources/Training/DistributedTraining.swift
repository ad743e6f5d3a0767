import Datasets
import Foundation
import NN
import RunStore
import Torch

/// Training on several processes (docs/DISTRIBUTED.md): what the trainer asks of the process group.
/// Rank 0's model, optimizer state and position are broadcast at the start (so only rank 0 needs
/// the run folder), every step agrees on a pending stop signal and on the loss values, gradients are
/// averaged by a `GradientAverager`, and validation is sharded and its metrics weighted by counts.
public final class DistributedTraining {
    public let world: DistributedWorld
    public let group: ProcessGroup
    public let backend: String
    /// Set before the trainer is made (a resumed run keeps the sync-BN it was started with).
    public var syncBatchNorm: Bool
    public let timeout: Double

    public init(world: DistributedWorld, backend: String, syncBatchNorm: Bool, timeout: Double) throws {
        self.world = world
        self.backend = backend
        self.syncBatchNorm = syncBatchNorm
        self.timeout = timeout
        group = try ProcessGroup(backend: backend, masterAddress: world.masterAddress,
                                 masterPort: world.masterPort, rank: world.rank, size: world.size,
                                 timeout: timeout, storePrefix: world.storePrefix)
    }

    public var isMain: Bool { world.isMain }
    public var shard: Shard { Shard(rank: world.rank, worldSize: world.size) }

    /// What config.json records under `distributed`.
    public func record(batchSize: Int) -> DistributedRecord {
        DistributedRecord(worldSize: world.size, batchSizePerProcess: batchSize, backend: backend,
                          syncBN: syncBatchNorm, timeoutSeconds: timeout)
    }

    /// Sync-BN: every BatchNorm2d of `module` normalizes with the world's batch statistics.
    public func attach(to module: Module) {
        guard syncBatchNorm else { return }
        for (_, child) in module.namedModules() { (child as? BatchNorm2d)?.syncGroup = group }
    }

    /// Gives every rank rank 0's bytes (a config, say); `bytes` is read on rank 0 only.
    public func broadcast(bytes: [UInt8]) throws -> [UInt8] {
        let length = try Tensor([isMain ? bytes.count : 0], shape: [1])
        try group.broadcastFromRankZero([length], "broadcast of the run's configuration")
        let count = try length.ints()[0]
        guard (0...(64 << 20)).contains(count) else {
            throw TrainingError("rank 0 sent a configuration of \(count) bytes")
        }
        let data = try isMain ? Tensor(bytes, shape: [count]) : Tensor.zeros([count], dtype: .uint8)
        try group.broadcastFromRankZero([data], "broadcast of the run's configuration")
        return try data.bytes()
    }

    /// Rank 0's weights, buffers, momentum buffers and position everywhere.
    func synchronize(_ module: Module, _ groups: ParameterGroups, _ optimizer: SGD,
                     _ state: inout TrainingState) throws {
        try group.broadcastFromRankZero(module.stateDict().map(\.tensor),
                                        "broadcast of parameters and buffers")
        let parameters = groups.groups.flatMap(\.parameters).map(\.tensor)
        let saved = try optimizer.state().flatMap { $0 }
        let mask = try Tensor(saved.map { $0 == nil ? 0 : 1 }, shape: [saved.count])
        try group.broadcastFromRankZero([mask], "broadcast of the optimizer state")
        let present = try mask.ints().map { $0 == 1 }
        let buffers = try zip(parameters, zip(saved, present)).map { parameter, pair -> Tensor? in
            guard pair.1 else { return nil }
            return try isMain ? pair.0! : Tensor.zeros(parameter.shape).to(device: parameter.device)
        }
        try group.broadcastFromRankZero(buffers.compactMap { $0 }, "broadcast of the optimizer state")
        if !isMain {
            var offset = 0
            try optimizer.loadState(groups.groups.map { g in
                defer { offset += g.parameters.count }
                return Array(buffers[offset..<(offset + g.parameters.count)])
            })
        }
        let position = try Tensor([Double(state.epoch), Double(state.batch), Double(state.step)], shape: [3])
        try group.broadcastFromRankZero([position], "broadcast of the run's position")
        let values = try position.doubles().map { Int($0) }
        (state.epoch, state.batch, state.step) = (values[0], values[1], values[2])
    }

    /// True when any rank has a pending stop signal: every rank then stops before the same step.
    func anyStopping(_ stopping: Bool) throws -> Bool {
        let flag = try Tensor([stopping ? 1.0 : 0.0], shape: [1])
        try group.allReduceSum([flag], "allreduce of the stop flag")
        return try flag.item() > 0
    }

    /// The world's mean of each loss term and diagnostic (the same keys on every rank), in one
    /// reduction: every rank then takes the same decision on a non-finite loss and logs the same means.
    func mean(_ values: StepValues) throws -> StepValues {
        let lossKeys = values.losses.keys.sorted(), diagnosticKeys = values.diagnostics.keys.sorted()
        let packed = try Tensor(lossKeys.map { values.losses[$0]! }
                                    + diagnosticKeys.map { values.diagnostics[$0]! },
                                shape: [lossKeys.count + diagnosticKeys.count])
        try group.allReduceSum([packed], "allreduce of the step's losses")
        let means = try packed.doubles().map { $0 / Double(world.size) }
        return StepValues(losses: Dictionary(uniqueKeysWithValues: zip(lossKeys, means)),
                          diagnostics: Dictionary(
                              uniqueKeysWithValues: zip(diagnosticKeys, means.dropFirst(lossKeys.count))))
    }

    /// Validation on this rank's part of `data` (each sample once), metrics averaged over the world
    /// weighted by each part's size. A set smaller than the world is validated whole on every rank.
    func validate(_ task: TrainingTask, _ data: Dataset, batchSize: Int, workers: Int) throws
        -> ValidationResult {
        guard data.count >= world.size else {
            return try task.validate(data, batchSize: batchSize, workers: workers)
        }
        var part = data
        part.samples = shard.unpadded(of: data.samples)
        var result = try task.validate(part, batchSize: batchSize, workers: workers)
        let keys = result.metrics.keys.sorted()
        let count = Double(part.count)
        let packed = try Tensor([count] + keys.map { result.metrics[$0]! * count }, shape: [keys.count + 1])
        try group.allReduceSum([packed], "allreduce of validation metrics")
        let sums = try packed.doubles()
        for (i, key) in keys.enumerated() { result.metrics[key] = sums[i + 1] / max(sums[0], 1) }
        return result
    }
}
