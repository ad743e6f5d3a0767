import Models
import NN
import Torch

/// VGG16 for WSOL [BAS]: torchvision's `features` without pool5 (indices 0-29), no classifier (its
/// 25088x4096 layer is never allocated). F1 = relu3_3 (56x56 at 224), F2 = relu4_3 (28x28); the f2
/// block is pool4 and conv5_1-5_3 with their ReLUs, then the head.
final class VGGBackbone: WSOLBackbone {
    let features: Sequential
    let stages: [BackboneStage]

    init() throws {
        let features = Sequential(Array(try VGG16.featureLayers().prefix(30)))
        self.features = features
        // torchvision indices of each ReLU that ends a block: relu1_2 = 3, relu2_2 = 8, ...
        stages = [
            BackboneStage(name: "relu1_2", channels: 64) { try features($0, layers: 0...3) },
            BackboneStage(name: "relu2_2", channels: 128) { try features($0, layers: 4...8) },
            BackboneStage(name: "relu3_3", channels: 256) { try features($0, layers: 9...15) },
            BackboneStage(name: "relu4_3", channels: 512) { try features($0, layers: 16...22) },
        ]
    }

    func rest(_ f2: Tensor) throws -> Tensor { try features(f2, layers: 23...29) }

    var outputChannels: Int { 512 }
    var modules: [(name: String, module: Module)] { [("features", features)] }
    var defaultF1Tap: String { "relu3_3" }
    var newLayerInit: NewLayerInit { .normal002 }
    var basSaturatedRatio: Double { 0 }
}
