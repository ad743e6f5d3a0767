import Evaluation
import Torch

/// A colour for drawing, in our images' channel order (RGB).
public struct RGB: Equatable, Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    public static let groundTruth = RGB(0, 255, 0)
    public static let predicted = RGB(255, 0, 0)
}

/// A box outline to draw: inclusive pixel corners (PixelBox's convention), colour, line width.
public struct DrawnBox: Equatable, Sendable {
    public var box: PixelBox
    public var color: RGB
    public var thickness: Int
    public init(_ box: PixelBox, color: RGB, thickness: Int = 2) {
        self.box = box; self.color = color; self.thickness = thickness
    }
}

/// Overlay primitives on RGB uint8 [H, W, 3] images (ImageDrawing's OpenCV); each returns a new image.
public enum Overlay {
    /// A raw map min-max normalized to [0, 1] for drawing (a constant map draws as zeros).
    public static func minMaxNormalized(_ map: Tensor) throws -> Tensor {
        let low = try map.min().item(), high = try map.max().item()
        return high > low ? try (map - low) / (high - low) : try map * 0
    }

    /// The map ([h, w] floats in [0, 1], any size; NaN drawn as 0, outside values clamped) resized
    /// bilinearly to the image, coloured with OpenCV's JET and blended: (1 - alpha) image + alpha heat.
    /// alpha 1 gives the heat map alone.
    public static func heatmap(_ map: Tensor, on image: Tensor, alpha: Double = 0.5) throws -> Tensor {
        try ImageDrawing.heatmap(map, on: image, alpha: alpha)
    }

    /// Box outlines, drawn in order (later boxes over earlier ones), exact colours (no anti-aliasing).
    public static func draw(_ boxes: [DrawnBox], on image: Tensor) throws -> Tensor {
        if boxes.isEmpty { return image }
        let flat = boxes.flatMap { d in
            d.box.array + [Int(d.color.r), Int(d.color.g), Int(d.color.b), d.thickness]
        }
        return try ImageDrawing.boxes(flat, on: image)
    }

    /// A short tile name ("map", "Mf1") in the top-left corner, white on dark.
    public static func label(_ text: String, on image: Tensor) throws -> Tensor {
        try ImageDrawing.label(text, on: image)
    }

    /// The image with a white band below holding the lines (at most 16), shrunk to fit the width and cut
    /// with "..." when even the smallest size does not fit. Non-ASCII characters print as '?'.
    public static func caption(
        _ lines: [String], under image: Tensor, fontScale: Double = 0.45
    ) throws -> Tensor {
        if lines.isEmpty { return image }
        let text = lines.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        return try ImageDrawing.caption(text, under: image, fontScale: fontScale)
    }

    /// Images side by side, top-aligned, with `gap` white columns between them.
    public static func row(_ images: [Tensor], gap: Int = 4, background: UInt8 = 255) throws -> Tensor {
        try ImageDrawing.row(images, gap: gap, background: background)
    }
}
