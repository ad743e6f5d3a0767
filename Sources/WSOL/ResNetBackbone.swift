import Models
import NN
import Torch

/// ResNet18/50 for WSOL [BAS]: layer3 and layer4 with stride 1, a 2x2 max-pool between them, no
/// avgpool or fc. F1 = layer1 (56x56 at 224), F2 = layer3 (28x28); the f2 block is the max-pool,
/// layer4 and the head (F3 14x14).
final class ResNetBackbone: WSOLBackbone {
    let net: ResNet
    let stages: [BackboneStage]
    let outputChannels: Int

    init(kind: ResidualBlock.Kind, blocks: [Int]) throws {
        // numClasses 1: torchvision's fc is built by ResNet's initializer but never registered here.
        let net = try ResNet(kind: kind, blocks: blocks, numClasses: 1, strides: [1, 2, 1, 1])
        self.net = net
        let e = kind.expansion
        stages = [
            BackboneStage(name: "stem", channels: 64) { try net.stem($0) },
            BackboneStage(name: "layer1", channels: 64 * e) { try net.layer1($0) },
            BackboneStage(name: "layer2", channels: 128 * e) { try net.layer2($0) },
            BackboneStage(name: "layer3", channels: 256 * e) { try net.layer3($0) },
        ]
        outputChannels = 512 * e
    }

    func rest(_ f2: Tensor) throws -> Tensor {
        try net.layer4(f2.maxPool2d(kernelSize: [2, 2]))
    }

    var modules: [(name: String, module: Module)] {
        net.children.filter { $0.name != "avgpool" && $0.name != "fc" }
    }
    var defaultF1Tap: String { "layer1" }
    var newLayerInit: NewLayerInit { .xavierUniform }
    var basSaturatedRatio: Double { 1 }
}
