import NN
import Torch

/// torchvision's VGG16 (configuration "D", no batch norm): `features` (13 convolutions with ReLU and
/// 5 max-pools, indices as torchvision's), `avgpool` (adaptive 7x7), `classifier` (4096-4096-classes).
public final class VGG16: Module, UnaryLayer {
    /// Channels per convolution; 0 marks a max-pool.
    public static let configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0,
                                       512, 512, 512, 0]

    public let features: Sequential
    public let avgpool: AdaptiveAvgPool2d
    public let classifier: Sequential

    /// `hiddenWidth` is the classifier's width (torchvision: 4096); narrower widths serve tests.
    public init(numClasses: Int = 1000, hiddenWidth: Int = 4096) throws {
        features = Sequential(try Self.featureLayers())
        avgpool = AdaptiveAvgPool2d([7, 7])
        classifier = Sequential([
            try Linear(512 * 7 * 7, hiddenWidth), ReLU(), Dropout(),
            try Linear(hiddenWidth, hiddenWidth), ReLU(), Dropout(),
            try Linear(hiddenWidth, numClasses),
        ])
        super.init()
        registerChild("features", features)
        registerChild("avgpool", avgpool)
        registerChild("classifier", classifier)
        try initializeAsTorchvision()
    }

    /// `features` as torchvision builds it (indices 0-30: convolutions, ReLUs, max-pools), with
    /// torchvision's initialization, for models that reuse VGG16's convolutions without its classifier.
    public static func featureLayers() throws -> [any UnaryLayer] {
        var layers: [any UnaryLayer] = []
        var channels = 3
        for width in configuration {
            if width == 0 {
                layers.append(MaxPool2d(kernelSize: 2, stride: 2))
            } else {
                let conv = try Conv2d(channels, width, kernelSize: 3, padding: 1)
                try Init.kaimingNormalFanOut(conv.weight)
                try conv.bias?.zero_()
                layers.append(conv)
                layers.append(ReLU())
                channels = width
            }
        }
        return layers
    }

    /// torchvision's VGG init of the classifier (the convolutions got theirs in `featureLayers`):
    /// normal(0, 0.01) weights, zero biases.
    private func initializeAsTorchvision() throws {
        for (_, module) in namedModules() {
            if let linear = module as? Linear {
                try linear.weight.normal_(mean: 0, std: 0.01)
                try linear.bias?.zero_()
            }
        }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try classifier(avgpool(features(x)).flatten(startDim: 1))
    }
}
