import Datasets
import Foundation
import Inference
import NN
import RunStore
import TensorBoard
import Torch
import WeightsIO
import WSOL

/// The training loop (METHOD.md section 3): SGD Nesterov over the named parameter groups, the
/// learning-rate schedule by step, the method's loss, a checkpoint at the end of every epoch (and at a
/// stop signal), held-out validation and model selection, log.jsonl and TensorBoard.
///
/// Determinism: batches come from (seed, epoch, sample) whatever the thread timing, and libtorch's
/// generator is reseeded from (seed, step) before every step, so a resumed run takes the same steps as
/// one that never stopped.
public final class Trainer {
    public let options: TrainOptions
    let task: TrainingTask
    let train: Dataset
    let validation: Dataset
    let run: RunFolder
    let groups: ParameterGroups
    let optimizer: SGD
    let loader: DataLoader
    let schedule: LearningRate
    let events: SummaryWriter?
    /// Set when several processes train together (DistributedTraining.swift); nil for one.
    let distributed: DistributedTraining?
    let averager: GradientAverager?
    /// Only rank 0 writes the run folder, logs, TensorBoard and the terminal's lines.
    var isMain: Bool { distributed?.isMain ?? true }
    /// Called after every epoch with the validation examples (TensorBoard images); may be nil.
    public var renderExample: ((String, Tensor) throws -> (png: [UInt8], height: Int, width: Int))?
    private var cachedFixedBatch: (images: Tensor, labels: Tensor)?

    public init(options: TrainOptions, task: TrainingTask, train: Dataset, validation: Dataset,
                run: RunFolder, tensorboard: Bool = true, distributed: DistributedTraining? = nil) throws {
        self.options = options
        self.task = task
        self.train = train
        self.validation = validation
        self.run = run
        self.distributed = distributed
        distributed?.attach(to: task.module)
        groups = ParameterGroups(task.module, newLayerPrefixes: task.newLayerPrefixes,
                                 generatorPrefixes: task.generatorPrefixes,
                                 generatorScale: options.generatorLRScale ?? 1,
                                 uniform: task.uniformLearningRates)
        optimizer = try groups.optimizer(lr: options.lr, momentum: options.momentum,
                                         weightDecay: options.weightDecay)
        var loaderOptions = DataLoader.Options()
        loaderOptions.batchSize = options.batchSize
        loaderOptions.shuffle = true
        loaderOptions.seed = options.seed
        loaderOptions.workers = options.workers
        loaderOptions.shard = distributed?.shard
        // BatchNorm cannot train on a batch of one: drop an incomplete last batch when there is a full one
        // (per rank: every rank holds as many samples, so all step equally often).
        let perRank = distributed?.shard.count(of: train.count) ?? train.count
        loaderOptions.dropLast = perRank >= options.batchSize
        loader = DataLoader(dataset: train, transform: ImageTransform(.train, imageSize: options.imageSize),
                            options: loaderOptions)
        guard loader.batchesPerEpoch > 0 else {
            throw TrainingError("the training split is empty", exitCode: 2)
        }
        schedule = LearningRate(options, stepsPerEpoch: loader.batchesPerEpoch)
        let parameters = groups.groups.flatMap(\.parameters).map(\.tensor)
        averager = try distributed.map { try GradientAverager(parameters, group: $0.group) }
        let writes = tensorboard && (distributed?.isMain ?? true)
        events = writes ? try SummaryWriter(logDirectory: run.tensorboardFolder) : nil
    }

