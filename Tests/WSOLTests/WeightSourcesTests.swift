import Foundation
import Models
import NN
import TestSupport
import Testing
import Torch
import WeightsIO
@testable import WSOL

/// The weight files users have, written by Debian's torch (Tests/reference/wsol_checkpoints.py).
@Suite(.serialized) struct WeightSourcesTests {
    func keys(_ dir: URL, _ file: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(contentsOf: dir.appendingPathComponent("\(file).keys.json")))
    }

    /// BAS-Ext checkpoints load for `bas` with nothing missing or unexpected: VGG16 through the
    /// conv1_1 ... conv5_3 map, ResNet50 by torchvision's names, and a DataParallel `module.` file.
    @Test(arguments: [("vgg16", false), ("resnet50", false), ("resnet18", true)])
    func basExtCheckpointLoads(_ arch: String, _ dataParallel: Bool) throws {
        let dir = try Reference.run("wsol_checkpoints.py", arguments: ["bas", arch, "5", "16"] + (dataParallel ? ["--dataparallel"] : []))
        let architecture = try #require(Architecture(rawValue: arch))
        let model = try WSOLModel(ModelSpec(architecture: architecture, numClasses: 5, headWidth: 16),
                                  MethodOptions(method: .bas, architecture: architecture))
        let path = dir.appendingPathComponent("\(arch)-bas.pth.tar").path
        let result = try WeightSources.load(path, into: model)
        #expect(result.kind == .basExt)
        #expect(result.report.isExact && result.report.skipped.isEmpty)
        #expect(result.notes.contains { $0.contains("conv1_1") } == (arch == "vgg16"))
        #expect(result.notes.contains { $0.contains("module.") } == dataParallel)
        // Every tensor arrived: compare one backbone weight and one head weight with the file.
        let file = try WeightsFile.load(path)
        let firstConv = arch == "vgg16" ? "conv1_1.weight" : "conv1.weight"
        let prefix = dataParallel ? "module." : ""
        let ours = try #require(model.stateDict().first { $0.name == (arch == "vgg16" ? "features.0.weight" : "conv1.weight") })
        #expect(try ours.tensor.floats() == #require(file[prefix + firstConv]).floats())
        let loc = try #require(model.stateDict().first { $0.name == "classifier_loc.0.weight" })
        #expect(try loc.tensor.floats() == #require(file[prefix + "classifier_loc.0.weight"]).floats())
    }

    /// A torchvision ImageNet file loads into every WSOL backbone, skipping exactly its classifier
    /// keys and leaving exactly the new layers (head, G1, G2) at their initialization.
    @Test(arguments: ["resnet18", "vgg16", "resnet50", "inception_v3"])
    func imagenetFileLoadsBackbone(_ arch: String) throws {
        let dir = try Reference.run("wsol_checkpoints.py", arguments: ["imagenet", arch])
        let architecture = try #require(Architecture(rawValue: arch))
        let model = try WSOLModel(ModelSpec(architecture: architecture, numClasses: 4, headWidth: 8),
                                  MethodOptions(method: .sfpnsc, architecture: architecture))
        let file = "\(arch)-imagenet.pth"
        let result = try WeightSources.load(dir.appendingPathComponent(file).path, into: model)
        #expect(result.kind == .imagenet)
        let fileKeys = try keys(dir, file)
        let expectedSkipped = fileKeys.filter(WeightSources.isImageNetHead)
        #expect(!expectedSkipped.isEmpty)
        #expect(Set(result.report.skipped) == Set(expectedSkipped))
        let newLayers = model.stateDict().map(\.name).filter { $0.hasPrefix("classifier_") }
        #expect(Set(result.newLayers) == Set(newLayers))
        #expect(newLayers.count == 10)
        #expect(result.report.unexpected.isEmpty && result.report.mismatched.isEmpty)
    }

    @Test func wrongArchitectureIsOneLineNamingTheKey() throws {
        let dir = try Reference.run("wsol_checkpoints.py", arguments: ["imagenet", "resnet18"])
        let model = try WSOLModel(ModelSpec(architecture: .resnet50, numClasses: 4, headWidth: 8),
                                  MethodOptions(method: .cam, architecture: .resnet50))
        let path = dir.appendingPathComponent("resnet18-imagenet.pth").path
        #expect { try WeightSources.load(path, into: model) } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("layer") && !text.contains("\n")
        }
    }

    /// Our checkpoint round trip: state dict and sidecar, loaded strictly.
    @Test func checkpointRoundTrip() throws {
        let spec = ModelSpec(architecture: .resnet18, numClasses: 3, headWidth: 8, imageSize: 64)
        var options = MethodOptions(method: .sfpnsc, architecture: .resnet18)
        options.a1 = 0.25
        let model = try WSOLModel(spec, options)
        let dir = try temporaryDirectory(prefix: "ckpt")
        let path = dir.appendingPathComponent("last.safetensors").path
        try Checkpoint.save(model, to: path, classNames: ["a", "b", "c"], training: ["epoch": .number(2)])
        let sidecar = try #require(try Checkpoint.sidecar(for: path))
        let info = try #require(sidecar.wsol)
        #expect(info.spec == spec && info.options == options && sidecar.classNames == ["a", "b", "c"])
        #expect(sidecar.training?["epoch"] == .number(2) && sidecar.productVersion == Product.version)
        let copy = try WSOLModel(info.spec, info.options)
        let result = try WeightSources.load(path, into: copy)
        #expect(result.kind == .checkpoint && result.report.isExact)
        for (a, b) in zip(model.stateDict(), copy.stateDict()) {
            let same = try a.tensor.doubles() == b.tensor.doubles()
            #expect(a.name == b.name && same)
        }
        // A checkpoint of another method does not fit: one line naming the first key.
        let cam = try WSOLModel(spec, MethodOptions(method: .cam, architecture: .resnet18))
        #expect(throws: WeightsError.self) { try WeightSources.load(path, into: cam) }
    }
}
