import Foundation
import Testing
import TestSupport
@testable import WSOLCommands

/// `wsol data check` on a CUB folder from `wsol synth` (3 classes, 2 train + 1 test each, 64x48),
/// broken one line at a time: every problem names file:line and the command exits 2 with a summary.
@Suite("wsol data check", .serialized)
struct DataCheckCommandTests {
    init() { configureTestRuntime }

    /// Generated once per process; each test edits its own copy.
    private static let cubTemplate: Result<String, Error> = Result {
        let dir = try temporaryDirectory(prefix: "check-template").appendingPathComponent("CUB_200_2011").path
        let made = try runProcess(wsolBinary, ["synth", "--out", dir, "--classes", "3", "--train-per-class", "2",
                                               "--test-per-class", "1", "--size", "64", "--seed", "4"])
        guard made.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["output": made.output]) }
        return dir
    }

    private func copy(_ template: String, _ name: String) throws -> String {
        let dir = try temporaryDirectory(prefix: "check").appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: template, toPath: dir)
        return dir
    }

    private func synthCUB() throws -> String { try copy(try Self.cubTemplate.get(), "CUB_200_2011") }

    /// Replaces line `line` (1-based) of `file` in `dir`.
    private func edit(_ dir: String, _ file: String, line: Int, _ text: String) throws {
        let path = dir + "/" + file
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[line - 1] = text
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func check(_ args: [String]) throws -> (status: Int32, output: String) {
        try runProcess(wsolBinary, ["data", "check"] + args)
    }

    /// The same check in this process (the malformed-line cases are many; a process each is slow).
    /// The exit status is the one `run` gives: 2 with errors, else 0.
    private func checkInProcess(_ args: [String]) throws -> (status: Int32, output: String) {
        let report = try DataCheckCommand.parse(args).makeReport()
        return (report.errors > 0 ? 2 : 0, report.text)
    }

    @Test func aCleanFolderPassesWithCounts() throws {
        let dir = try synthCUB()
        for root in [dir, (dir as NSString).deletingLastPathComponent] {
            let r = try check(["--format", "cub", "--root", root, "--deep"])
            #expect(r.status == 0, "\(r.output)")
            #expect(r.output.contains("train: 6 images, 3 classes (3 present), 6 boxes, 6 with masks"))
            #expect(r.output.contains("test: 3 images, 3 classes (3 present), 3 boxes, 3 with masks"))
            #expect(r.output.contains("0 error(s), 0 warning(s), 0 box(es) clipped"))
        }
        let only = try check(["--format", "cub", "--root", dir, "--split", "test"])
        #expect(only.status == 0 && !only.output.contains("train:") && only.output.contains("test: 3 images"))
        #expect(try check(["--format", "cub", "--root", dir, "--split", "val"]).status == 2)
    }

    @Test(arguments: [
        ("images.txt", 2, "2", "images.txt:2: error: expected 2 fields (id path), found 1"),
        ("images.txt", 3, "x 001.synth_001/a.jpg", "images.txt:3: error: image id 'x' is not an integer"),
        ("images.txt", 3, "1 001.synth_001/a.jpg", "images.txt:3: error: image id 1 repeated (first on line 1)"),
        ("bounding_boxes.txt", 3, "3 1.0 abc 3 4", "bounding_boxes.txt:3: error: box value 'abc' is not a number"),
        ("bounding_boxes.txt", 3, "3 1.0 2 3 nan", "bounding_boxes.txt:3: error: box value 'nan' is not finite"),
        ("bounding_boxes.txt", 1, "1 10 10 -5 5", "bounding_boxes.txt:1: error: box [10.0, 10.0, 5.0, 15.0] is inverted or empty"),
        ("bounding_boxes.txt", 1, "1 10 10 100 5", "bounding_boxes.txt:1: error: box [10.0, 10.0, 110.0, 15.0] lies outside the 64x48 image by more than 1 pixel"),
        ("bounding_boxes.txt", 1, "1 -2 10 10 5", "bounding_boxes.txt:1: error: box [-2.0, 10.0, 8.0, 15.0] lies outside"),
        ("bounding_boxes.txt", 2, "2 1 2 3", "bounding_boxes.txt:2: error: expected 5 fields (id x y w h), found 4"),
        ("bounding_boxes.txt", 2, "2 1 2 3 4 5", "bounding_boxes.txt:2: error: expected 5 fields (id x y w h), found 6"),
        ("train_test_split.txt", 5, "5 1 0", "train_test_split.txt:5: error: expected 2 fields (id 1|0), found 3"),
        ("image_class_labels.txt", 1, "99 1", "image_class_labels.txt:1: error: image id 99 is not in images.txt"),
        ("image_class_labels.txt", 1, "99 1", "images.txt:1: error: image id 1 has no valid line in image_class_labels.txt"),
        ("image_class_labels.txt", 4, "4 7", "image_class_labels.txt:4: error: class 7 out of range 1...3 (classes.txt)"),
        ("image_class_labels.txt", 4, "4 0", "image_class_labels.txt:4: error: class 0 out of range 1...3 (classes.txt)"),
        ("train_test_split.txt", 5, "5 2", "train_test_split.txt:5: error: split '2' must be 1 (train) or 0 (test)"),
        ("classes.txt", 2, "5 002.synth_002", "classes.txt:2: error: class id 5 out of order (expected 2)"),
    ])
    func everyMalformedLineIsAnErrorAtItsLine(file: String, line: Int, text: String, message: String) throws {
        let dir = try synthCUB()
        try edit(dir, file, line: line, text)
        let r = try checkInProcess(["--format", "cub", "--root", dir])
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains("\(dir)/\(message)"), "\(r.output)")
    }

    @Test func aOnePixelOvershootIsClippedWarnedAndCounted() throws {
        let dir = try synthCUB()
        try edit(dir, "bounding_boxes.txt", line: 2, "2 10 -0.5 54.5 20")
        let r = try check(["--format", "cub", "--root", dir, "--json"])
        #expect(r.status == 0, "\(r.output)")
        let object = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any]
        #expect(object?["clipped_boxes"] as? Int == 1 && object?["warnings"] as? Int == 1 && object?["ok"] as? Bool == true)
        let issue = (object?["issues"] as? [[String: Any]])?.first
        #expect(issue?["line"] as? Int == 2 && issue?["file"] as? String == dir + "/bounding_boxes.txt")
        #expect((issue?["message"] as? String)?.contains("clipped to [10.0, 0.0, 64.0, 19.5]") == true, "\(r.output)")
    }

    @Test func missingAndUndecodableImages() throws {
        let dir = try synthCUB()
        let listed = try String(contentsOfFile: dir + "/images.txt", encoding: .utf8).split(separator: "\n")
        let second = dir + "/images/" + listed[1].split(separator: " ")[1]
        try FileManager.default.removeItem(atPath: second)
        let missing = try check(["--format", "cub", "--root", dir])
        #expect(missing.status == 2)
        #expect(missing.output.contains("\(dir)/images.txt:2: error: image \(second) is missing"), "\(missing.output)")
        #expect(missing.output.contains("error: dataset check failed: 1 error(s), 0 warning(s), 0 box(es) clipped"), "\(missing.output)")
        // --deep does not report again what the reader flagged: a missing image, an unreadable header.
        let first = dir + "/images/" + listed[0].split(separator: " ")[1]
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: first))
        let flagged = try check(["--format", "cub", "--root", dir, "--deep"])
        #expect(flagged.output.contains("\(dir)/images.txt:1: error: image \(first) is not a readable JPEG or PNG"), "\(flagged.output)")
        #expect(!flagged.output.contains("cannot decode"), "\(flagged.output)")
        #expect(flagged.output.contains("dataset check failed: 2 error(s)"), "\(flagged.output)")

        // A file whose header reads but whose data does not decode: found only with --deep.
        let fresh = try synthCUB()
        let third = fresh + "/images/" + listed[2].split(separator: " ")[1]
        let mask = try Data(contentsOf: URL(fileURLWithPath: fresh + "/segmentations/" + listed[2].split(separator: " ")[1].replacingOccurrences(of: ".jpg", with: ".png")))
        try mask.prefix(60).write(to: URL(fileURLWithPath: third))
        #expect(try check(["--format", "cub", "--root", fresh]).status == 0)
        let deep = try check(["--format", "cub", "--root", fresh, "--deep", "--json"])
        #expect(deep.status == 2)
        let object = try JSONSerialization.jsonObject(with: Data(deep.output.split(separator: "\n").first { $0.hasPrefix("{") }!.utf8)) as? [String: Any]
        let issue = (object?["issues"] as? [[String: Any]])?.first
        #expect(issue?["file"] as? String == third && (issue?["message"] as? String)?.hasPrefix("cannot decode") == true, "\(deep.output)")
        #expect(object?["errors"] as? Int == 1)
    }

    @Test func missingIndexFilesAndOptions() throws {
        let dir = try synthCUB()
        try FileManager.default.removeItem(atPath: dir + "/bounding_boxes.txt")
        let r = try check(["--format", "cub", "--root", dir])
        #expect(r.status == 2 && r.output.contains("\(dir)/bounding_boxes.txt: error: missing"), "\(r.output)")
        let noRoot = try check(["--format", "cub"])
        #expect(noRoot.status == 2 && noRoot.output.contains("--format cub needs --root"))
    }

    private static let wsolevaluationTemplate: Result<String, Error> = Result {
        let root = try temporaryDirectory(prefix: "wsolcheck-template").path
        let dir = root + "/CUB_200_2011"
        let made = try runProcess(wsolBinary, ["synth", "--out", dir, "--classes", "2", "--train-per-class", "1", "--test-per-class", "2", "--size", "64"])
        let converted = try runProcess(wsolBinary, ["data", "convert", "--from", "cub", "--to", "wsolevaluation", "--root", dir, "--out", root + "/meta"])
        guard made.status == 0, converted.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["output": made.output + converted.output]) }
        return root
    }

    private func wsolevaluation() throws -> (meta: String, images: String) {
        let root = try copy(try Self.wsolevaluationTemplate.get(), "data")
        return (root + "/meta", root + "/CUB_200_2011/images")
    }

    @Test func convertedMetadataChecksCleanWithTheSameCounts() throws {
        let (meta, images) = try wsolevaluation()
        let r = try check(["--format", "wsolevaluation", "--metadata", meta, "--images", images])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("train: 2 images, 2 classes (2 present), 2 boxes, 0 with masks"))
        #expect(r.output.contains("test: 4 images, 2 classes (2 present), 4 boxes"))
    }

    @Test(arguments: [
        ("class_labels.txt", 2, "001.synth_001/synth_001_0003.jpg", "test/class_labels.txt:2: error: expected 2 fields (path,label), found 1"),
        ("class_labels.txt", 2, "001.synth_001/synth_001_0003.jpg,one", "test/class_labels.txt:2: error: label 'one' is not an integer"),
        ("class_labels.txt", 2, "001.synth_001/synth_001_0003.jpg,-1", "test/class_labels.txt:2: error: label -1 out of range (must be >= 0)"),
        ("class_labels.txt", 2, "001.synth_001/synth_001_0003.jpg,5", "test/class_labels.txt:2: error: label 5 out of range: the train split has 2 classes"),
        ("class_labels.txt", 2, "nope.jpg,1", "test/class_labels.txt:2: error: image nope.jpg is not in image_ids.txt"),
        ("localization.txt", 1, "001.synth_001/synth_001_0002.jpg,1,2,3", "test/localization.txt:1: error: expected 5 fields (path,x0,y0,x1,y1) or 3 (path,mask,ignore), found 4"),
        ("localization.txt", 1, "001.synth_001/synth_001_0002.jpg,9,2,3,4", "test/localization.txt:1: error: box [9.0, 2.0, 3.0, 4.0] is inverted or empty"),
        ("localization.txt", 1, "", "test/image_ids.txt:1: error: image 001.synth_001/synth_001_0002.jpg has no line in localization.txt"),
        ("image_sizes.txt", 1, "001.synth_001/synth_001_0002.jpg,64", "test/image_sizes.txt:1: error: expected 3 fields (path,w,h), found 2"),
    ])
    func wsolevaluationProblemsAreErrorsAtTheirLines(file: String, line: Int, text: String, message: String) throws {
        let (meta, images) = try wsolevaluation()
        try edit(meta + "/test", file, line: line, text)
        let r = try checkInProcess(["--format", "wsolevaluation", "--metadata", meta, "--images", images])
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains("\(meta)/\(message)"), "\(r.output)")
    }

    @Test func ilsvrcOvershootIsAWarningAndMismatchedFolderAnError() throws {
        let root = try temporaryDirectory(prefix: "ilsvrccheck").path
        try FileManager.default.createDirectory(atPath: root + "/train/n01", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/val", withIntermediateDirectories: true)
        let made = try runProcess(wsolBinary, ["synth", "--out", root + "/s", "--classes", "1", "--train-per-class", "2", "--test-per-class", "0", "--size", "64"])
        #expect(made.status == 0)
        try FileManager.default.copyItem(atPath: root + "/s/images/001.synth_001/synth_001_0001.jpg", toPath: root + "/train/n01/a.JPEG")
        try FileManager.default.copyItem(atPath: root + "/s/images/001.synth_001/synth_001_0002.jpg", toPath: root + "/val/v1.JPEG")
        let xml = "<annotation><size><width>64</width><height>48</height></size>\n<object><name>n01</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>65</xmax><ymax>48</ymax></bndbox></object>\n</annotation>\n"
        try xml.write(toFile: root + "/val/v1.xml", atomically: true, encoding: .utf8)
        let r = try check(["--format", "ilsvrc", "--root", root])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("\(root)/val/v1.xml:2: warning: box [0.0, 0.0, 65.0, 48.0] overshoots the image by at most 1 pixel"), "\(r.output)")
        #expect(r.output.contains("val: 1 images, 1 classes (1 present), 1 boxes") && r.output.contains("1 box(es) clipped"))
        try xml.replacingOccurrences(of: "n01", with: "n09").write(toFile: root + "/val/v1.xml", atomically: true, encoding: .utf8)
        let bad = try check(["--format", "ilsvrc", "--root", root])
        #expect(bad.status == 2 && bad.output.contains("\(root)/val/v1.xml:2: error: class n09 is not a train/ class folder"), "\(bad.output)")
    }

    /// Moves every image of the given 1-based classes to the test split (train_test_split.txt).
    private func withoutTrainingImages(_ dir: String, classes: Set<Int>) throws {
        let labels = try String(contentsOfFile: dir + "/image_class_labels.txt", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ") }
        let moved = Set(labels.filter { classes.contains(Int($0[1]) ?? 0) }.map { String($0[0]) })
        let split = try String(contentsOfFile: dir + "/train_test_split.txt", encoding: .utf8).split(separator: "\n")
            .map { line -> String in
                let fields = line.split(separator: " ")
                return moved.contains(String(fields[0])) ? "\(fields[0]) 0" : String(line)
            }
        try (split.joined(separator: "\n") + "\n").write(toFile: dir + "/train_test_split.txt", atomically: true, encoding: .utf8)
    }

    /// A class without training images is a warning naming it; a train split of one class cannot be
    /// trained (L_cls would be 0 whatever the weights): refused, exit 2.
    @Test func classesWithoutTrainingImages() throws {
        let dir = try synthCUB()
        try withoutTrainingImages(dir, classes: [3])
        let r = try check(["--format", "cub", "--root", dir])
        #expect(r.status == 0 && r.output.contains("warning: 1 of 3 classes have no training image (003.synth_003)"),
                "\(r.output)")
        try withoutTrainingImages(dir, classes: [2, 3])
        let out = try temporaryDirectory(prefix: "one-class-run").path + "/run"
        let train = try runProcess(wsolBinary, ["train", "--format", "cub", "--root", dir, "--arch", "resnet18",
                                                "--method", "cam", "--weights", "none", "--epochs", "1", "--out", out])
        #expect(train.status == 2 && train.output.contains("training needs at least 2")
                && train.output.contains("2 of 3 classes have no training image"), "\(train.output)")
    }
}