    /// Restores a checkpoint written by this trainer: weights, momentum buffers and the state.
    public func restore(_ name: String) throws -> TrainingState {
        let path = run.checkpoint(name)
        // A save killed halfway is finished or dropped first, so the three files agree.
        try CheckpointSet(folder: run.checkpointsFolder, name: name).recover()
        let sidecarPath = Checkpoint.sidecarPath(for: path)
        guard let training = try Checkpoint.sidecar(for: path)?.training else {
            throw TrainingError("\(sidecarPath): no readable checkpoint sidecar to resume from", exitCode: 2)
        }
        var state: TrainingState
        do { state = try TrainingState(json: training) } catch let error as TrainingError {
            throw TrainingError("\(sidecarPath): \(error.message)", exitCode: 2)
        }
        // Lines a killed run logged after this checkpoint would be logged again: they go.
        if isMain { try run.dropLogLines(afterStep: state.step) }
        // A run resumed with another world size or batch continues from the first global batch not fully
        // trained (the epoch's order does not depend on the world size).
        if let samples = state.epochSamples { state.batch = samples / globalBatchSize }
        try task.restore(from: path)
        let buffers = try WeightsFile.load(statePath(path))
        guard buffers.metadata["step"] == String(state.step) else {
            throw TrainingError("\(statePath(path)): optimizer state is from another step than \(path)",
                                exitCode: 2)
        }
        try groups.restore(Dictionary(uniqueKeysWithValues: buffers.tensors.map { ($0.key, $0.tensor) }),
                           into: optimizer)
        return state
    }

    func statePath(_ checkpoint: String) -> String {
        (checkpoint as NSString).deletingPathExtension + ".optimizer.safetensors"
    }

    /// Images per step over all processes.
    var globalBatchSize: Int { options.batchSize * (distributed?.world.size ?? 1) }

    /// Writes `name` (rank 0 only): weights, sidecar and optimizer state as one unit (CheckpointSet).
    func save(_ name: String, _ finished: TrainingState) throws {
        guard isMain else { return }
        // A finite loss can still leave non-finite weights behind it (the step after a huge update):
        // such a model is never written over the last good checkpoint.
        if let key = try task.module.firstNonFiniteTensor() {
            throw TrainingError("step \(finished.step) (epoch \(finished.epoch + 1)): \(key) is not finite; "
                + "\(name) "
                + "not saved, the last checkpoint (\(run.checkpoint("last"))) is the last good one")
        }
        var state = finished
        state.epochSamples = state.batch * globalBatchSize
        let set = CheckpointSet(folder: run.checkpointsFolder, name: name)
        try set.begin()
        var buffers = StateDict()
        for (key, tensor) in try groups.momentumBuffers(optimizer) {
            buffers.set(key, try tensor.to(device: "cpu"))
        }
        try WeightsFile.saveSafetensors(buffers, to: statePath(set.stagedWeights),
                                        metadata: ["step": String(state.step)])
        try task.save(to: set.stagedWeights, training: state.json)
        try set.commit()
    }

    /// Trains from `state` to the last epoch. Throws a TrainingError for a non-finite loss (exit 1, no
    /// checkpoint written for that step) and for a stop signal (after a checkpoint; exit 130 or 143).
    @discardableResult
    public func fit(from start: TrainingState = TrainingState(),
                    progress: Bool = true) throws -> TrainingState {
        var state = start
        if let distributed { try distributed.synchronize(task.module, groups, optimizer, &state) }
        task.module.train()
        // A loadable checkpoint from the start: a run that fails at its first steps still has one.
        if state.step == 0 { try save("last", state) }
        while state.epoch < options.epochs {
            let epochStart = Date()
            // A run resumed mid-epoch continues the epoch's sums, so its means cover the whole epoch.
            var sums = state.epochSums, count = state.epochSteps, images = 0
            let meter = progress && isMain
                ? ProgressReporter(label: "epoch \(state.epoch + 1)/\(options.epochs)",
                                   total: loader.batchesPerEpoch - state.batch, unit: "steps") : nil
            let iterator = loader.epoch(state.epoch, fromBatch: state.batch)
            var windowStart = Date(), windowImages = 0
            while let batch = try iterator.next() {
                // Several processes agree before the forward (which moves BatchNorm's running statistics).
                if let distributed {
                    if try distributed.anyStopping(StopSignal.pending != nil) {
                        try stop(StopSignal.pending ?? SIGTERM, state, meter)
                    }
                } else if let signal = StopSignal.pending {
                    try stop(signal, state, meter)
                }
                // The schedule's position from (epoch, batch): the same as the step count in a run that kept
                // its world size, and still right in one resumed with another (steps per epoch differ).
                let lr = schedule.at(step: state.epoch * loader.batchesPerEpoch + state.batch)
                let values = try step(batch, lr: lr, state: state, meter: meter)
                state.step += 1
                state.batch += 1
                count += 1
                // The world's images (every rank steps with a batch of the same size).
                images += batch.count * (distributed?.world.size ?? 1)
                windowImages += batch.count * (distributed?.world.size ?? 1)
                for (k, v) in values.all { sums[k, default: 0] += v }
                state.epochSums = sums
                state.epochSteps = count
                if state.step % options.logEvery == 0 && isMain {
                    let rate = Double(windowImages) / max(Date().timeIntervalSince(windowStart), 1e-9)
                    try logStep(values, step: state.step, epoch: state.epoch + 1, lr: lr,
                                imagesPerSecond: rate)
                    windowStart = Date()
                    windowImages = 0
                }
                meter?.advance(detail: String(format: "loss %.4f", values.losses["loss"] ?? .nan))
            }
            meter?.finish()
            state = try endEpoch(state, sums: sums, count: count, images: images,
                                 seconds: Date().timeIntervalSince(epochStart))
        }
        try events?.close()
        return state
    }

