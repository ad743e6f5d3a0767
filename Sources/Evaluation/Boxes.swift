import Datasets
import Torch

/// An axis-aligned box [x0, y0, x1, y1] in integer map pixels, as the field's evaluators store them
/// (ground truth arrives as `Datasets.Box` in image pixels and is mapped in by the extension below).
public struct PixelBox: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x0: Int, y0: Int, x1: Int, y1: Int

    public init(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }

    public var array: [Int] { [x0, y0, x1, y1] }
    public var description: String { "[\(x0), \(y0), \(x1), \(y1)]" }

    /// IoU with the inclusive (+1 pixel) convention both reference evaluators use: a box covers
    /// x0...x1 and y0...y1, so [2, 2, 2, 2] is one pixel.
    public func iou(_ other: PixelBox) -> Double {
        let iw = max(0, min(x1, other.x1) - max(x0, other.x0) + 1)
        let ih = max(0, min(y1, other.y1) - max(y0, other.y0) + 1)
        let intersection = Double(iw * ih)
        let areaA = Double((x1 - x0 + 1) * (y1 - y0 + 1))
        let areaB = Double((other.x1 - other.x0 + 1) * (other.y1 - other.y0 + 1))
        return intersection / (areaA + areaB - intersection)
    }

    /// The best IoU of this box against any ground-truth box (0 when there is none).
    public func maxIoU(_ groundTruth: [PixelBox]) -> Double {
        // As groundTruth.map(iou).max() ?? 0 without the array: it runs for every contour of every
        // threshold (score-maps).
        guard let first = groundTruth.first else { return 0 }
        var best = iou(first)
        for box in groundTruth.dropFirst() {
            let v = iou(box)
            if best < v { best = v }
        }
        return best
    }
}

/// The IoU levels both protocols report at (MaxBoxAccV2; BAS-Ext's fixed-threshold accuracy).
public enum IoULevels {
    public static let reported = [0.3, 0.5, 0.7]
}

/// Ground-truth boxes (original-image pixels, as the readers give them) into each protocol's map.
extension Box {
    /// Full-image protocol (wsolevaluation's resize_bbox): each coordinate times the new size,
    /// divided by the original size, in double precision, then truncated.
    public func resized(from image: ImageSize, toWidth: Int, toHeight: Int) -> PixelBox {
        // Multiply, then divide, left to right as wsolevaluation's `x * new_w / w`: the other order
        // rounds differently at the border (x = w = 107 gives 224, not 223).
        func scale(_ v: Double, _ to: Int, _ from: Int) -> Int { Int(v * Double(to) / Double(from)) }
        return PixelBox(scale(x0, toWidth, image.width), scale(y0, toHeight, image.height),
                        scale(x1, toWidth, image.width), scale(y1, toHeight, image.height))
    }

    /// Crop protocol (BAS): resize to `resize` x `resize`, then centre-crop `crop`:
    /// int(x * resize / W) - offset, clipped to [0, crop - 1]. The offset is the image pipeline's
    /// (16 for 256 -> 224; torchvision's rounding for other sizes), so boxes and pixels agree.
    public func intoCenterCrop(from image: ImageSize, resize: Int = 256, crop: Int = 224) -> PixelBox {
        let offset = ImageIO.centerCropOffset(size: resize, crop: crop)
        func map(_ v: Double, _ size: Int) -> Int {
            min(max(Int(v * Double(resize) / Double(size)) - offset, 0), crop - 1)
        }
        return PixelBox(map(x0, image.width), map(y0, image.height),
                        map(x1, image.width), map(y1, image.height))
    }
}
