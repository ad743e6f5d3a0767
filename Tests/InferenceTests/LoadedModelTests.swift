import Foundation
import Inference
import Models
import TestSupport
import Testing
import Torch
import WeightsIO
import WSOL

/// `LoadedModel` in-process: a checkpoint's sidecar rebuilds the very model (method options and
/// input size included), a checkpoint without one inside a run folder still gets the run's input
/// size from config.json, and a file without the WSOL head is refused naming it.
@Suite struct LoadedModelTests {
    init() { configureTestRuntime }

    static func model(imageSize: Int = 96) throws -> WSOLModel {
        var options = MethodOptions(method: .sfpnsc, architecture: .resnet18)
        options.shallowRatio = 0.5
        options.a1 = 0.1
        return try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 3, headWidth: 8, imageSize: imageSize),
                             options)
    }

    @Test func theSidecarRebuildsTheModel() throws {
        let dir = try temporaryDirectory(prefix: "wsol-loaded-model")
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = try Self.model()
        let path = dir.appendingPathComponent("m.safetensors").path
        try Checkpoint.save(saved, to: path, classNames: ["a", "b", "c"])
        let loaded = try LoadedModel(path: path)
        #expect(loaded.model.spec == saved.spec && loaded.model.options == saved.options)
        #expect(loaded.classNames == ["a", "b", "c"])
        let x = try Tensor.zeros([1, 3, 96, 96])
        let label = try Tensor([0] as [Int], shape: [1])
        let ours = try loaded.model(x, selection: .groundTruth(label), background: false)
        saved.eval()
        let theirs = try saved(x, selection: .groundTruth(label), background: false)
        #expect(try (ours.scores - theirs.scores).abs().max().item() == 0)
    }

    @Test func aRunsConfigGivesTheSizeWhereTheSidecarIsMissing() throws {
        let dir = try temporaryDirectory(prefix: "wsol-loaded-model")
        defer { try? FileManager.default.removeItem(at: dir) }
        let checkpoints = dir.appendingPathComponent("run/checkpoints")
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        let path = checkpoints.appendingPathComponent("best.safetensors").path
        try Checkpoint.save(try Self.model(imageSize: 160), to: path)
        try FileManager.default.removeItem(atPath: Checkpoint.sidecarPath(for: path))
        try RunFixture.config(imageSize: 160).write(to: dir.appendingPathComponent("run/config.json"))
        var overrides = LoadedModel.Overrides(architecture: .resnet18, method: .sfpnsc)
        overrides.adjustOptions = { $0.a1 = 0.1 }
        let loaded = try LoadedModel(path: path, overrides: overrides)
        #expect(loaded.sidecar == nil && loaded.model.spec.imageSize == 160)
    }

    @Test func aFileWithoutTheHeadIsRefusedNamingIt() throws {
        let dir = try temporaryDirectory(prefix: "wsol-loaded-model")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("backbone.safetensors").path
        try WeightsFile.saveSafetensors(StateDict(), to: path)
        #expect {
            _ = try LoadedModel(path: path, overrides: LoadedModel.Overrides(architecture: .resnet18, method: .cam))
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("no WSOL class head")
        }
    }
}
