import Datasets
import Foundation
import Synthesis
import TestSupport
import Torch

/// Small datasets written to temporary folders in each official layout.
enum Fixtures {
    /// A CUB-layout folder from the synthetic generator (real JPEGs, masks, boxes).
    static func synthCUB(classes: Int = 3, train: Int = 2, test: Int = 2, size: Int = 64, seed: UInt64 = 7) throws -> String {
        let dir = try temporaryDirectory(prefix: "cub").appendingPathComponent("CUB_200_2011").path
        try SynthGenerator.generate(.init(classes: classes, trainPerClass: train, testPerClass: test, size: size, seed: seed), out: dir)
        return dir
    }

    static func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A uint8 RGB image of the given size with a simple pattern.
    static func image(width: Int, height: Int) throws -> Tensor {
        let pixels = (0..<(width * height * 3)).map { UInt8(($0 * 31 / 3) % 251) }
        return try Tensor(pixels, shape: [height, width, 3])
    }

    static func writeImage(_ path: String, width: Int, height: Int) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ImageIO.write(try image(width: width, height: height), to: path)
    }

    /// An ImageNet-style annotation file.
    static func xml(wnid: String, width: Int, height: Int, boxes: [(Double, Double, Double, Double)], otherWnid: String? = nil) -> String {
        var text = "<annotation>\n\t<size>\n\t\t<width>\(width)</width>\n\t\t<height>\(height)</height>\n\t</size>\n"
        for (i, b) in boxes.enumerated() {
            let name = i == boxes.count - 1 ? (otherWnid ?? wnid) : wnid
            text += "\t<object>\n\t\t<name>\(name)</name>\n\t\t<bndbox>\n\t\t\t<xmin>\(b.0)</xmin>\n\t\t\t<ymin>\(b.1)</ymin>\n"
            text += "\t\t\t<xmax>\(b.2)</xmax>\n\t\t\t<ymax>\(b.3)</ymax>\n\t\t</bndbox>\n\t</object>\n"
        }
        return text + "</annotation>\n"
    }
}
