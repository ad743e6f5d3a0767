import Datasets
import Evaluation
import Foundation
@testable import Inference
import TestSupport
import Testing
import Torch
import Visualization
import WSOL

/// `wsol export-maps` end to end on a synthetic CUB folder with random checkpoints: its maps give
/// `wsol eval`'s full-protocol numbers through `wsol score-maps`, its boxes and IoUs are wsolevaluation's
/// (numpy + OpenCV), its gallery loads in Chromium, and it keeps the output-folder and corrupt-image rules.
@Suite("wsol export-maps", .serialized)
struct ExportMapsCommandTests {
    init() { configureTestRuntime }

    struct Fixture {
        let cub: String, dir: URL
        /// sfpnsc at 224 px (maps score-maps can read), cam at 64 px (the compared run).
        let sfpnsc: String, cam: String
        /// The wsolevaluation metadata of the test split (`wsol data convert`).
        let metadata: String
        /// One export of `sfpnsc` with the defaults, shared by the read-only tests.
        let export: String
    }

    static let fixture: Result<Fixture, Error> = Result {
        let dir = try temporaryDirectory(prefix: "export")
        let cub = dir.appendingPathComponent("CUB_200_2011").path
        try wsolOK(["synth", "--out", cub, "--classes", "3", "--train-per-class", "1",
                    "--test-per-class", "4", "--size", "96", "--seed", "7"])
        TorchRuntime.manualSeed(21)
        func save(_ method: WSOL.Method, _ size: Int, _ name: String) throws -> String {
            let model = try WSOLModel(
                ModelSpec(architecture: .resnet18, numClasses: 3, headWidth: 8, imageSize: size),
                MethodOptions(method: method, architecture: .resnet18))
            let path = dir.appendingPathComponent(name).path
            try Checkpoint.save(model, to: path, classNames: ["a", "b", "c"], dataset: .cubLike)
            return path
        }
        let sfpnsc = try save(.sfpnsc, 224, "sfpnsc.safetensors"), cam = try save(.cam, 64, "cam.safetensors")
        let converted = dir.appendingPathComponent("metadata").path
        try wsolOK(["data", "convert", "--from", "cub", "--to", "wsolevaluation", "--root", cub,
                    "--out", converted])
        let export = dir.appendingPathComponent("export").path
        try wsolOK(["export-maps", "--checkpoint", sfpnsc, "--format", "cub", "--root", cub, "--out", export])
        return Fixture(cub: cub, dir: dir, sfpnsc: sfpnsc, cam: cam, metadata: converted + "/test",
                       export: export)
    }

    @discardableResult
    static func wsolOK(_ arguments: [String]) throws -> String {
        let result = try runProcess(wsolBinary, arguments)
        guard result.status == 0 else { throw TestFailure("wsol \(arguments[0]) failed: \(result.output)") }
        return result.output
    }

