import Evaluation

/// One run's result on one image, as the gallery and boxes.csv show it.
public struct RunOutcome: Equatable, Sendable {
    public var predictedClass: Int
    public var predictedName: String
    /// The predicted class's probability (or whatever score the caller ranks by), finite.
    public var confidence: Double
    /// The IoU of the predicted box with the ground truth, in [0, 1].
    public var iou: Double
    /// Every predicted box, in the frame the caller states (export-maps: the 224x224 map's pixels).
    public var boxes: [PixelBox]
    /// The full panel and its thumbnail, relative to the gallery folder ('/' separated).
    public var panel: String
    public var thumbnail: String

    public init(
        predictedClass: Int, predictedName: String, confidence: Double, iou: Double, boxes: [PixelBox],
        panel: String, thumbnail: String
    ) {
        self.predictedClass = predictedClass; self.predictedName = predictedName; self.confidence = confidence
        self.iou = iou; self.boxes = boxes; self.panel = panel; self.thumbnail = thumbnail
    }

    /// Localized at IoU 0.5 (the class is not part of it; the page filters wrong classes separately).
    public var correct: Bool { iou >= 0.5 }
}

/// One image of the gallery: its identity and ground-truth class, the run's outcome, and optionally a
/// second run's outcome on the same image (`--compare`).
public struct GalleryRecord: Equatable, Sendable {
    /// The image id as wsolevaluation writes it (e.g. "001.Black_footed_Albatross/Black_..._0046_18.jpg").
    public var imageID: String
    public var trueClass: Int
    public var trueName: String
    public var run: RunOutcome
    public var compare: RunOutcome?

    public init(
        imageID: String, trueClass: Int, trueName: String, run: RunOutcome, compare: RunOutcome? = nil
    ) {
        self.imageID = imageID; self.trueClass = trueClass; self.trueName = trueName
        self.run = run; self.compare = compare
    }

    var outcomes: [RunOutcome] { [run] + (compare.map { [$0] } ?? []) }

    /// Worst IoU first (the first run's), ties by image id: the order of boxes.csv and of the page.
    static func worstFirst(_ a: GalleryRecord, _ b: GalleryRecord) -> Bool {
        a.run.iou != b.run.iou ? a.run.iou < b.run.iou : a.imageID < b.imageID
    }
}
