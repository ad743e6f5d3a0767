import Datasets
import Foundation
import OutputFiles
import Torch

/// The one writer of datasets in the CUB-200-2011 layout (synthetic data, the demo's dataset builder):
/// `images/<class folder>/<name>.jpg`, `segmentations/<class folder>/<name>.png` and the five text
/// files. Everything is written into a staging folder (OutputStaging) that `finish()` puts in place,
/// so a failed run leaves no half dataset and the output-folder rule holds.
public final class CUBWriter {
    /// The CUB_200_2011 folder the dataset appears at after `finish()`.
    public let root: String
    private let staging: OutputStaging
    public let classNames: [String]
    public let jpegQuality: Int
    private var images: [String] = [], labels: [Int] = [], isTrain: [Bool] = [], boxes: [Box] = []

    /// `root` is the CUB_200_2011 folder to create, claimed for `owner` (the command, e.g. "wsol
    /// synth") under the output-folder rule (`force`: write into a foreign folder); class folders are
    /// named "001.<name>".
    public init(root: String, classNames: [String], force: Bool = false, owner: String = "wsol",
                jpegQuality: Int = 95) throws {
        self.root = root
        self.classNames = classNames
        self.jpegQuality = jpegQuality
        for name in classNames where name.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw DatasetError("class name '\(name)' must not contain spaces or slashes")
        }
        staging = try OutputStaging(target: root, force: force, owner: owner)
    }

    public func classFolder(_ label: Int) -> String { String(format: "%03d.", label + 1) + classNames[label] }

    /// Adds one image (uint8 [H, W, 3]) with its box (original pixels) and optional mask (uint8
    /// [H, W], 0 or 255). `name` is the file name without extension.
    public func add(image: Tensor, mask: Tensor?, name: String, label: Int, box: Box, train: Bool) throws {
        guard classNames.indices.contains(label) else {
            throw DatasetError("label \(label) out of range 0..<\(classNames.count)")
        }
        let relative = "\(classFolder(label))/\(name).jpg"
        let imagePath = (staging.path as NSString).appendingPathComponent("images/\(relative)")
        try makeFolder((imagePath as NSString).deletingLastPathComponent)
        try ImageIO.write(image, to: imagePath, jpegQuality: jpegQuality)
        if let mask {
            let maskPath = (staging.path as NSString)
                .appendingPathComponent("segmentations/\(classFolder(label))/\(name).png")
            try makeFolder((maskPath as NSString).deletingLastPathComponent)
            try ImageIO.write(mask, to: maskPath)
        }
        images.append(relative); labels.append(label); isTrain.append(train); boxes.append(box)
    }

    /// Writes images.txt, image_class_labels.txt, train_test_split.txt, bounding_boxes.txt, classes.txt,
    /// then puts the dataset in place at `root`.
    public func finish() throws {
        func lines(_ body: (Int) -> String) -> String {
            images.indices.map { "\($0 + 1) \(body($0))\n" }.joined()
        }
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
        try TextFiles.write(files, in: staging.path)
        try staging.commit()
    }

    private func makeFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputFolderError(root, "cannot write: \(OutputFolder.reason(error))", refused: false)
        }
    }
}
