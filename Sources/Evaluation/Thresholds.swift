/// The score-map thresholds wsolevaluation sweeps: `numpy.arange(0, 1, step)` in double precision.
/// numpy computes element i as start + i * step (not i / N), so element 57 of step 0.01 is
/// 0.5700000000000001, and the count is ceil((stop - start) / step).
public enum Thresholds {
    public static func arange(step: Double, start: Double = 0, stop: Double = 1) -> [Double] {
        precondition(step > 0 && step.isFinite, "threshold step must be positive and finite")
        let count = max(0, Int(((stop - start) / step).rounded(.up)))
        return (0..<count).map { start + Double($0) * step }
    }

    /// The smallest step: at most 10,000 thresholds, each costing a pass over every map.
    public static let minInterval = 1e-4

    /// Whether `interval` can serve as a threshold step (minInterval <= interval < 1).
    public static func isValidInterval(_ interval: Double) -> Bool {
        interval.isFinite && interval >= minInterval && interval < 1
    }
}
