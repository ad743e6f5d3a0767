import Torch

/// A localization map: row-major float32 scores, height x width.
public struct ScoreMap: Equatable, Sendable {
    public let height: Int
    public let width: Int
    public var values: [Float]

    public init(height: Int, width: Int, values: [Float]) {
        precondition(values.count == height * width, "score map needs height * width values")
        self.height = height
        self.width = width
        self.values = values
    }

    /// A 2-D float tensor [H, W].
    public init(_ tensor: Tensor) throws {
        guard tensor.dim == 2 else { throw TorchError("score map must be [H, W], got \(tensor.shape)") }
        self.init(height: tensor.shape[0], width: tensor.shape[1], values: try tensor.to(.float32).floats())
    }

    public func tensor() throws -> Tensor { try Tensor(values, shape: [height, width]) }

    /// Full-image protocol (wsolevaluation): resized bicubically to size x size, then min-max
    /// normalized in float32; a constant map, or one holding NaN, becomes zeros.
    public func preparedForFullProtocol(size: Int = 224) throws -> ScoreMap {
        let resized = try ScoreMap(ImageIO.resize(tensor(), height: size, width: size, mode: .bicubic))
        guard !resized.values.contains(where: \.isNaN), let low = resized.values.min(), let high = resized.values.max(),
              low != high else {
            return ScoreMap(height: size, width: size, values: [Float](repeating: 0, count: size * size))
        }
        let shifted = resized.values.map { $0 - low }
        let top = high - low
        return ScoreMap(height: size, width: size, values: shifted.map { $0 / top })
    }

    /// Crop protocol (BAS): min-max normalized with 1e-5 added to the denominator, then resized
    /// bilinearly to size x size. The denominator is formed in double and used in float32, as numpy
    /// does for float32 scalars plus a Python float.
    public func preparedForCropProtocol(size: Int = 224) throws -> ScoreMap {
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        let denominator = Float(Double(high - low) + 1e-5)
        let normalized = ScoreMap(height: height, width: width, values: values.map { ($0 - low) / denominator })
        return try ScoreMap(ImageIO.resize(normalized.tensor(), height: size, width: size, mode: .bilinear))
    }

    /// Why this map cannot be evaluated as a normalized score map (wsolevaluation's validity check:
    /// no NaN, every value in [0, 1]), or nil.
    public var validityProblem: String? {
        if values.contains(where: \.isNaN) { return "contains NaN" }
        if let low = values.min(), low < 0 { return "has values below 0 (min \(low)); maps must be normalized to [0, 1]" }
        if let high = values.max(), high > 1 { return "has values above 1 (max \(high)); maps must be normalized to [0, 1]" }
        return nil
    }

    /// uint8(map * 255) as numpy computes it: the product in float32, then truncated.
    public var quantized: [UInt8] {
        values.map { UInt8(($0 * 255).rounded(.towardZero)) }
    }
}
