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

    @Option(parsing: .unconditional, help: "Number of classes (1...\(SynthGenerator.maxClasses)).")
    var classes = 10

    @Option(name: .customLong("train-per-class"), parsing: .unconditional,
            help: "Training images per class (\(SynthGenerator.perClass)).")
    var trainPerClass = 30

    @Option(name: .customLong("test-per-class"), parsing: .unconditional,
            help: "Test images per class (\(SynthGenerator.perClass)).")
    var testPerClass = 10

    @Option(parsing: .unconditional,
            help: "Image width in pixels, \(SynthGenerator.sizes) (height is round(0.75 * size)).")
    var size = 256

    @Option(parsing: .unconditional, help: "Random seed.")
    var seed: UInt64 = 0

    @Flag(help: "Write into --out even when it holds files wsol did not write (same names are replaced).")
    var force = false

    func run() throws {
        let config = SynthGenerator.Config(classes: classes, trainPerClass: trainPerClass, testPerClass: testPerClass,
                                           size: size, seed: seed)
        try SynthGenerator.generate(config, out: out, force: force, owner: "wsol synth")
        print("wrote \(classes * (trainPerClass + testPerClass)) images (\(classes) classes) to \(out)")
    }
}
