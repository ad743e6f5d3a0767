import Foundation
import Models
import NN
import TestSupport
import Testing
import Torch
import WeightsIO
@testable import WSOL

/// The levers of the mask study (docs/RESULTS.md): a warm start from another method's checkpoint, the
/// warm-up's classification-only loss, and the diagnostics that show a collapse coming.
@Suite(.serialized) struct WarmStartTests {
    init() { configureTestRuntime }

    let spec = ModelSpec(architecture: .resnet18, numClasses: 3, headWidth: 8, imageSize: 64)

    func model(_ method: WSOL.Method, _ adjust: (inout MethodOptions) -> Void = { _ in }) throws -> WSOLModel {
        var options = MethodOptions(method: method, architecture: .resnet18)
        adjust(&options)
        return try WSOLModel(spec, options)
    }

    func values(_ model: WSOLModel) throws -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: try model.stateDict().map { ($0.name, try $0.tensor.doubles()) })
    }

    /// Saves `model` as a run's checkpoint in a fresh folder; `body` gets its path; the folder goes after.
    func withCheckpoint(of model: WSOLModel, _ body: (String) throws -> Void) throws {
        let dir = try temporaryDirectory(prefix: "warm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("last.safetensors").path
        try Checkpoint.save(model, to: path, classNames: ["a", "b", "c"])
        try body(path)
    }

    /// A cam run's checkpoint starts bas and sfpnsc: backbone and head equal the file's, G2 (and G1)
    /// keep their fresh initialization and are reported as new layers.
    @Test(arguments: [WSOL.Method.bas, .sfpnsc]) func camCheckpointWarmStarts(_ method: WSOL.Method) throws {
        TorchRuntime.manualSeed(3)
        let cam = try model(.cam)
        let camValues = try values(cam)
        try withCheckpoint(of: cam) { path in
            TorchRuntime.manualSeed(4)
            let target = try model(method)
            let before = try values(target)
            let report = try WeightSources.load(path, into: target, warmStart: true)
            #expect(report.kind == .checkpoint)
            let generators = before.keys.filter { $0.hasPrefix("classifier_loc") }.sorted()
            #expect(generators.count == (method == .sfpnsc ? 4 : 2))
            #expect(report.newLayers.sorted() == generators)
            #expect(report.report.skipped.isEmpty && report.report.mismatched.isEmpty)
            let after = try values(target)
            for (key, value) in after {
                if key.hasPrefix("classifier_loc") {
                    #expect(value == before[key], "\(key) keeps its initialization")
                } else {
                    #expect(value == camValues[key], "\(key) comes from the cam checkpoint")
                }
            }
            #expect(after["classifier_loc.0.bias"]!.allSatisfy { $0 == 0 })
            // Without a warm start (resume, eval) the checkpoint must match the model exactly.
            #expect(throws: WeightsError.self) { try WeightSources.load(path, into: target) }
        }
    }

    /// The other way round: an sfpnsc checkpoint into cam skips and lists its generators.
    @Test func generatorsTheModelLacksAreSkipped() throws {
        let sfpnsc = try model(.sfpnsc)
        try withCheckpoint(of: sfpnsc) { path in
            let cam = try model(.cam)
            let report = try WeightSources.load(path, into: cam, warmStart: true)
            #expect(Set(report.report.skipped) == Set(sfpnsc.stateDict().map(\.name).filter { $0.hasPrefix("classifier_loc") }))
            #expect(report.newLayers.isEmpty)
            #expect(try values(cam)["classifier_cls.4.weight"] == values(sfpnsc)["classifier_cls.4.weight"])
        }
    }

    /// A head that does not fit (another class count) still fails, one line naming the key.
    @Test func aHeadOfAnotherShapeFailsNamingTheKey() throws {
        let cam = try model(.cam)
        try withCheckpoint(of: cam) { path in
            let other = try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 5, headWidth: 8, imageSize: 64),
                                      MethodOptions(method: .bas, architecture: .resnet18))
            #expect { try WeightSources.load(path, into: other, warmStart: true) } throws: { error in
                "\(error)".contains("classifier_cls.4.weight") && "\(error)".contains(path) && !"\(error)".contains("\n")
            }
        }
    }

    /// One seed gives cam, bas and sfpnsc the same head, and with `--detach-generators --detach-f3` the
    /// mask losses send the backbone and head exactly CAM's gradient: the methods' runs share one
    /// classifier, so a comparison of their maps is not a comparison of classifiers.
    @Test func oneSeedGivesEveryMethodCAMsClassifier() throws {
        let x = try Tensor.randn([2, 3, 64, 64]), labels = try Tensor([0, 2], shape: [2])
        func classifierGradients(_ method: WSOL.Method) throws -> [String: [Double]] {
            TorchRuntime.manualSeed(5)
            let net = try model(method) {
                if method != .cam { $0.detachGeneratorInput = true; $0.detachF3 = true }
            }
            net.train()
            let output = try net.trainingLoss(x, labels: labels)
            if method != .cam { #expect(output.loss.terms.count > 1) }
            try output.loss.total().backward()
            var gradients: [String: [Double]] = [:]
            for (name, p) in net.namedParameters() where !WSOLModel.generatorPrefixes.contains(where: name.hasPrefix) {
                gradients[name] = try p.grad.map { try $0.doubles() } ?? []
                if name.hasPrefix("classifier_cls") { gradients[name + " value"] = try p.doubles() }
            }
            return gradients
        }
        let cam = try classifierGradients(.cam)
        #expect(cam["classifier_cls.0.weight"]?.isEmpty == false)
        for method in [WSOL.Method.bas, .sfpnsc] {
            let other = try classifierGradients(method)
            #expect(other.keys.sorted() == cam.keys.sorted())
            for (name, values) in cam { #expect(other[name] == values, "\(method) \(name)") }
        }
    }

    /// During a warm-up the loss is L_cls alone: the generators get no gradient; after it, they do.
    @Test func warmUpSendsNoGradientToTheGenerators() throws {
        let net = try model(.sfpnsc) { $0.foregroundCE = 0.5 }
        net.train()
        let x = try Tensor.randn([2, 3, 64, 64]), labels = try Tensor([0, 2], shape: [2])
        func generatorGradients() -> [Tensor?] {
            net.namedParameters().filter { $0.name.hasPrefix("classifier_loc") }.map(\.tensor.grad)
        }
        let warm = try net.trainingLoss(x, labels: labels, warmUp: true)
        #expect(warm.loss.terms.map(\.name) == ["cls"])
        try warm.loss.total().backward()
        #expect(generatorGradients().allSatisfy { $0 == nil })
        #expect(net.namedParameters().first { $0.name == "classifier_cls.4.weight" }?.tensor.grad != nil)
        for p in net.parameters() { try p.zeroGrad() }
        let full = try net.trainingLoss(x, labels: labels)
        #expect(full.loss.terms.map(\.name).contains("fg_cls"))
        try full.loss.total().backward()
        #expect(generatorGradients().allSatisfy { $0 != nil })
    }

    /// `--mask-seed`: in the warm-up G1 and G2 learn the CAM on detached features, so every other
    /// parameter's gradient is the plain warm-up's (L_cls alone), and only the generators get more.
    @Test func maskSeedTrainsOnlyTheGenerators() throws {
        let net = try model(.sfpnsc) { $0.maskSeed = 2 }
        net.train()
        let x = try Tensor.randn([2, 3, 64, 64]), labels = try Tensor([0, 2], shape: [2])
        func gradients() throws -> [String: [Double]] {
            var all: [String: [Double]] = [:]
            for (name, p) in net.namedParameters() { if let g = p.grad { all[name] = try g.doubles() } }
            return all
        }
        let seeded = try net.trainingLoss(x, labels: labels, warmUp: true)
        #expect(seeded.loss.terms.map(\.name) == ["cls", "mask_seed"])
        try seeded.loss.total().backward()
        let withSeed = try gradients()
        for p in net.parameters() { try p.zeroGrad() }
        try crossEntropy(net.trainingLoss(x, labels: labels, warmUp: true).outputs.scores, labels).backward()
        let plain = try gradients()
        for (name, g) in withSeed where !name.hasPrefix("classifier_loc") {
            let reference = try #require(plain[name])
            #expect(relativeError(g, reference) < 1e-5, "\(name)")
        }
        #expect(withSeed.keys.filter { $0.hasPrefix("classifier_loc") }.count == 4)
    }

    /// The seed's target: each image's CAM min-max normalized (with 1e-5 in the denominator).
    @Test func maskSeedTargetIsTheNormalizedCAM() throws {
        let cam = try Tensor([0, 2, 4, 8, 1, 1, 1, 3] as [Double], shape: [2, 1, 2, 2])
        let target = try normalizedMap(cam, size: [2, 2]).doubles()
        let expected = [0, 2, 4, 8].map { $0 / 8.00001 } + [0, 0, 0, 2].map { $0 / 2.00001 }
        #expect(relativeError(target, expected) < 1e-6)
    }

    /// Percentiles by nearest rank over every pixel: 0.00, 0.01, ..., 0.99.
    @Test func mapStatisticsOnAKnownMap() throws {
        let map = try Tensor((0..<100).map { Double($0) / 100 }, shape: [1, 1, 10, 10])
        let s = try MapStatistics.summary(map, prefix: "mf2")
        #expect(abs(s["mf2_mean"]! - 0.495) < 1e-6)
        #expect(abs(s["mf2_p10"]! - 0.09) < 1e-6 && abs(s["mf2_p90"]! - 0.89) < 1e-6)
        #expect(abs(s["mf2_above_half"]! - 0.49) < 1e-6)
    }

    /// The area terms' gradients are known by hand: d(a * mean(M))/dM = a / N on the selected channel's
    /// N = batch x H x W pixels, so the norm is a / sqrt(N); the stop-gradient pseudo-labels send the
    /// other map nothing. Measuring touches no parameter gradient and no running statistic.
    @Test func gradientNormsOnTheMaps() throws {
        let net = try model(.sfpnsc) { $0.a1 = 2; $0.a2 = 3 }
        net.train()
        let buffers = try values(net)
        let x = try Tensor.randn([2, 3, 64, 64]), labels = try Tensor([1, 0], shape: [2])
        let norms = try net.lossGradientsOnMaps(x, labels: labels)
        // 64 px: Mf2 8x8, Mf1 (layer1) 16x16.
        #expect(abs(norms["grad_mf2_sf_area_deep"]! - 3 / (2.0 * 64).squareRoot()) < 1e-5)
        #expect(abs(norms["grad_mf1_sf_area_shallow"]! - 2 / (2.0 * 256).squareRoot()) < 1e-5)
        #expect(norms["grad_mf2_sf_area_shallow"] == 0 && norms["grad_mf2_sf_shallow"] == 0)
        #expect(norms["grad_mf1_sf_deep"] == 0)
        #expect(norms["grad_mf2_pnsc_negative"]! > 0 && norms["grad_mf2_pnsc_positive"]! >= 0)
        #expect(norms["grad_mf2_cls"] == nil)
        #expect(net.parameters().allSatisfy { $0.grad == nil })
        #expect(try values(net) == buffers)
        #expect(try model(.cam).lossGradientsOnMaps(x, labels: labels).isEmpty)
    }

    /// `--mask-channels one`: G1 and G2 make one class-agnostic map, which every class selection
    /// returns; a per-class checkpoint warm-starts it with fresh generators (skipped and reported).
    @Test func classAgnosticMaps() throws {
        let net = try model(.sfpnsc) { $0.maskChannels = .one }
        let shapes = Dictionary(uniqueKeysWithValues: net.stateDict().map { ($0.name, $0.tensor.shape) })
        #expect(shapes["classifier_loc.0.weight"] == [1, 256, 3, 3])
        #expect(shapes["classifier_loc_shallow.0.weight"] == [1, 64, 3, 3])
        net.eval()
        let x = try Tensor.randn([2, 3, 64, 64])
        let out = try net(x, selection: .groundTruth(try Tensor([0, 2], shape: [2])), background: false)
        let gt = try out.map(.deep, .groundTruth(try Tensor([1, 1], shape: [2]))).doubles()
        #expect(try out.map(.deep, .topK(3)).doubles() == gt && out.mf2!.doubles() == gt)
        try withCheckpoint(of: try model(.sfpnsc)) { path in
            let report = try WeightSources.load(path, into: net, warmStart: true)
            #expect(Set(report.newLayers) == Set(shapes.keys.filter { $0.hasPrefix("classifier_loc") }))
        }
    }
}
