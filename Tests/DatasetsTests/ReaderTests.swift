import Datasets
import Foundation
import Testing
import TestSupport
import Torch

@Suite("Dataset readers and writers", .serialized)
struct ReaderTests {
    init() { configureTestRuntime }

    @Test func cubWrittenBySynthReadsBackWithBoxesMasksAndSizes() throws {
        let dir = try Fixtures.synthCUB(classes: 3, train: 2, test: 1, size: 64)
        for root in [dir, (dir as NSString).deletingLastPathComponent] {  // the folder or its parent
            let result = CUBReader.read(root: root)
            #expect(result.issues.isEmpty, "\(result.issues)")
            let train = try result.requireSplit("train"), test = try result.requireSplit("test")
            #expect(train.count == 6 && test.count == 3)
            #expect(train.classNames == ["001.synth_001", "002.synth_002", "003.synth_003"])
            #expect(train.samples.map(\.label) == [0, 0, 1, 1, 2, 2])
            for sample in train.samples + test.samples {
                #expect(sample.size == ImageSize(width: 64, height: 48))
                #expect(sample.boxes.count == 1 && !sample.boxes[0].isEmpty)
                #expect(sample.maskPaths.count == 1 && FileManager.default.fileExists(atPath: sample.maskPaths[0]))
                // The box is the mask's bounding box, as written.
                let mask = try ImageIO.decode(sample.maskPaths[0]).bytes()
                var xs: [Int] = [], ys: [Int] = []
                for i in stride(from: 0, to: mask.count, by: 3) where mask[i] > 127 { xs.append((i / 3) % 64); ys.append((i / 3) / 64) }
                #expect(sample.boxes[0] == Box(x0: Double(xs.min()!), y0: Double(ys.min()!), x1: Double(xs.max()! + 1), y1: Double(ys.max()! + 1)))
            }
        }
    }

    @Test func masksFromSegmentationsBesideTheCUBFolder() throws {
        let dir = try Fixtures.synthCUB(classes: 1, train: 1, test: 1)
        let parent = (dir as NSString).deletingLastPathComponent
        try FileManager.default.moveItem(atPath: dir + "/segmentations", toPath: parent + "/segmentations")
        let result = CUBReader.read(root: parent)
        #expect(result.issues.isEmpty)
        #expect(try result.requireSplit("test").samples[0].maskPaths.first?.hasPrefix(parent + "/segmentations/") == true)
        try FileManager.default.removeItem(atPath: parent + "/segmentations")
        #expect(try CUBReader.read(root: parent).requireSplit("test").maskedCount == 0)
    }

    @Test func cubConvertsToWsolevaluationAndReadsBackIdentically() throws {
        let dir = try Fixtures.synthCUB(classes: 2, train: 2, test: 2)
        let cub = CUBReader.read(root: dir)
        let metadata = try temporaryDirectory(prefix: "meta").path
        for name in ["train", "test"] {
            try WSOLEvalWriter.write(cub.splits[name]!, imagesRoot: dir + "/images", to: metadata + "/" + name)
        }
        let back = WSOLEvalReader.read(metadata: metadata, images: dir + "/images")
        #expect(back.issues.isEmpty, "\(back.issues)")
        for name in ["train", "test"] {
            let a = cub.splits[name]!.samples, b = back.splits[name]!.samples
            #expect(a.map(\.imagePath) == b.map(\.imagePath))
            #expect(a.map(\.label) == b.map(\.label))
            #expect(a.map(\.boxes) == b.map(\.boxes))
            #expect(a.map(\.size) == b.map(\.size))
        }
        // One split folder on its own is read as that split.
        #expect(WSOLEvalReader.read(metadata: metadata + "/test", images: dir + "/images").splits["test"]?.count == 4)
    }

    @Test func wsolevaluationMaskLocalizationAndMissingSizes() throws {
        let root = try temporaryDirectory(prefix: "wsolmask").path
        try Fixtures.writeImage(root + "/img/a.jpg", width: 40, height: 30)
        try Fixtures.writeImage(root + "/img/b.png", width: 20, height: 10)
        try ImageIO.write(try Tensor([UInt8](repeating: 255, count: 40 * 30), shape: [30, 40]), to: root + "/img/a_m1.png")
        try ImageIO.write(try Tensor([UInt8](repeating: 0, count: 40 * 30), shape: [30, 40]), to: root + "/img/a_m2.png")
        try ImageIO.write(try Tensor([UInt8](repeating: 0, count: 40 * 30), shape: [30, 40]), to: root + "/img/a_ig.png")
        let meta = root + "/meta/test"
        try Fixtures.write("a.jpg\nb.png\n", meta + "/image_ids.txt")
        try Fixtures.write("a.jpg,1\nb.png,0\n", meta + "/class_labels.txt")
        try Fixtures.write("", meta + "/image_sizes.txt")
        try Fixtures.write("a.jpg,a_m1.png,a_ig.png\na.jpg,a_m2.png,\nb.png,2,1,18,9\n", meta + "/localization.txt")
        let result = WSOLEvalReader.read(metadata: root + "/meta", images: root + "/img")
        #expect(result.issues.isEmpty, "\(result.issues)")
        let test = try result.requireSplit("test")
        #expect(test.samples[0].maskPaths == [root + "/img/a_m1.png", root + "/img/a_m2.png"])
        #expect(test.samples[0].ignorePath == root + "/img/a_ig.png")
        #expect(test.samples[0].size == ImageSize(width: 40, height: 30))  // from the header
        #expect(test.samples[1].boxes == [Box(x0: 2, y0: 1, x1: 18, y1: 9)])
        #expect(test.classCount == 2)
    }

