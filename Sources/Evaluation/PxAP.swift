/// Pixel average precision (wsolevaluation's MaskEvaluator): score histograms of foreground and
/// background pixels pooled over all images, bins [t0, t1), ..., [t_last, 1), [1, 2), [2, 3]
/// (edges = thresholds + [1, 2, 3]); precision and recall from cumulative counts from the top bin
/// down; PxAP = 100 * sum of precision[i] * (recall[i] - recall[i-1]), a step sum.
public struct PxAP: Sendable {
    public let edges: [Double]
    public private(set) var foregroundHistogram: [Int]
    public private(set) var backgroundHistogram: [Int]

    public init(interval: Double = 0.01) {
        edges = Thresholds.arange(step: interval) + [1, 2, 3]
        foregroundHistogram = [Int](repeating: 0, count: edges.count - 1)
        backgroundHistogram = foregroundHistogram
    }

    /// One image. `mask` per pixel: 1 foreground, 0 background, anything else ignored
    /// (GroundTruthMask's 255). The map must be normalized to [0, 1] (checked, as wsolevaluation's
    /// accumulate does; `name` is what an error calls the map). Scores bin in the map's precision.
    public mutating func add(_ map: ScoreMap, mask: [UInt8], name: String? = nil) throws {
        guard mask.count == map.values.count else {
            throw EvaluationError.scoreMap(name, "has \(map.values.count) pixels, its mask \(mask.count)")
        }
        try map.requireNormalized(name: name)
        for (score, m) in zip(map.values, mask) where m <= 1 {
            guard let bin = bin(score) else { continue }
            if m == 1 { foregroundHistogram[bin] += 1 } else { backgroundHistogram[bin] += 1 }
        }
    }

    public mutating func merge(_ other: PxAP) {
        foregroundHistogram = zip(foregroundHistogram, other.foregroundHistogram).map(+)
        backgroundHistogram = zip(backgroundHistogram, other.backgroundHistogram).map(+)
    }

    /// numpy.histogram's bin: e[i] <= v < e[i+1], the last bin closed; nil outside [e0, e_last].
    func bin(_ v: Double) -> Int? {
        guard v >= edges[0], v <= edges[edges.count - 1] else { return nil }
        if v == edges[edges.count - 1] { return edges.count - 2 }
        var low = 0, high = edges.count - 1  // edges[low] <= v < edges[high]
        while high - low > 1 {
            let mid = (low + high) / 2
            if edges[mid] <= v { low = mid } else { high = mid }
        }
        return low
    }

    /// PxAP in percent; throws when there is no foreground pixel or no positive prediction at all.
    public func value() throws -> Double {
        let tp = foregroundHistogram.reversed().reduce(into: [Double]()) {
            $0.append(($0.last ?? 0) + Double($1))
        }
        let fp = backgroundHistogram.reversed().reduce(into: [Double]()) {
            $0.append(($0.last ?? 0) + Double($1))
        }
        let positives = Double(foregroundHistogram.reduce(0, +))
        guard positives > 0 else {
            throw EvaluationError("PxAP: no foreground pixel in any ground-truth mask")
        }
        guard zip(tp, fp).contains(where: { $0 + $1 > 0 }) else {
            throw EvaluationError("PxAP: no scored pixel")
        }
        let recall = tp.map { $0 / positives }
        var sum = 0.0
        for i in 1..<tp.count where tp[i] + fp[i] != 0 {
            sum += tp[i] / (tp[i] + fp[i]) * (recall[i] - recall[i - 1])
        }
        return sum * 100
    }
}

/// A user-facing evaluation error: one line naming what is wrong and where.
public struct EvaluationError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// "<name>: score map <problem>" (just "score map <problem>" without a name).
    static func scoreMap(_ name: String?, _ problem: String) -> EvaluationError {
        EvaluationError("\(name.map { "\($0): " } ?? "")score map \(problem)")
    }
}
