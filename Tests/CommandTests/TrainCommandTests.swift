import Foundation
import TestSupport
import Testing
import Torch
import WeightsIO
import WSOL

/// `wsol train` on a tiny synthetic CUB (3 classes, 64-pixel inputs, resnet18 with a narrow head):
/// resume equals a straight run, reruns are identical, stops and failures leave loadable checkpoints,
/// TensorBoard reads the events, a classify run's file loads as `--weights`.
@Suite("wsol train", .serialized)
struct TrainCommandTests {
    init() { configureTestRuntime }

    static let data: Result<String, Error> = Result {
        let cub = try temporaryDirectory(prefix: "train").appendingPathComponent("CUB_200_2011").path
        let made = try runProcess(wsolBinary, ["synth", "--out", cub, "--classes", "3", "--train-per-class", "6",
                                               "--test-per-class", "2", "--size", "80", "--seed", "9"])
        guard made.status == 0 else { throw TorchError("synth failed: \(made.output)") }
        return cub
    }

    /// A tiny sfpnsc training; `--recipe paper` (METHOD.md's loss from the first epoch) unless `extra` names
    /// a recipe or `defaultRecipe` asks for the command's own default.
    func train(_ out: String, _ extra: [String], defaultRecipe: Bool = false) throws -> (status: Int32, output: String) {
        let base = ["train", "--format", "cub", "--root", try Self.data.get(), "--arch", "resnet18", "--method", "sfpnsc",
                    "--weights", "none", "--image-size", "64", "--head-width", "8", "--batch-size", "4",
                    "--val-per-class", "1", "--workers", "1", "--lr", "0.01", "--log-every", "1", "--out", out]
        let recipe = defaultRecipe || extra.contains("--recipe") ? [] : ["--recipe", "paper"]
        return try runProcess(wsolBinary, base + recipe + extra, environment: ["WSOL_THREADS": "2"])
    }

    func weights(_ run: String, _ name: String = "last") throws -> [String: [Double]] {
        let file = try WeightsFile.load(run + "/checkpoints/\(name).safetensors")
        return Dictionary(uniqueKeysWithValues: try file.tensors.map { ($0.key, try $0.tensor.doubles()) })
    }

