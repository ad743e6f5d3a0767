import Datasets
import Foundation
import OutputFiles
import Torch

/// `wsol make-dataset`: photographed cut-outs pasted on background photos, one class per stamp, written
/// in the CUB-200-2011 layout by CUBWriter (images, boxes, masks under segmentations/, splits, classes)
/// with the sources' licences under credits/. Deterministic: the same inputs and seed give the same bytes.
public enum PhotoDatasetGenerator {
    public struct Config: Sendable {
        public var canvasWidth = 256, canvasHeight = 192
        public var trainPerClass: Int
        public var testPerClass: Int
        public var seed: UInt64
        public init(trainPerClass: Int, testPerClass: Int, seed: UInt64) {
            self.trainPerClass = trainPerClass; self.testPerClass = testPerClass; self.seed = seed
        }
        var canvas: PhotoComposer.Size { (canvasWidth, canvasHeight) }
    }

    public static let canvasSides = 32...1024
    public static let maxPerClass = 5000
    public static let maxClasses = 1000
    public static let maxImages = 500_000

    /// Bounds every size the user typed, before anything is allocated.
    public static func validate(_ config: Config) throws {
        guard canvasSides.contains(config.canvasWidth), canvasSides.contains(config.canvasHeight) else {
            let (low, high) = (canvasSides.lowerBound, canvasSides.upperBound)
            throw DatasetError("--canvas W H must each be in \(low)...\(high)")
        }
        let perClass = 0...maxPerClass
        guard perClass.contains(config.trainPerClass), perClass.contains(config.testPerClass),
              config.trainPerClass + config.testPerClass > 0 else {
            throw DatasetError("--per-class and --test-per-class must be in 0...\(maxPerClass), not both 0")
        }
    }

    /// Writes the dataset into `out` (the CUB_200_2011 folder); `progress` hears (images done, total).
    public static func generate(_ config: Config, stamps: StampCatalog, backgrounds: BackgroundPhotos,
                                backgroundFolders: [String], out: String,
                                progress: ((Int, Int) -> Void)? = nil) throws {
        try validate(config)
        let classes = stamps.stamps.count, perClass = config.trainPerClass + config.testPerClass
        guard classes > 0 else { throw DatasetError("no photographed stamp in the selected categories") }
        guard classes <= maxClasses else {
            throw DatasetError("\(classes) classes selected; at most \(maxClasses) are supported")
        }
        guard classes * perClass <= maxImages else {
            throw DatasetError("\(classes * perClass) images requested; at most \(maxImages) are supported")
        }
        let writer = try CUBWriter(root: out, classNames: stamps.stamps.map(\.className))
        var used = Set<Int>()
        for (label, stamp) in stamps.stamps.enumerated() {
            for n in 0..<perClass {
                let c = try PhotoComposer.compose(stamp, backgrounds: backgrounds, canvas: config.canvas,
                                                  seed: config.seed, label: label, index: n)
                used.insert(c.background)
                let name = String(format: "%@_%04d", stamp.className, n + 1)
                try writer.add(image: c.image, mask: c.mask, name: name, label: label, box: c.box,
                               train: n < config.trainPerClass)
                progress?(label * perClass + n + 1, classes * perClass)
            }
        }
        try writer.finish()
        try SourceCredits.copy(sources: [stamps.root] + backgroundFolders, to: out)
        try writeSources(stamps: stamps, backgrounds: backgrounds, used: used, config: config, out: out)
    }

    /// credits/SOURCES.txt: which stamp each class is (with its English description) and which
    /// background photos appear, so every pixel's origin is on record.
    static func writeSources(stamps: StampCatalog, backgrounds: BackgroundPhotos, used: Set<Int>,
                             config: Config, out: String) throws {
        var text = "Made by wsol make-dataset (seed \(config.seed), "
            + "canvas \(config.canvasWidth)x\(config.canvasHeight)).\n"
        text += "Licences and credits of each source package are in the folders beside this file.\n\n"
        text += "Classes (stamps under \(portable(stamps.root))):\n"
        for (label, stamp) in stamps.stamps.enumerated() {
            text += String(format: "%03d ", label + 1) + "\(stamp.className): \(stamp.relativePath)"
            if let description = englishDescription(of: stamp, root: stamps.root) {
                text += " (\(description))"
            }
            text += "\n"
        }
        text += "\nBackground photos used:\n"
        for i in used.sorted() { text += portable(backgrounds.paths[i]) + "\n" }
        try TextFiles.write([("SOURCES.txt", text)], in: (out as NSString).appendingPathComponent("credits"))
    }

    /// A source path from `usr/share/` on (as the packages install it), so the record, and the
    /// dataset's bytes, do not depend on where the sources were unpacked.
    static func portable(_ path: String) -> String {
        guard let range = path.range(of: "usr/share/", options: .backwards) else { return path }
        return String(path[range.upperBound...])
    }

    /// The first line of the stamp's `.txt` (Tux Paint's English description), if any.
    static func englishDescription(of stamp: StampCatalog.Stamp, root: String) -> String? {
        let png = (root as NSString).appendingPathComponent(stamp.relativePath)
        let txt = (png as NSString).deletingPathExtension + ".txt"
        guard let text = try? String(contentsOfFile: txt, encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        let line = first.trimmingCharacters(in: .whitespacesAndNewlines)
        return line.isEmpty || line.contains("=") ? nil : line
    }
}
