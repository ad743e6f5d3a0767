import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Inference
import Models
import WSOL

/// `wsol eval`: a trained model's localization and classification numbers on a dataset split, with the
/// crop protocol (BAS; the paper's tables) and/or the full-image protocol (wsolevaluation).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint on a dataset split: crop protocol (Top-1/Top-5/GT-known Loc) "
            + "and full-image protocol (MaxBoxAcc, MaxBoxAccV2, PxAP)."
    )

    @OptionGroup var source: CheckpointArguments
    @OptionGroup var dataset: DatasetOptions

    @Option(help: "Split to evaluate.")
    var split = "test"

    @Option(name: .customLong("protocol"), help: "crop, full or both.")
    var protocols: EvaluationSettings.Protocols = .both

    @Option(help: """
        Crop protocol: threshold on the normalized map (default 0.1; ILSVRC: vgg16 0.45, others 0.25).
        """)
    var threshold: Double?

    @Option(help: "Full-image protocol: threshold step.")
    var interval = 0.01

    @Option(help: "Crop protocol: classify by ten-crop averaging (on) or the centre crop alone (off).")
    var tencrop: Switch = .on

    @OptionGroup var classSelection: ClassSelectionArguments

    @Option(help: "Map that localizes: deep, shallow, mean, gated or fused (default: the checkpoint's).")
    var map: MapSource?

    @Option(help: "Input size (default: the checkpoint's).")
    var imageSize: Int?

    @Option(help: "Views per forward pass (a ten-crop image counts 10).")
    var batchSize = 32

    @Option(help: "Decoding threads.")
    var workers = 2

    @Flag(help: "Also report each metric per class.")
    var perClass = false

    @Flag(help: "Print one line of JSON.")
    var json = false

    func validate() throws {
        guard (1...1024).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 1024") }
        try Bounds.validateLoaderWorkers(workers)
        guard Thresholds.isValidInterval(interval) else {
            throw ValidationError("--interval must be in [\(Thresholds.minInterval), 1), got \(interval)")
        }
        if let threshold, !(threshold >= 0 && threshold < 1) {
            throw ValidationError("--threshold must be in [0, 1)")
        }
    }

    func run() throws {
        let path = try source.path()
        let file = try WeightSources.read(path)
        if let sidecar = file.sidecar, sidecar.wsol == nil {
            let data = try dataset.read().requireSplit(split)
            return try EvalClassifier.run(file, sidecar, data: data, split: split, batchSize: batchSize,
                                          workers: workers, json: json)
        }
        let loaded = try LoadedModel(file: file, overrides: source.overrides(imageSize: imageSize, map: map))
        let model = loaded.model
        let data = try dataset.read().requireSplit(split)
        guard data.classCount == model.spec.numClasses else {
            throw CommandFailure("\(path): a model of \(model.spec.numClasses) classes, "
                + "the dataset has \(data.classCount)", exitCode: 2)
        }
        let family = loaded.sidecar?.dataset ?? dataset.family
        let (mode, k) = try classSelection.resolve(method: model.options.method,
                                                   architecture: model.spec.architecture,
                                                   dataset: family, numClasses: model.spec.numClasses)
        var settings = EvaluationSettings(
            threshold: threshold ?? EvaluationSettings.defaultThreshold(family, model.spec.architecture),
            classMode: mode, topK: k)
        settings.protocols = protocols
        settings.interval = interval
        settings.tenCrop = tencrop.isOn
        settings.batchSize = batchSize
        settings.workers = workers
        settings.perClass = perClass
        // A forward holds --batch-size views (a ten-crop's ten count as ten), at least one image's.
        let views = settings.runsCrop && settings.tenCrop ? 10 : 1
        let forwardBatch = max(batchSize, views)
        try MemoryEstimate(spec: model.spec, options: model.options, batch: forwardBatch, training: false)
            .check(what: "eval: a batch of \(forwardBatch) views at \(model.spec.imageSize) px")
        let passes = (settings.runsCrop ? 1 : 0) + (settings.runsFull ? 1 : 0)
        let progress = ProgressReporter(label: "eval \(split)", total: data.count * passes)
        let outcome = try loaded.namingCheckpoint {
            try ModelEvaluator(model: model, settings: settings).evaluate(data, progress: progress)
        }
        progress.finish()
        let report = try EvaluationReport(loaded, outcome, settings: settings, split: split)
        if json {
            print(try EvaluationJSON.encode(report))
        } else {
            printReport(report)
        }
        if let first = outcome.unreadable.first {
            throw CommandFailure("\(outcome.unreadable.count) image(s) could not be read and were left out; "
                + "the first: \(first)", exitCode: 2)
        }
    }

    private func printReport(_ r: EvaluationReport) {
        func pct(_ v: Double) -> String { String(format: "%.2f", v) }
        print("\(r.checkpoint) (\(r.architecture) \(r.method), map \(r.map)) on \(r.split): "
            + "\(r.images) images")
        if let c = r.crop {
            let x = c.result
            print("crop protocol (threshold \(x.threshold), class mode "
                + "\(c.classMode)\(c.classMode == "topk" ? " k=\(c.topK)" : ""), "
                + "ten-crop \(c.tenCrop ? "on" : "off")):")
            print("  Top-1 Loc \(pct(x.top1Loc))  Top-5 Loc \(pct(x.top5Loc))  "
                + "GT-known Loc \(pct(x.gtKnownLoc))  "
                + "Top-1 Cls \(pct(x.top1Cls))  Top-5 Cls \(pct(x.top5Cls))")
            let f = x.boxaccFixed
            print("  BoxAcc at the threshold: IoU30 \(pct(f.iou30))  IoU50 \(pct(f.iou50))  "
                + "IoU70 \(pct(f.iou70))  mean \(pct(f.mean))")
        }
        if let full = r.full {
            let x = full.result
            print("full-image protocol (wsolevaluation, interval \(x.interval), ground-truth class):")
            if let v1 = x.maxboxaccV1, let v2 = x.maxboxaccV2 {
                print("  MaxBoxAcc \(pct(v1))  MaxBoxAccV2 \(pct(v2.mean)) "
                    + "(IoU30 \(pct(v2.iou30)), IoU50 \(pct(v2.iou50)), IoU70 \(pct(v2.iou70)))")
            }
            if let pxap = x.pxap { print("  PxAP \(pct(pxap))") }
        }
    }
}

extension EvaluationSettings.Protocols: ExpressibleByArgument {}
