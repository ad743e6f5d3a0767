import Foundation
import Testing
import TestSupport
import Torch

/// The reference datasets (a box set and a mask set in wsolevaluation's layout) with their expected
/// metrics, generated once per test process.
private let reference = Result { try Reference.run("evaluation.py") }

/// A private copy of a reference folder that a test may change.
private func copyOf(_ name: String) throws -> URL {
    let copy = try temporaryDirectory(prefix: "score-maps").appendingPathComponent(name)
    try FileManager.default.copyItem(at: try reference.get().appendingPathComponent(name), to: copy)
    return copy
}

private func json(_ output: String) throws -> [String: Any] {
    let line = output.split(separator: "\n").last.map(String.init) ?? ""
    return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
}

@Suite("wsol score-maps", .serialized)
struct ScoreMapsCommandTests {
    init() { configureTestRuntime }

    private func run(_ set: URL, _ extra: [String] = []) throws -> (status: Int32, output: String) {
        try runProcess(wsolBinary, ["score-maps", "--metadata", set.appendingPathComponent("metadata").path,
                                    "--maps", set.appendingPathComponent("maps").path] + extra)
    }

    @Test(arguments: [0.01, 0.03])
    func boxMetricsMatchTheReference(interval: Double) throws {
        let dir = try reference.get()
        let expected = try Reference.load(dir, "boxset_\(interval)").doubles()
        let result = try run(dir.appendingPathComponent("boxset"), ["--interval", "\(interval)", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let object = try json(result.output)
        #expect(object["protocol"] as? String == "full")
        #expect(object["interval"] as? Double == interval)
        #expect(object["images"] as? Int == 24)
        #expect(object["pxap"] == nil)
        #expect(abs((object["maxboxacc_v1"] as? Double ?? -1) - expected[0]) < 1e-9)
        let v2 = object["maxboxacc_v2"] as? [String: Any] ?? [:]
        let levels = ["iou30", "iou50", "iou70"].map { v2[$0] as? Double ?? -1 }
        #expect(relativeError(levels, Array(expected[1...3])) < 1e-12)
        #expect(abs((v2["mean"] as? Double ?? -1) - expected[1...3].reduce(0, +) / 3) < 1e-9)
        // Thresholds are numpy's exact values. JSONSerialization on Linux misreads their last digits
        // (0.32999999999999996 as 0.32999999999999985); JSONDecoder reads them exactly.
        struct Thresholds: Decodable {
            struct V2: Decodable { let best_thresholds: [String: Double] }
            let maxboxacc_v1_best_threshold: Double
            let maxboxacc_v2: V2
        }
        let line = result.output.split(separator: "\n").last.map(String.init) ?? ""
        let exact = try JSONDecoder().decode(Thresholds.self, from: Data(line.utf8))
        #expect(["iou30", "iou50", "iou70"].map { exact.maxboxacc_v2.best_thresholds[$0] ?? -1 } == Array(expected[4...6]))
        #expect(exact.maxboxacc_v1_best_threshold == expected[7])
    }

    /// Each class's figures equal a whole run on a metadata folder holding only that class's images.
    @Test func perClassBreakdownEqualsRunsOnEachClassAlone() throws {
        let set = try copyOf("boxset")
        let result = try run(set, ["--per-class", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let perClass = try json(result.output)["per_class"] as? [String: [String: Any]] ?? [:]
        #expect(perClass.values.map { $0["images"] as? Int ?? 0 }.reduce(0, +) == 24)
        #expect(perClass.count > 1)
        let metadata = set.appendingPathComponent("metadata")
        let labelLines = try String(contentsOf: metadata.appendingPathComponent("class_labels.txt"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        for (label, figures) in perClass {
            let ids = Set(labelLines.filter { $0[1] == label }.map { $0[0] })
            let alone = try temporaryDirectory(prefix: "class-\(label)")
            for file in ["image_ids.txt", "image_sizes.txt", "localization.txt", "class_labels.txt"] {
                let lines = try String(contentsOf: metadata.appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n").filter { ids.contains(String($0.split(separator: ",")[0])) }
                try (lines.joined(separator: "\n") + "\n").write(to: alone.appendingPathComponent(file), atomically: true, encoding: .utf8)
            }
            let single = try runProcess(wsolBinary, ["score-maps", "--metadata", alone.path, "--maps",
                                                     set.appendingPathComponent("maps").path, "--json"])
            let whole = try json(single.output)
            #expect(figures["images"] as? Int == ids.count)
            #expect(figures["maxboxacc_v1"] as? Double == whole["maxboxacc_v1"] as? Double, "class \(label)")
            let ours = figures["maxboxacc_v2"] as? [String: Any], theirs = whole["maxboxacc_v2"] as? [String: Any]
            #expect(ours?["mean"] as? Double == theirs?["mean"] as? Double, "class \(label)")
        }
        let text = try run(set, ["--per-class"])
        #expect(text.output.contains("per class: label, images, MaxBoxAcc, MaxBoxAccV2"))
        try FileManager.default.removeItem(at: metadata.appendingPathComponent("class_labels.txt"))
        #expect(try run(set, ["--per-class"]).status == 2)
    }

    @Test func textOutputAndMapsWithoutTheImageExtension() throws {
        let set = try copyOf("boxset")
        let maps = set.appendingPathComponent("maps/000.Class0")
        for name in try FileManager.default.contentsOfDirectory(atPath: maps.path) {
            // img_0.jpg.npy -> img_0.npy
            try FileManager.default.moveItem(at: maps.appendingPathComponent(name),
                                             to: maps.appendingPathComponent(name.replacingOccurrences(of: ".jpg.npy", with: ".npy")))
        }
        // Only the metadata and the maps are read: class_labels.txt is optional, images are never looked for.
        try FileManager.default.removeItem(at: set.appendingPathComponent("metadata/class_labels.txt"))
        let expected = try Reference.load(try reference.get(), "boxset_0.01").doubles()
        let text = try run(set)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.contains("MaxBoxAcc     \(String(format: "%.2f", expected[0]))"), "\(text.output)")
        #expect(text.output.contains("MaxBoxAccV2"))
    }

    @Test func extraMapsAreCountedAndWarnedAbout() throws {
        let set = try copyOf("boxset")
        let maps = set.appendingPathComponent("maps")
        for name in ["stray1.npy", "000.Class0/stray2.jpg.npy"] {
            try FileManager.default.copyItem(at: maps.appendingPathComponent("000.Class0/img_0.jpg.npy"),
                                             to: maps.appendingPathComponent(name))
        }
        let result = try run(set, ["--json"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("warning: 2 maps"), "\(result.output)")
    }

    @Test func badMapsAreOneLineErrorsNamingTheFile() throws {
        let set = try copyOf("boxset")
        let target = set.appendingPathComponent("maps/001.Class1/img_1.jpg.npy")
        let bad: [(String, NPYArray)] = [
            ("shape", NPYArray(float32: [Float](repeating: 0.5, count: 100), shape: [10, 10])),
            ("NaN", NPYArray(float32: [Float.nan] + [Float](repeating: 0.5, count: 224 * 224 - 1), shape: [224, 224])),
            ("above 1", NPYArray(float32: [1.5] + [Float](repeating: 0.5, count: 224 * 224 - 1), shape: [224, 224])),
            ("below 0", NPYArray(float32: [-0.1] + [Float](repeating: 0.5, count: 224 * 224 - 1), shape: [224, 224])),
            ("above 1", NPYArray(float64: [1.0000001] + [Double](repeating: 0.5, count: 224 * 224 - 1), shape: [224, 224])),
        ]
        for (what, array) in bad {
            try NPY.write(array, to: target.path)
            let result = try run(set)
            #expect(result.status == 2, "\(what): \(result.output)")
            #expect(result.output.contains(target.path) && result.output.contains(what), "\(what): \(result.output)")
            #expect(result.output.split(separator: "\n").count == 1, "\(what): \(result.output)")
        }
        try FileManager.default.removeItem(at: target)
        let missing = try run(set)
        #expect(missing.status == 2)
        #expect(missing.output.contains("missing score map") && missing.output.contains(target.path), "\(missing.output)")
    }

    @Test func malformedMetadataNamesFileAndLine() throws {
        let set = try copyOf("boxset")
        let localization = set.appendingPathComponent("metadata/localization.txt")
        var lines = try String(contentsOf: localization, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "001.Class1/img_1.jpg,3,4,five,6"
        try (lines.joined(separator: "\n") + "\n").write(to: localization, atomically: true, encoding: .utf8)
        let result = try run(set)
        #expect(result.status == 2)
        #expect(result.output.contains("\(localization.path):3: error: box value 'five' is not a number"), "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 1, "\(result.output)")
        lines[2] = "001.Class1/img_1.jpg,m.png,"
        try (lines.joined(separator: "\n") + "\n").write(to: localization, atomically: true, encoding: .utf8)
        let mixed = try run(set)
        #expect(mixed.status == 2 && mixed.output.contains("\(localization.path): boxes for"), "\(mixed.output)")
        #expect(try run(set, ["--interval", "0"]).status == 2)
        let ids = set.appendingPathComponent("metadata/image_ids.txt")
        try "\n".write(to: ids, atomically: true, encoding: .utf8)
        let empty = try run(set)
        #expect(empty.status == 2 && empty.output.contains("\(ids.path): error: lists no image"), "\(empty.output)")
    }

    @Test func pxapMatchesTheReference() throws {
        let dir = try reference.get()
        let set = dir.appendingPathComponent("maskset")
        let expected = try Reference.load(dir, "maskset_pxap").doubles()[0]
        let result = try run(set, ["--mask-root", set.appendingPathComponent("root").path, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let object = try json(result.output)
        #expect(abs((object["pxap"] as? Double ?? -1) - expected) < 1e-9, "\(result.output)")
        #expect(object["maxboxacc_v1"] == nil && object["maxboxacc_v2"] == nil)
        let noRoot = try run(set)
        #expect(noRoot.status == 2 && noRoot.output.contains("--mask-root"), "\(noRoot.output)")
    }
}
