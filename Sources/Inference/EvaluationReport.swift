import Evaluation
import WSOL

/// `wsol eval`'s result, JSON as the evaluator reports it: a `crop` and/or a `full` section, each with
/// the parameters it used, plus the checkpoint and what could not be read.
public struct EvaluationReport: Encodable {
    public struct CropSection: Encodable {
        public var result: CropProtocolResult
        public var classMode: String
        public var topK: Int
        public var tenCrop: Bool

        enum Keys: String, CodingKey { case classMode = "class_mode", topK = "topk", tenCrop = "tencrop" }

        public func encode(to encoder: Encoder) throws {
            try result.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(classMode, forKey: .classMode)
            try c.encode(topK, forKey: .topK)
            try c.encode(tenCrop, forKey: .tenCrop)
        }
    }

    public struct FullSection: Encodable {
        public var result: FullProtocolResult
        /// The full-image protocol always localizes the ground-truth class, as wsolevaluation does.
        public var classMode = "gt"

        enum Keys: String, CodingKey { case classMode = "class_mode" }

        public func encode(to encoder: Encoder) throws {
            try result.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(classMode, forKey: .classMode)
        }
    }

    public var checkpoint: String
    public var sha256: String
    public var architecture: String
    public var method: String
    public var map: String
    public var split: String
    public var images: Int
    public var crop: CropSection?
    public var full: FullSection?
    /// "path: reason" for each image that could not be read (left out of every metric).
    public var unreadable: [String] = []

    public init(_ loaded: LoadedModel, _ outcome: ModelEvaluator.Outcome, settings: EvaluationSettings,
                split: String) throws {
        let model = loaded.model
        checkpoint = loaded.path
        sha256 = try loaded.sha256()
        architecture = model.spec.architecture.rawValue
        method = model.options.method.rawValue
        map = model.options.map.rawValue
        self.split = split
        images = outcome.images
        unreadable = outcome.unreadable
        if let crop = outcome.crop {
            // CAM localizes GT-known with the true class and Top-1/Top-5 with the predicted one.
            let mode = model.options.method == .cam && settings.classMode == .gt
                ? "gt+top1" : settings.classMode.rawValue
            self.crop = CropSection(result: crop.result, classMode: mode, topK: settings.topK,
                                    tenCrop: settings.tenCrop)
        }
        if outcome.full != nil || outcome.pxap != nil {
            var result = outcome.full?.report
                ?? FullProtocolResult(interval: settings.interval, images: outcome.images)
            result.pxap = try outcome.pxap?.value()
            full = FullSection(result: result)
        }
    }
}
