import Torch

/// torch.nn.Linear: `weight` [out, in], optional `bias` [out].
public final class Linear: Module, UnaryLayer {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        let w = try Tensor.zeros([outFeatures, inFeatures])
        let b = bias ? try Tensor.zeros([outFeatures]) : nil
        try Init.pytorchDefault(weight: w, bias: b)
        weight = w
        self.bias = b
        super.init()
        registerParameter("weight", w)
        if let b { registerParameter("bias", b) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.linear(weight: forForward(weight), bias: bias.map(forForward))
    }
}
