import Foundation
import TestSupport
import Testing
import Torch
import WeightsIO

/// `wsol train` on several processes over the loopback interface with Gloo (docs/DISTRIBUTED.md):
/// 2 processes x batch 4 end with the weights of 1 process x batch 8, through `--nproc-per-node` and
/// through Debian's torchrun; a killed worker ends the others with one line; resume with another
/// world size. Tiny: 24 images of 32 pixels, 3 steps per epoch, 1 libtorch thread per process.
@Suite("wsol train on several processes", .serialized)
struct DistributedTrainTests {
    init() { configureTestRuntime }

    static let data: Result<String, Error> = Result {
        let cub = try temporaryDirectory(prefix: "dist").appendingPathComponent("CUB_200_2011").path
        let made = try runProcess(wsolBinary, ["synth", "--out", cub, "--classes", "3", "--train-per-class", "8",
                                               "--test-per-class", "1", "--size", "64", "--seed", "9"])
        guard made.status == 0 else { throw TorchError("synth failed: \(made.output)") }
        return cub
    }

    static let environment = ["WSOL_THREADS": "1", "PATH": "/usr/bin:/bin"]

    func arguments(_ arch: String, _ method: String, out: String, batch: Int, extra: [String] = []) throws -> [String] {
        ["train", "--format", "cub", "--root", try Self.data.get(), "--arch", arch, "--method", method,
         "--weights", "none", "--image-size", "32", "--head-width", "8", "--val-per-class", "0", "--workers", "1",
         "--epochs", "1", "--log-every", "1", "--seed", "3", "--threads", "1", "--batch-size", String(batch),
         "--recipe", "paper", "--out", out] + extra
    }

    func folder(_ name: String) throws -> String { try temporaryDirectory(prefix: "dist-\(name)").path + "/run" }

    func weights(_ run: String) throws -> [String: [Double]] {
        let file = try WeightsFile.load(run + "/checkpoints/last.safetensors")
        return Dictionary(uniqueKeysWithValues: try file.tensors.map { ($0.key, try $0.tensor.doubles()) })
    }

