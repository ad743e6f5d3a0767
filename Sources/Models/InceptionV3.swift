import NN
import Torch

/// torchvision's Inception v3 (eval-mode forward; the auxiliary head is kept for its weights).
public final class InceptionV3: Module, UnaryLayer {
    public let transformInput: Bool
    public let stem: [BasicConv2d]
    public let mixed: [InceptionBlock]
    /// torchvision's `AuxLogits` (the field named as its key).
    public let AuxLogits: InceptionAux?
    public let fc: Linear

    /// torchvision's names of the stem convolutions and the Mixed blocks (the checkpoint keys).
    public static let stemNames = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1",
                                   "Conv2d_4a_3x3"]
    public static let mixedNames = ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c",
                                    "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]

    /// The five stem convolutions; `firstPadding` is Conv2d_1a's (WSOL's backbone uses 1).
    public static func makeStem(firstPadding: Int = 0) throws -> [BasicConv2d] {
        [
            try BasicConv2d(3, 32, kernel: 3, stride: 2, padding: firstPadding),
            try BasicConv2d(32, 32, kernel: 3),
            try BasicConv2d(32, 64, kernel: 3, padding: 1), try BasicConv2d(64, 80, kernel: 1),
            try BasicConv2d(80, 192, kernel: 3),
        ]
    }

    /// Mixed_5b to Mixed_7c. `keepResolution` gives Mixed_6a stride 1 and Mixed_7a padding 1 on its
    /// stride-2 convolutions and pool (WSOL's backbone, so that F3 is 14x14 at 224).
    public static func makeMixed(keepResolution: Bool = false) throws -> [InceptionBlock] {
        [
            try InceptionA(192, poolFeatures: 32), try InceptionA(256, poolFeatures: 64),
            try InceptionA(288, poolFeatures: 64),
            try InceptionB(288, strideOne: keepResolution),
            try InceptionC(768, channels7x7: 128), try InceptionC(768, channels7x7: 160),
            try InceptionC(768, channels7x7: 160), try InceptionC(768, channels7x7: 192),
            try InceptionD(768, paddingOne: keepResolution), try InceptionE(1280), try InceptionE(2048),
        ]
    }

    /// torchvision's init: every convolution's weight from a truncated normal, std 0.1 unless `std` says.
    public static func initializeConvolutions(_ modules: [(name: String, module: Module)],
                                              std: (String) -> Double = { _ in 0.1 }) throws {
        for (name, module) in modules {
            if let conv = module as? Conv2d { try Init.truncatedNormal(conv.weight, std: std(name)) }
            if let linear = module as? Linear { try Init.truncatedNormal(linear.weight, std: std(name)) }
        }
    }

    public init(numClasses: Int = 1000, auxLogits withAux: Bool = true, transformInput: Bool = false) throws {
        self.transformInput = transformInput
        stem = try Self.makeStem()
        mixed = try Self.makeMixed()
        AuxLogits = withAux ? try InceptionAux(768, numClasses: numClasses) : nil
        fc = try Linear(2048, numClasses)
        super.init()
        for (name, conv) in zip(Self.stemNames, stem) { registerChild(name, conv) }
        for (index, (name, block)) in zip(Self.mixedNames, mixed).enumerated() {
            registerChild(name, block)
            if index == 7, let AuxLogits { registerChild("AuxLogits", AuxLogits) }
        }
        registerChild("fc", fc)
        try initializeAsTorchvision()
    }

    /// torchvision: truncated normal (std 0.1; 0.01 for AuxLogits.conv1, 0.001 for AuxLogits.fc).
    private func initializeAsTorchvision() throws {
        try Self.initializeConvolutions(namedModules()) { name in
            name == "AuxLogits.conv1.conv" ? 0.01 : name == "AuxLogits.fc" ? 0.001 : 0.1
        }
    }

    /// ImageNet mean/std normalized input re-normalized as (x - 0.5) / 0.5, as torchvision's
    /// pretrained Inception expects.
    public static func transformInput(_ x: Tensor) throws -> Tensor {
        let mean = ImageIO.imagenetMean.map(Double.init), std = ImageIO.imagenetStd.map(Double.init)
        let channels = try (0..<3).map { c in
            try x.slice(dim: 1, start: c, end: c + 1) * (std[c] / 0.5) + (mean[c] - 0.5) / 0.5
        }
        return try Tensor.cat(channels, dim: 1)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = transformInput ? try Self.transformInput(x) : x
        y = try stem[2](stem[1](stem[0](y))).maxPool2d(kernelSize: [3, 3], stride: [2, 2])
        y = try stem[4](stem[3](y)).maxPool2d(kernelSize: [3, 3], stride: [2, 2])
        for block in mixed { y = try block(y) }
        y = try y.adaptiveAvgPool2d([1, 1]).dropout(p: 0.5, training: isTraining).flatten(startDim: 1)
        return try fc(y)
    }
}
