import Models
import NN
import Testing
import Torch
@testable import WSOL

/// The background pass runs the current f2 block as a stand-in copy (METHOD.md section 2): no gradient
/// into the block's weights, gradient into G2, running statistics untouched.
@Suite(.serialized) struct BackgroundPassTests {
    let labels: Tensor

    init() throws { labels = try Tensor([0, 1], shape: [2]) }

    func model(_ arch: Architecture = .resnet18, _ adjust: (inout MethodOptions) -> Void = { _ in }) throws -> WSOLModel {
        TorchRuntime.manualSeed(7)
        var options = MethodOptions(method: .sfpnsc, architecture: arch)
        adjust(&options)
        let m = try WSOLModel(ModelSpec(architecture: arch, numClasses: 2, headWidth: 8, imageSize: 64), options)
        m.train()
        return m
    }

    func input() throws -> Tensor { TorchRuntime.manualSeed(3); return try Tensor.randn([2, 3, 64, 64]) }

    /// Parameters of the f2 block (layer4 and the head for ResNet) and of G2.
    func blockParameters(_ m: WSOLModel) -> [(name: String, tensor: Tensor)] {
        m.namedParameters().filter { $0.name.hasPrefix("layer4.") || $0.name.hasPrefix("classifier_cls.") }
    }

    func gradients(_ parameters: [(name: String, tensor: Tensor)]) throws -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (name, p) in parameters { result[name] = try p.grad?.floats() ?? [Float](repeating: 0, count: p.numel) }
        return result
    }

    @Test(arguments: [BackgroundBatchNorm.batch, .running])
    func backgroundScoresReachG2Only(_ bn: BackgroundBatchNorm) throws {
        let m = try model { $0.backgroundBatchNorm = bn }
        let out = try m(input(), selection: .groundTruth(labels), background: true)
        try #require(out.scoresBackground).sum().backward()
        for (name, p) in blockParameters(m) {
            let g = try p.grad.map { try $0.abs().max().item() } ?? 0
            #expect(g == 0, "\(name) received gradient from the background pass")
        }
        let g2 = try #require(m.namedParameters().first { $0.name == "classifier_loc.0.weight" }?.tensor.grad)
        #expect(try g2.abs().max().item() > 0, "G2 must receive the background pass's gradient")
        // and the backbone below F2 through G2's input
        let below = try #require(m.namedParameters().first { $0.name == "layer3.0.conv1.weight" }?.tensor.grad)
        #expect(try below.abs().max().item() > 0)
    }

    @Test(arguments: [BackgroundBatchNorm.batch, .running])
    func runningStatisticsUntouched(_ bn: BackgroundBatchNorm) throws {
        let x = try input()
        func buffersAfterForward(background: Bool) throws -> [[Double]] {
            let m = try model { $0.backgroundBatchNorm = bn }
            _ = try m(x, selection: .groundTruth(labels), background: background)
            return try m.namedBuffers().map { try $0.tensor.doubles() }
        }
        // The same state after a forward with and without the background pass: only the main pass
        // updated running_mean/var and num_batches_tracked (by exactly one).
        let with = try buffersAfterForward(background: true)
        let without = try buffersAfterForward(background: false)
        #expect(with == without)
        let m = try model()
        _ = try m(x, selection: .groundTruth(labels), background: true)
        let tracked = try #require(m.namedBuffers().first { $0.name == "layer4.0.bn1.num_batches_tracked" })
        #expect(try tracked.tensor.item() == 1)
    }

    /// The f2 block's and head's gradients of an sfpnsc step are the same with and without the term
    /// that reads S_bg (it sends them none), while G2's differ.
    @Test func negativeTermSendsTheBlockNothing() throws {
        let x = try input()
        func step(includingNegative: Bool) throws -> (block: [String: [Float]], g2: [Float]) {
            let m = try model()
            let (_, loss) = try m.trainingLoss(x, labels: labels)
            var total = try loss.total()
            if !includingNegative { total = try total - #require(loss["pnsc_negative"]) }
            try total.backward()
            let g2 = try #require(m.namedParameters().first { $0.name == "classifier_loc.0.weight" }?.tensor.grad)
            return (try gradients(blockParameters(m)), try g2.floats())
        }
        let full = try step(includingNegative: true), partial = try step(includingNegative: false)
        #expect(full.block.count > 10)
        for (name, g) in full.block {
            let other = try #require(partial.block[name])
            let diff = zip(g, other).map { abs($0 - $1) }.max() ?? 0
            #expect(diff < 1e-6, "\(name) changed by \(diff)")
        }
        let g2diff = zip(full.g2, partial.g2).map { abs($0 - $1) }.max() ?? 0
        #expect(g2diff > 1e-6, "G2's gradient must include the negative term")
    }

    /// The mask shapes S_bg: erasing everything (Mf2 = 1) and erasing nothing give different scores,
    /// and the pass leaves the main pass's parameters requiring gradients afterwards.
    @Test func parametersStillTrainAfterThePass() throws {
        let m = try model()
        _ = try m(input(), selection: .groundTruth(labels), background: true)
        let trainable = m.parameters().allSatisfy { $0.requiresGrad }
        #expect(trainable)
        #expect(m.namedModules().allSatisfy { $0.module.detachedPass == nil })
    }
}
