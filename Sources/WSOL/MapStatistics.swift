import Torch

/// What a researcher watches to see a mask collapse coming (docs/RESULTS.md): the level and spread of a
/// foreground map over a batch. A dying mask shows a falling mean and a 90th percentile that sinks
/// below 0.5; a mask that covers everything, a 10th percentile that rises.
public enum MapStatistics {
    /// `<prefix>_mean`, `<prefix>_p10`, `<prefix>_p90` (nearest-rank percentiles over every pixel of the
    /// batch) and `<prefix>_above_half` (the fraction of pixels > 0.5).
    public static func summary(_ map: Tensor, prefix: String) throws -> [String: Double] {
        let values = try withNoGrad { try map.detach().to(device: "cpu").floats() }.sorted()
        guard !values.isEmpty else { return [:] }
        func percentile(_ p: Double) -> Double {
            Double(values[min(values.count - 1, Int((p * Double(values.count)).rounded(.up)) - 1)])
        }
        let above = values.count - (values.lastIndex { $0 <= 0.5 }.map { $0 + 1 } ?? 0)
        return [
            "\(prefix)_mean": values.reduce(0.0) { $0 + Double($1) } / Double(values.count),
            "\(prefix)_p10": percentile(0.1), "\(prefix)_p90": percentile(0.9),
            "\(prefix)_above_half": Double(above) / Double(values.count),
        ]
    }
}
