import ArgumentParser
import Datasets

/// `wsol synth`: the synthetic CUB-like dataset (docs/SYNTH.md).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Draw a synthetic dataset in the CUB-200-2011 layout where CAM fails as on birds (docs/SYNTH.md)."
    )

    @Option(help: "The dataset folder to create (read it with --format cub --root DIR).")
    var out: String

    @Option(help: "Number of classes (1...\(SynthGenerator.maxClasses)).")
    var classes = 10

    @Option(name: .customLong("train-per-class"), help: "Training images per class.")
    var trainPerClass = 30

    @Option(name: .customLong("test-per-class"), help: "Test images per class.")
    var testPerClass = 10

    @Option(help: "Image width in pixels (height is round(0.75 * size)).")
    var size = 256

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    func run() throws {
        let config = SynthGenerator.Config(classes: classes, trainPerClass: trainPerClass, testPerClass: testPerClass,
                                           size: size, seed: seed)
        try SynthGenerator.generate(config, out: out)
        print("wrote \(classes * (trainPerClass + testPerClass)) images (\(classes) classes) to \(out)")
    }
}