    func maxDifference(_ a: [String: [Double]], _ b: [String: [Double]]) -> Double {
        var worst = 0.0
        for (key, x) in a {
            guard let y = b[key], y.count == x.count else { return .infinity }
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v)) }
        }
        return a.count == b.count ? worst : .infinity
    }

    func run(_ name: String) throws -> String { try temporaryDirectory(prefix: "run-\(name)").path + "/run" }

    @Test func resumeEqualsAStraightRunAndRerunsAreIdentical() throws {
        let straight = try run("straight"), again = try run("again"), split = try run("split")
        #expect(try train(straight, ["--epochs", "2"]).status == 0)
        #expect(try train(again, ["--epochs", "2"]).status == 0)
        let first = try train(split, ["--epochs", "1"])
        #expect(first.status == 0, "\(first.output)")
        let resumed = try train(split, ["--epochs", "2", "--resume"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("resuming"))
        #expect(maxDifference(try weights(straight), try weights(again)) == 0)
        #expect(maxDifference(try weights(straight), try weights(split)) < 1e-6)
        // config.json and log.jsonl: every loss term per step, the epoch lines with validation.
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: straight + "/config.json"))) as? [String: Any]
        let environment = config?["environment"] as? [String: Any]
        #expect(environment?["libtorch"] as? String == TorchRuntime.libtorchVersion)
        #expect((config?["data"] as? [String: Any])?["held_out"] as? [String] != nil)
        let lines = try String(contentsOfFile: straight + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        let records = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let steps = records.filter { $0["kind"] as? String == "step" }, epochs = records.filter { $0["kind"] as? String == "epoch" }
        #expect(steps.count == 6 && epochs.count == 2)
        for term in ["cls", "sf_shallow", "sf_deep", "sf_area_shallow", "sf_area_deep", "pnsc_positive", "pnsc_negative",
                     "loss", "lr", "images_per_s", "mf2_mean"] {
            #expect(steps.first?[term] != nil, "step lines lack \(term)")
        }
        #expect(epochs.last?["val_gt_known_loc"] != nil && epochs.last?["train_loss"] != nil)
        // Another run into the same folder is refused unless resumed or forced.
        let again2 = try train(straight, ["--epochs", "1"])
        #expect(again2.status == 2 && again2.output.contains("--resume"))
    }

    /// Options that would be recorded without acting are refused on one line, before any training.
    @Test(arguments: [
        ["--method", "cam", "--a1", "3"], ["--method", "cam", "--contrast", "bas", "--w-pnsc", "5"],
        ["--method", "classify", "--a1", "5"], ["--method", "classify", "--decay-epochs", "3"],
        ["--schedule", "cosine", "--decay-epochs", "3"], ["--preset", "paper", "--select", "best"],
        ["--preset", "paper", "--val-per-class", "2"], ["--mask-seed", "1"], ["--method", "cam", "--recipe", "revived"],
        ["--recipe", "revived", "--warmup-epochs", "0"],
    ])
    func inapplicableOptionsAreRefused(_ extra: [String]) throws {
        let out = try run("refused")
        let refused = try train(out, extra + ["--epochs", "1"])
        #expect(refused.status == 2, "\(extra): \(refused.output)")
        #expect(refused.output.split(separator: "\n").count == 1, "\(extra): \(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: out + "/config.json"))
    }

    /// `--recipe revived` fills the mask study's options that the command line leaves out (a typed one
    /// wins), records itself, and a resume that types another recipe is refused.
    @Test func theRevivedRecipeFillsWhatIsNotTyped() throws {
        let out = try run("recipe")
        let result = try train(out, ["--epochs", "1", "--recipe", "revived", "--a1", "0.5"])
        #expect(result.status == 0, "\(result.output)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json")))
        let options = try #require((config as? [String: Any])?["options"] as? [String: Any])
        #expect(options["recipe"] as? String == "revived" && options["warmup_epochs"] as? Int == 3)
        #expect(options["generator_lr_scale"] as? Double == 0.1)
        let method = try #require(options["method"] as? [String: Any])
        #expect(method["a1"] as? Double == 0.5 && method["shallow_ratio"] as? Double == 1)
        #expect(method["pnsc_space"] as? String == "probabilities" && method["map"] as? String == "fused")
        #expect(method["detach_generators"] as? Bool == true && method["detach_f3"] as? Bool == true)
        #expect(method["mask_seed"] as? Double == 1 && method["area_floor"] as? Double == 0.05)
        let resumed = try train(out, ["--epochs", "2", "--resume", "--recipe", "paper"])
        #expect(resumed.status == 2 && resumed.output.contains("--recipe paper differs"), "\(resumed.output)")
    }

    /// sfpnsc trains with the revived recipe unless told otherwise; bas and `--preset paper` keep the paper's.
    @Test(arguments: [(["--method", "sfpnsc"], "revived"), (["--method", "bas"], nil),
                      (["--method", "sfpnsc", "--preset", "paper", "--val-per-class", "0"], nil)] as [([String], String?)])
    func sfpnscDefaultsToTheRevivedRecipe(_ extra: [String], recorded: String?) throws {
        let out = try run("default-recipe")
        let result = try train(out, extra + ["--epochs", "1"], defaultRecipe: true)
        #expect(result.status == 0, "\(result.output)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json")))
        let options = try #require((config as? [String: Any])?["options"] as? [String: Any])
        let method = try #require(options["method"] as? [String: Any])
        #expect(options["recipe"] as? String == recorded, "\(extra)")
        #expect(options["warmup_epochs"] as? Int == (recorded == nil ? nil : 3), "\(extra)")
        #expect(method["map"] as? String == (recorded == nil ? "deep" : "fused"), "\(extra)")
        let refused = try train(try run("default-recipe-nowarm"), extra + ["--epochs", "1", "--warmup-epochs", "0"],
                                defaultRecipe: true)
        #expect(refused.status == (recorded == nil ? 0 : 2), "\(extra): \(refused.output)")
    }

    @Test func aKilledRunResumesFromItsLastCheckpoint() throws {
        let out = try run("killed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wsolBinary)
        process.arguments = ["train", "--format", "cub", "--root", try Self.data.get(), "--arch", "resnet18", "--method", "cam",
                             "--weights", "none", "--image-size", "64", "--head-width", "8", "--batch-size", "4",
                             "--val-per-class", "1", "--workers", "1", "--epochs", "30", "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first epoch's checkpoint (step 3), then kill mid-epoch.
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            if let log = try? String(contentsOfFile: out + "/log.jsonl", encoding: .utf8), log.contains("\"kind\":\"epoch\"") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let resumed = try runProcess(wsolBinary, process.arguments!.map { $0 == "30" ? "2" : $0 } + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("resuming"))
    }

    /// A checkpoint (weights, sidecar, optimizer state) changes as one unit. The states a kill can leave
    /// during a save are built here from real checkpoints of epochs 1 and 2: staged files without the
    /// completion mark (dropped: the old set stays) and a marked set half renamed into place (finished:
    /// the new set). Either way --resume works and ends at the straight run's weights.
    @Test func aCheckpointKilledMidSaveResumesWhole() throws {
        let straight = try run("whole-straight"), split = try run("whole-split")
        #expect(try train(straight, ["--epochs", "2"]).status == 0)
        #expect(try train(split, ["--epochs", "1"]).status == 0)
        let fm = FileManager.default, folder = split + "/checkpoints"
        let files = ["last.safetensors", "last.json", "last.optimizer.safetensors"]
        let old = try temporaryDirectory(prefix: "whole-old").path, new = try temporaryDirectory(prefix: "whole-new").path
        for file in files { try fm.copyItem(atPath: "\(folder)/\(file)", toPath: "\(old)/\(file)") }
        #expect(try train(split, ["--epochs", "2", "--resume"]).status == 0)
        for file in files { try fm.copyItem(atPath: "\(folder)/\(file)", toPath: "\(new)/\(file)") }
        func place(_ source: String, _ file: String, in target: String) throws {
            try? fm.removeItem(atPath: "\(target)/\(file)")
            try fm.copyItem(atPath: "\(source)/\(file)", toPath: "\(target)/\(file)")
        }
        let staging = folder + "/.staging-last"
        // Killed while writing: the old set in place, a torn new one staged, no mark.
        for file in files { try place(old, file, in: folder) }
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try place(new, "last.optimizer.safetensors", in: staging)
        try Data(try Data(contentsOf: URL(fileURLWithPath: new + "/last.safetensors")).prefix(1000))
            .write(to: URL(fileURLWithPath: staging + "/last.safetensors"))
        let rolledBack = try train(split, ["--epochs", "2", "--resume"])
        #expect(rolledBack.status == 0 && rolledBack.output.contains("at epoch 2"), "\(rolledBack.output)")
        #expect(!fm.fileExists(atPath: staging))
        #expect(maxDifference(try weights(straight), try weights(split)) < 1e-6)
        // Killed while renaming: the new weights already in place, sidecar and optimizer still staged.
        for file in files { try place(old, file, in: folder) }
        try place(new, "last.safetensors", in: folder)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        for file in files.dropFirst() { try place(new, file, in: staging) }
        try Data().write(to: URL(fileURLWithPath: staging + "/COMPLETE"))
        let rolledForward = try train(split, ["--epochs", "2", "--resume"])
        #expect(rolledForward.status == 0 && rolledForward.output.contains("at epoch 3"), "\(rolledForward.output)")
        #expect(!fm.fileExists(atPath: staging))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/last.json"))
                == Data(contentsOf: URL(fileURLWithPath: new + "/last.json")))
        #expect(maxDifference(try weights(straight), try weights(split)) == 0)
    }

    /// --resume knows the dataset by its image list below its own folder, not by the typed path: a
    /// copy elsewhere resumes; the copy with one training image renamed is refused (exit 2). Options
    /// typed with --resume must agree with the run's.
    @Test func resumeComparesTheDatasetNotThePath() throws {
        let out = try run("moved")
        #expect(try train(out, ["--method", "cam", "--epochs", "1"]).status == 0)
        let copy = try temporaryDirectory(prefix: "moved-data").appendingPathComponent("elsewhere").path
        try FileManager.default.copyItem(atPath: try Self.data.get(), toPath: copy)
        func resume(_ root: String) throws -> (status: Int32, output: String) {
            try runProcess(wsolBinary, ["train", "--format", "cub", "--root", root, "--epochs", "2", "--resume",
                                        "--out", out], environment: ["WSOL_THREADS": "2"])
        }
        // Options that disagree with the run are refused; the run's own values, typed again, are not.
        for (extra, named) in [(["--lr", "5"], "--lr 5"), (["--method", "sfpnsc"], "--method sfpnsc"),
                               (["--seed", "3"], "--seed 3"), (["--image-size", "96"], "--image-size 96")] {
            let conflicting = try runProcess(wsolBinary, ["train", "--format", "cub", "--root", copy, "--epochs", "2",
                                                          "--resume", "--out", out] + extra)
            #expect(conflicting.status == 2 && conflicting.output.contains(named), "\(conflicting.output)")
        }
        let resumed = try runProcess(wsolBinary, ["train", "--format", "cub", "--root", copy + "/.", "--epochs", "2",
                                                  "--resume", "--out", out, "--lr", "0.01", "--method", "cam",
                                                  "--seed", "0", "--image-size", "64"], environment: ["WSOL_THREADS": "2"])
        #expect(resumed.status == 0, "\(resumed.output)")
        // Rename the first training image (train_test_split.txt: "<id> 1") in images.txt and on disk.
        let split = try String(contentsOfFile: copy + "/train_test_split.txt", encoding: .utf8)
        let id = try #require(split.split(separator: "\n").first { $0.hasSuffix(" 1") }?.split(separator: " ").first)
        let imagesFile = copy + "/images.txt"
        var lines = try String(contentsOfFile: imagesFile, encoding: .utf8).split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("\(id) ") })
        let name = String(lines[index].dropFirst(id.count + 1)), renamed = name + ".renamed.png"
        try FileManager.default.moveItem(atPath: copy + "/images/" + name, toPath: copy + "/images/" + renamed)
        lines[index] = "\(id) \(renamed)"
        try (lines.joined(separator: "\n") + "\n").write(toFile: imagesFile, atomically: true, encoding: .utf8)
        let refused = try resume(copy)
        #expect(refused.status == 2 && refused.output.contains("differ"), "\(refused.output)")
    }

    /// docs/COMMANDS.md's exit codes for a damaged run folder (the user's files): every command that reads
    /// it exits 2 with one line naming the damaged file (train --resume exited 1 for three of these).
    @Test func aDamagedRunExitsTwoInEveryCommandNamingTheFile() throws {
        let out = try run("damaged")
        #expect(try train(out, ["--method", "bas", "--epochs", "1"]).status == 0)
        let root = try Self.data.get()
        let image = try #require(FileManager.default.enumerator(atPath: root + "/images")?.allObjects
            .compactMap { $0 as? String }.first { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") })
        let readers: [[String]] = [
            ["train", "--format", "cub", "--root", root, "--resume", "--epochs", "2", "--out"],
            ["eval", "--format", "cub", "--root", root, "--which", "last", "--run"],
            ["localize", root + "/images/" + image, "--which", "last", "--run"],
        ]
        let damages: [(file: String, damage: (String) throws -> Void, readers: Int)] = [
            ("checkpoints/last.json", { try Data("{\"broken".utf8).write(to: URL(fileURLWithPath: $0)) }, 3),
            ("checkpoints/last.safetensors", { try Data("short".utf8).write(to: URL(fileURLWithPath: $0)) }, 3),
            ("checkpoints/last.optimizer.safetensors", { try Data([1, 2]).write(to: URL(fileURLWithPath: $0)) }, 1),
            ("config.json", { try Data("garbage".utf8).write(to: URL(fileURLWithPath: $0)) }, 1),
        ]
        for (file, damage, count) in damages {
            let copy = try temporaryDirectory(prefix: "damaged-copy").appendingPathComponent("run").path
            try FileManager.default.copyItem(atPath: out, toPath: copy)
            try damage(copy + "/" + file)
            for reader in readers.prefix(count) {
                let r = try runProcess(wsolBinary, reader + [copy], environment: ["WSOL_THREADS": "1"])
                let lines = r.output.split(separator: "\n").filter { $0.hasPrefix("error: ") }
                #expect(r.status == 2 && lines.count == 1 && r.output.contains(file), "\(reader[0]) \(file): \(r.output)")
            }
        }
        // A sidecar whose training state is out of range names the sidecar, not a flag.
        let copy = try temporaryDirectory(prefix: "damaged-copy").appendingPathComponent("run").path
        try FileManager.default.copyItem(atPath: out, toPath: copy)
        let sidecar = copy + "/checkpoints/last.json"
        var object = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: sidecar))) as? [String: Any])
        var training = try #require(object["training"] as? [String: Any])
        training["step"] = -4
        object["training"] = training
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: sidecar))
        let r = try runProcess(wsolBinary, readers[0] + [copy], environment: ["WSOL_THREADS": "1"])
        #expect(r.status == 2 && r.output.contains("last.json") && r.output.contains("training.step"), "\(r.output)")
    }

    /// While a training writes a run, a second one on the same --out (new, forced or resumed) is
    /// refused naming the first's process; once it is gone, --force starts a clean run: the earlier
    /// log lines, events and `best` are gone, the user's own file stays.
    @Test func oneTrainingPerRunAndForceStartsClean() throws {
        let out = try run("lock")
        let process = try startLongTraining(out, output: FileHandle.nullDevice, untilStep: 1)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        for extra in [["--epochs", "1", "--force"], ["--epochs", "31", "--resume"]] {
            let second = try train(out, extra)
            #expect(second.status == 2, "\(second.output)")
            #expect(second.output.contains("process \(process.processIdentifier)"), "\(second.output)")
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/NOTES.md"))
        try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/checkpoints/best.safetensors"))
        let fresh = try train(out, ["--method", "cam", "--epochs", "1", "--force"])
        #expect(fresh.status == 0, "\(fresh.output)")
        let log = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8)
        #expect(log.components(separatedBy: "\"kind\":\"epoch\"").count == 2, "one epoch line: the new run's")
        #expect(try String(contentsOfFile: out + "/NOTES.md", encoding: .utf8) == "mine")
        #expect(try WeightsFile.load(out + "/checkpoints/best.safetensors").tensors.isEmpty == false)
    }

    /// 30 epochs of cam started in the background on `out` (its output to `output`), returned once its
    /// log.jsonl shows `step`.
    func startLongTraining(_ out: String, output: Any, untilStep step: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wsolBinary)
        process.arguments = ["train", "--format", "cub", "--root", try Self.data.get(), "--arch", "resnet18", "--method", "cam",
                             "--weights", "none", "--image-size", "64", "--head-width", "8", "--batch-size", "4",
                             "--val-per-class", "1", "--workers", "1", "--epochs", "30", "--log-every", "1", "--out", out]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            if let log = try? String(contentsOfFile: out + "/log.jsonl", encoding: .utf8), log.contains("\"step\":\(step)") {
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return process
    }

    @Test func sigintWritesACheckpointAndExits130() throws {
        let out = try run("sigint")
        let pipe = Pipe()
        let process = try startLongTraining(out, output: pipe, untilStep: 2)
        kill(process.processIdentifier, SIGINT)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(output)")
        #expect(output.contains("--resume"))
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/checkpoints/last.json"))) as? [String: Any]
        let step = (sidecar?["training"] as? [String: Any])?["step"] as? Double ?? 0
        #expect(step >= 2, "the checkpoint is the interrupted step's, not the start's")
        // Resumed to the end of epoch 1: each step logged once, and the epoch's means cover all its
        // steps, as in a run never interrupted.
        let resumed = try runProcess(wsolBinary, process.arguments!.map { $0 == "30" ? "1" : $0 } + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.output)")
        let straight = try run("sigint-straight")
        #expect(try runProcess(wsolBinary, process.arguments!.map { $0 == "30" ? "1" : ($0 == out ? straight : $0) }).status == 0)
        func records(_ run: String) throws -> [[String: Any]] {
            try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        let steps = try records(out).filter { $0["kind"] as? String == "step" }.compactMap { $0["step"] as? Int }
        #expect(steps == Array(Set(steps)).sorted() && !steps.isEmpty, "\(steps)")
        let epochLoss = { (run: String) in try records(run).first { $0["kind"] as? String == "epoch" }?["train_loss"] as? Double }
        let interrupted = try epochLoss(out), whole = try epochLoss(straight)
        #expect(interrupted != nil && whole != nil && abs(interrupted! - whole!) < 1e-6, "\(String(describing: interrupted)) vs \(String(describing: whole))")
    }

    /// A step far longer than a user waits (resnet18, batch 12 at 320 px on one thread: seconds): the first SIGTERM
    /// is answered at once, the second ends the process at once, exit 143, and the checkpoint written
    /// last (the start's) stays whole for --resume.
    @Test func aSecondSignalStopsASlowStepAtOnce() throws {
        let out = try run("slow-step")
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wsolBinary)
        process.arguments = ["train", "--format", "cub", "--root", try Self.data.get(), "--arch", "resnet18",
                             "--method", "cam", "--weights", "none", "--image-size", "320", "--batch-size", "12",
                             "--val-per-class", "1", "--workers", "0", "--epochs", "5", "--out", out]
        process.environment = ["WSOL_THREADS": "1"]
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline && !FileManager.default.fileExists(atPath: out + "/checkpoints/last.json") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGTERM)
        Thread.sleep(forTimeInterval: 0.5)
        let second = Date()
        kill(process.processIdentifier, SIGTERM)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let waited = Date().timeIntervalSince(second)
        #expect(process.terminationStatus == 143, "\(output)")
        #expect(output.contains("signal 15 received") && output.contains("second signal"), "\(output)")
        #expect(waited < 2, "exited \(waited) s after the second signal")
        #expect(try weights(out).count > 0, "the start's checkpoint stays whole")
    }

    @Test func aNonFiniteLossStopsNamingStepAndTerm() throws {
        let out = try run("nan")
        let result = try train(out, ["--epochs", "2", "--lr", "1e6"])
        #expect(result.status == 1, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("loss term") })
        #expect(line.contains("step ") && (line.contains("nan") || line.contains("inf")))
        // The last good checkpoint loads.
        let info = try #require(try Checkpoint.sidecar(for: out + "/checkpoints/last.safetensors")?.wsol)
        let model = try WSOLModel(info.spec, info.options)
        let report = try WeightSources.load(out + "/checkpoints/last.safetensors", into: model)
        #expect(report.report.isExact)
        for (name, t) in model.stateDict() where t.dtype == .float32 {
            #expect(try t.doubles().allSatisfy(\.isFinite), "\(name) is not finite")
        }
    }

    static let tensorboardPython = Reference.repoRoot.appendingPathComponent(".venv-tb/bin/python3").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: tensorboardPython),
                   "no .venv-tb with the tensorboard package: run `make tb-env` (make test does)"))
    func tensorboardReadsEveryScalarAndAnImage() throws {
        let interpreter = Self.tensorboardPython
        let out = try run("tb")
        #expect(try train(out, ["--epochs", "1"]).status == 0)
        let read = try Reference.run("read_tensorboard.py", arguments: [out + "/tensorboard"], interpreter: interpreter)
        let events = try JSONSerialization.jsonObject(with: Data(contentsOf: read.appendingPathComponent("events.json"))) as? [String: Any]
        let scalars = try #require(events?["scalars"] as? [String: [[String: Any]]])
        for tag in ["train/loss", "train/cls", "train/pnsc_negative", "train/lr", "maps/mf2_mean", "val/gt_known_loc",
                    "epoch/loss"] {
            #expect(scalars[tag]?.isEmpty == false, "no scalar \(tag) in \(scalars.keys.sorted())")
        }
        #expect(scalars["train/loss"]?.count == 3)
        let images = try #require(events?["images"] as? [String: [[String: Any]]])
        #expect(images.values.contains { !$0.isEmpty })
    }

    @Test func aClassifierPretrainedHereLoadsAsWeights() throws {
        let pretrain = try run("classify")
        let classify = try runProcess(wsolBinary, ["train", "--format", "cub", "--root", try Self.data.get(), "--arch", "resnet18",
                                                   "--method", "classify", "--weights", "none", "--image-size", "64",
                                                   "--batch-size", "4", "--epochs", "1", "--workers", "1", "--out", pretrain])
        #expect(classify.status == 0, "\(classify.output)")
        // wsol eval reports a classifier's accuracy on a split.
        let evaluated = try runProcess(wsolBinary, ["eval", "--run", pretrain, "--format", "cub", "--root", try Self.data.get(),
                                                    "--json"])
        #expect(evaluated.status == 0, "\(evaluated.output)")
        let line = evaluated.output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        let report = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect((report?["classification"] as? [String: Any])?["top1_cls"] is Double)
        #expect(report?["images"] as? Int == 6)
        let file = try WeightsFile.load(pretrain + "/checkpoints/best.safetensors")
        #expect(file.keys.contains("fc.weight") && file.keys.contains("layer4.1.bn2.running_var"))
        let finetune = try run("finetune")
        let result = try train(finetune, ["--epochs", "1", "--weights", pretrain + "/checkpoints/best.safetensors"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("as imagenet: skipped 2 keys (fc.weight, fc.bias)"))
    }

    func records(_ run: String) throws -> [[String: Any]] {
        try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// `--warmup-epochs`: epoch 1 trains L_cls alone, epoch 2 the method; a run stopped after its
    /// warm-up resumes as if it never stopped (with the generators' own learning-rate groups); the
    /// per-epoch diagnostics are logged.
    @Test func warmUpThenTheMethodResumableAfterTheWarmUp() throws {
        let straight = try run("warm-straight"), split = try run("warm-split")
        let options = ["--warmup-epochs", "1", "--w-fg-cls", "0.5", "--generator-lr-scale", "0.5"]
        #expect(try train(straight, ["--epochs", "2"] + options).status == 0)
        let first = try train(split, ["--epochs", "1"] + options)
        #expect(first.status == 0 && first.output.contains("all 1 epochs are warm-up"), "\(first.output)")
        #expect(FileManager.default.fileExists(atPath: split + "/checkpoints/best.safetensors"))
        let resumed = try train(split, ["--epochs", "2", "--resume"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(maxDifference(try weights(straight), try weights(split)) < 1e-6)
        let log = try records(straight)
        let steps = log.filter { $0["kind"] as? String == "step" }, epochs = log.filter { $0["kind"] as? String == "epoch" }
        #expect(steps.count == 6 && epochs.count == 2)
        for step in steps {
            let warm = step["epoch"] as? Int == 1
            #expect(step["cls"] != nil && (step["sf_deep"] == nil) == warm && (step["fg_cls"] == nil) == warm)
        }
        #expect(epochs[0]["warmup"] as? Bool == true && epochs[1]["warmup"] == nil)
        #expect(epochs[1]["best_epoch"] as? Int == 2, "a warm-up epoch is never the best")
        for key in ["train_mf2_p10", "train_mf2_p90", "train_mf2_above_half", "train_mf1_mean",
                    "fixed_grad_mf2_sf_area_deep", "fixed_grad_mf2_pnsc_negative", "fixed_grad_mf2_fg_cls"] {
            #expect(epochs.allSatisfy { $0[key] is Double }, "epoch lines lack \(key)")
        }
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: straight + "/config.json")))
        let recorded = (config as? [String: Any])?["options"] as? [String: Any]
        #expect(recorded?["warmup_epochs"] as? Int == 1 && recorded?["generator_lr_scale"] as? Double == 0.5)
        #expect((recorded?["method"] as? [String: Any])?["w_fg_cls"] as? Double == 0.5)
    }

    /// `--weights` takes a cam run's checkpoint for sfpnsc: the generators are new and reported.
    @Test func aCamRunWarmStartsSfpnsc() throws {
        let cam = try run("warm-cam"), tuned = try run("warm-sfpnsc")
        #expect(try train(cam, ["--epochs", "1", "--method", "cam"]).status == 0)
        let result = try train(tuned, ["--epochs", "1", "--weights", cam + "/checkpoints/last.safetensors"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("as checkpoint: skipped 0 keys, 4 new-layer tensors initialized (classifier_loc."),
                "\(result.output)")
    }
}
