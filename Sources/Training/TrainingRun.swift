import Datasets
import Foundation
import Models
import RunStore
import Torch
import WeightsIO
import WSOL

/// One training run, ready to `fit()`: its options, the held-out split, the task (a WSOL model or a
/// classifier), the run folder with its config.json, and where training starts. `wsol train` parses
/// and resolves options, then makes one of the two calls below.
public struct TrainingRun {
    public let options: TrainOptions
    public let trainer: Trainer
    public let train: Dataset
    public let validation: Dataset
    public let start: TrainingState

    /// A new run in `out` from resolved `options`: the task built and seeded, `options.weights` loaded
    /// (an ImageNet-style file or a checkpoint of ours, reported on stdout), the folder created (`force`:
    /// over another run) and its config written. Only rank 0 writes.
    public static func start(_ resolved: TrainOptions, data: Dataset, out: String, force: Bool,
                             distributed: DistributedTraining?, syncBN: Bool) throws -> TrainingRun {
        var options = resolved
        if let distributed, options.device == "cuda" {
            options.device = "cuda:\(distributed.world.localRank)"
        }
        let (train, validation) = HeldOutSplit.split(data, perClass: options.valPerClass, seed: options.seed)
        TorchRuntime.manualSeed(options.seed)
        let task = try makeTask(&options, classNames: data.classNames)
        if let weights = options.weights { try loadInitialWeights(weights, into: task) }
        let isMain = distributed?.isMain ?? true
        let run = isMain ? try RunFolder(creating: out, force: force) : RunFolder(unwritten: out)
        if isMain { try writeConfig(run, options, train, validation, distributed, syncBN: syncBN) }
        let trainer = try Trainer(options: options, task: task, train: train, validation: validation,
                                  run: run, distributed: distributed)
        return TrainingRun(options: options, trainer: trainer, train: train, validation: validation,
                           start: TrainingState())
    }

    /// The run in `out`, continued from its last checkpoint with its own options, which `adjust` may
    /// change where a resume allows it (more epochs, the batch on another world size) or refuse; it
    /// gets the run's config.json. Rank 0 reads the folder and restores; `fit()` hands its state to the
    /// other ranks.
    public static func resume(_ out: String, data: Dataset, distributed: DistributedTraining?, syncBN: Bool,
                              adjust: (inout TrainOptions, _ config: RunConfig) throws -> Void) throws
        -> TrainingRun {
        let isMain = distributed?.isMain ?? true
        let run = isMain ? try RunFolder(resuming: out) : RunFolder(unwritten: out)
        // Only rank 0 reads the run folder (other machines need not see it): the others get its config.
        let config = try distributed.map { d in
            try run.readConfig(from: d.broadcast(bytes: isMain ? run.configBytes() : []))
        } ?? run.readConfig()
        var options = config.options
        try adjust(&options, config)
        // Sync-BN stays on for the run's later multi-process parts (a single process records it too).
        let recordedSyncBN = config.distributed?.syncBN == true
        distributed?.syncBatchNorm = syncBN || recordedSyncBN
        if let distributed, options.device.hasPrefix("cuda") {
            options.device = "cuda:\(distributed.world.localRank)"
        }
        let (train, validation) = HeldOutSplit.split(data, perClass: options.valPerClass, seed: options.seed)
        let fingerprint = config.data?.trainFingerprint
        guard !isMain || fingerprint == HeldOutSplit.fingerprint(train)
                || fingerprint == HeldOutSplit.typedPathFingerprint(train) else {
            throw TrainingError("\(run.configPath): the dataset's training images differ from those the run "
                                + "started with", exitCode: 2)
        }
        let task = try makeTask(&options, classNames: data.classNames)
        if isMain {
            try writeConfig(run, options, train, validation, distributed, syncBN: syncBN || recordedSyncBN)
        }
        let trainer = try Trainer(options: options, task: task, train: train, validation: validation,
                                  run: run, distributed: distributed)
        guard isMain else {
            return TrainingRun(options: options, trainer: trainer, train: train, validation: validation,
                               start: TrainingState())
        }
        let state = try trainer.restore("last")
        print("train: resuming \(out) at epoch \(state.epoch + 1), batch \(state.batch + 1) "
            + "(step \(state.step))")
        return TrainingRun(options: options, trainer: trainer, train: train, validation: validation,
                           start: state)
    }

