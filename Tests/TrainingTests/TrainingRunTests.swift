import Datasets
import Foundation
import Models
import RunStore
import Synthesis
import Testing
import TestSupport
import Torch
import Training
import WSOL

/// A run started and resumed in-process through `TrainingRun`, as `wsol train` does it: the options
/// round-trip through config.json, a resume continues where the run stopped, and a resume on other
/// training images is refused before anything is built.
@Suite(.serialized) struct TrainingRunTests {
    init() { configureTestRuntime }

    static func options() -> TrainOptions {
        var o = TrainOptions(task: .bas, architecture: .resnet18, epochs: 1, batchSize: 2, lr: 0.001,
                             schedule: .step, decayEpochs: [], imageSize: 64, workers: 1, threads: 1, device: "cpu",
                             seed: 3, valPerClass: 0, select: .last, logEvery: 1, dataset: .cubLike)
        o.spec = ModelSpec(architecture: .resnet18, numClasses: 2, headWidth: 8, imageSize: 64)
        var method = MethodOptions(method: .bas, architecture: .resnet18)
        method.areaFloor = 0.05
        o.method = method
        o.warmupEpochs = 1
        return o
    }

    static func dataset(_ dir: URL, perClass: Int) throws -> Dataset {
        let root = dir.appendingPathComponent("cub-\(perClass)").path
        try SynthGenerator.generate(.init(classes: 2, trainPerClass: perClass, testPerClass: 1, size: 64, seed: 5),
                                    out: root)
        return try CUBReader.read(root: root).requireSplit("train")
    }

    @Test func startsThenResumesWithTheRunsOwnOptions() throws {
        let dir = try temporaryDirectory(prefix: "wsol-training-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.dataset(dir, perClass: 2)
        let out = dir.appendingPathComponent("run").path
        // The run folder's lock is held while its trainer lives.
        let stopped = try {
            let started = try TrainingRun.start(Self.options(), data: data, out: out, force: false,
                                                distributed: nil, syncBN: false)
            return try started.trainer.fit(from: started.start, progress: false)
        }()
        #expect(stopped.epoch == 1 && stopped.step == 2)

        var recordedMethod: MethodOptions?
        try {
            let resumed = try TrainingRun.resume(out, data: data, distributed: nil, syncBN: false) { options, config in
                recordedMethod = options.method
                #expect(config.data?.trainImages == 4)
                options.epochs = 2
            }
            #expect(resumed.options.warmup == 1 && resumed.options.epochs == 2)
            #expect(resumed.start.epoch == 1 && resumed.start.step == stopped.step)
            let finished = try resumed.trainer.fit(from: resumed.start, progress: false)
            #expect(finished.epoch == 2 && finished.step == 4)
        }()
        #expect(recordedMethod == Self.options().method, "config.json's method options did not round-trip")

        let other = try Self.dataset(dir, perClass: 3)
        #expect {
            _ = try TrainingRun.resume(out, data: other, distributed: nil, syncBN: false) { _, _ in }
        } throws: { error in
            (error as? TrainingError).map { $0.exitCode == 2 && $0.message.contains("training images differ") } ?? false
        }
    }
}
