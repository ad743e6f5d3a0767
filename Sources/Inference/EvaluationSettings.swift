import Datasets
import Evaluation
import Models
import WSOL

/// Which protocols `wsol eval` runs and how (METHOD.md section 4).
public struct EvaluationSettings: Sendable {
    public enum Protocols: String, CaseIterable, Sendable { case crop, full, both }

    public var protocols = Protocols.both
    /// Crop protocol: the fixed threshold on the normalized map.
    public var threshold: Double
    /// Full-image protocol: the threshold step.
    public var interval = 0.01
    /// Crop protocol: classification by ten-crop averaging (maps from the centre crop).
    public var tenCrop = true
    public var classMode: ClassMode
    public var topK: Int
    public var batchSize = 32
    public var workers = 2
    public var perClass = false

    public init(threshold: Double, classMode: ClassMode, topK: Int) {
        self.threshold = threshold
        self.classMode = classMode
        self.topK = topK
    }

    /// The crop protocol's default threshold: CUB-like 0.1; ILSVRC VGG 0.45, ResNet and Inception 0.25.
    public static func defaultThreshold(_ dataset: DatasetFamily, _ architecture: Architecture) -> Double {
        guard dataset == .ilsvrc else { return 0.1 }
        return architecture == .vgg16 ? 0.45 : 0.25
    }

    public var runsCrop: Bool { protocols != .full }
    public var runsFull: Bool { protocols != .crop }
}
