import Torch

/// Weight initializations used by torchvision's models and by the WSOL heads. All act in place,
/// without recording gradients.
public enum Init {
    /// fan_in and fan_out of a [out, in, kh, kw] or [out, in] weight.
    public static func fans(_ weight: Tensor) -> (fanIn: Int, fanOut: Int) {
        let shape = weight.shape
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape.count > 1 ? shape[1] * receptive : shape[0], shape[0] * receptive)
    }

    /// nn.Conv2d / nn.Linear reset_parameters: kaiming_uniform(a = sqrt(5)), bias uniform(+-1/sqrt(fan_in)).
    public static func pytorchDefault(weight: Tensor, bias: Tensor?) throws {
        let fanIn = max(1, fans(weight).fanIn)
        let bound = 1 / Double(fanIn).squareRoot()  // gain sqrt(2/(1+5)) * sqrt(3/fan_in)
        try weight.uniform_(low: -bound, high: bound)
        try bias?.uniform_(low: -bound, high: bound)
    }

    /// kaiming_normal_(mode = fan_out, nonlinearity = relu): std = sqrt(2 / fan_out).
    public static func kaimingNormalFanOut(_ weight: Tensor) throws {
        try weight.normal_(mean: 0, std: (2 / Double(max(1, fans(weight).fanOut))).squareRoot())
    }

    /// xavier_uniform_: bound = sqrt(6 / (fan_in + fan_out)).
    public static func xavierUniform(_ weight: Tensor) throws {
        let (fanIn, fanOut) = fans(weight)
        let bound = (6 / Double(max(1, fanIn + fanOut))).squareRoot()
        try weight.uniform_(low: -bound, high: bound)
    }

    /// trunc_normal_(mean 0, std, a = -2, b = 2): normal samples outside [-2, 2] drawn again.
    public static func truncatedNormal(_ weight: Tensor, std: Double) throws {
        try weight.normal_(mean: 0, std: std)
        try withNoGrad {
            for _ in 0..<16 {
                let outside = try weight.abs().gt(2)
                guard try outside.to(.float32).sum().item() > 0 else { return }
                let fresh = try Tensor.randn(weight.shape) * std
                try weight.copy_(Tensor.where(outside, fresh, weight))
            }
            try weight.copy_(weight.clamp(min: -2, max: 2))
        }
    }
}
