import Datasets
import Foundation
import Testing
import TestSupport

/// WSOLEvalReader read for the map evaluator (`wsol score-maps`): no image files, both localization
/// forms, one-line errors at file:line.
@Suite("wsolevaluation metadata read for evaluation", .serialized)
struct EvaluationReadTests {
    init() { configureTestRuntime }

    /// A split folder holding the given files (no image anywhere).
    private func folder(_ files: [String: String], name: String = "metadata") throws -> String {
        let dir = try temporaryDirectory(prefix: "evalmeta").appendingPathComponent(name).path
        for (file, text) in files { try Fixtures.write(text, dir + "/" + file) }
        return dir
    }

    private func errors(_ dir: String, masks: String? = nil) -> String {
        WSOLEvalReader.readForEvaluation(metadata: dir, masks: masks).errors.map(\.description).joined(separator: "\n")
    }

    @Test func boxesWithSeveralPerImageWindowsLineEndsAndNoImages() throws {
        let dir = try folder(["image_ids.txt": "a/1.jpg\r\nb/2.jpg\r\n", "image_sizes.txt": "a/1.jpg,100,50\r\nb/2.jpg,30,40\n",
                              "localization.txt": "a/1.jpg,1,2,30,40\na/1.jpg,5.5,6,7,8\n\nb/2.jpg,0,0,29,39\n"])
        let read = WSOLEvalReader.readForEvaluation(metadata: dir, masks: nil)
        #expect(read.issues.isEmpty, "\(read.issues)")
        let test = try read.requireSplit("test")  // a folder not named after a split is the test split
        #expect(test.samples.map(\.imagePath) == ["a/1.jpg", "b/2.jpg"])
        #expect(test.samples.map(\.label) == [0, 0])  // class_labels.txt is optional here
        #expect(test.samples[0].size == ImageSize(width: 100, height: 50))
        #expect(test.samples[0].boxes == [Box(x0: 1, y0: 2, x1: 30, y1: 40), Box(x0: 5.5, y0: 6, x1: 7, y1: 8)])
        // Read as a dataset, the same folder needs its images and its labels.
        let asDataset = WSOLEvalReader.read(metadata: dir, images: dir + "/images").errors.map(\.description)
        #expect(asDataset.contains { $0.hasSuffix("class_labels.txt: error: missing") }, "\(asDataset)")
        try Fixtures.write("a/1.jpg,0\nb/2.jpg,1\n", dir + "/class_labels.txt")
        let missingImages = WSOLEvalReader.read(metadata: dir, images: dir + "/images").errors.map(\.description)
        #expect(missingImages == ["\(dir)/image_ids.txt:1: error: image \(dir)/images/a/1.jpg is missing",
                                  "\(dir)/image_ids.txt:2: error: image \(dir)/images/b/2.jpg is missing"])
        #expect(WSOLEvalReader.readForEvaluation(metadata: dir, masks: nil).splits["test"]?.samples.map(\.label) == [0, 1])
    }

    @Test func masksTakeTheIgnorePathFromTheFirstLineAndNeedNoSizes() throws {
        let files = ["image_ids.txt": "x.jpg\n", "localization.txt": "x.jpg,m/x_0.png,m/x_ignore.png\nx.jpg,m/x_1.png,\n"]
        for sizes in [nil, ""] {
            let dir = try folder(files.merging(sizes.map { ["image_sizes.txt": $0] } ?? [:]) { $1 })
            let sample = try WSOLEvalReader.readForEvaluation(metadata: dir, masks: nil).requireSplit("test").samples[0]
            #expect(sample.maskPaths == ["m/x_0.png", "m/x_1.png"] && sample.ignorePath == "m/x_ignore.png" && sample.size == nil)
            // With a mask root, paths are resolved against it and each missing file is an error at its line.
            #expect(errors(dir, masks: "/nowhere") == ["/nowhere/m/x_0.png", "/nowhere/m/x_ignore.png", "/nowhere/m/x_1.png"]
                .enumerated().map { "\(dir)/localization.txt:\($0.offset / 2 + 1): error: mask \($0.element) is missing" }
                .joined(separator: "\n"))
        }
        let late = try folder(["image_ids.txt": "x.jpg\n", "localization.txt": "x.jpg,m/x_0.png,\nx.jpg,m/x_1.png,m/ig.png\n"])
        #expect(errors(late) == "\(late)/localization.txt:2: error: the ignore path belongs on an image's first mask line only")
    }

    @Test func malformedLinesNameFileAndLine() throws {
        let base = ["image_ids.txt": "a.jpg\n", "image_sizes.txt": "a.jpg,10,10\n"]
        func with(_ extra: [String: String]) throws -> String { try folder(base.merging(extra) { $1 }) }
        func firstError(_ extra: [String: String]) throws -> String {
            let dir = try with(extra)
            return errors(dir).split(separator: "\n").first.map { String($0).replacingOccurrences(of: dir + "/", with: "") } ?? "no error"
        }
        #expect(try firstError(["localization.txt": "a.jpg,1,2,3,4\na.jpg,5,6,1,8\n"]).hasPrefix("localization.txt:2: error: box [5.0, 6.0, 1.0, 8.0] is inverted"))
        #expect(try firstError(["localization.txt": "a.jpg,1,2,3,nan\n"]) == "localization.txt:1: error: box value 'nan' is not finite")
        #expect(try firstError(["localization.txt": "a.jpg,1,2,3,4\na.jpg,1\n"]).hasPrefix("localization.txt:2: error: expected 5 fields"))
        #expect(try firstError(["localization.txt": "a.jpg,1,2,3,4\n", "image_sizes.txt": "a.jpg,10\n"]).hasPrefix("image_sizes.txt:1: error: expected 3 fields"))
        #expect(try firstError(["localization.txt": "a.jpg,1,2,3,4\n", "image_sizes.txt": ""])
                == "image_ids.txt:1: error: image a.jpg has no line in image_sizes.txt (its boxes are scaled by the image size)")
        #expect(try firstError(["localization.txt": "b.jpg,1,2,3,4\n"]) == "localization.txt:1: error: image b.jpg is not in image_ids.txt")
        #expect(try firstError(["localization.txt": ""]) == "image_ids.txt:1: error: image a.jpg has no line in localization.txt")
        #expect(try firstError([:]) == "localization.txt: error: missing")
        #expect(try firstError(["localization.txt": "a.jpg,1,2,3,4\n", "image_ids.txt": "\n"]) == "image_ids.txt: error: lists no image")
    }

    /// Boxes are kept exactly as written, as wsolevaluation's resize_bbox uses them: an overshoot of
    /// 1 px is not clipped and a zero-width box is allowed; only what its check_box_convention refuses
    /// is an error. The general reader still clips and refuses (METHOD.md section 5).
    @Test func boxesAreKeptAsWrittenAndCheckedAsWsolevaluationChecks() throws {
        let base = ["image_ids.txt": "a.jpg\n", "image_sizes.txt": "a.jpg,10,10\n", "class_labels.txt": "a.jpg,0\n"]
        let dir = try folder(base.merging(["localization.txt": "a.jpg,5,0,11,11\na.jpg,3,2,3,8\n"]) { $1 })
        let read = WSOLEvalReader.readForEvaluation(metadata: dir, masks: nil)
        #expect(read.issues.isEmpty, "\(read.issues)")
        #expect(try read.requireSplit("test").samples[0].boxes == [Box(x0: 5, y0: 0, x1: 11, y1: 11), Box(x0: 3, y0: 2, x1: 3, y1: 8)])
        #expect(read.clippedBoxes == 0)
        let general = WSOLEvalReader.read(metadata: dir, images: dir).issues.map(\.description)
        #expect(general.contains { $0.contains("localization.txt:1: warning: box [5.0, 0.0, 11.0, 11.0] overshoots") }, "\(general)")
        #expect(general.contains { $0.contains("localization.txt:2: error: box [3.0, 2.0, 3.0, 8.0] is inverted or empty") }, "\(general)")
        for (line, message) in [("a.jpg,-1,0,4,4", "box [-1.0, 0.0, 4.0, 4.0] has a negative coordinate"),
                                ("a.jpg,4,0,3,4", "box [4.0, 0.0, 3.0, 4.0] is inverted"),
                                ("a.jpg,0,4,3,3.5", "box [0.0, 4.0, 3.0, 3.5] is inverted"),
                                ("a.jpg,0,0,3,inf", "box value 'inf' is not finite"),
                                ("a.jpg,0,0,x,3", "box value 'x' is not a number")] {
            let bad = try folder(base.merging(["localization.txt": line + "\n"]) { $1 })
            #expect(errors(bad).hasPrefix("\(bad)/localization.txt:1: error: \(message)"), "\(errors(bad))")
        }
    }

    @Test func aTrainSplitFolderStillNeedsLocalization() throws {
        let dir = try folder(["image_ids.txt": "a.jpg\n", "localization.txt": ""], name: "train")
        #expect(WSOLEvalReader.splitFolders(dir).map(\.split) == ["train"])
        #expect(errors(dir) == "\(dir)/image_ids.txt:1: error: image a.jpg has no line in localization.txt")
    }
}
