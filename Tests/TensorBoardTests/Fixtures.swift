import Foundation
import TestSupport
import Torch

/// A small RGB test image: distinct values in every pixel and channel.
func testImagePixels(height: Int, width: Int) -> [UInt8] {
    (0..<height * width * 3).map { UInt8(truncatingIfNeeded: $0 * 37 + $0 / 3) }
}

/// PNG bytes of `testImagePixels`, encoded by the bridge's OpenCV writer.
func pngBytes(height: Int, width: Int) throws -> [UInt8] {
    let path = try temporaryDirectory(prefix: "tb-png").appendingPathComponent("image.png")
    let image = try Tensor(testImagePixels(height: height, width: width), shape: [height, width, 3])
    try ImageIO.write(image, to: path.path)
    return [UInt8](try Data(contentsOf: path))
}
