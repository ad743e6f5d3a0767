import Foundation
import Torch

/// Ground-truth masks as wsolevaluation reads them: each file as OpenCV grayscale, resized to
/// size x size with nearest neighbour; foreground = any instance mask > 0.5 (nonzero); ignore =
/// ignore mask nonzero and not foreground.
public enum GroundTruthMask {
    public static let foreground: UInt8 = 1
    public static let ignore: UInt8 = 255

    /// Per pixel 1 (foreground), 0 (background) or 255 (ignored). No ignore file: nothing ignored.
    public static func load(masks: [String], ignore ignorePath: String?, size: Int = 224) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: size * size)
        for path in masks {
            for (i, v) in try read(path, size: size).enumerated() where v > 0 {
                result[i] = foreground
            }
        }
        if let ignorePath, !ignorePath.isEmpty {
            for (i, v) in try read(ignorePath, size: size).enumerated()
            where v > 0 && result[i] != foreground {
                result[i] = ignore
            }
        }
        return result
    }

    static func read(_ path: String, size: Int) throws -> [UInt8] {
        do {
            return try ImageIO.readGrayResized(path, height: size, width: size)
        } catch let error as TorchError {
            throw EvaluationError(error.message)
        }
    }
}
