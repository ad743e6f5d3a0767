import Torch

/// An axis-aligned box [x0, y0, x1, y1] in integer pixels, as the field's evaluators store them.
public struct Box: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x0: Int, y0: Int, x1: Int, y1: Int

    public init(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }

    public var array: [Int] { [x0, y0, x1, y1] }
    public var description: String { "[\(x0), \(y0), \(x1), \(y1)]" }

    /// IoU with the inclusive (+1 pixel) convention both reference evaluators use: a box covers
    /// x0...x1 and y0...y1, so [2, 2, 2, 2] is one pixel.
    public func iou(_ other: Box) -> Double {
        let iw = max(0, min(x1, other.x1) - max(x0, other.x0) + 1)
        let ih = max(0, min(y1, other.y1) - max(y0, other.y0) + 1)
        let intersection = Double(iw * ih)
        let areaA = Double((x1 - x0 + 1) * (y1 - y0 + 1))
        let areaB = Double((other.x1 - other.x0 + 1) * (other.y1 - other.y0 + 1))
        return intersection / (areaA + areaB - intersection)
    }

    /// The best IoU of this box against any ground-truth box (0 when there is none).
    public func maxIoU(_ groundTruth: [Box]) -> Double {
        groundTruth.map(iou).max() ?? 0
    }
}

/// A ground-truth box as read from annotations, in original-image pixels (may be fractional).
public struct SourceBox: Equatable, Sendable {
    public var x0: Double, y0: Double, x1: Double, y1: Double
    public init(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }

    /// Full-image protocol (wsolevaluation's resize_bbox): each coordinate times the new size,
    /// divided by the original size, in double precision, then truncated.
    public func resized(imageWidth: Int, imageHeight: Int, toWidth: Int, toHeight: Int) -> Box {
        // Multiply, then divide, left to right as wsolevaluation's `x * new_w / w`: the other order
        // rounds differently at the border (x = w = 107 gives 224, not 223).
        func scale(_ v: Double, _ to: Int, _ from: Int) -> Int { Int(v * Double(to) / Double(from)) }
        return Box(scale(x0, toWidth, imageWidth), scale(y0, toHeight, imageHeight),
                   scale(x1, toWidth, imageWidth), scale(y1, toHeight, imageHeight))
    }

    /// Crop protocol (BAS): resize to `resize` x `resize`, then centre-crop `crop`:
    /// int(x * resize / W) - offset, clipped to [0, crop - 1]. The offset is the image pipeline's
    /// (16 for 256 -> 224; torchvision's rounding for other sizes), so boxes and pixels agree.
    public func intoCenterCrop(imageWidth: Int, imageHeight: Int, resize: Int = 256, crop: Int = 224) -> Box {
        let offset = ImageIO.centerCropOffset(size: resize, crop: crop)
        func map(_ v: Double, _ size: Int) -> Int {
            min(max(Int(v * Double(resize) / Double(size)) - offset, 0), crop - 1)
        }
        return Box(map(x0, imageWidth), map(y0, imageHeight), map(x1, imageWidth), map(y1, imageHeight))
    }
}