    /// The per-process batch of a resumed run: `asked` (--batch-size) when given, else the recorded global
    /// batch shared by the new world size (the same steps as before), else the recorded per-process batch.
    public static func resumedBatchSize(_ asked: Int?, recorded config: RunConfig, options: TrainOptions,
                                        worldSize: Int) throws -> Int {
        if let asked { return asked }
        guard let global = config.distributed?.globalBatchSize,
              global != options.batchSize * worldSize else {
            return options.batchSize
        }
        guard global % worldSize == 0, global / worldSize >= 2 else {
            throw TrainingError("--resume on \(worldSize) processes: the run's global batch \(global) does "
                + "not split into equal batches of at least 2; pass --batch-size (per process)", exitCode: 2)
        }
        print("train: \(worldSize) process(es) x batch \(global / worldSize) keep the run's global batch "
            + "\(global)")
        return global / worldSize
    }

    /// The task `options` name, after checking that one step fits in memory.
    static func makeTask(_ options: inout TrainOptions, classNames: [String]) throws -> TrainingTask {
        // A classifier is estimated as CAM without the WSOL head (its activations are smaller).
        let spec = options.spec ?? ModelSpec(architecture: options.architecture, numClasses: classNames.count,
                                             headWidth: 0, imageSize: options.imageSize)
        let method = options.method ?? MethodOptions(method: .cam, architecture: options.architecture)
        try MemoryEstimate(spec: spec, options: method, batch: options.batchSize, training: true)
            .check(what: "train: a step of batch \(options.batchSize) at \(options.imageSize) px")
        if options.task == .classify {
            let task = try ClassifierTask(architecture: options.architecture, numClasses: classNames.count,
                                          classNames: classNames, imageSize: options.imageSize)
            if options.device != "cpu" { try task.network.to(device: options.device) }
            return task
        }
        let model = try WSOLModel(options.spec!, options.method!)
        if options.device != "cpu" { try model.to(device: options.device) }
        return WSOLTask(model: model, classNames: classNames, dataset: options.dataset)
    }

    /// Initial weights: for a WSOL model any file `WeightSources` reads (a warm start initializes the
    /// layers the file lacks), for a classifier an ImageNet-style file (its head kept where it differs).
    static func loadInitialWeights(_ path: String, into task: TrainingTask) throws {
        if let wsol = task as? WSOLTask {
            let report = try WeightSources.load(path, into: wsol.model, warmStart: true)
            func listed(_ keys: [String]) -> String {
                keys.isEmpty
                    ? "" : " (\(keys.prefix(3).joined(separator: ", "))\(keys.count > 3 ? ", ..." : ""))"
            }
            print("weights: \(path) as \(report.kind.rawValue): skipped \(report.report.skipped.count) keys"
                + "\(listed(report.report.skipped)), \(report.newLayers.count) new-layer tensors initialized"
                + listed(report.newLayers))
            for note in report.notes { print("weights: \(note)") }
        } else if let classifier = task as? ClassifierTask {
            let report = try classifier.network.load(WeightsFile.load(path), from: path, strict: true,
                                                     skipping: WeightSources.isImageNetHead)
            print("weights: \(path): \(report.skipped.count) head keys of another shape "
                + "kept at initialization")
        }
    }

    static func writeConfig(_ run: RunFolder, _ options: TrainOptions, _ train: Dataset,
                            _ validation: Dataset, _ distributed: DistributedTraining?, syncBN: Bool) throws {
        try run.writeConfig(RunConfig(
            options: options,
            distributed: distributed?.record(batchSize: options.batchSize)
                ?? DistributedRecord(worldSize: 1, batchSizePerProcess: options.batchSize, syncBN: syncBN),
            environment: RunRecord.environment(threads: TorchRuntime.numThreads),
            data: RunRecord.data(train: train, validation: validation, reducedDecoding: true),
            datasetArguments: CommandLine.arguments.dropFirst().map { $0 }))
    }
}
