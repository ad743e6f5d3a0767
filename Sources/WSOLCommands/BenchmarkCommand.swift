import ArgumentParser
import Foundation
import Models
import NN
import Torch
import WeightsIO

/// `wsol benchmark`: timings of our hot paths, for bench/*.sh to set beside PyTorch's.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Time training steps and per-operation overhead "
            + "(bench/train_step.sh compares them with PyTorch).",
        subcommands: [TrainStep.self, OpOverhead.self, WeightsLoad.self, MethodStep.self, Panels.self,
                      ExportMaps.self]
    )

    struct TrainStep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-step",
            abstract: "Seconds per SGD training step (forward, cross-entropy, backward, "
                + "Nesterov SGD) of a torchvision model."
        )

        @Option(help: "Architecture: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
        var arch: Architecture = .resnet50

        @Option(parsing: .unconditional, help: "Images per batch (at least 2).")
        var batchSize = 8

        @Option(parsing: .unconditional,
                help: "Input size, \(Bounds.imageSize) (default 224, 299 for inception_v3).")
        var imageSize: Int?

        @Option(parsing: .unconditional, help: "Timed steps, after one warm-up step (\(Bounds.steps)).")
        var steps = 3

        /// Called by run(): swift-argument-parser would wrap a failure from validate() in its own.
        func checkBounds() throws {
            try Bounds.check(batchSize, 2...Bounds.batchSize.upperBound, "--batch-size")
            try Bounds.check(steps, Bounds.steps, "--steps")
            if let imageSize { try Bounds.check(imageSize, Bounds.imageSize, "--image-size") }
        }

        func run() throws {
            try checkBounds()
            TorchRuntime.manualSeed(0)
            let model = try arch.build()
            model.train()
            let optimizer = try SGD(groups: [.init(params: model.parameters(), lr: 0.001, weightDecay: 5e-4)],
                                    momentum: 0.9, nesterov: true)
            let size = imageSize ?? arch.cropSize
            let input = try Tensor.randn([batchSize, 3, size, size])
            let target = try Tensor((0..<batchSize).map { $0 % 1000 }, shape: [batchSize])
            func step() throws {
                try optimizer.zeroGrad()
                try crossEntropy(model(input), target).backward()
                try optimizer.step()
            }
            try step()
            let start = Date()
            for _ in 0..<steps { try step() }
            let seconds = Date().timeIntervalSince(start) / Double(steps)
            print("train-step \(arch.rawValue) batch \(batchSize) size \(size): "
                + "\(String(format: "%.3f", seconds)) s/step")
        }
    }

    struct OpOverhead: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "op-overhead",
            abstract: "Microseconds per small tensor operation (2x2 add and multiply): "
                + "the cost of crossing the bridge."
        )

        @Option(parsing: .unconditional, help: "Operations to time (\(Bounds.operations)).")
        var count = 100_000

        func run() throws {
            try Bounds.check(count, Bounds.operations, "--count")
            let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
            var x = a
            let start = Date()
            for i in 0..<(count / 2) {
                x = try x * a + (i % 2 == 0 ? 1 : -1)
                if i % 1000 == 0 { x = a }
            }
            let micros = Date().timeIntervalSince(start) / Double(count) * 1e6
            print("op-overhead: \(String(format: "%.2f", micros)) us/op")
        }
    }

    struct WeightsLoad: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "weights-load",
            abstract: "Best time of several in-process loads of a weights file (every tensor materialized)."
        )

        @Argument(help: "Weights file (.pth or .safetensors).")
        var file: String

        @Option(parsing: .unconditional, help: "Loads to time; the best is printed (\(Bounds.repeats)).")
        var repeats = 5

        func run() throws {
            try Bounds.check(repeats, Bounds.repeats, "--repeats")
            var best = Double.infinity
            var tensors = 0
            for _ in 0..<max(1, repeats) {
                let start = Date()
                tensors = try WeightsFile.load(file).count
                best = min(best, Date().timeIntervalSince(start))
            }
            print("weights-load \(tensors) tensors: \(String(format: "%.4f", best)) s")
        }
    }
}
