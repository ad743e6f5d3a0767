import Datasets
import Foundation
import Models
import NN
import Testing
import TestSupport
import Torch
import WeightsIO
@testable import WSOLCommands
import WSOL

/// Issue 9: each defect found by trying the commands as a careless user or with hostile files, run
/// through the built `wsol` (so a crash shows as its exit status instead of killing the tests).
@Suite("hardening: no crash, no lost data, bounded resources", .serialized)
struct HardeningTests {
    init() { configureTestRuntime }

    private func wsol(_ arguments: [String], environment: [String: String]? = nil) throws
        -> (status: Int32, output: String) {
        try runProcess(wsolBinary, arguments, environment: environment)
    }

    /// One line, starting "error: ", naming `file` (when given), never Foundation's raw text.
    private func expectOneLineError(_ r: (status: Int32, output: String), status: Int32 = 2,
                                    naming file: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "\(r.output)", sourceLocation: sourceLocation)
        let lines = r.output.split(separator: "\n")
        #expect(lines.count == 1 && r.output.hasPrefix("error: "), "\(r.output)",
                sourceLocation: sourceLocation)
        #expect(!r.output.contains("NSCocoaErrorDomain"), "\(r.output)", sourceLocation: sourceLocation)
        if let file { #expect(r.output.contains(file), "\(r.output)", sourceLocation: sourceLocation) }
    }

    private static let small = ["--classes", "2", "--train-per-class", "1", "--test-per-class", "1",
                                "--size", "32"]

    // MARK: 1. data loss

    @Test func synthNeverWritesIntoSomeoneElsesFolder() throws {
        let dir = try temporaryDirectory(prefix: "synth-cub").path
        try "1 real/bird.jpg\n".write(toFile: dir + "/images.txt", atomically: true, encoding: .utf8)
        expectOneLineError(try wsol(["synth", "--out", dir] + Self.small), naming: dir)
        #expect(try String(contentsOfFile: dir + "/images.txt", encoding: .utf8) == "1 real/bird.jpg\n")
        for path in ["/", NSHomeDirectory()] {
            expectOneLineError(try wsol(["synth", "--out", path] + Self.small))
        }
        // Its own earlier output is replaced; --force writes into the foreign folder, keeping other files.
        let own = dir + "/own"
        #expect(try wsol(["synth", "--out", own] + Self.small).status == 0)
        #expect(try wsol(["synth", "--out", own] + Self.small).status == 0)
        try "keep".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: own)
        #expect(try wsol(["synth", "--out", dir, "--force"] + Self.small).status == 0)
        #expect(try String(contentsOfFile: dir + "/notes.txt", encoding: .utf8) == "keep")
        let images = try String(contentsOfFile: dir + "/images.txt", encoding: .utf8)
        #expect(images.hasPrefix("1 001.synth_001/"))
    }

    @Test func convertReplacesItsOwnOutputWholeAndRefusesOthers() throws {
        let parent = try temporaryDirectory(prefix: "convert-out").path
        let cub = parent + "/CUB_200_2011", out = parent + "/meta"
        #expect(try wsol(["synth", "--out", cub] + Self.small).status == 0)
        let convert = ["data", "convert", "--from", "cub", "--to", "wsolevaluation", "--root", cub,
                       "--out", out]
        #expect(try wsol(convert).status == 0)
        // A split an earlier conversion wrote (its marker lists it) must not survive the next one; a
        // file the user put beside the output stays.
        try FileManager.default.createDirectory(atPath: out + "/val", withIntermediateDirectories: true)
        try "stale.jpg\n".write(toFile: out + "/val/image_ids.txt", atomically: true, encoding: .utf8)
        let marker = try String(contentsOfFile: out + "/.wsol-output", encoding: .utf8)
        try (marker + "val/\nval/image_ids.txt\n").write(toFile: out + "/.wsol-output", atomically: true, encoding: .utf8)
        try "mine\n".write(toFile: out + "/NOTES.md", atomically: true, encoding: .utf8)
        #expect(try wsol(convert).status == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(written == [".wsol-output", "NOTES.md", "test", "train"])
        // Another dataset's metadata, not written by wsol: refused, untouched.
        let foreign = parent + "/theirs"
        try FileManager.default.createDirectory(atPath: foreign + "/val", withIntermediateDirectories: true)
        let refused = try wsol(Array(convert.dropLast()) + [foreign])
        expectOneLineError(refused, naming: foreign)
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign) == ["val"])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: parent)
        #expect(!siblings.contains { $0.contains("wsol-partial") })
    }

    // MARK: 2. crashes

    @Test func aNPYHeaderDeclaringAHugeShapeIsOneLine() throws {
        let dir = try temporaryDirectory(prefix: "npy-huge").path
        let metadata = dir + "/test", maps = dir + "/maps"
        let files = [("image_ids.txt", "a.jpg\n"), ("class_labels.txt", "a.jpg,0\n"),
                     ("image_sizes.txt", "a.jpg,224,224\n"), ("localization.txt", "a.jpg,1,1,20,20\n")]
        for (name, text) in files {
            try FileManager.default.createDirectory(atPath: metadata, withIntermediateDirectories: true)
            try text.write(toFile: metadata + "/" + name, atomically: true, encoding: .utf8)
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = header.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 16)
        try FileManager.default.createDirectory(atPath: maps, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: maps + "/a.npy"))
        let r = try wsol(["score-maps", "--metadata", metadata, "--maps", maps])
        expectOneLineError(r, naming: maps + "/a.npy")
    }

    @Test func hugeCountsAndSizesAreRefusedBeforeAnyWork() throws {
        let out = try temporaryDirectory(prefix: "bounds").path + "/x"
        let tooLarge = [["--train-per-class", "9223372036854775807"], ["--size", "100000"], ["--classes", "-1"]]
        for args in tooLarge {
            expectOneLineError(try wsol(["synth", "--out", out] + args))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let interval = try wsol(["score-maps", "--metadata", out, "--maps", out, "--interval", "1e-9"])
        expectOneLineError(interval)
        #expect(interval.output.contains("--interval must be in [0.0001, 1)"))
    }

    /// Options each in range that together need far more memory than the machine has are refused
    /// before the model is built (each used to pass 6 GB), naming the estimate and the batch that fits.
    @Test func aStepBeyondTheMachinesMemoryIsRefusedWithWhatFits() throws {
        let dir = try temporaryDirectory(prefix: "memory")
        let cub = dir.appendingPathComponent("CUB_200_2011").path
        #expect(try wsol(["synth", "--out", cub] + Self.small).status == 0)
        let model = try wsol(["model", "--arch", "resnet18", "--method", "sfpnsc", "--num-classes", "100000",
                              "--head-width", "8192", "--image-size", "1024"])
        expectOneLineError(model)
        #expect(model.output.contains("needs about") && model.output.contains("not even one image fits"))
        let train = try wsol(["train", "--format", "cub", "--root", cub, "--arch", "resnet18", "--method", "cam",
                              "--weights", "none", "--image-size", "1024", "--batch-size", "4096",
                              "--out", dir.appendingPathComponent("run").path])
        expectOneLineError(train)
        #expect(train.output.contains("--batch-size") && train.output.contains("or smaller fits"), "\(train.output)")
        // A small checkpoint, evaluated at 1024 px.
        let checkpoint = dir.appendingPathComponent("cam.safetensors").path
        let cam = try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 2, headWidth: 8, imageSize: 64),
                                MethodOptions(method: .cam, architecture: .resnet18))
        try Checkpoint.save(cam, to: checkpoint, classNames: ["a", "b"], dataset: .cubLike)
        let eval = try wsol(["eval", "--checkpoint", checkpoint, "--format", "cub", "--root", cub,
                             "--image-size", "1024", "--batch-size", "1024"])
        expectOneLineError(eval)
        #expect(eval.output.contains("eval: a batch of 1024 views at 1024 px needs about"), "\(eval.output)")
    }

    // MARK: 3. thread counts

    @Test func malformedOrHugeThreadCountsExitTwo() throws {
        var environment = ProcessInfo.processInfo.environment
        for value in ["100000", "abc", "0", "-3"] {
            environment["WSOL_THREADS"] = value
            let r = try wsol(["doctor", "--json"], environment: environment)
            expectOneLineError(r, naming: "WSOL_THREADS")
            #expect(r.output.contains("1...512"), "\(r.output)")
        }
    }

    // MARK: 4. corrupt images, 6. Foundation errors, 7. names that are not UTF-8, smaller defects

    private static let resnet18 = Result { try Reference.run("models.py", arguments: ["resnet18", "64"]) }

    private func weights() throws -> String {
        try Self.resnet18.get().appendingPathComponent("weights.pth").path
    }

    /// A synthetic JPEG and its first half.
    private func images() throws -> (good: String, cut: String) {
        let dir = try temporaryDirectory(prefix: "classify-images").path
        let flat = try Tensor([UInt8](repeating: 90, count: 80 * 64 * 3), shape: [64, 80, 3])
        try ImageIO.write(flat, to: dir + "/good.jpg")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/good.jpg"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.jpg"))
        return (dir + "/good.jpg", dir + "/cut.jpg")
    }

    @Test func classifyNamesACutJPEGOnceAndClassifiesTheRest() throws {
        let (good, cut) = try images()
        let r = try wsol(["classify", "--arch", "resnet18", "--weights", try weights(), "--preprocess", "none",
                          "--json", good, cut])
        #expect(r.status == 2)
        let line = try #require(r.output.split(separator: "\n").first { $0.contains(cut) })
        #expect(line.hasPrefix("error: \(cut): truncated JPEG"), "\(r.output)")
        #expect(line.components(separatedBy: cut).count == 2, "named twice: \(line)")
        #expect(r.output.contains("\"image\":\"\(good)\""), "\(r.output)")
    }

    @Test func dataCheckDeepNamesACutJPEG() throws {
        let cub = try temporaryDirectory(prefix: "deep-cut").path + "/CUB_200_2011"
        #expect(try wsol(["synth", "--out", cub] + Self.small).status == 0)
        let image = cub + "/images/001.synth_001/synth_001_0001.jpg"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: image))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: image))
        let report = try DataCheckCommand.parse(["--format", "cub", "--root", cub, "--deep"]).makeReport()
        #expect(report.errors == 1)
        #expect(report.text.contains("\(image): error: cannot decode: truncated JPEG"), "\(report.text)")
    }

    @Test func classifyJSONKeepsEveryResultWhenWeightsHoldNaN() throws {
        let (good, _) = try images()
        var file = try WeightsFile.load(try weights())
        file.set("fc.bias", try Tensor.full([1000], value: .nan))
        let nan = try temporaryDirectory(prefix: "nan").appendingPathComponent("nan.safetensors").path
        try WeightsFile.saveSafetensors(file, to: nan)
        let r = try wsol(["classify", "--arch", "resnet18", "--weights", nan, "--preprocess", "none", "--json",
                          good, good])
        #expect(r.status == 2)
        let json = try #require(r.output.split(separator: "\n").first { $0.hasPrefix("[") })
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let results = try #require(parsed as? [[String: Any]])
        #expect(results.count == 2)
        #expect((results.first?["logits"] as? [Any])?.first is NSNull)
        #expect(r.output.contains("error: \(nan): the model gave NaN or infinite logits for 2 of 2 images"),
                "\(r.output)")
    }

    /// Finite weights whose outputs overflow (a diverged training): eval, export-maps and localize each
    /// refuse in one line naming the checkpoint (they used to blame an image, or print a map of NaN).
    @Test func aModelWhoseOutputsOverflowIsNamedByEveryCommand() throws {
        let dir = try temporaryDirectory(prefix: "overflow")
        let cub = dir.appendingPathComponent("CUB_200_2011").path
        #expect(try wsol(["synth", "--out", cub] + Self.small).status == 0)
        let model = try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 2, headWidth: 8, imageSize: 64),
                                  MethodOptions(method: .cam, architecture: .resnet18))
        let head = try #require(model.stateDict().first { $0.name == "classifier_cls.4.weight" }?.tensor)
        _ = try head.fill_(1e37)
        let checkpoint = dir.appendingPathComponent("diverged.safetensors").path
        try Checkpoint.save(model, to: checkpoint, classNames: ["a", "b"], dataset: .cubLike)
        let image = try #require(FileManager.default.enumerator(atPath: cub + "/images")?.allObjects
            .compactMap { $0 as? String }.first { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") })
        for arguments in [["eval", "--format", "cub", "--root", cub], ["localize", cub + "/images/" + image],
                          ["export-maps", "--format", "cub", "--root", cub, "--out", dir.path + "/export"]] {
            let r = try wsol(arguments + ["--checkpoint", checkpoint])
            expectOneLineError(r, naming: checkpoint)
            #expect(r.output.contains("not finite"), "\(r.output)")
        }
    }

    @Test func aDataParallelCheckpointLoadsWithANote() throws {
        let (good, _) = try images()
        let plain = try WeightsFile.load(try weights())
        var prefixed = StateDict()
        for entry in plain.entries { prefixed.set("module." + entry.key, entry.tensor) }
        let path = try temporaryDirectory(prefix: "dp").appendingPathComponent("dp.safetensors").path
        try WeightsFile.saveSafetensors(prefixed, to: path)
        let base = ["classify", "--arch", "resnet18", "--preprocess", "none", "--json", good]
        let r = try wsol(base + ["--weights", path])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("note: \(path): keys start with 'module.'"), "\(r.output)")
        let reference = try wsol(base + ["--weights", try weights()])
        #expect(r.output.split(separator: "\n").last == reference.output.split(separator: "\n").last)
    }

    @Test func inceptionWeightsWithoutTheAuxiliaryHeadLoad() throws {
        let full = try Architecture.inception_v3.build(numClasses: 10).stateDict()
        var file = StateDict()
        for (name, tensor) in full where !name.hasPrefix("AuxLogits.") { file.set(name, tensor) }
        #expect(file.count < full.count)
        let model = try Architecture.inception_v3.build(numClasses: 10, inceptionAux: false)
        try model.load(file, from: "no-aux.pth", strict: true)
    }

    @Test func outputPathsThatAreFilesGiveOneLine() throws {
        let dir = try temporaryDirectory(prefix: "out-file").path
        #expect(try wsol(["synth", "--out", dir + "/cub"] + Self.small).status == 0)
        let file = dir + "/a-file"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        for out in [file, file + "/below"] {
            expectOneLineError(try wsol(["synth", "--out", out] + Self.small), naming: "a-file")
            expectOneLineError(try wsol(["data", "convert", "--from", "cub", "--to", "wsolevaluation",
                                         "--root", dir + "/cub", "--out", out]), naming: "a-file")
        }
        expectOneLineError(try wsol(["weights", "verify", dir]), naming: dir)
    }

    @Test func argumentsAndFileNamesThatAreNotUTF8AreNamed() throws {
        let dir = try temporaryDirectory(prefix: "latin1").path
        let latin1 = "\"$(printf '\(dir)/caf\\351.jpg')\""
        let r = try runProcess("/bin/bash", ["-c", "'\(wsolBinary)' classify --arch resnet18 --weights x \(latin1)"])
        expectOneLineError(r, naming: "\(dir)/caf\\xE9.jpg")
        #expect(r.output.contains("is not UTF-8"))
    }

    @Test func weightsVerifyChecksEveryFileAndNeverWaitsOnAPipe() throws {
        let dir = try temporaryDirectory(prefix: "verify-all").path
        let fifo = dir + "/pipe-0123abcd.pth", missing = dir + "/missing-0123abcd.pth"
        let bad = dir + "/bad-00000000.pth"
        #expect(mkfifo(fifo, 0o600) == 0)
        try "not weights".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try wsol(["weights", "verify", fifo, missing, bad])
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains("error: \(fifo): is not a regular file"), "\(r.output)")
        #expect(r.output.contains("error: \(missing): cannot read file: no such file"), "\(r.output)")
        #expect(r.output.contains("MISMATCH \(bad)"), "\(r.output)")
    }

    @Test func aDuplicateSafetensorsKeyIsNamedAsSuch() throws {
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[%d,%d]}"#
        let header = "{\"w\":" + String(format: entry, 0, 4) + ",\"w\":" + String(format: entry, 4, 8) + "}"
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { [UInt8]($0) }
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 8)
        let path = try temporaryDirectory(prefix: "dup").appendingPathComponent("dup.safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: WeightsError.self) { try WeightsFile.load(path) }
        #expect(error?.message == "\(path): key w appears twice in the safetensors header")
    }

    /// A request larger than the disk is refused before anything is written (it used to start and fill it).
    @Test func synthChecksTheDiskFirst() throws {
        let out = try temporaryDirectory(prefix: "synth-disk").path + "/huge"
        let result = try wsol(["synth", "--out", out, "--classes", "200", "--train-per-class", "100000",
                               "--test-per-class", "100000", "--size", "4096"])
        expectOneLineError(result)
        #expect(result.status == 2 && result.output.contains("need about") && result.output.contains("is free there"),
                "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func negativeNumbersAndNoArgumentsAreUsageErrors() throws {
        let topk = try wsol(["classify", "--arch", "resnet18", "--weights", "x", "--topk", "-1", "a.jpg"])
        expectOneLineError(topk)
        #expect(topk.output.contains("--topk must be in 1...100000, got -1"), "\(topk.output)")
        // A negative value reaches the option's own range check instead of "Missing value".
        let train = ["train", "--format", "cub", "--root", "nowhere", "--out", "nowhere-run"]
        for (extra, says) in [(["--epochs", "-1"], "--epochs must be"), (["--lr", "-0.1"], "--lr must be"),
                              (["--threads", "-2"], "--threads must be"), (["--threads", "600"], "--threads must be 1 to 512")] {
            let result = try wsol(train + extra)
            #expect(result.status == 2 && result.output.contains(says) && !result.output.contains("Missing value"),
                    "\(extra): \(result.output)")
        }
        let bare = try wsol([])
        #expect(bare.status == 2)
        #expect(bare.output.contains("USAGE: wsol"))
    }
}
