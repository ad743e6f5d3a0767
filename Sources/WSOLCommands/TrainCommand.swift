import ArgumentParser
import Datasets
import Foundation
import Models
import RunStore
import Torch
import Training
import WeightsIO
import WSOL

extension TrainOptions.Task: ExpressibleByArgument {}
extension TrainOptions.Schedule: ExpressibleByArgument {}
extension TrainOptions.Selection: ExpressibleByArgument {}

/// `wsol train`: fine-tunes a backbone for localization (cam, bas, sfpnsc) or pretrains a plain
/// classifier (classify) on a dataset's train split, into a run folder that `--resume` continues.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a WSOL method (cam, bas, sfpnsc) or a plain classifier (classify) into a run folder."
    )

    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Backbone: vgg16, resnet18, resnet50, inception_v3.") var arch: Architecture?
    @Option(help: "cam, bas, sfpnsc, or classify (torchvision's classifier, to pretrain a backbone).")
    var method: TrainOptions.Task?
    @Option(help: """
        Initial weights: an ImageNet-style file (torchvision's, or a classify run's checkpoint), a \
        checkpoint of a cam, bas or sfpnsc run (a warm start: layers it lacks are initialized), or none.
        """)
    var weights: String?
    @Option(help: "Epochs (default: CUB-like 100, ILSVRC 9; classify \(TrainRequest.classifyEpochs)).")
    var epochs: Int?
    @Option(help: "Images per step (default 32).") var batchSize: Int?
    @Option(help: "Base learning rate (default 0.001; classify \(TrainRequest.classifyLR)).") var lr: Double?
    @Option(help: "step (x0.1 at each decay epoch; the methods' default) or cosine (classify's default).")
    var schedule: TrainOptions.Schedule?
    @Option(help: "Decay epochs for the step schedule, comma-separated (default: CUB-like 80, ILSVRC 3,6).")
    var decayEpochs: String?
    @Option(help: "Epochs of classification only (L_cls) before the method's mask losses start (default 0).")
    var warmupEpochs: Int?
    @Option(help: "Scale of G1's and G2's learning-rate multipliers x10/x20 (default 1, as BAS).")
    var generatorLrScale: Double?
    @Option(help: "Input size, a multiple of 32 (default 224).") var imageSize: Int?
    @Option(help: "Class-head width (default 1024).") var headWidth: Int?
    @Option(help: "Where F1 is tapped (default per backbone).") var f1Tap: String?
    @Flag(help: "inception_v3: (x - 0.5) / 0.5 input normalization.") var transformInput = false
    @OptionGroup var methodOptions: MethodArguments
    @Option(help: "Decoding threads.") var workers = 2
    @Option(help: "libtorch threads (default: WSOL_THREADS or every core).") var threads: Int?
    @Option(help: "cpu or cuda.") var device = "cpu"
    @Option(help: "Seed of the data order, augmentation, held-out split and initialization (default 0).")
    var seed: UInt64?
    @Option(help: "Training images per class held out for model selection (default 5).") var valPerClass: Int?
    @Option(help: "Keep the best epoch on the held-out images (best) or the last (last).")
    var select: TrainOptions.Selection?
    @Option(help: "paper: train on every training image, keep the last epoch (the paper's setting).")
    var preset: String?
    @Option(help: """
        Defaults of the mask-loss options not given: paper (METHOD.md's loss) or revived (the mask \
        study's recipe for bas and sfpnsc, docs/RESULTS.md section 4). Default: revived for sfpnsc, \
        paper for bas and with --preset paper.
        """)
    var recipe: Recipe?
    @Option(help: "Log every N steps to log.jsonl and TensorBoard.") var logEvery = 20
    @Option(help: "The run folder.") var out: String
    @Flag(help: "Continue the run in --out from its last checkpoint (its options; --epochs may extend it).")
    var resume = false
    @Flag(help: "Start over in a run folder that holds another run.") var force = false
    @OptionGroup(title: "Several processes (docs/DISTRIBUTED.md)")
    var distributedOptions: DistributedArguments

    func validate() throws {
        try Bounds.validateLoaderWorkers(workers)
        guard (1...100_000).contains(logEvery) else {
            throw ValidationError("--log-every must be 1 to 100000")
        }
        if let epochs, !(1...10_000).contains(epochs) { throw ValidationError("--epochs must be 1 to 10000") }
        if let generatorLrScale, !(generatorLrScale > 0 && generatorLrScale <= 1000) {
            throw ValidationError("--generator-lr-scale must be in (0, 1000]")
        }
        if let warmupEpochs, !(0...10_000).contains(warmupEpochs) {
            throw ValidationError("--warmup-epochs must be 0 to 10000")
        }
        if let batchSize, !(2...4096).contains(batchSize) {
            throw ValidationError("--batch-size must be 2 to 4096")
        }
        if let lr, !(lr > 0 && lr <= 1e9) { throw ValidationError("--lr must be in (0, 1e9]") }
        if let threads, !Bounds.threads.contains(threads) {
            throw ValidationError("--threads must be \(Bounds.threads.lowerBound) "
                + "to \(Bounds.threads.upperBound), as WSOL_THREADS")
        }
        if let valPerClass, !(0...10_000).contains(valPerClass) {
            throw ValidationError("--val-per-class must be 0 to 10000")
        }
        if let preset, preset != "paper" { throw ValidationError("--preset: only 'paper' exists") }
        guard ["cpu", "cuda"].contains(device) || device.hasPrefix("cuda:") else {
            throw ValidationError("--device must be cpu, cuda or cuda:N")
        }
    }

    func run() throws {
        if distributedOptions.launches { return try distributedOptions.launch(threads: threads) }
        if let threads { try TorchRuntime.setNumThreads(threads) }
        if device != "cpu" && !TorchRuntime.cudaIsAvailable {
            throw CommandFailure("--device \(device): this libtorch has no CUDA "
                + "(see wsol doctor; build with LIBTORCH=<CUDA libtorch>)", exitCode: 2)
        }
        let distributed = try distributedOptions.join(device: device)
        let isMain = distributed?.isMain ?? true
        let read = try dataset.read()
        let data = try read.requireSplit("train")
        if isMain, let warning = read.classCoverageWarning { printError("warning: \(warning)") }
        // One class gives L_cls = 0 whatever the weights: nothing to learn, and no contrast for a mask.
        let classesSeen = Set(data.samples.map(\.label)).count
        guard classesSeen >= 2 else {
            throw CommandFailure("\(dataset.root ?? dataset.metadata ?? "the dataset"): "
                                 + "the train split has images of "
                                 + "\(classesSeen) class; training needs at least 2", exitCode: 2)
        }
        let session = try DistributedFailure.naming(distributed) {
            resume ? try resumeRun(data, distributed) : try newRun(data, distributed)
        }
        session.trainer.renderExample = TrainingImages.render
        StopSignal.install()
        if isMain {
            print("train: \(session.options.task.rawValue) \(session.options.architecture.rawValue), "
                + "\(session.train.count) training images (\(session.validation.count) held out), "
                + "\(session.options.epochs) epochs, run \(out)"
                + (distributed.map { ", \($0.world.size) processes x batch \(session.options.batchSize)" }
                    ?? ""))
        }
        if isMain && session.options.warmup >= session.options.epochs {
            print("train: note: all \(session.options.epochs) epochs are warm-up (classification only); "
                + "extend the run with --resume --epochs N for the method's losses")
        }
        let state = try DistributedFailure.naming(distributed) {
            try session.trainer.fit(from: session.start)
        }
        let best = state.bestEpoch.map {
            ", best epoch \($0) (\(session.trainer.options.select.rawValue))"
        } ?? ""
        if isMain { print("train: finished at step \(state.step)\(best); checkpoints in \(out)/checkpoints") }
    }

    private func newRun(_ data: Dataset, _ distributed: DistributedTraining?) throws -> TrainingRun {
        guard let arch else { throw CommandFailure("--arch is needed", exitCode: 2) }
        guard let method else {
            throw CommandFailure("--method is needed (cam, bas, sfpnsc or classify)", exitCode: 2)
        }
        guard let weights else {
            throw CommandFailure("--weights FILE|none is needed: an ImageNet-style file, "
                + "or none for torchvision's initialization", exitCode: 2)
        }
        var options = try request().resolve(arch: arch, task: method, family: dataset.family,
                                            numClasses: data.classCount)
        if weights != "none" {
            options.weights = weights
            options.weightsSHA256 = try Checksum.sha256Hex(weights)
        }
        return try TrainingRun.start(options, data: data, out: out, force: force, distributed: distributed,
                                     syncBN: distributedOptions.syncBn)
    }

    /// The run's own options; typed ones that conflict are refused, `--epochs` extends it, and the batch
    /// follows the run's global batch on another world size.
    private func resumeRun(_ data: Dataset, _ distributed: DistributedTraining?) throws -> TrainingRun {
        try TrainingRun.resume(out, data: data, distributed: distributed, syncBN: distributedOptions.syncBn) {
            options, config in
            if let conflict = try request().conflict(withRun: options) {
                throw CommandFailure("--resume continues \(out) with its own options: "
                                     + "\(conflict) (drop it, or "
                                     + "start a new run)", exitCode: 2)
            }
            if let epochs { options.epochs = epochs }
            options.batchSize = try TrainingRun.resumedBatchSize(
                batchSize, recorded: config, options: options, worldSize: distributed?.world.size ?? 1)
        }
    }

    /// The options as typed, for the Training target to resolve or compare with a run.
    func request() throws -> TrainRequest {
        var r = TrainRequest()
        r.architecture = arch
        r.task = method
        r.epochs = epochs
        r.batchSize = batchSize
        r.lr = lr
        r.schedule = schedule
        r.decayEpochs = try decayEpochs.map(Self.parseEpochs)
        r.warmupEpochs = warmupEpochs
        r.generatorLRScale = generatorLrScale
        r.imageSize = imageSize
        r.headWidth = headWidth
        r.f1Tap = f1Tap
        r.transformInput = transformInput
        r.workers = workers
        r.device = device
        r.seed = seed
        r.valPerClass = valPerClass
        r.select = select
        r.preset = preset
        r.recipe = recipe
        r.logEvery = logEvery
        r.givenMaskOptions = methodOptions.givenMaskOptions
        r.maskSeedGiven = methodOptions.maskSeed != nil
        r.methodOptions = { [methodOptions] method, architecture, dataset, base in
            try methodOptions.options(method: method, architecture: architecture, dataset: dataset,
                                      base: base)
        }
        return r
    }

    /// "80" or "3,6": increasing epochs within 1...10000.
    static func parseEpochs(_ text: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && (1...10_000).contains($0!) }),
              zip(values, values.dropFirst()).allSatisfy({ $0! < $1! }) else {
            throw CommandFailure("--decay-epochs must be increasing epochs such as 80 or 3,6; got \(text)",
                                 exitCode: 2)
        }
        return values.map { $0! }
    }
}
