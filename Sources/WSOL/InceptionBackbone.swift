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

    init() throws {
        let stem = try InceptionV3.makeStem(firstPadding: 1)
        let mixed = try InceptionV3.makeMixed(keepResolution: true)
        let mixed5 = Array(mixed[0..<3]), mixed6 = Array(mixed[3..<8])
        (self.stem, self.mixed5, self.mixed6, mixed7) = (stem, mixed5, mixed6, Array(mixed[8...]))
        func pool(_ x: Tensor) throws -> Tensor {
            try x.maxPool2d(kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true)
        }
        stages = [
            BackboneStage(name: "Conv2d_2b", channels: 64) { try stem[2](stem[1](stem[0]($0))) },
            BackboneStage(name: "Conv2d_4a", channels: 192) { try stem[4](stem[3](pool($0))) },
            BackboneStage(name: "Mixed_5d", channels: 288) { x in try mixed5.reduce(pool(x)) { try $1($0) } },
            BackboneStage(name: "Mixed_6e", channels: 768) { x in try mixed6.reduce(x) { try $1($0) } },
        ]
        try InceptionV3.initializeConvolutions((stem + mixed).flatMap { $0.namedModules() })
    }

    func rest(_ f2: Tensor) throws -> Tensor { try mixed7.reduce(f2) { try $1($0) } }

    var outputChannels: Int { 2048 }
    var modules: [(name: String, module: Module)] {
        zip(InceptionV3.stemNames, stem).map { ($0, $1 as Module) }
            + zip(InceptionV3.mixedNames, mixed5 + mixed6 + mixed7).map { ($0, $1 as Module) }
    }
    var defaultF1Tap: String { "Conv2d_4a" }
    var newLayerInit: NewLayerInit { .xavierUniform }
    var basSaturatedRatio: Double { 1 }
}
