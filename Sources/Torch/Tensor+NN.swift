import CTorchBridge

extension Tensor {
    /// 2-D convolution of an [N, C, H, W] input, as torch.nn.functional.conv2d.
    public func conv2d(
        weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1, 1], padding: [Int] = [0, 0],
        dilation: [Int] = [1, 1], groups: Int = 1
    ) throws -> Tensor {
        try check(tb.conv2d(
            handle, weight.handle, bias?.handle ?? tb.TensorHandle(), int64Vector(stride),
            int64Vector(padding), int64Vector(dilation), Int64(groups)))
    }
}
