import Models
import NN
import Torch

/// InceptionV3 for WSOL [BAS]: Conv2d_1a with padding 1; both stem max-pools 3/2/1 with ceil_mode;
/// Mixed_6a with stride 1 (padding 1 on its 3x3 stride convolutions, pool 3/1/1); Mixed_7a with
/// padding 1 on its stride-2 convolutions and pool; no AuxLogits or fc. At 224: F1 = Conv2d_4a
/// (192x54x54), F2 = Mixed_6e (768x28x28), F3 14x14.
final class InceptionBackbone: WSOLBackbone {
    let stem: [BasicConv2d]
    let mixed5: [InceptionBlock], mixed6: [InceptionBlock], mixed7: [InceptionBlock]
    let stages: [BackboneStage]
    static let stemNames = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1", "Conv2d_4a_3x3"]

    init() throws {
        let stem = [
            try BasicConv2d(3, 32, kernel: 3, stride: 2, padding: 1), try BasicConv2d(32, 32, kernel: 3),
            try BasicConv2d(32, 64, kernel: 3, padding: 1), try BasicConv2d(64, 80, kernel: 1),
            try BasicConv2d(80, 192, kernel: 3),
        ]
        let mixed5: [InceptionBlock] = [
            try InceptionA(192, poolFeatures: 32), try InceptionA(256, poolFeatures: 64),
            try InceptionA(288, poolFeatures: 64),
        ]
        let mixed6: [InceptionBlock] = [
            try InceptionB(288, strideOne: true), try InceptionC(768, channels7x7: 128),
            try InceptionC(768, channels7x7: 160), try InceptionC(768, channels7x7: 160),
            try InceptionC(768, channels7x7: 192),
        ]
        mixed7 = [try InceptionD(768, paddingOne: true), try InceptionE(1280), try InceptionE(2048)]
        (self.stem, self.mixed5, self.mixed6) = (stem, mixed5, mixed6)
        func pool(_ x: Tensor) throws -> Tensor {
            try x.maxPool2d(kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true)
        }
        stages = [
            BackboneStage(name: "Conv2d_2b", channels: 64) { try stem[2](stem[1](stem[0]($0))) },
            BackboneStage(name: "Conv2d_4a", channels: 192) { try stem[4](stem[3](pool($0))) },
            BackboneStage(name: "Mixed_5d", channels: 288) { x in try mixed5.reduce(pool(x)) { try $1($0) } },
            BackboneStage(name: "Mixed_6e", channels: 768) { x in try mixed6.reduce(x) { try $1($0) } },
        ]
        try Self.initializeAsTorchvision(stem + mixed5 + mixed6 + mixed7)
    }

    /// torchvision's Inception init: truncated normal (std 0.1) convolution weights.
    private static func initializeAsTorchvision(_ blocks: [Module]) throws {
        for block in blocks {
            for (_, module) in block.namedModules() {
                if let conv = module as? Conv2d { try Init.truncatedNormal(conv.weight, std: 0.1) }
            }
        }
    }

    func rest(_ f2: Tensor) throws -> Tensor { try mixed7.reduce(f2) { try $1($0) } }

    var outputChannels: Int { 2048 }
    var modules: [(name: String, module: Module)] {
        let mixedNames = ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
                          "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]
        return zip(Self.stemNames, stem).map { ($0, $1 as Module) }
            + zip(mixedNames, mixed5 + mixed6 + mixed7).map { ($0, $1 as Module) }
    }
    var defaultF1Tap: String { "Conv2d_4a" }
    var newLayerInit: NewLayerInit { .xavierUniform }
    var basSaturatedRatio: Double { 1 }
}
