import Torch

/// Layers without parameters. They still occupy their index in a Sequential, as in torchvision,
/// so the parameterized layers around them keep torchvision's keys (`features.2.weight`).

public final class ReLU: Module, UnaryLayer {
    public override init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.relu() }
}

public final class Dropout: Module, UnaryLayer {
    public let p: Double
    public init(p: Double = 0.5) {
        self.p = p
        super.init()
    }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.dropout(p: p, training: isTraining) }
}

/// Square-window pooling; MaxPool2d and AvgPool2d fix the kind (stride defaults to the kernel).
public class Pool2d: Module, UnaryLayer {
    public enum Kind: Sendable { case max, average }
    public let kind: Kind
    public let kernelSize: [Int], stride: [Int], padding: [Int], ceilMode: Bool

    init(_ kind: Kind, kernelSize: Int, stride: Int?, padding: Int, ceilMode: Bool) {
        self.kind = kind
        self.kernelSize = [kernelSize, kernelSize]
        self.stride = [stride ?? kernelSize, stride ?? kernelSize]
        self.padding = [padding, padding]
        self.ceilMode = ceilMode
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch kind {
        case .max: return try x.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding,
                                          ceilMode: ceilMode)
        case .average: return try x.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding,
                                              ceilMode: ceilMode)
        }
    }
}

public final class MaxPool2d: Pool2d {
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
        super.init(.max, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode)
    }
}

public final class AvgPool2d: Pool2d {
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
        super.init(.average, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode)
    }
}

public final class AdaptiveAvgPool2d: Module, UnaryLayer {
    public let outputSize: [Int]
    public init(_ outputSize: [Int]) {
        self.outputSize = outputSize
        super.init()
    }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.adaptiveAvgPool2d(outputSize) }
}

/// Flattens all dimensions after the batch dimension.
public final class Flatten: Module, UnaryLayer {
    public override init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.flatten(startDim: 1) }
}
