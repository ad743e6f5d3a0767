import ArgumentParser
import Datasets
import Foundation
import Models
import NN
import Torch
import WeightsIO

/// `wsol classify`: ImageNet-style classification with a torchvision architecture and weights file.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify images with a torchvision architecture and a weights file "
            + "(checks weights and preprocessing)."
    )

    enum Preprocess: String, ExpressibleByArgument, CaseIterable { case standard, none }

    @Option(help: "Architecture: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture

    @Option(help: "Weights file: .pth (zip or legacy) or .safetensors, torchvision key names.")
    var weights: String

    @Option(help: """
        standard: shorter side 256 (342 for inception_v3), center crop 224 (299), ImageNet mean/std, and \
        transform_input for inception_v3. none: the image at its own size, /255 and mean/std only.
        """)
    var preprocess: Preprocess = .standard

    @Flag(help: "Apply inception_v3's transform_input (on by default with --preprocess standard).")
    var transformInput = false

    @Option(parsing: .unconditional, help: "How many classes to list per image (\(Bounds.topk)).")
    var topk = 5

    @Flag(help: "Print a JSON array: per image `image`, `top` ({index, probability}) and `logits`.")
    var json = false

    @Argument(help: "Image files (JPEG or PNG).")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    func run() throws {
        // Here, not in validate(): swift-argument-parser would wrap the one-line failure in its own.
        try Bounds.check(topk, Bounds.topk, "--topk")
        let model = try buildModel(from: try WeightsFile.load(weights))
        model.eval()
        var results: [ClassifyResult] = []
        var failures = 0, nonFinite = 0
        for path in images {
            do {
                let input = try preprocessImage(path)
                let logits = try withNoGrad { try model(input) }.floats()
                if !logits.allSatisfy(\.isFinite) {
                    nonFinite += 1
                    printError("warning: \(path): the logits are not finite numbers (null in JSON)")
                }
                results.append(ClassifyResult(image: path, logits: logits, topk: topk))
            } catch {
                failures += 1
                printError("error: \(path): \(errorText(error, about: path))")
            }
        }
        if json {
            print(try ClassifyResult.json(results))
        } else {
            for result in results { printText(result) }
        }
        if failures > 0 {
            throw CommandFailure("\(failures) of \(images.count) images could not be classified", exitCode: 2)
        }
        if nonFinite > 0 {
            throw CommandFailure("\(weights): the model gave NaN or infinite logits for \(nonFinite) of " +
                                 "\(images.count) images: the weights hold non-finite values; " +
                                 "use other weights",
                                 exitCode: 2)
        }
    }

    /// The model for the file's keys: DataParallel's `module.` prefix stripped (with a note), the head
    /// width (and VGG's classifier width) read from the file, inception_v3's auxiliary head only when
    /// the file has it.
    private func buildModel(from loaded: StateDict) throws -> Module & UnaryLayer {
        var file = loaded
        if file[arch.headKey] == nil, let stripped = file.strippingDataParallelPrefix() {
            printError("note: \(weights): keys start with '\(StateDict.dataParallelPrefix)' (saved from " +
                       "DataParallel); read without it")
            file = stripped
        }
        guard let head = file[arch.headKey], head.shape.count == 2 else {
            throw CommandFailure("\(weights): no 2-D key \(arch.headKey): not \(arch.rawValue) weights",
                                 exitCode: 2)
        }
        let hidden = file["classifier.0.weight"]?.shape.first ?? 4096
        let model = try arch.build(numClasses: head.shape[0], vggHiddenWidth: hidden,
                                   transformInput: useTransformInput,
                                   inceptionAux: file["AuxLogits.fc.weight"] != nil)
        try model.load(file, from: weights, strict: true)
        return model
    }

    private var useTransformInput: Bool {
        arch == .inception_v3 && (transformInput || preprocess == .standard)
    }

    private func preprocessImage(_ path: String) throws -> Tensor {
        switch preprocess {
        case .standard: return try ImageNetPreprocessing.standard(path, resize: arch.resizeSize,
                                                                  crop: arch.cropSize)
        case .none: return try ImageNetPreprocessing.none(path)
        }
    }

    private func printText(_ result: ClassifyResult) {
        print(result.image)
        for entry in result.top {
            let probability = entry.probability.map { String(format: "%.4f", $0) } ?? "nan"
            print("  \(String(entry.index).padding(toLength: 6, withPad: " ", startingAt: 0)) \(probability)")
        }
    }
}

extension Architecture: ExpressibleByArgument {}
