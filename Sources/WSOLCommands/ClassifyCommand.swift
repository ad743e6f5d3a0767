import ArgumentParser
import Foundation
import Models
import NN
import Torch
import WeightsIO

/// `wsol classify`: ImageNet-style classification with a torchvision architecture and weights file.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify images with a torchvision architecture and a weights file (checks weights and preprocessing)."
    )

    enum Preprocess: String, ExpressibleByArgument, CaseIterable { case standard, none }

    @Option(help: "Architecture: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture

    @Option(help: "Weights file: .pth (zip or legacy) or .safetensors, torchvision key names.")
    var weights: String

    @Option(help: "standard: shorter side 256 (342 for inception_v3), center crop 224 (299), ImageNet mean/std, and transform_input for inception_v3. none: the image at its own size, /255 and mean/std only.")
    var preprocess: Preprocess = .standard

    @Flag(help: "Apply inception_v3's transform_input (on by default with --preprocess standard).")
    var transformInput = false

    @Option(help: "How many classes to list per image.")
    var topk = 5

    @Flag(help: "Print a JSON array: per image `image`, `top` ({index, probability}) and `logits`.")
    var json = false

    @Argument(help: "Image files (JPEG or PNG).")
    var images: [String]

    func validate() throws {
        guard topk >= 1 else { throw ValidationError("--topk must be at least 1") }
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let file = try WeightsFile.load(weights)
        let model = try buildModel(from: file)
        model.eval()
        var results: [[String: Any]] = []
        var failures = 0
        for path in images {
            do {
                let input = try preprocessImage(path)
                let logits = try withNoGrad { try model(input) }.floats()
                results.append(describe(path, logits: logits))
            } catch {
                failures += 1
                printError("error: \(path): \(error)")
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for result in results { printText(result) }
        }
        if failures > 0 { throw CommandFailure("\(failures) of \(images.count) images could not be classified", exitCode: 2) }
    }

    private func buildModel(from file: StateDict) throws -> Module & UnaryLayer {
        guard let head = file[arch.headKey] else {
            throw CommandFailure("\(weights): no key \(arch.headKey): not \(arch.rawValue) weights", exitCode: 2)
        }
        let hidden = file["classifier.0.weight"]?.shape.first ?? 4096
        let model = try arch.build(numClasses: head.shape[0], vggHiddenWidth: hidden, transformInput: useTransformInput)
        try model.load(file, from: weights, strict: true)
        return model
    }

    private var useTransformInput: Bool {
        arch == .inception_v3 && (transformInput || preprocess == .standard)
    }

    private func preprocessImage(_ path: String) throws -> Tensor {
        switch preprocess {
        case .standard: return try ImageNetPreprocessing.standard(path, resize: arch.resizeSize, crop: arch.cropSize)
        case .none: return try ImageNetPreprocessing.none(path)
        }
    }

    private func describe(_ path: String, logits: [Float]) -> [String: Any] {
        let maxLogit = logits.max() ?? 0
        let exps = logits.map { Foundation.exp(Double($0 - maxLogit)) }
        let total = exps.reduce(0, +)
        let ranked = exps.indices.sorted { exps[$0] > exps[$1] }.prefix(topk)
        return [
            "image": path,
            "top": ranked.map { ["index": $0, "probability": exps[$0] / total] },
            "logits": logits.map(Double.init),
        ]
    }

    private func printText(_ result: [String: Any]) {
        print(result["image"] as? String ?? "")
        for entry in result["top"] as? [[String: Any]] ?? [] {
            let index = entry["index"] as? Int ?? -1
            let probability = entry["probability"] as? Double ?? 0
            print("  \(String(index).padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%.4f", probability))")
        }
    }
}

extension Architecture: ExpressibleByArgument {}
