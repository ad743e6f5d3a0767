import Torch

/// A localization map: row-major scores, height x width, with the precision they were given in.
/// Values are held as Double (exact for float32 input); `precision` decides how numpy would compute
/// on them, so a float64 .npy map is quantized and binned in double as wsolevaluation does.
public struct ScoreMap: Equatable, Sendable {
    public enum Precision: Sendable { case float32, float64 }

    public let height: Int
    public let width: Int
    public let precision: Precision
    public private(set) var values: [Double]

    /// float32 scores (CAMs, float32 .npy files).
    public init(height: Int, width: Int, values: [Float]) {
        self.init(height: height, width: width, precision: .float32, values: values.map(Double.init))
    }

    /// float64 scores (float64 .npy files), kept in double precision.
    public init(height: Int, width: Int, float64 values: [Double]) {
        self.init(height: height, width: width, precision: .float64, values: values)
    }

    private init(height: Int, width: Int, precision: Precision, values: [Double]) {
        precondition(values.count == height * width, "score map needs height * width values")
        self.height = height
        self.width = width
        self.precision = precision
        self.values = values
    }

    /// A 2-D float tensor [H, W], read as float32.
    public init(_ tensor: Tensor) throws {
        guard tensor.dim == 2 else { throw TorchError("score map must be [H, W], got \(tensor.shape)") }
        self.init(height: tensor.shape[0], width: tensor.shape[1], values: try tensor.to(.float32).floats())
    }

    /// The scores as float32 (exact for a float32 map).
    public var floats: [Float] { values.map(Float.init) }

    /// Map preparation runs in float32 for either precision: both reference pipelines prepare
    /// float32 CAMs (a float64 raw map is narrowed here).
    public func tensor() throws -> Tensor { try Tensor(floats, shape: [height, width]) }

    /// Full-image protocol (wsolevaluation): resized bicubically to size x size, then min-max
    /// normalized in float32; a constant map, or one holding NaN, becomes zeros.
    public func preparedForFullProtocol(size: Int = 224) throws -> ScoreMap {
        let resized = try ScoreMap(ImageIO.resize(tensor(), height: size, width: size, mode: .bicubic)).floats
        guard !resized.contains(where: \.isNaN), let low = resized.min(), let high = resized.max(),
              low != high else {
            return ScoreMap(height: size, width: size, values: [Float](repeating: 0, count: size * size))
        }
        let top = high - low
        return ScoreMap(height: size, width: size, values: resized.map { ($0 - low) / top })
    }

    /// Crop protocol (BAS): min-max normalized with 1e-5 added to the denominator, then resized
    /// bilinearly to size x size. The denominator is formed in double and used in float32, as numpy
    /// does for float32 scalars plus a Python float.
    public func preparedForCropProtocol(size: Int = 224) throws -> ScoreMap {
        let f = floats
        let low = f.min() ?? 0
        let high = f.max() ?? 0
        let denominator = Float(Double(high - low) + 1e-5)
        let normalized = ScoreMap(height: height, width: width, values: f.map { ($0 - low) / denominator })
        return try ScoreMap(ImageIO.resize(normalized.tensor(), height: size, width: size, mode: .bilinear))
    }

    /// wsolevaluation's check_scoremap_validity (no NaN, every value in [0, 1]), run where a map
    /// enters an accumulator; the error names the map (`name`: its file or image id).
    public func requireNormalized(name: String?) throws { _ = try normalizedQuantized(name: name) }

    /// `requireNormalized` and `quantized` in one pass over the values (score-maps runs both on every
    /// map).
    func normalizedQuantized(name: String?) throws -> [UInt8] {
        var hasNaN = false, low = Double.infinity, high = -Double.infinity
        let m8 = [UInt8](unsafeUninitializedCapacity: values.count) { buffer, count in
            for (i, v) in values.enumerated() {
                if v.isNaN {
                    hasNaN = true
                } else {
                    low = min(low, v)
                    high = max(high, v)
                }
                // Out of range, the map is refused below; 0 stands in meanwhile.
                buffer[i] = v >= 0 && v <= 1 ? quantize(v) : 0
            }
            count = values.count
        }
        func fail(_ problem: String) -> EvaluationError { .scoreMap(name, problem) }
        if hasNaN { throw fail("contains NaN") }
        if low < 0 { throw fail("has values below 0 (min \(low)); maps must be normalized to [0, 1]") }
        if high > 1 { throw fail("has values above 1 (max \(high)); maps must be normalized to [0, 1]") }
        return m8
    }

    /// uint8(map * 255) as numpy computes it: the product in the map's precision, then truncated.
    /// Only for maps that passed `requireNormalized` (anything else would not fit a UInt8).
    var quantized: [UInt8] { values.map(quantize) }

    private func quantize(_ v: Double) -> UInt8 {
        switch precision {
        case .float32: return UInt8((Float(v) * 255).rounded(.towardZero))
        case .float64: return UInt8((v * 255).rounded(.towardZero))
        }
    }

    /// Whether each score is above `threshold`, compared in the map's precision (numpy compares a
    /// float32 array with a Python float in float32).
    func above(_ threshold: Double) -> [Bool] {
        let cut = precision == .float32 ? Double(Float(threshold)) : threshold
        return values.map { $0 > cut }
    }
}
