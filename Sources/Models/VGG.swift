import NN
import Torch

/// torchvision's VGG16 (configuration "D", no batch norm): `features` (13 convolutions with ReLU and
/// 5 max-pools, indices as torchvision's), `avgpool` (adaptive 7x7), `classifier` (4096-4096-classes).
public final class VGG16: Module, UnaryLayer {
    /// Channels per convolution; 0 marks a max-pool.
    public static let configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

    public let features: Sequential
    public let avgpool: AdaptiveAvgPool2d
    public let classifier: Sequential

    /// `hiddenWidth` is the classifier's width (torchvision: 4096); narrower widths serve tests.
    public init(numClasses: Int = 1000, hiddenWidth: Int = 4096) throws {
        var layers: [any UnaryLayer] = []
        var channels = 3
        for width in Self.configuration {
            if width == 0 {
                layers.append(MaxPool2d(kernelSize: 2, stride: 2))
            } else {
                layers.append(try Conv2d(channels, width, kernelSize: 3, padding: 1))
                layers.append(ReLU())
                channels = width
            }
        }
        features = Sequential(layers)
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

    /// torchvision's VGG init: kaiming-normal (fan_out) convolutions, normal(0, 0.01) linear layers, zero biases.
    private func initializeAsTorchvision() throws {
        for (_, module) in namedModules() {
            if let conv = module as? Conv2d {
                try Init.kaimingNormalFanOut(conv.weight)
                try conv.bias?.zero_()
            } else if let linear = module as? Linear {
                try linear.weight.normal_(mean: 0, std: 0.01)
                try linear.bias?.zero_()
            }
        }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try classifier(avgpool(features(x)).flatten(startDim: 1))
    }
}
