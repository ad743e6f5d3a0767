import ArgumentParser
import Datasets
import Foundation
import Inference
import Models
import OutputFiles
import RunStore
import Visualization
import WSOL

/// `wsol export-maps`: what a trained model localizes, image by image: per image the raw full-image map
/// (.npy, as `wsol score-maps` reads it), a panel and its thumbnail; boxes.csv and index.html over all
/// of them; with `--compare`, a second model on the same images beside the first.
struct ExportMapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-maps",
        abstract: "Write a checkpoint's localization maps on a dataset split: .npy maps, panels, boxes.csv "
            + "and a gallery (index.html).",
        discussion: """
            --class-mode defaults to gt here: the full-image protocol's class, so that `wsol score-maps \
            --maps OUT/maps` gives the numbers of `wsol eval --protocol full`.
            """
    )

    @OptionGroup var source: CheckpointArguments
    @OptionGroup var dataset: DatasetOptions

    @Option(help: "Split to export.")
    var split = "test"

    @Option(help: "The folder to write (new, empty, or written by an earlier export-maps).")
    var out: String

    @Flag(help: "Write into --out even when it holds files wsol did not write (same names are replaced).")
    var force = false

    @Option(help: "Export only the first N images of the split (1-10000000).")
    var limit: Int?

    @OptionGroup var classSelection: ClassSelectionArguments

    @Option(help: "Threshold on the normalized map for the predicted boxes (default: the crop protocol's).")
    var threshold: Double?

    @Option(help: """
        The first model's map: deep, shallow, mean, gated or fused (default: the checkpoint's); a --compare \
        model keeps its own.
        """)
    var map: MapSource?

    @Option(help: """
        A second model on the same images: a run folder (its checkpoints/<which>) or a checkpoint.
        """)
    var compare: String?

    @Option(help: "Images per forward pass.")
    var batchSize = 32

    @Option(help: "Decoding threads.")
    var workers = 2

    static let limits = 1...10_000_000

    func validate() throws {
        guard (1...1024).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 1024") }
        try Bounds.validateLoaderWorkers(workers)
        if let limit, !Self.limits.contains(limit) { throw ValidationError("--limit must be 1 to 10000000") }
        if let threshold, !(threshold >= 0 && threshold < 1) {
            throw ValidationError("--threshold must be in [0, 1)")
        }
    }

    /// A model to export and the name the gallery gives it.
    struct Run { let loaded: LoadedModel; let name: String }

    func run() throws {
        // --arch and --method hold for a --compare file that does not say either.
        var overrides = source.overrides()
        let first = try LoadedModel(path: try source.path(), overrides: source.overrides(map: map))
        var runs = [Run(loaded: first, name: source.run ?? source.checkpoint!)]
        if let compare {
            let file = try WeightSources.read(try comparedCheckpoint(compare))
            // A file that says what it is keeps its own architecture and method.
            if file.sidecar?.wsol != nil { overrides = LoadedModel.Overrides() }
            runs.append(Run(loaded: try LoadedModel(file: file, overrides: overrides), name: compare))
        }
        for run in runs {
            let model = run.loaded.model
            try MemoryEstimate(spec: model.spec, options: model.options, batch: batchSize, training: false)
                .check(what: "export-maps: a batch of \(batchSize) images at \(model.spec.imageSize) px")
        }
        var data = try dataset.read().requireSplit(split)
        if let limit { data.samples = Array(data.samples.prefix(limit)) }
        for run in runs where run.loaded.model.spec.numClasses != data.classCount {
            throw CommandFailure("\(run.loaded.path): a model of "
                + "\(run.loaded.model.spec.numClasses) classes, "
                + "the dataset has \(data.classCount)", exitCode: 2)
        }
        var ids = try ImageIDs.relative(data.samples.map(\.imagePath), root: try dataset.imagesRoot())
        let unnameable = ImageIDs.tooLongForFiles(ids)
        if !unnameable.isEmpty {
            let skipped = Set(unnameable)
            data.samples = zip(data.samples, ids).filter { !skipped.contains($0.1) }.map(\.0)
            ids = ids.filter { !skipped.contains($0) }
        }
        let progress = ProgressReporter(label: "export-maps \(split)", total: data.count * runs.count)
        var results: [MapExporter.Result] = []
        var records: [GalleryRecord] = []
        try OutputFolder.write(out, force: force, owner: "wsol export-maps") { folder in
            for (i, run) in runs.enumerated() {
                let exporter = MapExporter(model: run.loaded.model, settings: try settings(run.loaded),
                                           classNames: data.classNames,
                                           runName: runs.count > 1 ? run.name : nil)
                results.append(try run.loaded.namingCheckpoint {
                    try exporter.export(data, ids: ids, into: folder, layout: i == 0 ? .first : .compared,
                                        progress: progress)
                })
            }
            records = data.samples.indices.compactMap { index -> GalleryRecord? in
                guard let first = results[0].outcomes[index] else { return nil }
                let second = results.count > 1 ? results[1].outcomes[index] : nil
                if results.count > 1 && second == nil { return nil }
                let label = data.samples[index].label
                return GalleryRecord(imageID: ids[index], trueClass: label, trueName: data.classNames[label],
                                     run: first, compare: second)
            }
            try Gallery(title: "export-maps: \(split) split",
                        runNames: runs.map(\.name), records: records).write(to: folder)
        }
        progress.finish()
        report(records, runs)
        // Everything else is written; what was skipped is said in one line, and the exit status is 2.
        var skipped: [String] = []
        let unreadable = results.reduce(into: Set<String>()) { $0.formUnion($1.unreadable) }.sorted()
        if let first = unreadable.first {
            skipped.append("\(unreadable.count) image(s) could not be read and were skipped; "
                + "the first: \(first)")
        }
        if let first = unnameable.first {
            skipped.append("\(unnameable.count) image(s) skipped because an id is too long for its map's "
                + "file name (\(ImageIDs.fileNameLimit) bytes with .npy; rename the image); "
                + "the first: \(first)")
        }
        if !skipped.isEmpty { throw CommandFailure(skipped.joined(separator: "; "), exitCode: 2) }
    }

    /// `--compare`: a run folder's checkpoint (`--which`), else a checkpoint file.
    private func comparedCheckpoint(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure("\(path): no such file or run folder (--compare)", exitCode: 2)
        }
        guard isDirectory.boolValue else { return path }
        return try RunFolder.checkpointPath(run: path, which: source.which.rawValue)
    }

    /// The model's threshold and class selection: the ground truth's map unless --class-mode says.
    private func settings(_ loaded: LoadedModel) throws -> MapExporter.Settings {
        let model = loaded.model
        let family = loaded.sidecar?.dataset ?? dataset.family
        var settings = MapExporter.Settings(
            threshold: threshold ?? EvaluationSettings.defaultThreshold(family, model.spec.architecture))
        if classSelection.classMode != nil {
            (settings.classMode, settings.topK) = try classSelection.resolve(
                method: model.options.method, architecture: model.spec.architecture, dataset: family,
                numClasses: model.spec.numClasses)
        }
        settings.batchSize = batchSize
        settings.workers = workers
        return settings
    }

    private func report(_ records: [GalleryRecord], _ runs: [Run]) {
        let side = runs[0].loaded.model.spec.imageSize
        print("export-maps: \(records.count) images of \(split) written to \(out) "
            + "(maps/ \(side)x\(side) .npy, panels/, thumbs/, boxes.csv, index.html"
            + (runs.count > 1 ? "; the compared run under compare/)" : ")"))
        for (i, run) in runs.enumerated() {
            let outcomes = records.map { i == 0 ? $0.run : $0.compare! }
            let correct = outcomes.filter(\.correct).count
            let percent = records.isEmpty ? 0 : Double(correct) * 100 / Double(records.count)
            print("  \(run.name): IoU >= 0.5 at the threshold on \(correct) of \(records.count) images "
                + "(\(String(format: "%.1f", percent))%)")
        }
        if side != 224 {
            print("  note: the maps are \(side)x\(side), the model's input size; "
                + "wsol score-maps reads 224x224 maps")
        }
    }
}

extension DatasetOptions {
    /// The folder image ids are relative to: CUB's images/, wsolevaluation's --images, ILSVRC's root.
    func imagesRoot() throws -> String {
        switch format {
        case .cub: return (CUBReader.locate(root ?? "") as NSString).appendingPathComponent("images")
        case .wsolevaluation, .ilsvrc:
            guard let folder = format == .ilsvrc ? root : images else {
                let option = format == .ilsvrc ? "--root" : "--images"
                throw CommandFailure("--format \(format.rawValue) needs \(option)", exitCode: 2)
            }
            return folder
        }
    }
}
