import Datasets
import Evaluation
import Foundation
import Inference
import TestSupport
import Testing
import Torch
import WSOL

/// `wsol localize`: logits equal the model's forward on the same input; boxes come back in the
/// image's own pixels; unreadable images are named and the rest still localized.
@Suite("wsol localize", .serialized)
struct LocalizeCommandTests {
    init() { configureTestRuntime }

    /// A non-square photo-like image (150 x 90).
    func wideImage(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("wide-\(UUID().uuidString.prefix(6)).png").path
        TorchRuntime.manualSeed(2)
        try ImageIO.write(try (Tensor.rand([90, 150, 3]) * 255).to(.uint8), to: path)
        return path
    }

    func localize(_ arguments: [String]) throws -> (status: Int32, json: [[String: Any]], output: String) {
        let result = try runProcess(wsolBinary, ["localize", "--json"] + arguments)
        let line = result.output.split(separator: "\n").first { $0.hasPrefix("[") }.map(String.init) ?? "[]"
        return (result.status, (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]]) ?? [],
                result.output)
    }

    @Test(arguments: ["full", "crop"]) func logitsEqualTheForwardOnTheSameInput(_ preprocess: String) throws {
        let f = try EvalCommandTests.fixture.get()
        let image = try wideImage(f.dir)
        let result = try localize(["--checkpoint", f.checkpoint, "--preprocess", preprocess, image])
        #expect(result.status == 0, "\(result.output)")
        let entry = try #require(result.json.first)
        let logits = try #require(entry["logits"] as? [Double])
        let loaded = try LoadedModel(path: f.checkpoint)
        let localizer = Localizer(model: loaded.model, preprocess: Localizer.Preprocess(rawValue: preprocess)!,
                                  classMode: .top1, topK: 1, threshold: 0.1)
        let expected = try withNoGrad {
            try loaded.model(localizer.input(image).tensor, selection: .top1, background: false).scores.doubles()
        }
        #expect(relativeError(logits, expected) < 1e-5)
        #expect(entry["size"] as? [Int] == [150, 90])
        let top = try #require(entry["top"] as? [[String: Any]])
        #expect(top.count == 3 && (top.first?["name"] as? String) != nil)
        for box in entry["boxes"] as? [[Double]] ?? [] {
            #expect(box[0] >= 0 && box[1] >= 0 && box[2] <= 150 && box[3] <= 90 && box[0] < box[2] && box[1] < box[3])
        }
    }

    /// A map that is 1 on columns 16..<40 and rows 8..<24 of the 64 x 64 input: its box in the 150 x 90
    /// image is x * 150 / 64, y * 90 / 64 (full), or (x + 4) * 150 / 73, (y + 4) * 90 / 73 (crop 64 of 73).
    @Test func aKnownBoxInTheImagesPixels() throws {
        var values = [Float](repeating: 0, count: 64 * 64)
        for y in 8..<24 { for x in 16..<40 { values[y * 64 + x] = 1 } }
        let boxes = try Localizer.boxes(map: ScoreMap(height: 64, width: 64, values: values), threshold: 0.5)
        #expect(boxes == [PixelBox(16, 8, 40, 24)])
        let source = ImageSize(width: 150, height: 90)
        let full = Geometry(source: source, resize: ImageSize(width: 64, height: 64), crop: CropRect(x: 0, y: 0, width: 64, height: 64))
        let crop = Geometry(source: source, resize: ImageSize(width: 73, height: 73), crop: CropRect(x: 4, y: 4, width: 64, height: 64))
        #expect(Localizer.toImage(boxes[0], full) == Box(x0: 37.5, y0: 11.25, x1: 93.75, y1: 33.75))
        let c = Localizer.toImage(boxes[0], crop)
        #expect(abs(c.x0 - 20 * 150 / 73.0) < 1e-9 && abs(c.y1 - 28 * 90 / 73.0) < 1e-9)
        // The command's geometry for this image is the one assumed above.
        let f = try EvalCommandTests.fixture.get()
        let loaded = try LoadedModel(path: f.checkpoint)
        let image = try wideImage(f.dir)
        for (mode, expected) in [(Localizer.Preprocess.full, full), (.crop, crop)] {
            let localizer = Localizer(model: loaded.model, preprocess: mode, classMode: .top1, topK: 1, threshold: 0.1)
            #expect(try localizer.input(image).view == expected)
        }
    }

    @Test func unreadableImagesAreNamedAndTheRestLocalized() throws {
        let f = try EvalCommandTests.fixture.get()
        let good = try wideImage(f.dir)
        let missing = f.dir.appendingPathComponent("missing.jpg").path
        let result = try localize(["--checkpoint", f.checkpoint, missing, good])
        #expect(result.status == 2)
        #expect(result.json.count == 1 && result.json.first?["image"] as? String == good)
        #expect(result.output.contains("missing.jpg"))
        // A folder and a pipe are named for what they are (a pipe is never opened: it would block).
        let folder = f.dir.appendingPathComponent("folder.jpg").path, pipe = f.dir.appendingPathComponent("pipe.jpg").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(mkfifo(pipe, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: pipe) }
        let odd = try localize(["--checkpoint", f.checkpoint, folder, pipe, good])
        #expect(odd.status == 2 && odd.json.count == 1)
        #expect(odd.output.contains("\(folder): is a folder, not an image file"), "\(odd.output)")
        #expect(odd.output.contains("\(pipe): is not a regular file"), "\(odd.output)")
        let gt = try localize(["--checkpoint", f.checkpoint, "--class-mode", "gt", good])
        #expect(gt.status == 2 && gt.output.contains("--label"))
    }

    /// A checkpoint with a NaN in it (a diverged run's) is refused in one line naming the file, by every
    /// command that loads a model (they share LoadedModel), before any output.
    @Test func aCheckpointWithNaNsIsRefused() throws {
        let f = try EvalCommandTests.fixture.get()
        let dir = try temporaryDirectory(prefix: "nan-checkpoint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try LoadedModel(path: f.checkpoint)
        let weight = try #require(loaded.model.namedParameters().first { $0.name == "classifier_cls.4.weight" })
        _ = try withNoGrad { try weight.tensor.fill_(.nan) }
        let path = dir.appendingPathComponent("diverged.safetensors").path
        try Checkpoint.save(loaded.model, to: path, classNames: loaded.classNames ?? [])
        let image = try wideImage(dir)
        for arguments in [["localize", "--checkpoint", path, image],
                          ["eval", "--checkpoint", path, "--format", "cub", "--root", f.cub]] {
            let result = try runProcess(wsolBinary, arguments)
            #expect(result.status == 2, "\(arguments[0]): \(result.output)")
            let errors = result.output.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors.count == 1 && errors[0].contains(path) && errors[0].contains("classifier_cls.4.weight"),
                    "\(result.output)")
        }
    }

    /// A sidecar with a value no model can have is blamed on the file and its field, not on a flag.
    @Test func aBadSidecarValueNamesTheFileAndField() throws {
        let f = try EvalCommandTests.fixture.get()
        let dir = try temporaryDirectory(prefix: "bad-sidecar")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.safetensors").path
        let sidecar = dir.appendingPathComponent("model.json").path
        try FileManager.default.copyItem(atPath: f.checkpoint, toPath: path)
        let original = try String(contentsOfFile: Checkpoint.sidecarPath(for: f.checkpoint), encoding: .utf8)
        let damaged = original.replacingOccurrences(of: #""image_size" : 64"#, with: #""image_size" : 100"#)
            .replacingOccurrences(of: #""image_size":64"#, with: #""image_size":100"#)
        #expect(damaged != original)
        try damaged.write(toFile: sidecar, atomically: true, encoding: .utf8)
        let result = try runProcess(wsolBinary, ["localize", "--checkpoint", path, try wideImage(dir)])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("\(sidecar): field image_size") && !result.output.contains("--image-size"),
                "\(result.output)")
    }

    /// A checkpoint whose sidecar is gone runs at its run's image size (config.json), not at 224.
    @Test func aCheckpointWithoutSidecarTakesItsRunsImageSize() throws {
        let f = try EvalCommandTests.fixture.get()
        let run = try temporaryDirectory(prefix: "no-sidecar")
        defer { try? FileManager.default.removeItem(at: run) }
        let checkpoints = run.appendingPathComponent("checkpoints")
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        let path = checkpoints.appendingPathComponent("best.safetensors").path
        try FileManager.default.copyItem(atPath: f.checkpoint, toPath: path)
        var overrides = LoadedModel.Overrides(architecture: .resnet18, method: .sfpnsc)
        #expect(try LoadedModel(path: path, overrides: overrides).model.spec.imageSize == 224)
        try RunFixture.config(imageSize: 64).write(to: run.appendingPathComponent("config.json"))
        #expect(try LoadedModel(path: path, overrides: overrides).model.spec.imageSize == 64)
        overrides.imageSize = 96
        #expect(try LoadedModel(path: path, overrides: overrides).model.spec.imageSize == 96)
    }

    /// `--out`: two images with one stem get two pairs of files, and a 240-character name is cut to fit.
    @Test func outputNamesNeverCollide() throws {
        let f = try EvalCommandTests.fixture.get()
        let dir = try temporaryDirectory(prefix: "localize-out")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try wideImage(f.dir)
        defer { try? FileManager.default.removeItem(atPath: source) }
        let long = String(repeating: "b", count: 240)
        var images: [String] = []
        for (folder, name) in [("a", "x.png"), ("b", "x.png"), ("c", long + ".png")] {
            let path = dir.appendingPathComponent("in/\(folder)/\(name)").path
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: path)
            images.append(path)
        }
        let out = dir.appendingPathComponent("out").path
        let result = try localize(["--checkpoint", f.checkpoint, "--out", out] + images)
        #expect(result.status == 0, "\(result.output)")
        let cut = String(repeating: "b", count: 200)
        let expected = ["x", "x-2", cut].flatMap { [$0 + ".npy", $0 + ".png"] } + [".wsol-output"]
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == expected.sorted())
        let files = result.json.compactMap { ($0["files"] as? [String: String])?["map"] }
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["x.npy", "x-2.npy", cut + ".npy"])
    }
}
