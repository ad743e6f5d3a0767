import ArgumentParser
import Foundation
import Models
import Torch
import WSOL

extension BenchmarkCommand {
    /// One WSOL training step (forward with the background pass, the method's loss, backward, Nesterov
    /// SGD): per-step seconds, their median and the process's peak resident memory, for
    /// bench/method_step.sh to set beside the PyTorch reference (Tests/reference/wsol_reference.py).
    struct MethodStep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "method-step",
            abstract: "Seconds per WSOL training step and peak memory "
                + "(bench/method_step.sh compares with PyTorch)."
        )

        @Option(help: "Architecture.") var arch: Architecture = .resnet50
        @Option(help: "Method: cam, bas or sfpnsc.") var method: WSOL.Method = .sfpnsc
        @Option(help: "Images per batch.") var batchSize = 8
        @Option(help: "Input size.") var imageSize = 224
        @Option(help: "Class-head width.") var headWidth = 1024
        @Option(help: "Number of classes.") var classes = 200
        @Option(help: "Untimed warm-up steps.") var warmup = 2
        @Option(help: "Timed steps.") var steps = 5

        func validate() throws {
            guard (2...256).contains(batchSize), (1...1000).contains(steps), (0...100).contains(warmup),
                  (1...10_000).contains(classes) else {
                throw ValidationError("--batch-size 2-256, --steps 1-1000, --warmup 0-100, --classes 1-10000")
            }
        }

        func run() throws {
            TorchRuntime.manualSeed(0)
            let spec = ModelSpec(architecture: arch, numClasses: classes, headWidth: headWidth,
                                 imageSize: imageSize)
            let model = try WSOLModel(spec, MethodOptions(method: method, architecture: arch))
            model.train()
            let optimizer = try SGD(groups: [.init(params: model.parameters(), lr: 0.001, weightDecay: 5e-4)],
                                    momentum: 0.9, nesterov: true)
            let input = try Tensor.randn([batchSize, 3, imageSize, imageSize])
            let labels = try Tensor((0..<batchSize).map { $0 % classes }, shape: [batchSize])
            var times: [Double] = []
            for index in 0..<(warmup + steps) {
                let start = Date()
                try optimizer.zeroGrad()
                try model.trainingLoss(input, labels: labels).loss.total().backward()
                try optimizer.step()
                if index >= warmup { times.append(Date().timeIntervalSince(start)) }
            }
            let median = times.sorted()[times.count / 2]
            print("method-step \(arch.rawValue) \(method.rawValue) batch \(batchSize) size \(imageSize): "
                + "median \(String(format: "%.3f", median)) s/step, steps "
                + times.map { String(format: "%.3f", $0) }.joined(separator: " ")
                + ", peak memory \(PeakMemory.mebibytes()) MiB")
        }
    }
}

/// The process's peak resident set size.
enum PeakMemory {
    static func mebibytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024  // KiB on Linux
    }
}
