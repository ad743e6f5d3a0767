import Datasets
import Evaluation
import Foundation
import Models
import OutputFiles
import Synthesis
import Testing
import TestSupport
import Torch
import WeightsIO
@testable import WSOLCommands

/// Seeded damage (byte flips, bytes set to troublesome values, truncation) to every kind of file the
/// commands read, run in this process through the readers and the commands' entry points: nothing
/// may crash, and every refusal is one line that names a file. Each test prints its case count.
@Suite("fuzz: damaged files through the readers and commands", .serialized)
struct FuzzTests {
    init() { configureTestRuntime }

    static let seed: UInt64 = 9

    /// Damages a copy of a file's bytes.
    struct Damage {
        var random: SeededRandom
        private static let troublesome: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x39, 0x2C, 0x0A, 0x20, 0x2D, 0xE9]

        mutating func apply(_ original: [UInt8]) -> [UInt8] {
            var bytes = original
            guard !bytes.isEmpty else { return bytes }
            // Headers decide how much is allocated: half of the flips land in the first 512 bytes.
            func position() -> Int { random.int(below: random.bool() ? min(bytes.count, 512) : bytes.count) }
            switch random.int(below: 4) {
            case 0: bytes.removeLast(1 + random.int(below: bytes.count))
            case 1:
                for _ in 0..<random.int(in: 1...8) { bytes[position()] ^= UInt8(1 + random.int(below: 255)) }
            case 2:
                for _ in 0..<random.int(in: 1...4) {
                    bytes[position()] = Self.troublesome[random.int(below: Self.troublesome.count)]
                }
            default:
                bytes[position()] ^= UInt8(1 << random.int(below: 8))
                bytes.removeLast(random.int(below: max(1, bytes.count / 4)))
            }
            return bytes
        }
    }

    /// Cases run and refused (the rest were accepted, e.g. a flip inside pixel data).
    final class Tally: CustomStringConvertible {
        var cases = 0, refused = 0
        var description: String {
            "\(cases) cases (\(refused) refused with one line naming the file, \(cases - refused) accepted)"
        }
    }

    private static let errorTypes: [Error.Type] = [CommandFailure.self, WeightsError.self, DatasetError.self,
                                                   NPYError.self, EvaluationError.self, TorchError.self,
                                                   OutputFolderError.self]

    /// Runs `body`; a thrown error must be one of ours (never Foundation's), one line, naming a file
    /// under one of `places` (the damaged file, or the folder of the files it refers to).
    private func expectNamed(_ places: String..., tally: Tally, _ what: String, _ body: () throws -> Void) {
        do { try body() } catch {
            tally.refused += 1
            let message = "\(error)"
            #expect(Self.errorTypes.contains { type(of: error) == $0 }, "\(what): \(type(of: error)) \(message)")
            #expect(!message.contains("\n"), "\(what): \(message)")
            #expect(places.contains { message.contains($0) }, "\(what): names none of \(places): \(message)")
        }
    }

    /// Every problem data check lists is one line and names a file under `root`.
    private func expectReportNamesFiles(_ arguments: [String], root: String, _ tally: Tally, _ what: String) {
        do {
            let report = try DataCheckCommand.parse(arguments).makeReport()
            if report.errors > 0 { tally.refused += 1 }
            let lines = report.text.split(separator: "\n")
            for line in lines where line.contains(": error: ") || line.contains(": warning: ") {
                #expect(line.hasPrefix(root), "\(what): \(line)")
            }
        } catch {
            tally.refused += 1
            #expect(!"\(error)".contains("\n") && "\(error)".contains(root), "\(what): \(error)")
        }
    }

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func makeParent(_ path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    }

    /// Damages each file in turn `cases` times (stream `stream` of the seed), calling `check` with
    /// the file and a label after each; every file is restored afterwards.
    private func damage(_ files: [String], cases: Int, stream: Int, _ tally: Tally,
                        _ check: (_ file: String, _ what: String, _ n: Int) throws -> Void) throws {
        for (k, target) in files.enumerated() {
            let original = try bytes(target)
            var damage = Damage(random: SeededRandom(seed: Self.seed, stream, k))
            for n in 0..<cases {
                try write(damage.apply(original), target)
                tally.cases += 1
                try check(target, "\((target as NSString).lastPathComponent) case \(n)", n)
            }
            try write(original, target)
        }
    }

    /// A small CUB folder (2 classes, 2 + 1 images each, 64x48) and its wsolevaluation metadata.
    private func dataset(_ name: String) throws -> (cub: String, metadata: String) {
        let dir = try temporaryDirectory(prefix: "fuzz-" + name).path
        let cub = dir + "/CUB_200_2011", metadata = dir + "/meta"
        try SynthGenerator.generate(.init(classes: 2, trainPerClass: 2, testPerClass: 1, size: 64, seed: 3),
                                    out: cub)
        let read = CUBReader.read(root: cub)
        try WSOLEvalWriter.write(splits: read.orderedSplitNames.map { read.splits[$0]! },
                                 imagesRoot: cub + "/images", to: metadata, owner: "wsol test")
        return (cub, metadata)
    }

    @Test func npyMapsThroughScoreMaps() throws {
        let (_, metadata) = try dataset("npy")
        let maps = try temporaryDirectory(prefix: "fuzz-maps").path
        let ids = try String(contentsOfFile: metadata + "/test/image_ids.txt", encoding: .utf8)
            .split(separator: "\n")
        let values = (0..<(224 * 224)).map { Float(($0 * 7919) % 1000) / 1000 }
        for id in ids {
            let path = maps + "/" + (id as NSString).deletingPathExtension + ".npy"
            try makeParent(path)
            try NPY.write(NPYArray(float32: values, shape: [224, 224]), to: path)
        }
        let target = maps + "/" + (ids[0] as NSString).deletingPathExtension + ".npy"
        // A coarse threshold step: the damage is in the file, not in the sweep.
        let command = try ScoreMapsCommand.parse(["--metadata", metadata + "/test", "--maps", maps,
                                                  "--interval", "0.1"])
        #expect(throws: Never.self) { _ = try command.evaluate() }
        let tally = Tally()
        try damage([target], cases: 100, stream: 1, tally) { file, what, _ in
            expectNamed(file, tally: tally, what) { _ = try command.evaluate() }
        }
        print("fuzz npy (score-maps): \(tally)")
    }

    @Test func weightFilesThroughTheReader() throws {
        let files = try Reference.run("weights_files.py")
        let tally = Tally(), copies = try temporaryDirectory(prefix: "fuzz-weights").path
        let targets = try ["model.safetensors", "model_zip.pth", "model_legacy.pth"].map { name in
            let source = files.appendingPathComponent(name).path
            try FileManager.default.copyItem(atPath: source, toPath: copies + "/" + name)
            return copies + "/" + name
        }
        try damage(targets, cases: 150, stream: 2, tally) { file, what, _ in
            expectNamed(file, tally: tally, what) { _ = try WeightsFile.load(file) }
        }
        print("fuzz weights (safetensors, zip .pth, legacy .pth): \(tally)")
    }

    @Test func imagesThroughTheDecoderThePreprocessingAndDataCheck() throws {
        let (cub, _) = try dataset("images")
        let image = cub + "/images/001.synth_001/synth_001_0001.jpg"
        let mask = cub + "/segmentations/001.synth_001/synth_001_0001.png"
        let tally = Tally()
        try damage([image, mask], cases: 150, stream: 3, tally) { file, what, n in
            expectNamed(file, tally: tally, what) {
                _ = try ImageIO.decode(file, grayscale: file == mask)
                _ = try ImageIO.decode(file, reduce: 2)
                _ = try ImageNetPreprocessing.standard(file, resize: 64, crop: 56)
            }
            if n % 5 == 0 {  // the whole check, deep, on a fifth of the cases
                tally.cases += 1
                expectReportNamesFiles(["--format", "cub", "--root", cub, "--deep"], root: cub, tally, what)
            }
        }
        print("fuzz images (JPEG, PNG mask): \(tally)")
    }

    @Test func datasetMetadataThroughDataCheckAndScoreMaps() throws {
        let (cub, metadata) = try dataset("metadata")
        let tally = Tally()
        let cubFiles = ["images.txt", "image_class_labels.txt", "train_test_split.txt", "bounding_boxes.txt",
                        "classes.txt"]
        try damage(cubFiles.map { cub + "/" + $0 }, cases: 40, stream: 4, tally) { _, what, _ in
            expectReportNamesFiles(["--format", "cub", "--root", cub], root: cub, tally, what)
        }
        // The maps score-maps needs for the test split, all valid: only the metadata is damaged.
        let maps = try temporaryDirectory(prefix: "fuzz-meta-maps").path
        let flat = NPYArray(float32: [Float](repeating: 0.5, count: 224 * 224), shape: [224, 224])
        let ids = try String(contentsOfFile: metadata + "/test/image_ids.txt", encoding: .utf8)
        for id in ids.split(separator: "\n") {
            let path = maps + "/" + id + ".npy"
            try makeParent(path)
            try NPY.write(flat, to: path)
        }
        let evalFiles = ["image_ids.txt", "class_labels.txt", "image_sizes.txt", "localization.txt"]
        let scoreMaps = try ScoreMapsCommand.parse(["--metadata", metadata + "/test", "--maps", maps,
                                                    "--interval", "0.1"])
        try damage(evalFiles.map { metadata + "/test/" + $0 }, cases: 40, stream: 5, tally) { _, what, _ in
            let check = ["--format", "wsolevaluation", "--metadata", metadata, "--images", cub + "/images"]
            expectReportNamesFiles(check, root: (metadata as NSString).deletingLastPathComponent, tally, what)
            tally.cases += 1
            expectNamed(metadata, maps, tally: tally, what + " (score-maps)") { _ = try scoreMaps.evaluate() }
        }
        print("fuzz metadata (CUB, wsolevaluation): \(tally)")
    }

    @Test func ilsvrcAnnotationsThroughDataCheck() throws {
        let root = try temporaryDirectory(prefix: "fuzz-ilsvrc").path
        for folder in ["/train/n01", "/val"] {
            try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
        }
        let gray = try Tensor([UInt8](repeating: 128, count: 40 * 50 * 3), shape: [40, 50, 3])
        try ImageIO.write(gray, to: root + "/train/n01/a.JPEG")
        try ImageIO.write(gray, to: root + "/val/v1.JPEG")
        let xml = """
            <annotation>
            \t<size>\n\t\t<width>50</width>\n\t\t<height>40</height>\n\t</size>
            \t<object>\n\t\t<name>n01</name>\n\t\t<bndbox>\n\t\t\t<xmin>3</xmin>\n\t\t\t<ymin>4</ymin>
            \t\t\t<xmax>30</xmax>\n\t\t\t<ymax>35</ymax>\n\t\t</bndbox>\n\t</object>
            </annotation>

            """
        let target = root + "/val/v1.xml"
        try xml.write(toFile: target, atomically: true, encoding: .utf8)
        let arguments = ["--format", "ilsvrc", "--root", root]
        #expect(try DataCheckCommand.parse(arguments).makeReport().errors == 0)
        let tally = Tally()
        try damage([target], cases: 150, stream: 6, tally) { _, what, _ in
            expectReportNamesFiles(arguments, root: root, tally, what)
        }
        print("fuzz ILSVRC XML (data check): \(tally)")
    }
}
