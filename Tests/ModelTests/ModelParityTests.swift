import Foundation
import Models
import NN
import Testing
import TestSupport
import Torch
import WeightsIO

/// ||ours - ref||2 / ||ref||2.
func relativeL2(_ ours: [Float], _ reference: [Float]) -> Double {
    var diff = 0.0, norm = 0.0
    for (a, b) in zip(ours, reference) {
        diff += Double(a - b) * Double(a - b)
        norm += Double(b) * Double(b)
    }
    return (diff / max(norm, 1e-30)).squareRoot()
}

func topIndices(_ row: ArraySlice<Float>, _ k: Int) -> [Int] {
    Array(row.indices.sorted { row[$0] > row[$1] }.prefix(k)).map { $0 - row.startIndex }
}

/// The model for a reference case, built with the head the weights file describes.
func buildModel(_ arch: String, _ file: StateDict) throws -> Module & UnaryLayer {
    let name = ["vgg16_narrow": "vgg16", "inception_v3_ti": "inception_v3"][arch] ?? arch
    let architecture = Architecture(rawValue: name)!
    let classes = file[architecture.headKey]!.shape[0]
    let hidden = file["classifier.0.weight"]?.shape.first ?? 4096
    return try architecture.build(numClasses: classes, vggHiddenWidth: hidden, transformInput: arch == "inception_v3_ti")
}

/// Our eval-mode logits equal torchvision's for every weight-file format.
func checkParity(arch: String, size: Int) throws {
    let dir = try Reference.run("models.py", arguments: [arch, String(size)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = try Reference.tensor(dir, "input")
    let expected = try Reference.load(dir, "logits").floats()
    let classes = try Reference.load(dir, "logits").shape[1]
    for format in ["weights.pth", "weights_legacy.pth", "weights.safetensors"] {
        let path = dir.appendingPathComponent(format).path
        let file = try WeightsFile.load(path)
        let model = try buildModel(arch, file)
        try model.load(file, from: path)
        model.eval()
        let logits = try withNoGrad { try model(input) }.floats()
        #expect(relativeL2(logits, expected) < 1e-4, "\(arch) \(format): relative L2 \(relativeL2(logits, expected))")
        for row in 0..<2 {
            let range = (row * classes)..<((row + 1) * classes)
            #expect(topIndices(logits[range], 5) == topIndices(expected[range], 5), "\(arch) \(format) image \(row)")
        }
    }
}

@Suite("torchvision models: eval-mode parity", .serialized)
struct ModelParityTests {
    init() { configureTestRuntime }

    /// Reduced input sizes and a narrow VGG classifier keep `make test` fast; the full sizes run in
    /// `make parity-full` (WSOL_FULL_PARITY=1).
    @Test(arguments: [("resnet18", 64), ("resnet50", 64), ("inception_v3", 96), ("inception_v3_ti", 80),
                      ("vgg16_narrow", 64)])
    func matchesTorchvision(arch: String, size: Int) throws {
        try checkParity(arch: arch, size: size)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["WSOL_FULL_PARITY"] == "1"),
          arguments: [("vgg16", 224), ("resnet50", 224), ("inception_v3", 299)])
    func matchesTorchvisionAtFullSize(arch: String, size: Int) throws {
        try checkParity(arch: arch, size: size)
    }

    @Test func stateDictKeysAreTorchvisions() throws {
        let dir = try Reference.run("models.py", arguments: ["resnet18", "64"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try WeightsFile.load(dir.appendingPathComponent("weights.pth").path)
        let model = try ResNet.resnet18()
        #expect(model.stateDict().map(\.name) == file.keys)
    }
}

@Suite("resnet18 training step against PyTorch", .serialized)
struct TrainingStepParityTests {
    init() { configureTestRuntime }

    @Test func forwardBackwardAndSGDStepMatch() throws {
        let dir = try Reference.run("models.py", arguments: ["resnet18", "64", "--train-step"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("weights.pth").path
        let file = try WeightsFile.load(path)
        let model = try buildModel("resnet18", file)
        try model.load(file, from: path)
        model.train()
        let optimizer = try SGD(groups: [.init(params: model.parameters(), lr: 0.05, weightDecay: 1e-4)], momentum: 0.9)
        try optimizer.zeroGrad()
        let logits = try model(Reference.tensor(dir, "input"))
        let loss = try crossEntropy(logits, Reference.tensor(dir, "train_target"))
        try loss.backward()
        #expect(try relativeError(logits, Reference.load(dir, "train_logits")) < 1e-4)
        for (name, parameter) in model.namedParameters() {
            let grad = try #require(parameter.grad, "\(name) has no gradient")
            #expect(try relativeError(grad, Reference.load(dir, "grad__\(name)")) < 1e-4, "gradient of \(name)")
        }
        try optimizer.step()
        for (name, tensor) in model.stateDict() {
            #expect(try relativeError(tensor, Reference.load(dir, "after__\(name)")) < 1e-4, "\(name) after the step")
        }
    }
}