    /// One optimizer step on `batch`: forward and the method's loss, the world's agreement on its values,
    /// the check for a non-finite term (no step is taken then), backward, the gradients' average across
    /// processes, and the update.
    private func step(_ batch: Batch, lr: Double, state: TrainingState,
                      meter: ProgressReporter?) throws -> StepValues {
        TorchRuntime.manualSeed(options.seed &* 1_000_003 &+ UInt64(state.step))
        try groups.setLearningRate(lr, on: optimizer)
        try optimizer.zeroGrad()
        let labels = try Tensor(batch.labels, shape: [batch.count]).to(device: options.device)
        let (terms, diagnostics) = try task.loss(batch.images.to(device: options.device), labels: labels,
                                                 warmUp: state.epoch < options.warmup)
        let total = try terms.total()
        var values = StepValues(losses: ["loss": try total.item()], diagnostics: diagnostics)
        for (name, value) in terms.terms { values.losses[name] = try value.item() }
        if let distributed { values = try distributed.mean(values) }
        for name in terms.terms.map(\.0) where !(values.losses[name]?.isFinite ?? false) {
            meter?.finish()
            throw TrainingError("step \(state.step + 1) (epoch \(state.epoch + 1), "
                + "batch \(state.batch + 1)): "
                + "loss term \(name) is \(values.losses[name] ?? .nan); the last checkpoint "
                + "(\(run.checkpoint("last"))) is the last good one")
        }
        try total.backward()
        try averager?.finish()
        try optimizer.step()
        return values
    }

    /// A step line in log.jsonl and the step's scalars in TensorBoard.
    private func logStep(_ values: StepValues, step: Int, epoch: Int, lr: Double,
                         imagesPerSecond: Double) throws {
        var record: [String: Any] = ["kind": "step", "epoch": epoch, "step": step, "lr": lr,
                                     "images_per_s": imagesPerSecond]
        for (k, v) in values.all { record[k] = v }
        try run.log(record)
        for (k, v) in values.losses { try events?.addScalar("train/\(k)", v, step: step) }
        for (k, v) in values.diagnostics { try events?.addScalar("maps/\(k)", v, step: step) }
        try events?.addScalar("train/lr", lr, step: step)
        try events?.addScalar("train/images_per_s", imagesPerSecond, step: step)
    }

    /// The first images of the training split in their centre-crop view: the same batch every epoch,
    /// for the per-epoch diagnostics (every rank computes them: sync-BN needs all ranks in the pass).
    /// Decoded once, on first use.
    private func fixedBatch() throws -> (images: Tensor, labels: Tensor)? {
        if let cachedFixedBatch { return cachedFixedBatch }
        guard train.count >= 2 else { return nil }
        var loaderOptions = DataLoader.Options()
        loaderOptions.batchSize = min(options.batchSize, train.count)
        loaderOptions.workers = options.workers
        let view = ImageTransform(.centerCrop, imageSize: options.imageSize)
        guard let batch = try DataLoader(dataset: train, transform: view,
                                         options: loaderOptions).epoch(0).next() else {
            return nil
        }
        let labels = try Tensor(batch.labels, shape: [batch.count]).to(device: options.device)
        cachedFixedBatch = (try batch.images.to(device: options.device), labels)
        return cachedFixedBatch
    }

