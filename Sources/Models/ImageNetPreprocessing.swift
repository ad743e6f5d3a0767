import Torch

/// Turning an image file into the [1, 3, H, W] input torchvision's pretrained weights expect.
public enum ImageNetPreprocessing {
    public static let mean: [Float] = [0.485, 0.456, 0.406]
    public static let std: [Float] = [0.229, 0.224, 0.225]

    /// torchvision's evaluation transform: shorter side to `resize` (the longer side scaled as
    /// int(resize * long / short)), center crop `crop` (offsets rounded as torchvision does), then
    /// normalization. Shrinking uses area interpolation, enlarging bilinear.
    public static func standard(_ path: String, resize: Int, crop: Int) throws -> Tensor {
        let image = try ImageIO.decode(path)
        let (h, w) = (image.shape[0], image.shape[1])
        let (newH, newW) = h <= w ? (resize, Int(Double(resize) * Double(w) / Double(h))) : (Int(Double(resize) * Double(h) / Double(w)), resize)
        let resized = try ImageIO.resize(image, height: newH, width: newW)
        guard newH >= crop, newW >= crop else { throw TorchError("\(path): image too small for a \(crop) crop") }
        let top = Int((Double(newH - crop) / 2).rounded())
        let left = Int((Double(newW - crop) / 2).rounded())
        let cropped = try resized.slice(dim: 0, start: top, end: top + crop).slice(dim: 1, start: left, end: left + crop)
        return try normalize(cropped)
    }

    /// The image at its own size, only scaled to [0, 1] and normalized.
    public static func none(_ path: String) throws -> Tensor {
        try normalize(ImageIO.decode(path))
    }

    /// uint8 [H, W, 3] -> float [1, 3, H, W], (x / 255 - mean) / std.
    public static func normalize(_ image: Tensor) throws -> Tensor {
        let m = try Tensor(mean, shape: [3])
        let s = try Tensor(std, shape: [3])
        let x = try (image.to(.float32) / 255 - m) / s
        return try x.permute([2, 0, 1]).unsqueeze(0).contiguous()
    }
}
