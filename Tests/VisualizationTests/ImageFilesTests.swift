import Foundation
import Testing
import TestSupport
import Torch
@testable import Visualization

@Suite("Image files written whole", .serialized)
struct ImageFilesTests {
    init() { configureTestRuntime }

    @Test func writesPNGAndJPEGAtomicallyLeavingNoTemporaryFile() throws {
        let dir = try temporaryDirectory(prefix: "imagefiles")
        let pixels: [UInt8] = (0..<(20 * 30 * 3)).map { UInt8(($0 * 7) % 256) }
        let image = try Tensor(pixels, shape: [20, 30, 3])
        let png = dir.appendingPathComponent("a b.png").path
        try ImageFiles.write(image, to: png)
        try ImageFiles.write(image, to: png)  // replacing a file is fine
        #expect(try ImageIO.decode(png).bytes() == pixels)
        try ImageFiles.write(image, to: dir.appendingPathComponent("c.jpg").path)
        #expect(try ImageIO.decode(dir.appendingPathComponent("c.jpg").path).shape == [20, 30, 3])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a b.png", "c.jpg"])
        let missing = dir.appendingPathComponent("no/such/x.png").path
        #expect { try ImageFiles.write(image, to: missing) } throws: {
            ($0 as? VisualizationError)?.message.hasPrefix(missing) == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 2)
    }

    @Test func thumbnailsKeepTheAspectRatioWithinBothLimits() throws {
        let image = try solidImage(height: 270, width: 680, RGB(9, 9, 9))
        #expect(try ImageFiles.thumbnail(image, maxHeight: 120).shape == [120, 302, 3])
        #expect(try ImageFiles.thumbnail(image, maxHeight: 120, maxWidth: 200).shape == [79, 200, 3])
        #expect(try ImageFiles.thumbnail(image, maxHeight: 500, maxWidth: 1000).shape == [270, 680, 3])
        let dir = try temporaryDirectory(prefix: "thumbs")
        let path = dir.appendingPathComponent("t.jpg").path
        try ImageFiles.writeThumbnail(image, to: path, maxHeight: 60)
        #expect(try ImageIO.decode(path).shape == [60, 151, 3])
        #expect(throws: VisualizationError.self) { try ImageFiles.thumbnail(image, maxHeight: 0) }
    }
}
