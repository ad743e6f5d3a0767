import CTorchBridge

/// Image files and resizing through OpenCV. Images are uint8 [H, W, 3] RGB tensors.
public enum ImageIO {
    /// ImageNet's per-channel statistics, the normalization of torchvision's pretrained weights.
    public static let imagenetMean: [Float] = [0.485, 0.456, 0.406]
    public static let imagenetStd: [Float] = [0.229, 0.224, 0.225]

    /// Where a centered `crop` starts in a side of length `size`: torchvision's CenterCrop,
    /// int(round((size - crop) / 2)) with Python's round (halves to even: 117 / 2 gives 58).
    public static func centerCropOffset(size: Int, crop: Int) -> Int {
        Int((Double(size - crop) / 2).rounded(.toNearestOrEven))
    }

    public enum ResizeMode: Int32, Sendable {
        /// Area averaging along a side that shrinks, bilinear along one that grows (each side in its
        /// own pass when one grows and the other shrinks).
        case automatic = 0, area = 1, bilinear = 2, bicubic = 3, nearest = 4
    }

    /// Decodes a JPEG or PNG file to RGB [H, W, 3] (grayscale, CMYK and alpha converted; EXIF
    /// orientation ignored, as PIL does), or with `grayscale` to [H, W] as OpenCV reads masks.
    /// `reduce` (1, 2, 4 or 8) decodes a JPEG at a fraction of its resolution; other formats ignore it.
    public static func decode(_ path: String, reduce: Int = 1, grayscale: Bool = false) throws -> Tensor {
        try check(tb.decodeImage(std.string(path), Int32(clamping: reduce), grayscale))
    }

    /// Resizes a uint8 or float32 [H, W, C] or [H, W] image.
    public static func resize(_ image: Tensor, height: Int, width: Int,
                              mode: ResizeMode = .automatic) throws -> Tensor {
        try check(tb.resizeImage(image.handle, Int64(height), Int64(width),
                                 tb.ResizeMode(rawValue: mode.rawValue)!))
    }

    /// Writes a uint8 [H, W, 3] RGB or [H, W] gray image; the extension (.png, .jpg) picks the format.
    public static func write(_ image: Tensor, to path: String, jpegQuality: Int = 95) throws {
        try check(tb.writeImage(image.handle, std.string(path), Int32(clamping: jpegQuality)))
    }

    /// The bytes `write` would put in a file with this extension (".png" or ".jpg"), without a file.
    public static func encode(_ image: Tensor, as fileExtension: String,
                              jpegQuality: Int = 95) throws -> [UInt8] {
        try check(tb.encodeImage(image.handle, std.string(fileExtension), Int32(clamping: jpegQuality)))
            .bytes()
    }

    /// Resizes a uint8 [H, W, 3] RGB image to resizeHeight x resizeWidth (`.automatic`), then writes each
    /// crop (x, y, width, height, flip 0/1: five values per crop in `crops`) as normalized float CHW,
    /// (pixel / 255 - mean) / std, into `out`, crop after crop.
    /// `count` is the room in `out`: crops * 3 * height * width floats.
    public static func normalizedCrops(
        _ image: Tensor, resizeHeight: Int, resizeWidth: Int, crops: [Int], mean: [Float], std: [Float],
        into out: UnsafeMutablePointer<Float>, count: Int
    ) throws {
        try mean.withUnsafeBufferPointer { m in
            try std.withUnsafeBufferPointer { s in
                try check(tb.normalizedCrops(image.handle, Int64(resizeHeight), Int64(resizeWidth),
                                             int64Vector(crops),
                                             m.baseAddress, s.baseAddress, out, Int64(count)))
            }
        }
    }
}
