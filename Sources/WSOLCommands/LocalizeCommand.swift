import ArgumentParser
import Datasets
import Foundation
import Inference
import Models
import Torch
import WSOL

/// `wsol localize`: what a trained model sees in single images: its top classes, the map of the
/// selected class, and every box at the threshold in the image's own pixels.
struct LocalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "localize",
        abstract: "Localize objects in images with a checkpoint: top-5 classes, logits, boxes; "
            + "with --out the maps and overlays."
    )

    @OptionGroup var source: CheckpointArguments

    @Option(help: """
        full: the image resized to S x S (full-image protocol); crop: resized and \
        centre-cropped (crop protocol).
        """)
    var preprocess: Localizer.Preprocess = .full

    @OptionGroup var classSelection: ClassSelectionArguments

    @Option(help: "With --class-mode gt: the image's class index.")
    var label: Int?

    @Option(help: "Map that localizes: deep, shallow, mean, gated or fused (default: the checkpoint's).")
    var map: MapSource?

    @Option(help: "Threshold on the min-max normalized map (default: the crop protocol's for the model).")
    var threshold: Double?

    @Flag(help: """
        Print a JSON array: per image `image`, `size`, `top` ({index, \
        probability, name}), `logits`, `boxes`.
        """)
    var json = false

    @Option(help: """
        Write <stem>.npy (the map at the network input's size, before normalization) \
        and <stem>.png (overlay) here.
        """)
    var out: String?

    @Flag(help: "With --out: write into a folder that holds other files.")
    var force = false

    @Argument(help: "Image files (JPEG or PNG).")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
        guard images.count <= 100_000 else { throw ValidationError("at most 100000 images per call") }
        if let threshold, !(threshold >= 0 && threshold < 1) {
            throw ValidationError("--threshold must be in [0, 1)")
        }
    }

    func run() throws {
        let loaded = try LoadedModel(path: try source.path(), overrides: source.overrides(map: map))
        let model = loaded.model
        let family = loaded.sidecar?.dataset ?? .cubLike
        var (mode, k) = try classSelection.resolve(method: model.options.method,
                                                   architecture: model.spec.architecture,
                                                   dataset: family, numClasses: model.spec.numClasses)
        if classSelection.classMode == nil && mode == .gt && label == nil { mode = .top1 }
        if mode == .gt {
            guard let label, (0..<model.spec.numClasses).contains(label) else {
                throw CommandFailure("--class-mode gt needs --label between 0 and "
                    + "\(model.spec.numClasses - 1)", exitCode: 2)
            }
        }
        let localizer = Localizer(
            model: model, preprocess: preprocess, classMode: mode, topK: k,
            threshold: threshold ?? EvaluationSettings.defaultThreshold(family, model.spec.architecture))
        let writer = try out.map { try LocalizationWriter(folder: $0, force: force) }
        var results: [[String: Any]] = []
        var failures: [String] = []
        // An image that cannot be read is named and skipped; a model whose outputs are not finite stops all.
        try loaded.namingCheckpoint {
            for path in images {
                do {
                    let result = try localizer.localize(path, label: label)
                    var entry = describe(result, names: loaded.classNames)
                    if let writer { entry["files"] = try writer.write(result) }
                    results.append(entry)
                    if !json { printText(entry) }
                } catch where !(error is NonFiniteOutputError) {
                    failures.append(path)
                    printError("error: \(error)")
                }
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
        if let first = failures.first {
            throw CommandFailure("\(failures.count) image(s) could not be localized; the first: \(first)",
                                 exitCode: 2)
        }
    }

    private func describe(_ r: Localization, names: [String]?) -> [String: Any] {
        func rounded(_ v: Double) -> Double { (v * 100).rounded() / 100 }
        return [
            "image": r.image, "size": [r.imageSize.width, r.imageSize.height],
            "top": r.top.map { t -> [String: Any] in
                var entry: [String: Any] = ["index": t.index, "probability": t.probability]
                if let names, t.index < names.count { entry["name"] = names[t.index] }
                return entry
            },
            "logits": r.logits.map { $0.isFinite ? Double($0) : 0 },
            "boxes": r.boxes.map { [rounded($0.x0), rounded($0.y0), rounded($0.x1), rounded($0.y1)] },
        ]
    }

    private func printText(_ entry: [String: Any]) {
        let top = (entry["top"] as? [[String: Any]] ?? []).prefix(3).map { t in
            "\(t["name"] as? String ?? "class \(t["index"]!)") "
                + "\(String(format: "%.3f", t["probability"] as? Double ?? 0))"
        }
        let boxes = (entry["boxes"] as? [[Double]] ?? []).prefix(3).map {
            "[\($0.map { String(format: "%.1f", $0) }.joined(separator: ", "))]"
        }
        print("\(entry["image"]!): \(top.joined(separator: ", ")); boxes \(boxes.joined(separator: " "))")
    }
}

extension Localizer.Preprocess: ExpressibleByArgument {}
