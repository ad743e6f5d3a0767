import Torch

/// The image pipeline's geometries (METHOD.md section 3 and 4) and their application through ImageIO.
/// Output size S (224 by default); the crop protocols resize to round(S * 256 / 224) first.
public struct ImageTransform: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Resize to R x R (aspect not kept), random S x S crop, random horizontal flip.
        case train
        /// Resize to R x R, centre crop S (the crop protocol's test view).
        case centerCrop
        /// Resize to R x R; four corners and centre, then the same five of the flipped image.
        case tenCrop
        /// The whole image resized to S x S (the full-image protocol).
        case fullImage
    }

    public let mode: Mode
    public let outputSize: Int
    public let resizeSide: Int
    public let mean: [Float]
    public let std: [Float]

    public init(_ mode: Mode, imageSize: Int = 224, mean: [Float] = ImageIO.imagenetMean,
                std: [Float] = ImageIO.imagenetStd) {
        precondition(imageSize > 0 && mean.count == 3 && std.count == 3)
        self.mode = mode
        outputSize = imageSize
        resizeSide = mode == .fullImage ? imageSize : Int((Double(imageSize) * 256 / 224).rounded())
        self.mean = mean
        self.std = std
    }

    /// Views per image: 10 for ten-crop, else 1.
    public var viewsPerImage: Int { mode == .tenCrop ? 10 : 1 }

    /// The geometries of one image (one per view). Only `.train` draws from `random`.
    public func geometries(for source: ImageSize, random: inout SeededRandom) -> [Geometry] {
        let s = outputSize, r = resizeSide
        let resize = ImageSize(width: r, height: r)
        func view(_ x: Int, _ y: Int, _ flip: Bool) -> Geometry {
            Geometry(source: source, resize: resize,
                     crop: CropRect(x: x, y: y, width: s, height: s, flip: flip))
        }
        switch mode {
        case .train:
            let x = random.int(in: 0...(r - s)), y = random.int(in: 0...(r - s))
            return [view(x, y, random.bool())]
        case .centerCrop:
            let offset = centerOffset
            return [view(offset, offset, false)]
        case .tenCrop:
            // torchvision's order: tl, tr, bl, br, centre of the image, then of its mirror image
            // (a corner of the mirror image is the opposite corner, flipped).
            let far = r - s, c = centerOffset
            let five = [(0, 0), (far, 0), (0, far), (far, far), (c, c)]
            return five.map { view($0.0, $0.1, false) } + five.map { view(far - $0.0, $0.1, true) }
        case .fullImage:
            return [view(0, 0, false)]
        }
    }

    private var centerOffset: Int { ImageIO.centerCropOffset(size: resizeSide, crop: outputSize) }

    /// Floats one view occupies in a batch buffer: 3 * S * S.
    public var floatsPerView: Int { 3 * outputSize * outputSize }

    /// Writes the normalized float CHW views of a decoded uint8 [H, W, 3] image (decoded at any
    /// resolution; the geometry's resize fixes the output) into `out`, view after view.
    public func render(_ image: Tensor, _ geometries: [Geometry],
                       into out: UnsafeMutablePointer<Float>) throws {
        guard let first = geometries.first else { return }
        try ImageIO.normalizedCrops(image, resizeHeight: first.resize.height, resizeWidth: first.resize.width,
                                    crops: geometries.flatMap(\.cropValues), mean: mean, std: std,
                                    into: out, count: geometries.count * floatsPerView)
    }

    /// The same geometries for a mask (first channel, nearest neighbour), uint8 S x S per view.
    public func renderMask(_ mask: Tensor, _ geometries: [Geometry],
                           into out: UnsafeMutablePointer<UInt8>) throws {
        guard let first = geometries.first else { return }
        try ImageIO.maskCrops(mask, resizeHeight: first.resize.height, resizeWidth: first.resize.width,
                              crops: geometries.flatMap(\.cropValues), into: out,
                              count: geometries.count * outputSize * outputSize)
    }

    /// One image through the pipeline: a [V, 3, S, S] float tensor and each view's boxes.
    public func apply(_ image: Tensor, source: ImageSize, boxes: [Box],
                      random: inout SeededRandom) throws -> (Tensor, [[Box]]) {
        let views = geometries(for: source, random: &random)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: views.count * floatsPerView)
        defer { buffer.deallocate() }
        try render(image, views, into: buffer)
        let tensor = try Tensor(copying: UnsafeBufferPointer(start: buffer,
                                                             count: views.count * floatsPerView),
                                shape: [views.count, 3, outputSize, outputSize])
        return (tensor, views.map { g in boxes.map { g.apply($0) } })
    }
}