    /// Stops at a signal after a checkpoint (exit 130 or 143).
    private func stop(_ signal: Int32, _ state: TrainingState, _ meter: ProgressReporter?) throws -> Never {
        try save("last", state)
        meter?.finish()
        throw TrainingError("stopped by signal \(signal) at epoch \(state.epoch + 1), batch \(state.batch); "
            + "checkpoint written, continue with --resume", exitCode: StopSignal.exitCode(signal))
    }

    /// One plain line per epoch on standard output (the terminal's progress line is on stderr).
    private func epochLine(_ epoch: Int, _ r: [String: Any]) -> String {
        func f(_ key: String, _ format: String = "%.4f") -> String? {
            (r[key] as? Double).map { String(format: format, $0) }
        }
        var parts = ["epoch \(epoch)/\(options.epochs)" + (r["warmup"] != nil ? " (warm-up)" : ""),
                     "loss \(f("train_loss") ?? "-")"]
        if let m = f("train_mf2_mean", "%.3f") { parts.append("mean Mf2 \(m)") }
        for key in ["val_gt_known_loc", "val_top1_cls"] {
            if let v = f(key, "%.2f") { parts.append("\(key) \(v)") }
        }
        parts.append("\(f("images_per_s", "%.1f") ?? "-") images/s, \(f("seconds", "%.0f") ?? "-") s")
        return parts.joined(separator: ", ")
    }

    /// Validation, selection, checkpoints and the epoch's log line.
    private func endEpoch(_ finished: TrainingState, sums: [String: Double], count: Int, images: Int,
                          seconds: Double) throws -> TrainingState {
        var state = finished
        let epoch = state.epoch + 1
        var record: [String: Any] = ["kind": "epoch", "epoch": epoch, "step": state.step, "seconds": seconds,
                                     "images_per_s": Double(images) / max(seconds, 1e-9)]
        for (k, v) in sums { record["train_\(k)"] = v / Double(max(count, 1)) }
        // A warm-up epoch's maps are untrained: it is logged but never selected as the best.
        let warmingUp = state.epoch < options.warmup
        if warmingUp { record["warmup"] = true }
        for (k, v) in try task.fixedBatchDiagnostics(fixedBatch) {
            record["fixed_\(k)"] = v
            try events?.addScalar("diagnostics/\(k)", v, step: state.step)
        }
        var improved = false
        if !validation.samples.isEmpty {
            let (size, workers) = (options.batchSize, options.workers)
            let result = try distributed?.validate(task, validation, batchSize: size, workers: workers)
                ?? task.validate(validation, batchSize: size, workers: workers)
            for (k, v) in result.metrics {
                record[k] = v
                try events?.addScalar("val/\(k.replacingOccurrences(of: "val_", with: ""))", v,
                                      step: state.step)
            }
            state.metrics = result.metrics
            record["selection"] = result.selection
            if !warmingUp && (state.bestMetric == nil || result.selectionValue > state.bestMetric!) {
                state.bestMetric = result.selectionValue
                state.bestEpoch = epoch
                improved = true
            }
            if let render = renderExample, isMain {
                for (index, example) in result.examples.enumerated() {
                    let png = try render(example.image, example.map)
                    try events?.addImage("val/map_\(index)", png: png.png, height: png.height,
                                         width: png.width, channels: 3, step: state.step)
                }
            }
        }
        for (k, v) in sums {
            try events?.addScalar("epoch/\(k)", v / Double(max(count, 1)), step: state.step)
        }
        state.epoch += 1
        state.batch = 0
        state.epochSums = [:]
        state.epochSteps = 0
        try save("last", state)
        // Until an epoch after the warm-up is selected, `best` follows the last epoch.
        if improved || options.select == .last || state.bestEpoch == nil { try save("best", state) }
        record["best_epoch"] = state.bestEpoch ?? epoch
        guard isMain else { return state }
        try run.log(record)
        print(epochLine(epoch, record))
        fflush(stdout)
        try events?.flush()
        return state
    }
}