    func maxDifference(_ a: [String: [Double]], _ b: [String: [Double]]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var worst = 0.0
        for (key, x) in a {
            guard let y = b[key], y.count == x.count else { return .infinity }
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v)) }
        }
        return worst
    }

    /// torchrun's default port 29500 would clash between runs.
    func freePort() throws -> Int { try freeLoopbackPort() }

    /// Starts `wsol` with `arguments` in the background, its output in the returned pipe.
    func start(_ arguments: [String], environment: [String: String] = environment) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wsolBinary)
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return (process, pipe)
    }

    /// Waits (at most 2 minutes) until the run's log.jsonl holds step `step`.
    func waitForStep(_ step: Int, in run: String) {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline,
              !((try? String(contentsOfFile: run + "/log.jsonl", encoding: .utf8))?.contains("\"step\":\(step)") ?? false) {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// 1 x 8, then 2 x 4 with --nproc-per-node and under torchrun: the same weights after 3 steps.
    /// Returns the 1 x 8 weights.
    @discardableResult
    func compare(_ arch: String, _ method: String, _ extra: [String]) throws -> [String: [Double]] {
        let single = try folder("\(arch)-1x8"), launched = try folder("\(arch)-2x4"), torchrun = try folder("\(arch)-torchrun")
        let one = try runProcess(wsolBinary, try arguments(arch, method, out: single, batch: 8), environment: Self.environment)
        #expect(one.status == 0, "\(one.output)")
        let two = try runProcess(wsolBinary, try arguments(arch, method, out: launched, batch: 4,
                                                           extra: extra + ["--nproc-per-node", "2"]),
                                 environment: Self.environment)
        #expect(two.status == 0, "\(two.output)")
        #expect(two.output.contains("2 processes x batch 4"))
        // Debian's torchrun (1.13 under Python 3.11) fails to parse its default --redirects/--tee 0;
        // 1 (standard output, teed) parses.
        let logs = try temporaryDirectory(prefix: "torchrun-logs").path
        let elastic = try runProcess("/usr/bin/torchrun", ["--redirects", "1", "--tee", "1", "--log_dir", logs,
                                                            "--nproc_per_node", "2", "--master_port", String(try freePort()),
                                                            "--no_python", wsolBinary]
                                         + (try arguments(arch, method, out: torchrun, batch: 4, extra: extra)),
                                     environment: Self.environment)
        #expect(elastic.status == 0, "\(elastic.output)")
        let reference = try weights(single)
        let viaLauncher = maxDifference(reference, try weights(launched))
        let viaTorchrun = maxDifference(reference, try weights(torchrun))
        #expect(viaLauncher < 1e-5, "--nproc-per-node 2: max |difference| \(viaLauncher)")
        #expect(viaTorchrun < 1e-5, "torchrun: max |difference| \(viaTorchrun)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: launched + "/config.json")))
        let distributed = (config as? [String: Any])?["distributed"] as? [String: Any]
        #expect(distributed?["world_size"] as? Int == 2 && distributed?["batch_size_per_process"] as? Int == 4)
        #expect(distributed?["backend"] as? String == "gloo")
        return reference
    }

    @Test func vgg16TwoByFourEqualsOneByEight() throws {
        try compare("vgg16", "cam", [])
    }

    /// BatchNorm synchronized, the background pass of sfpnsc included; without --sync-bn the weights
    /// differ by far more than the tolerance (this is what the comparison can catch).
    @Test func resnet18SyncBNTwoByFourEqualsOneByEight() throws {
        let single = try compare("resnet18", "sfpnsc", ["--sync-bn"])
        let unsynced = try folder("r18-unsynced")
        let run = try runProcess(wsolBinary, try arguments("resnet18", "sfpnsc", out: unsynced, batch: 4,
                                                           extra: ["--nproc-per-node", "2"]), environment: Self.environment)
        #expect(run.status == 0, "\(run.output)")
        #expect(maxDifference(single, try weights(unsynced)) > 1e-3)
    }

    /// Workers started as torchrun would (the environment only); the survivor of a SIGKILL exits 1
    /// within 60 s with one line naming its rank and the failed collective.
    @Test func killingOneWorkerEndsTheOther() throws {
        let out = try folder("kill")
        let port = try freePort()
        var workers: [(Process, Pipe)] = []
        for rank in 0..<2 {
            var arguments = try self.arguments("vgg16", "cam", out: out, batch: 4)
            arguments[arguments.firstIndex(of: "--epochs")! + 1] = "500"
            workers.append(try start(arguments, environment: Self.environment.merging(
                ["RANK": String(rank), "WORLD_SIZE": "2", "LOCAL_RANK": String(rank), "MASTER_ADDR": "127.0.0.1",
                 "MASTER_PORT": String(port)]) { $1 }))
        }
        waitForStep(2, in: out)
        kill(workers[1].0.processIdentifier, SIGKILL)
        let killed = Date()
        let output = String(decoding: workers[0].1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        workers[0].0.waitUntilExit()
        workers[1].0.waitUntilExit()
        #expect(Date().timeIntervalSince(killed) < 60)
        #expect(workers[0].0.terminationStatus == 1, "\(output)")
        let line = output.split(separator: "\n").last { $0.hasPrefix("error:") } ?? ""
        #expect(line.contains("rank 0 of 2") && line.contains("failed"), "\(output)")
    }

    /// The workers of --nproc-per-node: killing one makes the launcher stop the other and exit 1 with
    /// one line naming the rank and the signal.
    @Test func theLauncherNamesAKilledWorker() throws {
        let out = try folder("launcher-kill")
        var arguments = try self.arguments("vgg16", "cam", out: out, batch: 4, extra: ["--nproc-per-node", "2"])
        arguments[arguments.firstIndex(of: "--epochs")! + 1] = "500"
        let (launcher, pipe) = try start(arguments)
        waitForStep(2, in: out)
        // Rank 1 is the child whose environment says RANK=1.
        let children = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).filter { pid in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            return fields.count > 2 && Int32(fields[1]) == launcher.processIdentifier
        }
        let rank1 = children.first { pid in
            let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
            return environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "RANK=1" }
        }
        let victim = try #require(rank1, "no worker with RANK=1 among \(children)")
        kill(victim, SIGKILL)
        let killed = Date()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        launcher.waitUntilExit()
        #expect(Date().timeIntervalSince(killed) < 60)
        #expect(launcher.terminationStatus == 1, "\(output)")
        let line = output.split(separator: "\n").last { $0.hasPrefix("error:") } ?? ""
        #expect(line.contains("rank 1 (pid \(victim)) was killed by signal 9 (SIGKILL)"), "\(output)")
    }

    /// An epoch on 2 processes, one resumed on 1, one more resumed on 2 again (rank 0 restores and
    /// broadcasts weights, momentum and position), with sharded validation on the 3 held-out images:
    /// the same weights and validation as 3 epochs on 1 process.
    @Test func resumesWithAnotherWorldSize() throws {
        let straight = try folder("straight"), split = try folder("split")
        func run(_ out: String, batch: Int, epochs: Int, _ extra: [String]) throws -> (status: Int32, output: String) {
            var arguments = try self.arguments("resnet18", "cam", out: out, batch: batch, extra: extra)
            arguments[arguments.firstIndex(of: "--epochs")! + 1] = String(epochs)
            arguments[arguments.firstIndex(of: "--val-per-class")! + 1] = "1"
            if batch == 0 { arguments.removeSubrange(arguments.firstIndex(of: "--batch-size")!...arguments.firstIndex(of: "--batch-size")! + 1) }
            return try runProcess(wsolBinary, arguments, environment: Self.environment)
        }
        let whole = try run(straight, batch: 8, epochs: 3, [])
        #expect(whole.status == 0, "\(whole.output)")
        let first = try run(split, batch: 4, epochs: 1, ["--nproc-per-node", "2", "--sync-bn"])
        #expect(first.status == 0, "\(first.output)")
        // No --batch-size: the run's global batch (8) is kept, now as 1 x 8.
        let second = try run(split, batch: 0, epochs: 2, ["--resume"])
        #expect(second.status == 0 && second.output.contains("resuming"), "\(second.output)")
        #expect(second.output.contains("keep the run's global batch 8"), "\(second.output)")
        // Without --sync-bn: the run keeps the sync-BN it started with (config.json).
        let third = try run(split, batch: 0, epochs: 3, ["--resume", "--nproc-per-node", "2"])
        #expect(third.status == 0 && third.output.contains("2 processes x batch 4"), "\(third.output)")
        let difference = maxDifference(try weights(straight), try weights(split))
        #expect(difference < 1e-5, "max |difference| \(difference)")
        func epochs(_ run: String) throws -> [[String: Any]] {
            try String(contentsOfFile: run + "/log.jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { $0["kind"] as? String == "epoch" }
        }
        let a = try epochs(straight), b = try epochs(split)
        #expect(a.count == 3 && b.count == 3)
        for key in ["val_top1_cls", "val_gt_known_loc"] {
            let x = a.first?[key] as? Double, y = b.first?[key] as? Double
            #expect(x != nil && y != nil && abs(x! - y!) < 1e-9, "\(key): \(String(describing: x)) vs \(String(describing: y))")
        }
    }

    /// SIGTERM to the launcher mid-epoch: every worker stops before the same step and rank 0 writes the
    /// checkpoint (exit 143); resumed on 1 process, the run ends as one that never stopped.
    @Test func aStoppedRunResumesMidEpochOnOneProcess() throws {
        let straight = try folder("stop-straight"), stopped = try folder("stopped")
        var arguments = try self.arguments("resnet18", "cam", out: straight, batch: 8)
        arguments[arguments.firstIndex(of: "--epochs")! + 1] = "2"
        let whole = try runProcess(wsolBinary, arguments, environment: Self.environment)
        #expect(whole.status == 0, "\(whole.output)")
        arguments[arguments.firstIndex(of: "--out")! + 1] = stopped
        let batchIndex = arguments.firstIndex(of: "--batch-size")!
        var twoByFour = arguments
        twoByFour[batchIndex + 1] = "4"
        let (launcher, pipe) = try start(twoByFour + ["--nproc-per-node", "2", "--sync-bn"])
        waitForStep(1, in: stopped)
        kill(launcher.processIdentifier, SIGTERM)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        launcher.waitUntilExit()
        #expect(launcher.terminationStatus == 143, "\(output)")
        var resume = arguments
        resume.removeSubrange(batchIndex...(batchIndex + 1))  // the run's global batch 8, now as 1 x 8
        let resumed = try runProcess(wsolBinary, resume + ["--resume"],
                                     environment: Self.environment)
        #expect(resumed.status == 0 && resumed.output.contains("resuming"), "\(resumed.output)")
        let difference = maxDifference(try weights(straight), try weights(stopped))
        #expect(difference < 1e-5, "max |difference| \(difference)")
    }

    @Test func badEnvironmentAndMissingNCCLAreUsageErrors() throws {
        let out = try folder("env")
        let partial = try runProcess(wsolBinary, try arguments("vgg16", "cam", out: out, batch: 4),
                                     environment: Self.environment.merging(["WORLD_SIZE": "2"]) { $1 })
        #expect(partial.status == 2 && partial.output.contains("RANK"), "\(partial.output)")
        let nccl = try runProcess(wsolBinary, try arguments("vgg16", "cam", out: out, batch: 4,
                                                            extra: ["--dist-backend", "nccl"]),
                                  environment: Self.environment.merging(["WORLD_SIZE": "2", "RANK": "0", "MASTER_ADDR": "127.0.0.1",
                                                                         "MASTER_PORT": String(try freePort())]) { $1 })
        #expect(nccl.status == 2 && nccl.output.contains("NCCL"), "\(nccl.output)")
        let many = try runProcess(wsolBinary, try arguments("vgg16", "cam", out: out, batch: 4, extra: ["--nproc-per-node", "65"]),
                                  environment: Self.environment)
        #expect(many.status == 2, "\(many.output)")
        let nested = try runProcess(wsolBinary, try arguments("vgg16", "cam", out: out, batch: 4,
                                                              extra: ["--nproc-per-node", "2"]),
                                    environment: Self.environment.merging(["WORLD_SIZE": "2"]) { $1 })
        #expect(nested.status == 2 && nested.output.contains("torchrun"), "\(nested.output)")
    }
}
