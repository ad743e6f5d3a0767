@testable import Datasets
import Foundation
import Testing
import TestSupport
import Torch

/// Readers under hostile or careless input (issue 9): corrupt images, sizes that disagree with the
/// image, names that are not UTF-8, empty class folders, huge annotation files.
@Suite("readers under hostile input", .serialized)
struct HardenedReaderTests {
    init() { configureTestRuntime }

    /// A copy of `source` cut to its first `keep` bytes.
    private func truncated(_ source: String, keep: (Int) -> Int, name: String) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let path = try temporaryDirectory(prefix: "cut").appendingPathComponent(name).path
        try bytes.prefix(keep(bytes.count)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func truncatedJPEGAndPNGFailToDecodeWithTheirName() throws {
        let dir = try temporaryDirectory(prefix: "images").path
        try Fixtures.writeImage(dir + "/a.jpg", width: 64, height: 48)
        try Fixtures.writeImage(dir + "/a.png", width: 64, height: 48)
        #expect(try ImageIO.decode(dir + "/a.jpg").shape == [48, 64, 3])
        let cases = [(try truncated(dir + "/a.jpg", keep: { $0 / 2 }, name: "half.jpg"), "truncated JPEG"),
                     (try truncated(dir + "/a.jpg", keep: { $0 - 2 }, name: "noeoi.jpg"), "truncated JPEG"),
                     (try truncated(dir + "/a.png", keep: { $0 - 12 }, name: "noiend.png"), "truncated PNG"),
                     (try truncated(dir + "/a.png", keep: { $0 / 2 }, name: "half.png"), "truncated PNG")]
        for (path, what) in cases {
            for reduce in [1, 2] {
                do {
                    _ = try ImageIO.decode(path, reduce: reduce)
                    Issue.record("\(path) decoded")
                } catch let error as TorchError {
                    #expect(error.message.hasPrefix(path + ": " + what), "\(error.message)")
                    #expect(!error.message.contains("\n"))
                }
            }
        }
        // Bytes after the end-of-image marker (some cameras append them) are not an error.
        var padded = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.jpg"))
        padded.append(Data(repeating: 0, count: 100))
        try padded.write(to: URL(fileURLWithPath: dir + "/padded.jpg"))
        #expect(try ImageIO.decode(dir + "/padded.jpg").shape == [48, 64, 3])
    }

    @Test func theLoaderNamesACutJPEGOnce() throws {
        let cub = try Fixtures.synthCUB(classes: 2, train: 1, test: 1)
        let image = cub + "/images/001.synth_001/synth_001_0001.jpg"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: image))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: image))
        let data = try CUBReader.read(root: cub).requireSplit("train")
        var options = DataLoader.Options()
        options.batchSize = 2
        let loader = DataLoader(dataset: data, transform: ImageTransform(.train, imageSize: 32), options: options)
        let iterator = loader.epoch(0)
        let error = #expect(throws: DatasetError.self) { while try iterator.next() != nil {} }
        #expect(error?.message.hasPrefix("\(image): truncated JPEG") == true, "\(String(describing: error))")
        #expect(error?.message.components(separatedBy: image).count == 2, "\(String(describing: error))")
    }

    @Test func aJPEGHeaderDeclaringTooManyPixelsIsRefusedBeforeDecoding() throws {
        let dir = try temporaryDirectory(prefix: "huge").path
        try Fixtures.writeImage(dir + "/a.jpg", width: 64, height: 48)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/a.jpg")))
        // The baseline frame header: FF C0, length, precision, height, width.
        let sof = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = 0xFF; bytes[sof + 6] = 0xF0; bytes[sof + 7] = 0xFF; bytes[sof + 8] = 0xF0
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/huge.jpg"))
        let error = #expect(throws: TorchError.self) { try ImageIO.decode(dir + "/huge.jpg") }
        let expected = dir + "/huge.jpg: image of 65520x65520 pixels is larger than"
        #expect(error?.message.hasPrefix(expected) == true,
                "\(String(describing: error))")
    }

    /// BMP, TIFF and WebP headers declaring more pixels than the limit are refused by name before
    /// OpenCV allocates them (its own limit, 2^30, is set before main): files of a few dozen bytes.
    @Test func otherFormatsDeclaringTooManyPixelsAreRefusedBeforeDecoding() throws {
        let dir = try temporaryDirectory(prefix: "huge-other").path
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        let bmp: [UInt8] = Array("BM".utf8) + le(54, 4) + le(0, 4) + le(54, 4) + le(40, 4) + le(9000, 4)
            + le(9000, 4) + le(1, 2) + le(24, 2) + le(0, 4) + le(0, 4) + le(2835, 4) + le(2835, 4) + le(0, 8)
        let tiff: [UInt8] = Array("II*".utf8) + [0] + le(8, 4) + le(2, 2) + le(256, 2) + le(4, 2) + le(1, 4)
            + le(9000, 4) + le(257, 2) + le(4, 2) + le(1, 4) + le(9000, 4) + le(0, 4)
        let webp: [UInt8] = Array("RIFF".utf8) + le(22, 4) + Array("WEBPVP8X".utf8) + le(10, 4) + le(0, 4)
            + le(8999, 3) + le(8999, 3)
        for (name, bytes) in [("huge.bmp", bmp), ("huge.tif", tiff), ("huge.webp", webp)] {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
            let error = #expect(throws: TorchError.self) { try ImageIO.decode(dir + "/" + name) }
            #expect(error?.message.hasPrefix(dir + "/\(name): image of 9000x9000 pixels is larger than") == true,
                    "\(String(describing: error))")
        }
    }

    @Test func imageSizesThatDisagreeWithTheImageAreErrors() throws {
        let cub = try Fixtures.synthCUB(classes: 2, train: 1, test: 1)
        let metadata = try temporaryDirectory(prefix: "sizes").path + "/meta"
        let read = CUBReader.read(root: cub)
        try WSOLEvalWriter.write(splits: read.orderedSplitNames.map { read.splits[$0]! },
                                 imagesRoot: cub + "/images", to: metadata, owner: "wsol test")
        let sizes = metadata + "/test/image_sizes.txt"
        var lines = try String(contentsOfFile: sizes, encoding: .utf8).split(separator: "\n").map(String.init)
        let fields = lines[1].split(separator: ",")
        lines[1] = "\(fields[0]),\(fields[2]),\(fields[1])"  // width and height swapped
        try (lines.joined(separator: "\n") + "\n").write(toFile: sizes, atomically: true, encoding: .utf8)
        let result = WSOLEvalReader.read(metadata: metadata, images: cub + "/images")
        #expect(result.errors.count == 1, "\(result.issues)")
        let first = result.errors.first?.description ?? ""
        #expect(first.hasPrefix("\(sizes):2: error: size 48x64 of "), "\(result.issues)")
    }

    @Test func metadataLinesThatAreNotUTF8AreNamedNotReportedMissing() throws {
        let cub = try Fixtures.synthCUB(classes: 2, train: 1, test: 1)
        let images = cub + "/images.txt"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: images)))
        let newline = try #require(bytes.firstIndex(of: 0x0A))
        bytes.insert(contentsOf: [0x63, 0x61, 0x66, 0xE9], at: newline)  // "café" in Latin-1 ends line 1
        try Data(bytes).write(to: URL(fileURLWithPath: images))
        let result = CUBReader.read(root: cub)
        let first = try #require(result.errors.first)
        #expect(first.description.hasPrefix("\(images):1: error: line is not UTF-8 text"), "\(result.issues)")
        #expect(!result.issues.contains { $0.message.contains("missing") }, "\(result.issues)")
    }

    @Test func anEmptyILSVRCClassFolderIsAnError() throws {
        let root = try temporaryDirectory(prefix: "ilsvrc-empty").path
        try Fixtures.writeImage(root + "/train/n01/a.JPEG", width: 32, height: 32)
        try FileManager.default.createDirectory(atPath: root + "/train/n02", withIntermediateDirectories: true)
        try Fixtures.writeImage(root + "/train/n03/b.JPEG", width: 32, height: 32)
        let result = ILSVRCReader.read(root: root)
        #expect(result.errors.map(\.file) == [root + "/train/n02"], "\(result.issues)")
        #expect(result.errors.first?.message.contains("class folder holds no image") == true)
    }

    /// 200,000 objects: the tag scanner is linear (it was quadratic: minutes for this file).
    @Test func aHugeAnnotationIsScannedInOnePass() throws {
        let boxes = Array(repeating: (1.0, 2.0, 30.0, 40.0), count: 200_000)
        let dir = try temporaryDirectory(prefix: "xml").path
        try Fixtures.write(Fixtures.xml(wnid: "n01", width: 50, height: 50, boxes: boxes), dir + "/a.xml")
        var result = DatasetReadResult()
        let annotation = try #require(ILSVRCAnnotation.parse(dir + "/a.xml", &result))
        #expect(annotation.objects.count == 200_000)
        // Each object block is 9 lines, the first opens on line 6.
        #expect(annotation.objects.last?.line == 6 + 9 * 199_999)
    }
}
