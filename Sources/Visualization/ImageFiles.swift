import Foundation
import Torch

/// Image files that appear whole: written by ImageIO.write under a temporary name in the same folder
/// (same extension, so OpenCV picks the same format), then renamed over the target.
public enum ImageFiles {
    /// Writes a uint8 [H, W, 3] RGB (or [H, W] gray) image as PNG or JPEG (by extension), atomically.
    public static func write(_ image: Tensor, to path: String, jpegQuality: Int = 90) throws {
        let url = URL(fileURLWithPath: path)
        // A short name of its own: the final name may already be as long as a file name can be.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".wsol-\(UUID().uuidString.prefix(8))")
            .appendingPathExtension(url.pathExtension).path
        do {
            try ImageIO.write(image, to: temporary, jpegQuality: jpegQuality)
            guard rename(temporary, path) == 0 else {
                throw VisualizationError("\(path): cannot write image (\(String(cString: strerror(errno))))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if error is VisualizationError { throw error }
            throw VisualizationError("\(path): cannot write image: \(error)")
        }
    }

    /// The image shrunk (area averaging) so that its height is at most `maxHeight` and its width at most
    /// `maxWidth`, aspect ratio kept; an image already small enough is returned as it is.
    public static func thumbnail(_ image: Tensor, maxHeight: Int = 120, maxWidth: Int = 640) throws -> Tensor
    {
        guard maxHeight >= 1, maxWidth >= 1 else {
            throw VisualizationError("thumbnail size must be at least 1x1")
        }
        let shape = image.shape
        guard shape.count >= 2, shape[0] >= 1, shape[1] >= 1 else {
            throw VisualizationError("thumbnail of an image shaped \(shape)")
        }
        let scale = min(1, Double(maxHeight) / Double(shape[0]), Double(maxWidth) / Double(shape[1]))
        if scale >= 1 { return image }
        let height = max(1, Int((Double(shape[0]) * scale).rounded()))
        let width = max(1, Int((Double(shape[1]) * scale).rounded()))
        return try ImageIO.resize(image, height: height, width: width, mode: .area)
    }

    /// Writes the thumbnail of `image` (see `thumbnail`) atomically.
    public static func writeThumbnail(
        _ image: Tensor, to path: String, maxHeight: Int = 120, maxWidth: Int = 640,
        jpegQuality: Int = 85
    ) throws {
        try write(
            thumbnail(image, maxHeight: maxHeight, maxWidth: maxWidth), to: path, jpegQuality: jpegQuality)
    }
}

/// A one-line error for users: what failed and on which file.
public struct VisualizationError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
