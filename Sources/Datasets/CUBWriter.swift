import Foundation
import Torch

/// The one writer of datasets in the CUB-200-2011 layout (synthetic data, the demo's dataset builder):
/// `images/<class folder>/<name>.jpg`, `segmentations/<class folder>/<name>.png` and the five text
/// files, written by `finish()` so a half-written folder never looks complete.
public final class CUBWriter {
    public let root: String
    public let classNames: [String]
    public let jpegQuality: Int
    private var images: [String] = [], labels: [Int] = [], isTrain: [Bool] = [], boxes: [Box] = []

    /// `root` is the CUB_200_2011 folder to create; class folders are named "001.<name>".
    public init(root: String, classNames: [String], jpegQuality: Int = 95) throws {
        self.root = root
        self.classNames = classNames
        self.jpegQuality = jpegQuality
        for name in classNames where name.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw DatasetError("class name '\(name)' must not contain spaces or slashes")
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    public func classFolder(_ label: Int) -> String { String(format: "%03d.", label + 1) + classNames[label] }

    /// Adds one image (uint8 [H, W, 3]) with its box (original pixels) and optional mask (uint8
    /// [H, W], 0 or 255). `name` is the file name without extension.
    public func add(image: Tensor, mask: Tensor?, name: String, label: Int, box: Box, train: Bool) throws {
        guard classNames.indices.contains(label) else { throw DatasetError("label \(label) out of range 0..<\(classNames.count)") }
        let relative = "\(classFolder(label))/\(name).jpg"
        let imagePath = (root as NSString).appendingPathComponent("images/\(relative)")
        try FileManager.default.createDirectory(atPath: (imagePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ImageIO.write(image, to: imagePath, jpegQuality: jpegQuality)
        if let mask {
            let maskPath = (root as NSString).appendingPathComponent("segmentations/\(classFolder(label))/\(name).png")
            try FileManager.default.createDirectory(atPath: (maskPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try ImageIO.write(mask, to: maskPath)
        }
        images.append(relative); labels.append(label); isTrain.append(train); boxes.append(box)
    }

    /// Writes images.txt, image_class_labels.txt, train_test_split.txt, bounding_boxes.txt, classes.txt.
    public func finish() throws {
        func lines(_ body: (Int) -> String) -> String { images.indices.map { "\($0 + 1) \(body($0))\n" }.joined() }
        let files: [(name: String, text: String)] = [
            ("classes.txt", classNames.indices.map { "\($0 + 1) \(classFolder($0))\n" }.joined()),
            ("images.txt", lines { images[$0] }),
            ("image_class_labels.txt", lines { String(labels[$0] + 1) }),
            ("train_test_split.txt", lines { isTrain[$0] ? "1" : "0" }),
            ("bounding_boxes.txt", lines { i in
                let b = boxes[i]
                // Shortest exact form: "60.0" as in the official files, fractions kept.
                return [b.x0, b.y0, b.width, b.height].map { String($0) }.joined(separator: " ")
            }),
        ]
        try TextFiles.write(files, in: root)
    }
}
