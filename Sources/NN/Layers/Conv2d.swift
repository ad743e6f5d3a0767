import Torch

/// torch.nn.Conv2d: parameters `weight` [out, in/groups, kh, kw] and optional `bias` [out].
public final class Conv2d: Module, UnaryLayer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: [Int]
    public let padding: [Int]
    public let dilation: [Int]
    public let groups: Int

    /// Initialized as PyTorch does: kaiming-uniform(a = sqrt(5)) weights, uniform(+-1/sqrt(fan_in)) bias.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1, 1],
        padding: [Int] = [0, 0], dilation: [Int] = [1, 1], groups: Int = 1, bias: Bool = true
    ) throws {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let w = try Tensor.zeros([outChannels, inChannels / groups] + kernelSize)
        let b = bias ? try Tensor.zeros([outChannels]) : nil
        try Init.pytorchDefault(weight: w, bias: b)
        self.weight = w
        self.bias = b
        super.init()
        registerParameter("weight", w)
        if let b { registerParameter("bias", b) }
    }

    /// Square kernel, stride, padding and dilation.
    public convenience init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true
    ) throws {
        try self.init(
            inChannels, outChannels, kernelSize: [kernelSize, kernelSize], stride: [stride, stride],
            padding: [padding, padding], dilation: [dilation, dilation], groups: groups, bias: bias)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.conv2d(weight: forForward(weight), bias: bias.map(forForward), stride: stride,
                     padding: padding, dilation: dilation, groups: groups)
    }
}
