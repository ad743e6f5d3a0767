import WSOL

/// Where a run stands, saved in every checkpoint's sidecar under `training`, so `--resume` continues
/// exactly: the next batch to train, the global step, and the best validation so far.
public struct TrainingState: Equatable {
    /// The epoch in progress (0-based) and the first of its batches not yet trained.
    public var epoch = 0
    public var batch = 0
    /// Steps trained so far in the whole run.
    public var step = 0
    public var bestMetric: Double?
    public var bestEpoch: Int?
    public var metrics: [String: Double] = [:]
    /// Samples of the epoch's global order trained so far (batch x world size x batch per process):
    /// a run resumed with another world size or batch continues from it. nil in older checkpoints.
    public var epochSamples: Int?
    /// The epoch's running sums of every logged value and its steps so far (for the epoch's means).
    public var epochSums: [String: Double] = [:]
    public var epochSteps = 0

    public init() {}

    package var json: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "epoch": .number(Double(epoch)), "batch": .number(Double(batch)), "step": .number(Double(step)),
            "metrics": .object(metrics.mapValues { .number($0) }),
        ]
        if let bestMetric { object["best_metric"] = .number(bestMetric) }
        if let bestEpoch { object["best_epoch"] = .number(Double(bestEpoch)) }
        if let epochSamples { object["epoch_samples"] = .number(Double(epochSamples)) }
        if epochSteps > 0 {
            object["epoch_steps"] = .number(Double(epochSteps))
            object["epoch_sums"] = .object(epochSums.filter(\.value.isFinite).mapValues { .number($0) })
        }
        return object
    }

    package init(json: [String: JSONValue]) throws {
        func int(_ key: String) throws -> Int {
            guard case .number(let v)? = json[key], v >= 0, v < 1e12 else {
                throw TrainingError("training.\(key) missing or invalid")
            }
            return Int(v)
        }
        epoch = try int("epoch")
        batch = try int("batch")
        step = try int("step")
        if case .number(let v)? = json["best_metric"] { bestMetric = v }
        if case .number(let v)? = json["best_epoch"] { bestEpoch = Int(v) }
        if case .number(let v)? = json["epoch_samples"], v >= 0, v < 1e12 { epochSamples = Int(v) }
        if case .number(let v)? = json["epoch_steps"], v >= 0, v < 1e12,
           case .object(let sums)? = json["epoch_sums"] {
            epochSteps = Int(v)
            epochSums = sums.compactMapValues { if case .number(let x) = $0 { return x } else { return nil } }
        }
        if case .object(let m)? = json["metrics"] {
            metrics = m.compactMapValues { if case .number(let v) = $0 { return v } else { return nil } }
        }
    }
}
