import Foundation

// Result types and their JSON (percentages 0-100). The key names are a public interface: keep them.

/// MaxBoxAccV2: the best-threshold accuracy at IoU 0.3, 0.5, 0.7, each with its own threshold.
public struct MaxBoxAccV2: Codable, Equatable, Sendable {
    public var mean: Double
    public var iou30: Double
    public var iou50: Double
    public var iou70: Double
    /// "iou30", "iou50", "iou70" -> the threshold that achieved each.
    public var bestThresholds: [String: Double]

    public init(levels: [Double], thresholds: [Double]) {
        precondition(levels.count == IoULevels.reported.count && thresholds.count == IoULevels.reported.count)
        iou30 = levels[0]; iou50 = levels[1]; iou70 = levels[2]
        mean = levels.reduce(0, +) / 3
        bestThresholds = ["iou30": thresholds[0], "iou50": thresholds[1], "iou70": thresholds[2]]
    }

    enum CodingKeys: String, CodingKey {
        case mean, iou30, iou50, iou70, bestThresholds = "best_thresholds"
    }
}

/// The full-image protocol's box metrics for one set of images.
public struct FullBoxMetrics: Equatable, Sendable {
    public var images: Int
    public var maxBoxAccV1: Double
    public var maxBoxAccV1Threshold: Double
    public var maxBoxAccV2: MaxBoxAccV2
}

/// What `wsol score-maps --json` prints: `{"protocol": "full", "interval", "images",
/// "maxboxacc_v1", "maxboxacc_v1_best_threshold", "maxboxacc_v2": {...}}` for boxes, `"pxap"` for masks.
public struct FullProtocolResult: Codable, Equatable, Sendable {
    public var `protocol` = "full"
    public var interval: Double
    public var images: Int
    public var maxboxaccV1: Double?
    /// The threshold at which MaxBoxAcc (v1) was reached.
    public var maxboxaccV1BestThreshold: Double?
    public var maxboxaccV2: MaxBoxAccV2?
    public var pxap: Double?
    /// Class label (as text) -> the same metrics over that class's images; only on request.
    public var perClass: [String: FullProtocolResult]?

    public init(interval: Double, images: Int, boxes: FullBoxMetrics? = nil, pxap: Double? = nil) {
        self.interval = interval
        self.images = images
        maxboxaccV1 = boxes?.maxBoxAccV1
        maxboxaccV1BestThreshold = boxes?.maxBoxAccV1Threshold
        maxboxaccV2 = boxes?.maxBoxAccV2
        self.pxap = pxap
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`, interval, images, maxboxaccV1 = "maxboxacc_v1",
             maxboxaccV1BestThreshold = "maxboxacc_v1_best_threshold"
        case maxboxaccV2 = "maxboxacc_v2", pxap
        case perClass = "per_class"
    }
}

/// BAS-Ext's fixed-threshold box accuracy: the fraction with IoU >= 0.3, 0.5, 0.7 and their mean.
public struct BoxAccFixed: Codable, Equatable, Sendable {
    public var iou30: Double
    public var iou50: Double
    public var iou70: Double
    public var mean: Double
}

/// The crop protocol's metrics, reported under "crop" by `wsol eval`.
public struct CropProtocolResult: Codable, Equatable, Sendable {
    public var images: Int
    public var top1Cls: Double
    public var top5Cls: Double
    public var top1Loc: Double
    public var top5Loc: Double
    public var gtKnownLoc: Double
    public var threshold: Double
    public var boxaccFixed: BoxAccFixed
    /// Class label (as text) -> the same metrics over that class's images; only on request.
    public var perClass: [String: CropProtocolResult]?

    enum CodingKeys: String, CodingKey {
        case images, top1Cls = "top1_cls", top5Cls = "top5_cls", top1Loc = "top1_loc", top5Loc = "top5_loc"
        case gtKnownLoc = "gt_known_loc", threshold, boxaccFixed = "boxacc_fixed", perClass = "per_class"
    }
}

public enum EvaluationJSON {
    /// One line of JSON with sorted keys, so outputs diff cleanly; absent optionals are left out.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