    @Test func ilsvrcFlatAndFolderValidationWithXML() throws {
        let root = try temporaryDirectory(prefix: "ilsvrc").path
        for wnid in ["n02", "n01"] {
            try Fixtures.writeImage(root + "/train/\(wnid)/\(wnid)_1.JPEG", width: 30, height: 20)
        }
        try Fixtures.writeImage(root + "/val/ILSVRC2012_val_00000001.JPEG", width: 50, height: 40)
        try Fixtures.write(Fixtures.xml(wnid: "n02", width: 50, height: 40, boxes: [(1, 2, 30, 40), (10, 10, 51, 20)]),
                           root + "/val/ILSVRC2012_val_00000001.xml")
        let result = ILSVRCReader.read(root: root)
        #expect(result.errors.isEmpty, "\(result.issues)")
        #expect(result.clippedBoxes == 1)
        #expect(result.warnings.first?.description.contains("ILSVRC2012_val_00000001.xml:15: warning:") == true, "\(result.warnings)")
        let train = try result.requireSplit("train"), val = try result.requireSplit("val")
        #expect(train.classNames == ["n01", "n02"])
        #expect(train.samples.map(\.label) == [0, 1])
        #expect(val.samples[0].label == 1)
        #expect(val.samples[0].boxes == [Box(x0: 1, y0: 2, x1: 30, y1: 40), Box(x0: 10, y0: 10, x1: 50, y1: 20)])

        // Validation in class folders, annotations elsewhere, class from the XML must match the folder.
        let root2 = try temporaryDirectory(prefix: "ilsvrc2").path
        try Fixtures.writeImage(root2 + "/train/n01/a.JPEG", width: 30, height: 20)
        try Fixtures.writeImage(root2 + "/val/n01/v1.JPEG", width: 30, height: 20)
        try Fixtures.write(Fixtures.xml(wnid: "n01", width: 30, height: 20, boxes: [(0, 0, 5, 5)]), root2 + "/ann/v1.xml")
        #expect(ILSVRCReader.read(root: root2, annotations: root2 + "/ann").issues.isEmpty)
        try Fixtures.write(Fixtures.xml(wnid: "n01", width: 30, height: 20, boxes: [(0, 0, 5, 5), (1, 1, 4, 4)], otherWnid: "n07"), root2 + "/ann/v1.xml")
        let bad = ILSVRCReader.read(root: root2, annotations: root2 + "/ann")
        #expect(bad.errors.map(\.description) == ["\(root2)/ann/v1.xml:15: error: object class n07 disagrees with the first object's n01"])
    }

    @Test func cmykGrayAndAlphaImagesLoadAsRGBThroughTheReaders() throws {
        let ref = try Reference.run("images.py")
        let meta = try temporaryDirectory(prefix: "modes").path + "/test"
        let names = ["gray.png", "rgba.png", "gray.jpg", "cmyk.jpg"]
        try Fixtures.write(names.map { "\($0)\n" }.joined(), meta + "/image_ids.txt")
        try Fixtures.write(names.map { "\($0),0\n" }.joined(), meta + "/class_labels.txt")
        try Fixtures.write(names.map { "\($0),0,0,53,37\n" }.joined(), meta + "/localization.txt")
        let result = WSOLEvalReader.read(metadata: meta, images: ref.path)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let test = try result.requireSplit("test")
        #expect(test.samples.allSatisfy { $0.size == ImageSize(width: 53, height: 37) })
        var options = DataLoader.Options()
        options.batchSize = 4
        let loader = DataLoader(dataset: test, transform: ImageTransform(.fullImage, imageSize: 32), options: options)
        let batch = try #require(try loader.epoch(0).next())
        #expect(batch.images.shape == [4, 3, 32, 32])
        // Each image equals the full-image transform of PIL's RGB decoding (JPEGs: decoders round differently).
        let values = try batch.images.floats()
        var unused = SeededRandom(seed: 0)
        for (i, name) in names.enumerated() {
            let expected = try Reference.tensor(ref, name)
            let (reference, _) = try ImageTransform(.fullImage, imageSize: 32).apply(expected, source: ImageSize(width: 53, height: 37), boxes: [], random: &unused)
            let theirs = try reference.floats()
            let ours = Array(values[(i * 3 * 32 * 32)..<((i + 1) * 3 * 32 * 32)])
            let meanDiff = zip(ours, theirs).map { Double(abs($0 - $1)) }.reduce(0, +) / Double(ours.count)
            #expect(meanDiff < (name.hasSuffix("jpg") ? 0.03 : 1e-6), "\(name): \(meanDiff)")
        }
    }
}

@Suite("Image sizes from headers", .serialized)
struct ImageHeaderTests {
    init() { configureTestRuntime }

    /// Sizes come from headers alone (no decode); the readers report what PIL reports.
    @Test func progressiveAndLargeExifJPEGs() throws {
        let ref = try Reference.run("header_images.py")
        let names = ["baseline.jpg", "progressive.jpg", "big_app1.jpg"]
        let meta = try temporaryDirectory(prefix: "headers").path + "/train"
        try Fixtures.write(names.map { "\($0)\n" }.joined(), meta + "/image_ids.txt")
        try Fixtures.write(names.map { "\($0),0\n" }.joined(), meta + "/class_labels.txt")
        let result = WSOLEvalReader.read(metadata: meta, images: ref.path)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let train = try result.requireSplit("train")
        for (sample, name) in zip(train.samples, names) {
            let expected = try Reference.load(ref, name).doubles().map { Int($0) }
            #expect(sample.size == ImageSize(width: expected[0], height: expected[1]), "\(name)")
        }
    }
}
