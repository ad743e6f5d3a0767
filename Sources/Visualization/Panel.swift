import Foundation
import Evaluation
import Torch

/// One map of a panel and the name its tile shows ("map", "Mf1", "Mf2").
public struct PanelMap {
    public var label: String
    public var map: Tensor
    public init(_ label: String, _ map: Tensor) { self.label = label; self.map = map }
}

/// What one image's panel shows. Boxes are in the image's pixels (inclusive corners).
public struct PanelInput {
    /// RGB uint8 [H, W, 3], as the model saw it (e.g. 224x224).
    public var image: Tensor
    /// The localization map first (drawn with the boxes), then any others (e.g. Mf1, Mf2), plain.
    public var maps: [PanelMap]
    public var groundTruth: [PixelBox]
    public var predicted: [PixelBox]
    public var caption: [String]
    public var alpha: Double

    public init(
        image: Tensor, maps: [PanelMap], groundTruth: [PixelBox], predicted: [PixelBox],
        caption: [String], alpha: Double = 0.5
    ) {
        self.image = image; self.maps = maps; self.groundTruth = groundTruth; self.predicted = predicted
        self.caption = caption; self.alpha = alpha
    }
}

/// A rendered panel: `tiles` is the row of tiles alone (what a thumbnail shows), `full` adds the caption.
public struct RenderedPanel {
    public let full: Tensor
    public let tiles: Tensor

    /// Writes the panel (PNG or JPEG by extension) and the thumbnail of its tiles, each atomically.
    public func write(panel: String, thumbnail: String, thumbnailHeight: Int = 120) throws {
        try ImageFiles.write(full, to: panel)
        try ImageFiles.writeThumbnail(tiles, to: thumbnail, maxHeight: thumbnailHeight)
    }
}

/// The per-image panel of export-maps and localize: the image with its ground truth, then each map as a
/// JET heat map blended on the image; the first also shows every predicted box (the largest thicker).
public enum Panel {
    public static let groundTruthThickness = 2
    public static let predictedThickness = 1
    public static let largestPredictedThickness = 2

    public static func render(_ input: PanelInput) throws -> RenderedPanel {
        guard !input.maps.isEmpty else { throw VisualizationError("a panel needs at least one map") }
        let truth = input.groundTruth.map {
            DrawnBox($0, color: .groundTruth, thickness: groundTruthThickness)
        }
        var tiles = [try Overlay.label("image", on: Overlay.draw(truth, on: input.image))]
        for (index, map) in input.maps.enumerated() {
            var tile = try Overlay.heatmap(map.map, on: input.image, alpha: input.alpha)
            if index == 0 { tile = try Overlay.draw(truth + predictedBoxes(input.predicted), on: tile) }
            tiles.append(try Overlay.label(map.label, on: tile))
        }
        let row = try Overlay.row(tiles)
        return RenderedPanel(full: try Overlay.caption(input.caption, under: row), tiles: row)
    }

    /// Every predicted box in red, the largest (by inclusive area; the first of equals) thicker and last.
    static func predictedBoxes(_ boxes: [PixelBox]) -> [DrawnBox] {
        func area(_ b: PixelBox) -> Int { (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1) }
        // max(by:) keeps the first of equals.
        guard let largest = boxes.indices.max(by: { area(boxes[$0]) < area(boxes[$1]) }) else { return [] }
        var drawn = boxes.indices.filter { $0 != largest }
            .map { DrawnBox(boxes[$0], color: .predicted, thickness: predictedThickness) }
        drawn.append(DrawnBox(boxes[largest], color: .predicted, thickness: largestPredictedThickness))
        return drawn
    }
}

extension Panel {
    /// The caption export-maps puts under a panel: the image id; true and predicted class with the
    /// confidence; the IoU, whether it localizes at 0.5, and the box count (and the run, when named).
    public static func caption(
        imageID: String, trueClass: Int, trueName: String, outcome o: RunOutcome,
        run: String? = nil
    ) -> [String] {
        let confidence = String(format: "%.3f", o.confidence)
        let verdict = o.predictedClass == trueClass ? "right class" : "WRONG class"
        let boxes = "\(o.boxes.count) box" + (o.boxes.count == 1 ? "" : "es")
        return [
            imageID,
            "true \(trueClass) \(trueName)  |  predicted \(o.predictedClass) \(o.predictedName)"
                + " (\(confidence), \(verdict))",
            (run.map { "\($0)  |  " } ?? "") + String(format: "IoU %.3f", o.iou)
                + (o.correct ? " (localized at 0.5)" : " (< 0.5)") + "  |  \(boxes)",
        ]
    }
}
