import CTorchBridge

/// Image files and resizing through OpenCV. Images are uint8 [H, W, 3] RGB tensors.
public enum ImageIO {
    public enum ResizeMode: Int32, Sendable {
        /// Area averaging when no side grows, bilinear otherwise.
        case automatic = 0, area = 1, bilinear = 2, bicubic = 3, nearest = 4
    }

    /// Decodes a JPEG or PNG file to RGB (grayscale, CMYK and alpha converted; EXIF orientation
    /// ignored, as PIL does). `reduce` (1, 2, 4 or 8) decodes at a fraction of the resolution.
    public static func decode(_ path: String, reduce: Int = 1) throws -> Tensor {
        try check(tb.decodeImage(std.string(path), Int32(clamping: reduce)))
    }

    /// Resizes a uint8 or float32 [H, W, C] or [H, W] image.
    public static func resize(_ image: Tensor, height: Int, width: Int, mode: ResizeMode = .automatic) throws -> Tensor {
        try check(tb.resizeImage(image.handle, Int64(height), Int64(width), tb.ResizeMode(rawValue: mode.rawValue)!))
    }

    /// Writes a uint8 [H, W, 3] RGB or [H, W] gray image; the extension (.png, .jpg) picks the format.
    public static func write(_ image: Tensor, to path: String, jpegQuality: Int = 95) throws {
        try check(tb.writeImage(image.handle, std.string(path), Int32(clamping: jpegQuality)))
    }
}
