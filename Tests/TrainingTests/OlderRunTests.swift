import Datasets
import Foundation
import Inference
import RunStore
import TestSupport
import Testing
import Training
import WSOL

/// A run folder written by version 0.3.0, before config.json and the checkpoint sidecars had their
/// Codable types (Tests/Fixtures/run-0.3.0), still resumes and evaluates; and what this version writes
/// has the same fields, so scripts reading either see one shape.
@Suite(.serialized) struct OlderRunTests {
    init() { configureTestRuntime }

    /// The fixture's run in `out`: the weights and optimizer state trained here with the fixture's
    /// options (training is deterministic), its JSON files the fixture's own bytes but for the data
    /// fingerprint, which hashes this test's temporary image paths.
    @Test func aRunWrittenBeforeTheTypedFilesResumesAndEvaluates() throws {
        let dir = try temporaryDirectory(prefix: "wsol-older-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try TrainingRunTests.dataset(dir, perClass: 2)
        let out = dir.appendingPathComponent("run").path
        try {
            let started = try TrainingRun.start(TrainingRunTests.options(), data: data, out: out, force: false,
                                                distributed: nil, syncBN: false)
            try started.trainer.fit(from: started.start, progress: false)
        }()
        for file in ["config.json", "checkpoints/last.json"] {
            let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + file)))
            let old = try JSONSerialization.jsonObject(with: RunFixture.data(file))
            #expect(RunFixture.keyPaths(written) == RunFixture.keyPaths(old), "\(file): fields differ from 0.3.0's")
        }
        let fingerprint = try RunFolder(unwritten: out).readConfig().data?.trainFingerprint
        try RunFixture.patched("config.json") { object in
            var record = object["data"] as? [String: Any] ?? [:]
            record["train_fingerprint"] = fingerprint
            object["data"] = record
        }.write(to: URL(fileURLWithPath: out + "/config.json"))
        try RunFixture.data("checkpoints/last.json").write(to: URL(fileURLWithPath: out + "/checkpoints/last.json"))

        let last = try RunFolder.checkpointPath(run: out, which: "last")
        let sidecar = try #require(try Checkpoint.sidecar(for: last))
        #expect(sidecar.wsol?.spec == TrainingRunTests.options().spec && sidecar.classNames?.count == 2)
        let loaded = try LoadedModel(path: last)
        #expect(loaded.load.kind == .checkpoint && loaded.load.report.isExact)
        #expect(loaded.model.options == TrainingRunTests.options().method)

        try {
            let resumed = try TrainingRun.resume(out, data: data, distributed: nil, syncBN: false) { options, _ in
                options.epochs = 2
            }
            #expect(resumed.options.spec == TrainingRunTests.options().spec && resumed.start.step == 2)
            let finished = try resumed.trainer.fit(from: resumed.start, progress: false)
            #expect(finished.epoch == 2 && finished.step == 4)
        }()
    }

    /// A classify run's sidecar and config of 0.3.0 read as a classifier's.
    @Test func aClassifierRunOfBeforeReads() throws {
        let dir = try temporaryDirectory(prefix: "wsol-older-classifier")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("checkpoints"),
                                                withIntermediateDirectories: true)
        try RunFixture.data("classify/config.json").write(to: dir.appendingPathComponent("config.json"))
        try RunFixture.data("classify/checkpoints/last.json")
            .write(to: dir.appendingPathComponent("checkpoints/last.json"))
        let weights = dir.appendingPathComponent("checkpoints/last.safetensors").path
        let sidecar = try #require(try Checkpoint.sidecar(for: weights))
        #expect(sidecar.model == .classifier(architecture: .resnet18, numClasses: 2, imageSize: 64))
        #expect(sidecar.format == "wsol-classifier" && sidecar.training?["step"] == .number(2))
        let config = try #require(RunFolder.config(ofRunHolding: weights))
        #expect(config.options.task == .classify && config.options.spec == nil)
        #expect(config.distributed?.globalBatchSize == 2 && config.data?.classes == 2)
    }
}
