import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Torch

/// `wsol score-maps`: the full-image protocol (wsolevaluation) on score maps written by any tool.
struct ScoreMapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score-maps",
        abstract: "Evaluate .npy score maps with the full-image protocol: MaxBoxAcc, "
            + "MaxBoxAccV2 (boxes) or PxAP (masks).",
        discussion: """
            --metadata is a wsolevaluation split folder (image_ids.txt, image_sizes.txt, localization.txt; \
            class_labels.txt optional). \
            Maps are 224x224 float .npy files normalized to [0, 1], at MAPS/<image id>.npy (extension kept, \
            e.g. 001.X/a.jpg.npy) or MAPS/<image id without extension>.npy.
            """
    )

    @Option(help: "wsolevaluation metadata folder of one split.")
    var metadata: String

    @Option(help: "Folder of score maps (<image id>.npy).")
    var maps: String

    @Option(help: "Folder the mask paths in localization.txt are relative to (mask datasets).")
    var maskRoot: String?

    @Option(parsing: .unconditional,
            help: """
                Threshold step in [\(Thresholds.minInterval), 1): thresholds \
                are numpy.arange(0, 1, interval).
                """)
    var interval: Double = 0.01

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .customLong("per-class"), help: """
        Also report MaxBoxAcc and MaxBoxAccV2 per class (boxes only; needs class_labels.txt). JSON: \
        \"per_class\": {label: {...}}.
        """)
    var perClass = false

    static let mapSize = 224

    func run() throws { try report(try evaluate()) }

    /// The metrics, printed by `run` (called on its own by tests that must not print).
    func evaluate() throws -> FullProtocolResult {
        guard Thresholds.isValidInterval(interval) else {
            throw CommandFailure("--interval must be in [\(Thresholds.minInterval), 1), got \(interval)",
                                 exitCode: 2)
        }
        let (split, masked) = try readMetadata()
        let mapsRoot = URL(fileURLWithPath: maps)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: mapsRoot.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw CommandFailure("\(maps): no such folder (--maps)", exitCode: 2)
        }
        let samples = split.samples
        let files = try samples.map { try mapFile(for: $0.imagePath, in: mapsRoot) }
        warnAboutExtraMaps(in: mapsRoot, used: Set(files.map(\.standardizedFileURL.path)))

        // Each map's validity is checked where it is accumulated; its errors name the map's file.
        var result = FullProtocolResult(interval: interval, images: samples.count)
        if !masked {
            let evaluator = try ParallelWork.accumulate(count: files.count, progress: "score-maps",
                                                        make: { FullProtocolBoxes(interval: interval,
                                                                                  size: Self.mapSize,
                                                                                  perClass: perClass) },
                                                        add: { accumulator, i in
                let sample = samples[i]
                // The reader guarantees a size for every image with boxes when reading for evaluation.
                guard let size = sample.size else {
                    throw CommandFailure("\(sample.imagePath): no image size", exitCode: 2)
                }
                try accumulator.add(try Self.loadMap(files[i]), boxes: sample.boxes, imageSize: size,
                                    label: sample.label, name: files[i].path)
            }, merge: { $0.merge($1) })
            result = evaluator.report
        } else {
            let evaluator = try ParallelWork.accumulate(count: files.count, progress: "score-maps",
                                                        make: { PxAP(interval: interval) },
                                                        add: { accumulator, i in
                let mask = try GroundTruthMask.load(masks: samples[i].maskPaths,
                                                    ignore: samples[i].ignorePath, size: Self.mapSize)
                try accumulator.add(try Self.loadMap(files[i]), mask: mask, name: files[i].path)
            }, merge: { $0.merge($1) })
            do {
                result.pxap = try evaluator.value()
            } catch let error as EvaluationError {
                throw CommandFailure(error.message, exitCode: 1)
            }
        }
        return result
    }

    /// The one split in --metadata through the datasets' reader (no image file needed), or a one-line
    /// error naming the first problem's file:line (exit 2). Every image has boxes, or every one masks
    /// (`masked`).
    private func readMetadata() throws -> (split: Dataset, masked: Bool) {
        let folders = WSOLEvalReader.splitFolders(metadata)
        guard folders.count == 1 else {
            throw CommandFailure("\(metadata) holds the splits "
                + "\(folders.map(\.split).joined(separator: ", ")): "
                + "pass one split folder, e.g. \(folders.last!.folder)", exitCode: 2)
        }
        let read = WSOLEvalReader.readForEvaluation(metadata: metadata, masks: maskRoot)
        try read.throwIfErrors()
        if let first = read.warnings.first {
            printError("warning: \(read.warnings.count) in the metadata, the first: \(first)")
        }
        let split = try read.requireSplit(folders[0].split)
        let localization = (folders[0].folder as NSString).appendingPathComponent("localization.txt")
        let masked = split.samples.filter { !$0.maskPaths.isEmpty }.count,
            boxed = split.samples.filter { !$0.boxes.isEmpty }.count
        guard masked == 0 || boxed == 0 else {
            throw CommandFailure("\(localization): boxes for \(boxed) images and masks for \(masked): "
                + "score-maps evaluates one kind per split", exitCode: 2)
        }
        if masked > 0 && maskRoot == nil {
            throw CommandFailure("\(localization) holds masks: pass --mask-root DIR", exitCode: 2)
        }
        if perClass {
            let labels = (folders[0].folder as NSString).appendingPathComponent("class_labels.txt")
            guard masked == 0 else {
                throw CommandFailure("--per-class: PxAP pools every pixel of the split; "
                    + "it has no per-class form", exitCode: 2)
            }
            guard FileManager.default.fileExists(atPath: labels) else {
                throw CommandFailure("--per-class needs \(labels)", exitCode: 2)
            }
        }
        return (split, masked > 0)
    }

    /// MAPS/<id>.npy, else MAPS/<id without extension>.npy.
    private func mapFile(for id: String, in root: URL) throws -> URL {
        let kept = root.appendingPathComponent(id + ".npy")
        if FileManager.default.fileExists(atPath: kept.path) { return kept }
        let stripped = root.appendingPathComponent((id as NSString).deletingPathExtension + ".npy")
        if FileManager.default.fileExists(atPath: stripped.path) { return stripped }
        throw CommandFailure("\(kept.path): missing score map for image \(id) "
            + "(also looked for \(stripped.path))", exitCode: 2)
    }

    private func warnAboutExtraMaps(in root: URL, used: Set<String>) {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return
        }
        var extra = 0
        for case let url as URL in walker
            where url.pathExtension == "npy" && !used.contains(url.standardizedFileURL.path) {
            extra += 1
        }
        if extra > 0 {
            printError("warning: \(extra) maps in \(maps) are for images not in the metadata (ignored)")
        }
    }

    /// A float .npy map of shape [224, 224] (float64 stays double), or a one-line error naming the
    /// file. Its values are checked by the accumulator it goes to.
    static func loadMap(_ url: URL) throws -> ScoreMap {
        let array = try NPY.read(url.path)
        guard array.shape == [mapSize, mapSize] else {
            throw CommandFailure("\(url.path): score map has shape \(array.shape), "
                + "expected [\(mapSize), \(mapSize)]", exitCode: 2)
        }
        switch array.kind {
        case .float32: return ScoreMap(height: mapSize, width: mapSize, values: array.floats())
        case .float64: return ScoreMap(height: mapSize, width: mapSize, float64: array.doubles())
        default: throw CommandFailure("\(url.path): score map must be float32 or float64, "
            + "got \(array.kind.rawValue)", exitCode: 2)
        }
    }

    private func report(_ result: FullProtocolResult) throws {
        if json {
            print(try EvaluationJSON.encode(result))
            return
        }
        print("full-image protocol (wsolevaluation), \(result.images) images, interval \(result.interval)")
        func pct(_ v: Double) -> String { String(format: "%.2f", v) }
        if let v1 = result.maxboxaccV1 {
            print("MaxBoxAcc     \(pct(v1))  (at \(result.maxboxaccV1BestThreshold!))")
        }
        if let v2 = result.maxboxaccV2 {
            let t = v2.bestThresholds
            print("MaxBoxAccV2   \(pct(v2.mean))  (IoU30 \(pct(v2.iou30)) at \(t["iou30"]!), "
                + "IoU50 \(pct(v2.iou50)) at \(t["iou50"]!), IoU70 \(pct(v2.iou70)) at \(t["iou70"]!))")
        }
        if let pxap = result.pxap { print("PxAP          \(pct(pxap))") }
        if let classes = result.perClass {
            print("per class: label, images, MaxBoxAcc, MaxBoxAccV2")
            for (label, r) in classes.sorted(by: { Int($0.key) ?? 0 < Int($1.key) ?? 0 }) {
                print("  \(label.padding(toLength: 6, withPad: " ", startingAt: 0)) "
                    + "\(String(r.images).padding(toLength: 6, withPad: " ", startingAt: 0)) "
                    + "\(pct(r.maxboxaccV1 ?? 0))  \(pct(r.maxboxaccV2?.mean ?? 0))")
            }
        }
    }
}
