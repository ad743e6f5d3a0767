import Evaluation

/// One image's localization as export-maps reports it: every box of the full-protocol map at one
/// threshold, scored against the ground truth with the full-image protocol's own conventions, and the
/// top-1 class.
public struct MapVerdict: Equatable, Sendable {
    /// Every contour's box at the threshold, largest contour first, each once, as the evaluator compares
    /// them: [x, y, x + w, y + h] with the right and bottom clipped to the map (inclusive corners).
    public var boxes: [PixelBox]
    /// The best IoU of any predicted box with any ground-truth box (0 when either side has none).
    public var iou: Double
    /// The top-1 class (first of equals) and its probability.
    public var predictedClass: Int
    public var confidence: Double

    /// `map`: normalized, as `ScoreMap.preparedForFullProtocol` gives it; `groundTruth`: in the map's
    /// pixels (`Box.resized(from:toWidth:toHeight:)`); `probabilities`: the class probabilities.
    public init(map: ScoreMap, groundTruth: [PixelBox], threshold: Double, probabilities: [Float]) throws {
        var seen = Set<PixelBox>()
        boxes = try Contours.contourBoxes(map, threshold: threshold)
            .map { PixelBox($0.x0, $0.y0, min($0.x1, map.width - 1), min($0.y1, map.height - 1)) }
            .filter { seen.insert($0).inserted }
        iou = boxes.map { $0.maxIoU(groundTruth) }.max() ?? 0
        predictedClass = Classification.ranking(probabilities).first ?? 0
        confidence = probabilities.isEmpty ? 0 : Double(probabilities[predictedClass])
    }
}
