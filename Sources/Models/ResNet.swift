import NN
import Torch

/// A residual block: BasicBlock (ResNet18/34) or Bottleneck (ResNet50+, stride on the 3x3 as in
/// torchvision's v1.5).
public final class ResidualBlock: Module, UnaryLayer {
    public enum Kind: Sendable { case basic, bottleneck
        public var expansion: Int { self == .basic ? 1 : 4 }
    }

    let convs: [Conv2d]
    let norms: [BatchNorm2d]
    public let downsample: Sequential?

    public init(kind: Kind, inChannels: Int, width: Int, stride: Int) throws {
        let out = width * kind.expansion
        switch kind {
        case .basic:
            convs = [
                try Conv2d(inChannels, width, kernelSize: 3, stride: stride, padding: 1, bias: false),
                try Conv2d(width, width, kernelSize: 3, padding: 1, bias: false),
            ]
        case .bottleneck:
            convs = [
                try Conv2d(inChannels, width, kernelSize: 1, bias: false),
                try Conv2d(width, width, kernelSize: 3, stride: stride, padding: 1, bias: false),
                try Conv2d(width, out, kernelSize: 1, bias: false),
            ]
        }
        norms = try convs.map { try BatchNorm2d($0.weight.shape[0]) }
        downsample = (stride != 1 || inChannels != out)
            ? Sequential([try Conv2d(inChannels, out, kernelSize: 1, stride: stride, bias: false),
                          try BatchNorm2d(out)])
            : nil
        super.init()
        for (index, (conv, norm)) in zip(convs, norms).enumerated() {
            registerChild("conv\(index + 1)", conv)
            registerChild("bn\(index + 1)", norm)
        }
        if let downsample { registerChild("downsample", downsample) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        for (index, (conv, norm)) in zip(convs, norms).enumerated() {
            y = try norm(conv(y))
            if index < convs.count - 1 { y = try y.relu() }
        }
        return try (y + (downsample?(x) ?? x)).relu()
    }
}

/// torchvision's ResNet: conv1, bn1, relu, maxpool, layer1-4, avgpool, fc.
public final class ResNet: Module, UnaryLayer {
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let maxpool: MaxPool2d
    public let layer1: Sequential, layer2: Sequential, layer3: Sequential, layer4: Sequential
    public let avgpool: AdaptiveAvgPool2d
    public let fc: Linear

    public static func resnet18(numClasses: Int = 1000) throws -> ResNet {
        try ResNet(kind: .basic, blocks: [2, 2, 2, 2], numClasses: numClasses)
    }

    public static func resnet50(numClasses: Int = 1000) throws -> ResNet {
        try ResNet(kind: .bottleneck, blocks: [3, 4, 6, 3], numClasses: numClasses)
    }

    /// `strides` are layer1-4's first-block strides (torchvision: 1, 2, 2, 2).
    public init(kind: ResidualBlock.Kind, blocks: [Int], numClasses: Int,
                strides: [Int] = [1, 2, 2, 2]) throws {
        conv1 = try Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false)
        bn1 = try BatchNorm2d(64)
        maxpool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
        var channels = 64
        var stages: [Sequential] = []
        for (stage, count) in blocks.enumerated() {
            let width = 64 << stage
            var stageBlocks: [any UnaryLayer] = []
            for index in 0..<count {
                let block = try ResidualBlock(kind: kind, inChannels: channels, width: width,
                                              stride: index == 0 ? strides[stage] : 1)
                stageBlocks.append(block)
                channels = width * kind.expansion
            }
            stages.append(Sequential(stageBlocks))
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3])
        avgpool = AdaptiveAvgPool2d([1, 1])
        fc = try Linear(channels, numClasses)
        super.init()
        registerChild("conv1", conv1)
        registerChild("bn1", bn1)
        registerChild("relu", ReLU())
        registerChild("maxpool", maxpool)
        for (index, stage) in stages.enumerated() { registerChild("layer\(index + 1)", stage) }
        registerChild("avgpool", avgpool)
        registerChild("fc", fc)
        for (_, module) in namedModules() {
            if let conv = module as? Conv2d { try Init.kaimingNormalFanOut(conv.weight) }
        }
    }

    /// conv1 through maxpool.
    public func stem(_ x: Tensor) throws -> Tensor {
        try maxpool(bn1(conv1(x)).relu())
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try layer4(layer3(layer2(layer1(stem(x)))))
        return try fc(avgpool(y).flatten(startDim: 1))
    }
}
