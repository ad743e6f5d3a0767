import Torch

/// Turning an image file into the [1, 3, H, W] input torchvision's pretrained weights expect, through
/// the same bridge call the data loader uses (resize, crop and normalize in one pass).
public enum ImageNetPreprocessing {
    /// torchvision's evaluation transform: shorter side to `resize` (the longer side scaled as
    /// int(resize * long / short)), center crop `crop` (offsets rounded as torchvision does), then
    /// ImageNet normalization. Shrinking uses area interpolation, enlarging bilinear.
    public static func standard(_ path: String, resize: Int, crop: Int) throws -> Tensor {
        let image = try ImageIO.decode(path)
        let (h, w) = (image.shape[0], image.shape[1])
        let (newH, newW) = h <= w
            ? (resize, Int(Double(resize) * Double(w) / Double(h)))
            : (Int(Double(resize) * Double(h) / Double(w)), resize)
        guard newH >= crop, newW >= crop else {
            throw TorchError("\(path): image too small for a \(crop) crop")
        }
        let top = ImageIO.centerCropOffset(size: newH, crop: crop)
        let left = ImageIO.centerCropOffset(size: newW, crop: crop)
        return try normalized(image, resizeHeight: newH, resizeWidth: newW, crop: [left, top, crop, crop])
    }

    /// The image at its own size, only scaled to [0, 1] and normalized.
    public static func none(_ path: String) throws -> Tensor {
        let image = try ImageIO.decode(path)
        let (h, w) = (image.shape[0], image.shape[1])
        return try normalized(image, resizeHeight: h, resizeWidth: w, crop: [0, 0, w, h])
    }

    /// One crop [x, y, width, height] of the resized image as a normalized [1, 3, height, width] tensor.
    private static func normalized(_ image: Tensor, resizeHeight: Int, resizeWidth: Int,
                                   crop: [Int]) throws -> Tensor {
        let count = 3 * crop[2] * crop[3]
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { buffer.deallocate() }
        try ImageIO.normalizedCrops(image, resizeHeight: resizeHeight, resizeWidth: resizeWidth,
                                    crops: crop + [0], mean: ImageIO.imagenetMean, std: ImageIO.imagenetStd,
                                    into: buffer, count: count)
        return try Tensor(copying: UnsafeBufferPointer(start: buffer, count: count),
                          shape: [1, 3, crop[3], crop[2]])
    }
}
