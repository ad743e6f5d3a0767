import CTorchBridge

/// Masks through OpenCV. Mask values are labels, not intensities, so masks always resize with
/// nearest neighbour.
extension ImageIO {
    /// An image file read as OpenCV's imread(IMREAD_GRAYSCALE) does, resized to height x width with
    /// nearest neighbour: height * width bytes, row-major. An error names the file when it is missing
    /// or cannot be decoded.
    public static func readGrayResized(_ path: String, height: Int, width: Int) throws -> [UInt8] {
        try check(tb.readGrayResized(std.string(path), Int32(height), Int32(width)))
    }

    /// `normalizedCrops`' geometry for a mask: the first channel of a uint8 [H, W] or [H, W, C] image
    /// resized to resizeHeight x resizeWidth with nearest neighbour, then each crop (x, y, width, height,
    /// flip 0/1: five values per crop in `crops`) written as uint8 HW into `out`, crop after crop.
    /// `count` is the room in `out`: crops * height * width bytes.
    public static func maskCrops(
        _ mask: Tensor, resizeHeight: Int, resizeWidth: Int, crops: [Int],
        into out: UnsafeMutablePointer<UInt8>, count: Int
    ) throws {
        try check(tb.maskCrops(mask.handle, Int64(resizeHeight), Int64(resizeWidth), int64Vector(crops),
                               out, Int64(count)))
    }
}
