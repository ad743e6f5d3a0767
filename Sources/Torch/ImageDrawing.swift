import CTorchBridge

/// Drawing for inspection (exports, TensorBoard images) through OpenCV, on RGB uint8 [H, W, 3] images;
/// each call returns a new image.
public enum ImageDrawing {
    /// `map` ([h, w], any size and float dtype; NaN read as 0, values clamped to [0, 1]) resized
    /// bilinearly to the image, quantized as uint8(round(v * 255)), coloured with OpenCV's COLORMAP_JET
    /// (in RGB order) and blended: (1 - alpha) * image + alpha * heat. alpha in [0, 1].
    public static func heatmap(_ map: Tensor, on image: Tensor, alpha: Double) throws -> Tensor {
        try check(tb.heatmapOverlay(image.handle, map.handle, alpha))
    }

    /// Rectangle outlines, 8 values per box in `boxes`: x0, y0, x1, y1 (inclusive pixel corners),
    /// r, g, b (0-255), thickness (1-64; OpenCV's: 1 is one pixel, 2 covers one pixel either side of the
    /// edge, 3 two). Drawn in order without anti-aliasing, so outline pixels have exactly the box colour.
    public static func boxes(_ boxes: [Int], on image: Tensor) throws -> Tensor {
        try check(tb.drawBoxes(image.handle, int64Vector(boxes)))
    }

    /// A short label in the top-left corner, white on a dark box.
    public static func label(_ text: String, on image: Tensor) throws -> Tensor {
        try check(tb.drawLabel(image.handle, std.string(text)))
    }

    /// The image with a white band below holding `text` (lines separated by "\n", at most 16), dark,
    /// FONT_HERSHEY_SIMPLEX at `fontScale` (0.2-4), shrunk to fit the width down to 0.3 and then cut
    /// with "..." at the end. Non-ASCII bytes print as '?'.
    public static func caption(_ text: String, under image: Tensor, fontScale: Double) throws -> Tensor {
        try check(tb.captionBand(image.handle, std.string(text), fontScale))
    }

    /// The images side by side, top-aligned, `gap` (0-256) columns of gray level `background` between
    /// them and below the shorter ones.
    public static func row(_ images: [Tensor], gap: Int, background: UInt8) throws -> Tensor {
        try check(tb.hconcatImages(tensorVector(images), Int64(gap), Int64(background)))
    }
}
