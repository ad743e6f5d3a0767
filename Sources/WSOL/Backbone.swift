import Models
import NN
import Torch

/// One named step of a backbone up to F2; its output can be tapped as F1.
public struct BackboneStage {
    public let name: String
    /// Output channels.
    public let channels: Int
    let run: (Tensor) throws -> Tensor
}

/// How new layers (head, G1, G2) start: BAS's choice per backbone.
public enum NewLayerInit: Sendable {
    /// normal(0, 0.02) weights (BAS's VGG), zero biases.
    case normal002
    /// xavier_uniform weights, zero biases (BAS's ResNet and Inception).
    case xavierUniform
}

/// A torchvision backbone cut for WSOL (METHOD.md section 1): stages from the input to F2, then the
/// rest of the backbone up to the class head. Its modules are registered at the WSOL model's root,
/// so their keys are torchvision's.
public protocol WSOLBackbone: AnyObject {
    /// The stages in order; the last stage's output is F2.
    var stages: [BackboneStage] { get }
    /// The backbone after F2 (the f2 block without the head).
    func rest(_ f2: Tensor) throws -> Tensor
    /// Channels of `rest`'s output, the class head's input.
    var outputChannels: Int { get }
    /// The top-level modules, with their torchvision names, in torchvision's order.
    var modules: [(name: String, module: Module)] { get }
    var defaultF1Tap: String { get }
    var newLayerInit: NewLayerInit { get }
    /// BAS's value of the ratio r where the background outscores the image: 0 for VGG, 1 otherwise.
    var basSaturatedRatio: Double { get }
}

extension WSOLBackbone {
    /// Runs the stages, returning F1 (the output of the stage named `f1Tap`) and F2.
    func features(_ x: Tensor, f1Tap: String) throws -> (f1: Tensor, f2: Tensor) {
        var y = x
        var f1: Tensor?
        for stage in stages {
            y = try stage.run(y)
            if stage.name == f1Tap { f1 = y }
        }
        guard let f1 else { throw WSOLError("F1 tap \(f1Tap) is not a stage of this backbone") }
        return (f1, y)
    }

    /// Runs the stages after `f1Tap` on an F1-sized input, returning F2.
    func features(fromF1 f1: Tensor, f1Tap: String) throws -> Tensor {
        guard let tap = stages.firstIndex(where: { $0.name == f1Tap }) else {
            throw WSOLError("F1 tap \(f1Tap) is not a stage of this backbone")
        }
        return try stages[(tap + 1)...].reduce(f1) { try $1.run($0) }
    }

    /// The F1 taps this backbone offers: every stage before F2's.
    public var f1Taps: [String] { stages.dropLast().map(\.name) }

    public func channels(of stage: String) -> Int? { stages.first { $0.name == stage }?.channels }

    public var f2Channels: Int { stages.last!.channels }
}

/// Builds the backbone of an architecture with torchvision's default initialization.
public func makeBackbone(_ architecture: Architecture) throws -> any WSOLBackbone {
    switch architecture {
    case .vgg16: return try VGGBackbone()
    case .resnet18: return try ResNetBackbone(kind: .basic, blocks: [2, 2, 2, 2])
    case .resnet50: return try ResNetBackbone(kind: .bottleneck, blocks: [3, 4, 6, 3])
    case .inception_v3: return try InceptionBackbone()
    }
}
