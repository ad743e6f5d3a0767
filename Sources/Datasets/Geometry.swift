/// A crop of the resized image, then an optional horizontal flip of the crop.
public struct CropRect: Equatable, Sendable {
    public var x, y, width, height: Int
    public var flip: Bool
    public init(x: Int, y: Int, width: Int, height: Int, flip: Bool = false) {
        self.x = x; self.y = y; self.width = width; self.height = height; self.flip = flip
    }
}

/// One image's geometric path: source size -> resize (aspect not kept) -> crop -> flip. The image,
/// its boxes and its masks all follow the same geometry.
public struct Geometry: Equatable, Sendable {
    public var source: ImageSize
    public var resize: ImageSize
    public var crop: CropRect

    public init(source: ImageSize, resize: ImageSize, crop: CropRect) {
        self.source = source; self.resize = resize; self.crop = crop
    }

    /// The box in output pixels: scaled by resize/source, shifted by the crop offset, clipped to the
    /// crop, mirrored (x0' = w - x1, x1' = w - x0) when flipped. A box entirely outside the crop comes
    /// out empty (`isEmpty`), never inverted.
    public func apply(_ box: Box) -> Box {
        let sx = Double(resize.width) / Double(source.width),
            sy = Double(resize.height) / Double(source.height)
        let w = Double(crop.width), h = Double(crop.height)
        func clip(_ v: Double, _ upper: Double) -> Double { min(max(v, 0), upper) }
        var x0 = clip(box.x0 * sx - Double(crop.x), w), x1 = clip(box.x1 * sx - Double(crop.x), w)
        let y0 = clip(box.y0 * sy - Double(crop.y), h), y1 = clip(box.y1 * sy - Double(crop.y), h)
        if crop.flip { (x0, x1) = (w - x1, w - x0) }
        return Box(x0: x0, y0: y0, x1: x1, y1: y1)
    }

    /// The five values per crop that ImageIO.normalizedCrops and maskCrops take.
    var cropValues: [Int] { [crop.x, crop.y, crop.width, crop.height, crop.flip ? 1 : 0] }
}
