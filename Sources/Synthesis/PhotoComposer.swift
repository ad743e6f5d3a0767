import Datasets
import Torch

/// Draws one composite's random choices from its own generator and pastes the cut-out: background
/// photo and window (60-100% of the largest window of the canvas's shape), mirror of each, object size
/// (its longer fit 35-80% of the canvas), position (up to 10% of the object may overhang each edge),
/// feather sigma 0.5-1.5 px and a mild colour jitter (brightness and contrast 0.85-1.15, saturation
/// 0.8-1.2). The box is the bounds of the mask (the placed alpha > 0.5), so it is clipped to the canvas.
public enum PhotoComposer {
    public typealias Size = (width: Int, height: Int)

    public struct Composite {
        public let image: Tensor
        public let mask: Tensor
        public let box: Box
        /// Which background photo was used (an index into BackgroundPhotos).
        public let background: Int
    }

    public static func placement(stamp: Size, mirrorable: Bool, background: Size, canvas: Size,
                                 random r: inout SeededRandom) -> Cutout.Placement {
        var p = Cutout.Placement()
        let aspect = Double(canvas.width) / Double(canvas.height)
        let widest = min(Double(background.width), Double(background.height) * aspect)
        let window = r.uniform(0.6, 1.0)
        p.backgroundWidth = max(1, min(background.width, Int((widest * window).rounded())))
        p.backgroundHeight = max(1, min(background.height, Int((widest * window / aspect).rounded())))
        p.backgroundX = r.int(in: 0...(background.width - p.backgroundWidth))
        p.backgroundY = r.int(in: 0...(background.height - p.backgroundHeight))
        p.backgroundFlip = r.bool()

        let fit = min(Double(canvas.width) / Double(stamp.width),
                      Double(canvas.height) / Double(stamp.height))
        let scale = fit * r.uniform(0.35, 0.8)
        p.width = max(1, Int((Double(stamp.width) * scale).rounded()))
        p.height = max(1, Int((Double(stamp.height) * scale).rounded()))
        let overhangX = p.width / 10, overhangY = p.height / 10
        p.x = r.int(in: -overhangX...max(-overhangX, canvas.width - p.width + overhangX))
        p.y = r.int(in: -overhangY...max(-overhangY, canvas.height - p.height + overhangY))
        p.flip = mirrorable && r.bool()
        p.featherSigma = r.uniform(0.5, 1.5)
        p.brightness = r.uniform(0.85, 1.15)
        p.contrast = r.uniform(0.85, 1.15)
        p.saturation = r.uniform(0.8, 1.2)
        return p
    }

    /// One composite of `stamp` for (seed, label, index): the same inputs give the same pixels.
    public static func compose(_ stamp: StampCatalog.Stamp, backgrounds: BackgroundPhotos, canvas: Size,
                               seed: UInt64, label: Int, index: Int) throws -> Composite {
        var r = SeededRandom(seed: seed, label, index)
        let which = r.int(below: backgrounds.images.count)
        let photo = backgrounds.images[which], shape = photo.shape, size = stamp.pixels.shape
        let p = placement(stamp: (size[1], size[0]), mirrorable: stamp.mirrorable,
                          background: (shape[1], shape[0]), canvas: canvas, random: &r)
        let (image, mask) = try Cutout.composite(stamp.pixels, on: photo, width: canvas.width,
                                                 height: canvas.height, placement: p)
        guard let box = bounds(of: try mask.bytes(), width: canvas.width) else {
            throw DatasetError("\(stamp.relativePath): the placed cut-out left no pixel above alpha 0.5")
        }
        return Composite(image: image, mask: mask, box: box, background: which)
    }

    /// The [x0, x1) x [y0, y1) bounds of the nonzero pixels of a row-major mask, nil when none is set.
    public static func bounds(of mask: [UInt8], width: Int) -> Box? {
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
        mask.withUnsafeBufferPointer { m in
            for i in m.indices where m[i] != 0 {
                let x = i % width, y = i / width
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        guard x1 >= 0 else { return nil }
        return Box(x0: Double(x0), y0: Double(y0), x1: Double(x1 + 1), y1: Double(y1 + 1))
    }
}