    static func json(_ output: String) -> [String: Any]? {
        let line = output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    /// The test split's image ids, as data convert wrote them.
    static func ids(_ f: Fixture) throws -> [String] {
        try String(contentsOfFile: f.metadata + "/image_ids.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test func scoreMapsOnTheExportGivesEvalsFullProtocolNumbers() throws {
        let f = try Self.fixture.get()
        let eval = try #require(Self.json(try Self.wsolOK(
            ["eval", "--json", "--checkpoint", f.sfpnsc, "--format", "cub", "--root", f.cub,
             "--protocol", "full"])))
        let scored = try #require(Self.json(try Self.wsolOK(
            ["score-maps", "--json", "--metadata", f.metadata, "--maps", f.export + "/maps"])))
        let full = try #require(eval["full"] as? [String: Any])
        #expect(scored["images"] as? Int == 12 && full["images"] as? Int == 12)
        #expect(scored["maxboxacc_v1"] as? Double == full["maxboxacc_v1"] as? Double)
        let ours = try #require(scored["maxboxacc_v2"] as? [String: Any])
        let theirs = try #require(full["maxboxacc_v2"] as? [String: Any])
        for key in ["mean", "iou30", "iou50", "iou70"] {
            #expect(ours[key] as? Double != nil && ours[key] as? Double == theirs[key] as? Double, "\(key)")
        }
        // Every map is <image id>.npy (extension kept), 224x224 float32 in [0, 1]; every panel shows the
        // image, the map, Mf1 and Mf2 (4 tiles of 224 and 3 gaps of 4).
        for id in try Self.ids(f) {
            let map = try NPY.read("\(f.export)/maps/\(id).npy")
            #expect(map.shape == [224, 224] && map.kind == .float32, "\(id)")
            let values = map.doubles()
            #expect(values.min()! >= 0 && values.max()! <= 1, "\(id)")
            let panel = try ImageIO.decode("\(f.export)/panels/\(id).png")
            #expect(panel.shape[1] == 4 * 224 + 3 * 4, "\(id): \(panel.shape)")
            #expect(FileManager.default.fileExists(atPath: "\(f.export)/thumbs/\(id).jpg"), "\(id)")
        }
    }

    /// boxes.csv's boxes and IoUs against wsolevaluation's box extraction in numpy + OpenCV, and its
    /// predicted classes against `wsol localize` on the same whole-image view.
    @Test func boxesAndIoUsAreWsolevaluationsAndClassesAreLocalizes() throws {
        let f = try Self.fixture.get()
        try checkBoxes(f.export, f.metadata, prefix: "")
        let rows = try BoxesCSV.read(f.export + "/boxes.csv")
        let images = rows.map { "\(f.cub)/images/\($0.imageID)" }
        let localized = try runProcess(wsolBinary, ["localize", "--json", "--checkpoint", f.sfpnsc,
                                                    "--preprocess", "full", "--class-mode", "top1"] + images)
        #expect(localized.status == 0, "\(localized.output)")
        let line = localized.output.split(separator: "\n").first { $0.hasPrefix("[") }
            .map(String.init) ?? "[]"
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]])
        #expect(entries.count == rows.count)
        for (row, entry) in zip(rows, entries) {
            let top = try #require((entry["top"] as? [[String: Any]])?.first)
            #expect(top["index"] as? Int == row.runs[0].predictedClass, "\(row.imageID)")
            let probability = top["probability"] as? Double ?? -1
            #expect(abs(probability - row.runs[0].confidence) < 1e-4, "\(row.imageID)")
        }
    }

    func checkBoxes(_ export: String, _ metadata: String, prefix: String) throws {
        let threshold = "0.1"  // the default for CUB-like data
        let out = try runProcess(Reference.python, [
            Reference.repoRoot.appendingPathComponent("Tests/reference/export_boxes.py").path,
            metadata, export, threshold, prefix,
        ])
        #expect(out.status == 0, "\(out.output)")
        let reference = try #require(
            try JSONSerialization.jsonObject(with: Data(out.output.utf8)) as? [String: Any])
        let order = try #require(reference["_order"] as? [String])
        #expect(order.count == 12)
        var ious: [Double] = []
        for id in order {
            let entry = try #require(reference[id] as? [String: Any])
            let listed = try #require(entry["csv"] as? [Any])
            #expect(listed[0] as? [[Int]] == entry["boxes"] as? [[Int]], "\(prefix)\(id): boxes")
            let iou = try #require(listed[1] as? Double)
            #expect(abs(iou - (entry["iou"] as? Double ?? -1)) < 1e-12, "\(prefix)\(id): IoU")
            ious.append(iou)
        }
        if prefix.isEmpty { #expect(ious == ious.sorted(), "worst IoU first") }
    }

    @Test func galleryLoadsInChromiumWithEveryFileItNames() throws {
        let f = try Self.fixture.get()
        let dom = DumpedGallery(try Chromium.dumpDOM(URL(fileURLWithPath: f.export + "/index.html")))
        let csv = try BoxesCSV.read(f.export + "/boxes.csv")
        #expect(dom.rows.count == 12)
        #expect(dom.rows.map(\.id) == csv.map(\.imageID))
        #expect(dom.rows.map(\.iou) == csv.map { $0.runs[0].iou })
        #expect(zip(dom.rows, dom.rows.dropFirst()).allSatisfy { $0.iou <= $1.iou }, "ascending IoU")
        #expect(dom.files.count == 24, "a thumbnail and its panel link per row")
        for file in dom.files {
            #expect(FileManager.default.fileExists(atPath: f.export + "/" + file), "\(file)")
        }
    }

    @Test func compareShowsTheSecondRunOnTheSameImages() throws {
        let f = try Self.fixture.get()
        let out = f.dir.appendingPathComponent("compare-\(UUID().uuidString.prefix(6))").path
        let printed = try Self.wsolOK(["export-maps", "--checkpoint", f.sfpnsc, "--compare", f.cam,
                                       "--format", "cub", "--root", f.cub, "--out", out])
        #expect(printed.contains(f.cam), "\(printed)")
        let rows = try BoxesCSV.read(out + "/boxes.csv")
        #expect(rows.count == 12 && rows.allSatisfy { $0.runs.count == 2 })
        for id in try Self.ids(f) {
            let map = try NPY.read("\(out)/compare/maps/\(id).npy")
            #expect(map.shape == [64, 64], "the cam model's own size")
            // The 64-px model's panel is drawn at 224 per tile (image and map: CAM has no Mf1, Mf2).
            #expect(try ImageIO.decode("\(out)/compare/panels/\(id).png").shape[1] == 2 * 224 + 4)
        }
        try checkBoxes(out, f.metadata, prefix: "compare/")
        let dom = DumpedGallery(try Chromium.dumpDOM(URL(fileURLWithPath: out + "/index.html")))
        #expect(dom.rows.count == 12 && dom.files.count == 48)
        for file in dom.files { #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)") }
        #expect(dom.markup.contains("IoU B - A"))
    }

    @Test func limitCorruptImagesAndTheOutputFolderRule() throws {
        let f = try Self.fixture.get()
        // A copy whose first test image decodes to garbage past an intact header.
        let copy = f.dir.appendingPathComponent("broken-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.copyItem(atPath: f.cub, toPath: copy)
        let victim = "\(copy)/images/\(try Self.ids(f)[0])"
        let png = f.dir.appendingPathComponent("good-\(UUID().uuidString.prefix(6)).png").path
        try ImageIO.write(Tensor.full([96, 96, 3], value: 128, dtype: .uint8), to: png)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        for i in 45..<min(bytes.count - 16, 90) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: victim))
        let out = f.dir.appendingPathComponent("limited-\(UUID().uuidString.prefix(6))").path
        let base = ["export-maps", "--checkpoint", f.cam, "--format", "cub", "--out", out]
        let broken = try runProcess(wsolBinary, base + ["--root", copy, "--limit", "6"])
        #expect(broken.status == 2 && broken.output.contains(victim) && broken.output.contains("1 image(s)"),
                "\(broken.output)")
        #expect(try BoxesCSV.read(out + "/boxes.csv").count == 5, "everything else is written")
        // Again into its own folder: the earlier export is replaced whole.
        let again = try runProcess(wsolBinary, base + ["--root", f.cub, "--limit", "3"])
        #expect(again.status == 0, "\(again.output)")
        #expect(try BoxesCSV.read(out + "/boxes.csv").count == 3)
        let maps = FileManager.default.enumerator(atPath: out + "/maps")?.allObjects
            .compactMap { $0 as? String }
        #expect(maps?.filter { $0.hasSuffix(".npy") }.count == 3)
        // A folder someone else filled is refused, and left as it was.
        let foreign = f.dir.appendingPathComponent("foreign-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let refused = try runProcess(wsolBinary, ["export-maps", "--checkpoint", f.cam, "--format", "cub",
                                                  "--root", f.cub, "--out", foreign.path])
        #expect(refused.status == 2 && refused.output.contains("--force"), "\(refused.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign.path) == ["notes.txt"])
        for bad in [["--limit", "0"], ["--threshold", "1.5"], ["--batch-size", "100000"]] {
            let r = try runProcess(wsolBinary, base + ["--root", f.cub] + bad)
            #expect(r.status == 2 && r.output.split(separator: "\n").count <= 3, "\(bad): \(r.output)")
        }
    }

    /// An image whose name is 245 bytes gets its map, panel and thumbnail (their temporary names do not
    /// grow with it); one of 252 bytes cannot have "<id>.npy" as a file name: it is skipped, counted and
    /// named, with every other image written and exit status 2.
    @Test func longImageNamesAreWrittenOrSkippedNotFatal() throws {
        let f = try Self.fixture.get()
        let copy = f.dir.appendingPathComponent("long-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.copyItem(atPath: f.cub, toPath: copy)
        var list = try String(contentsOfFile: copy + "/images.txt", encoding: .utf8)
        var renamed: [String] = []
        for (old, length) in zip(try Self.ids(f).prefix(2), [245, 252]) {
            let folder = (old as NSString).deletingLastPathComponent
            let name = String(repeating: "n", count: length - 4) + ".jpg"
            try FileManager.default.moveItem(atPath: "\(copy)/images/\(old)", toPath: "\(copy)/images/\(folder)/\(name)")
            list = list.replacingOccurrences(of: " \(old)\n", with: " \(folder)/\(name)\n")
            renamed.append("\(folder)/\(name)")
        }
        try list.write(toFile: copy + "/images.txt", atomically: true, encoding: .utf8)
        let out = f.dir.appendingPathComponent("long-out-\(UUID().uuidString.prefix(6))").path
        let r = try runProcess(wsolBinary, ["export-maps", "--checkpoint", f.cam, "--format", "cub", "--root", copy,
                                            "--out", out])
        #expect(r.status == 2 && r.output.contains("1 image(s) skipped") && r.output.contains(renamed[1]),
                "\(r.output)")
        for file in ["maps/\(renamed[0]).npy", "panels/\(renamed[0]).png", "thumbs/\(renamed[0]).jpg"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file)")
        }
        #expect(try BoxesCSV.read(out + "/boxes.csv").count == Self.ids(f).count - 1)
    }

    @Test func imageIDsAreRelativeUniqueAndStayInside() throws {
        let ids = try ImageIDs.relative(["/d/images/001.A/x.jpg", "/d/images/./002.B/y.png"],
                                        root: "/d/images/")
        #expect(ids == ["001.A/x.jpg", "002.B/y.png"])
        let root = "/d/images"
        #expect(throws: WSOLError.self) { try ImageIDs.relative(["/d/images/../secret.jpg"], root: root) }
        #expect(throws: WSOLError.self) {
            try ImageIDs.relative(["/d/images/a.jpg", "/d/images//a.jpg"], root: root)
        }
        #expect(throws: WSOLError.self) { try ImageIDs.relative(["/d/images"], root: root) }
    }

    /// A panel shows the pixels the model saw: the normalized whole-image view turned back into RGB.
    @Test func picturesUndoTheInputNormalization() throws {
        let f = try Self.fixture.get()
        // A square crop, so that the S x S view is the image itself.
        let decoded = try ImageIO.decode("\(f.cub)/images/\(try Self.ids(f)[0])")
        let side = min(decoded.shape[0], decoded.shape[1])
        let image = try decoded.slice(dim: 0, start: 0, end: side).slice(dim: 1, start: 0, end: side).contiguous()
        let transform = ImageTransform(.fullImage, imageSize: image.shape[0])
        var random = SeededRandom(seed: 0, 0, 0)
        let size = ImageSize(width: image.shape[1], height: image.shape[0])
        let (input, _) = try transform.apply(image, source: size, boxes: [], random: &random)
        let picture = try #require(try ExportPanel.pictures(input, transform).first)
        #expect(picture.shape == image.shape)
        #expect(try picture.bytes() == image.bytes())
    }

    /// Two blocks on an 8x8 map: every contour's box (largest first, clipped as the evaluator clips),
    /// the best IoU with the truth, and the top-1 class; a flat map has no box.
    @Test func verdictOnAHandMadeMap() throws {
        var values = [Float](repeating: 0, count: 64)
        for y in 1...2 { for x in 1...3 { values[y * 8 + x] = 1 } }
        for y in 4...7 { for x in 5...7 { values[y * 8 + x] = 0.8 } }
        let map = ScoreMap(height: 8, width: 8, values: values)
        let verdict = try MapVerdict(map: map, groundTruth: [PixelBox(5, 4, 7, 7), PixelBox(0, 0, 1, 1)],
                                     threshold: 0.5, probabilities: [0.2, 0.5, 0.3])
        #expect(verdict.boxes == [PixelBox(5, 4, 7, 7), PixelBox(1, 1, 4, 3)])
        #expect(verdict.iou == 1 && verdict.predictedClass == 1 && verdict.confidence == Double(Float(0.5)))
        let zeros = ScoreMap(height: 8, width: 8, values: [Float](repeating: 0, count: 64))
        let flat = try MapVerdict(map: zeros,
                                  groundTruth: [PixelBox(0, 0, 7, 7)], threshold: 0.1, probabilities: [1])
        #expect(flat.boxes.isEmpty && flat.iou == 0)
    }
}
