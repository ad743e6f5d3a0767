import Datasets
import Foundation
import Inference
import TestSupport
import Testing
import Torch
import WeightsIO
import WSOL

/// `wsol eval` against a Python statement of both protocols (Tests/reference/eval_protocols.py, numpy
/// + OpenCV, reading the CUB files itself) computed from the same maps; BAS-Ext files; exit codes.
@Suite("wsol eval", .serialized)
struct EvalCommandTests {
    init() { configureTestRuntime }

    struct Fixture { let cub: String; let checkpoint: String; let dir: URL }

    /// A synthetic CUB folder (3 classes, 4 test images each) and a randomly initialized sfpnsc
    /// checkpoint: the numbers are poor, but they are the same numbers on both sides.
    static let fixture: Result<Fixture, Error> = Result {
        let dir = try temporaryDirectory(prefix: "eval")
        let cub = dir.appendingPathComponent("CUB_200_2011").path
        let made = try runProcess(wsolBinary, ["synth", "--out", cub, "--classes", "3", "--train-per-class", "1",
                                               "--test-per-class", "4", "--size", "96", "--seed", "5"])
        // 64-pixel inputs keep the suite fast; the protocols scale with the input (crop 64 of 73).
        guard made.status == 0 else { throw TorchError("synth failed: \(made.output)") }
        TorchRuntime.manualSeed(11)
        let model = try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 3, headWidth: 8, imageSize: 64),
                                  MethodOptions(method: .sfpnsc, architecture: .resnet18))
        let checkpoint = dir.appendingPathComponent("model.safetensors").path
        try Checkpoint.save(model, to: checkpoint, classNames: ["a", "b", "c"], dataset: .cubLike)
        return Fixture(cub: cub, checkpoint: checkpoint, dir: dir)
    }

    func eval(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]?, output: String) {
        let result = try runProcess(wsolBinary, ["eval", "--json"] + arguments)
        let line = result.output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        return (result.status, try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], result.output)
    }

    /// The maps `wsol eval` evaluates, written by the evaluator's own pass code (same batches).
    func dumpMaps(_ f: Fixture, settings: EvaluationSettings) throws -> URL {
        let loaded = try LoadedModel(path: f.checkpoint)
        let data = try CUBReader.read(root: f.cub).requireSplit("test")
        let evaluator = ModelEvaluator(model: loaded.model, settings: settings)
        let out = try temporaryDirectory(prefix: "evalmaps")
        var manifest: [[String: String]] = []
        var unreadable = Set<String>()
        for pass in [ModelEvaluator.Pass.crop, .full] {
            _ = try evaluator.forEachBatch(data, pass, unreadable: &unreadable) { batch, maps in
                for (row, index) in batch.indices.enumerated() {
                    let tag = pass == .crop ? "crop" : "full"
                    let map = maps.maps[row]
                    try NPY.write(NPYArray(float32: map.floats, shape: [map.height, map.width]),
                                  to: out.appendingPathComponent("\(tag)_\(index).npy").path)
                    if pass == .crop {
                        try NPY.write(NPYArray(float32: maps.probabilities[row], shape: [3]),
                                      to: out.appendingPathComponent("probs_\(index).npy").path)
                        let image = data.samples[index].imagePath.components(separatedBy: "/images/").last!
                        manifest.append(["image": image, "crop_map": "crop_\(index).npy", "probs": "probs_\(index).npy",
                                         "full_map": "full_\(index).npy"])
                    }
                }
            }
        }
        try JSONSerialization.data(withJSONObject: manifest).write(to: out.appendingPathComponent("manifest.json"))
        return out
    }

    @Test func numbersEqualPythonFromTheSameMaps() throws {
        let f = try Self.fixture.get()
        let result = try eval(["--checkpoint", f.checkpoint, "--format", "cub", "--root", f.cub, "--class-mode", "top1",
                               "--batch-size", "20", "--workers", "1"])
        #expect(result.status == 0, "\(result.output)")
        let json = try #require(result.json)
        var settings = EvaluationSettings(threshold: 0.1, classMode: .top1, topK: 1)
        settings.batchSize = 20
        settings.workers = 1
        let maps = try dumpMaps(f, settings: settings)
        let python = try runProcess(Reference.python, [Reference.repoRoot.appendingPathComponent("Tests/reference/eval_protocols.py").path,
                                                       f.cub, maps.path, "0.1", "64"])
        #expect(python.status == 0, "\(python.output)")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Any])
        let crop = try #require(json["crop"] as? [String: Any]), refCrop = try #require(reference["crop"] as? [String: Double])
        for key in ["top1_cls", "top5_cls", "top1_loc", "top5_loc", "gt_known_loc"] {
            #expect(crop[key] as? Double == refCrop[key], "crop \(key)")
        }
        let fixed = try #require(crop["boxacc_fixed"] as? [String: Double])
        for level in ["iou30", "iou50", "iou70"] { #expect(fixed[level] == refCrop[level], "crop \(level)") }
        #expect(crop["images"] as? Int == 12 && crop["tencrop"] as? Bool == true && crop["class_mode"] as? String == "top1")
        let full = try #require(json["full"] as? [String: Any]), refFull = try #require(reference["full"] as? [String: Any])
        let v2 = try #require(full["maxboxacc_v2"] as? [String: Any]), refV2 = try #require(refFull["v2"] as? [Double])
        #expect([v2["iou30"], v2["iou50"], v2["iou70"]].map { $0 as? Double } == refV2.map { Optional($0) })
        #expect(abs((v2["mean"] as? Double ?? -1) - (refFull["v2_mean"] as? Double ?? -2)) < 1e-9)
        #expect(full["maxboxacc_v1"] as? Double == refFull["maxboxacc_v1"] as? Double)
        #expect(json["sha256"] as? String == (try Checksum.sha256Hex(f.checkpoint)))
    }

    @Test func basExtCheckpointEvaluatesWithArchAndMethod() throws {
        let f = try Self.fixture.get()
        let dir = try Reference.run("wsol_checkpoints.py", arguments: ["bas", "resnet18", "3", "8"])
        let file = dir.appendingPathComponent("resnet18-bas.pth.tar").path
        let ok = try eval(["--checkpoint", file, "--arch", "resnet18", "--method", "bas", "--format", "cub",
                           "--root", f.cub, "--protocol", "crop", "--tencrop", "off"])
        #expect(ok.status == 0, "\(ok.output)")
        #expect((ok.json?["crop"] as? [String: Any])?["images"] as? Int == 12)
        #expect(ok.json?["method"] as? String == "bas")
        // Without --method the file does not say: one line, exit 2.
        let missing = try eval(["--checkpoint", file, "--arch", "resnet18", "--format", "cub", "--root", f.cub])
        #expect(missing.status == 2 && missing.output.contains("--method"))
        // The wrong architecture: one line naming a key, exit 2.
        let wrong = try eval(["--checkpoint", file, "--arch", "resnet50", "--method", "bas", "--format", "cub", "--root", f.cub])
        #expect(wrong.status == 2 && wrong.output.contains(file))
    }

    @Test func missingFileAndCorruptImageExitTwo() throws {
        let f = try Self.fixture.get()
        let missing = try eval(["--checkpoint", f.dir.appendingPathComponent("nope.safetensors").path,
                                "--format", "cub", "--root", f.cub])
        #expect(missing.status == 2 && missing.output.contains("nope.safetensors"))
        // A copy of the dataset with one test image replaced by garbage: the others are evaluated.
        let copy = f.dir.appendingPathComponent("broken-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.copyItem(atPath: f.cub, toPath: copy)
        let images = try String(contentsOfFile: copy + "/images.txt", encoding: .utf8).split(separator: "\n")
        let split = try String(contentsOfFile: copy + "/train_test_split.txt", encoding: .utf8).split(separator: "\n")
        let testLine = try #require(zip(images, split).first { $0.1.hasSuffix(" 0") }?.0)
        let victim = copy + "/images/" + testLine.split(separator: " ")[1]
        // A PNG whose header (and size) is intact but whose compressed pixels are not: the readers accept
        // it, decoding fails.
        let png = f.dir.appendingPathComponent("good-\(UUID().uuidString.prefix(6)).png").path
        try ImageIO.write(Tensor.full([96, 96, 3], value: 128, dtype: .uint8), to: png)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        for i in 45..<min(bytes.count - 16, 90) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: victim))
        let result = try eval(["--checkpoint", f.checkpoint, "--format", "cub", "--root", copy, "--protocol", "full"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.json?["images"] as? Int == 11)
        #expect((result.json?["unreadable"] as? [String])?.first?.contains(victim) == true)
        #expect(result.output.contains("could not be read"))
    }
}
