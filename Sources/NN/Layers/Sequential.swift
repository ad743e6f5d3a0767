import Torch

/// torch.nn.Sequential: children named "0", "1", ... in order.
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
        super.init()
        for (index, layer) in layers.enumerated() { registerChild(String(index), layer) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        for layer in layers { y = try layer(y) }
        return y
    }

    /// Runs only `layers[range]`: models that tap intermediate outputs (VGG's relu3_3, relu4_3).
    public func callAsFunction(_ x: Tensor, layers range: ClosedRange<Int>) throws -> Tensor {
        var y = x
        for layer in layers[range] { y = try layer(y) }
        return y
    }
}
