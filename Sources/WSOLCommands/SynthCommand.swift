import ArgumentParser
import Foundation
import Synthesis

/// `wsol synth`: the synthetic CUB-like dataset (docs/SYNTH.md).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Draw a synthetic dataset in the CUB-200-2011 layout where CAM "
            + "fails as on birds (docs/SYNTH.md)."
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
        let config = SynthGenerator.Config(classes: classes, trainPerClass: trainPerClass,
                                           testPerClass: testPerClass, size: size, seed: seed)
        try SynthGenerator.validate(config)
        try Self.requireDiskSpace(images: classes * (trainPerClass + testPerClass), size: size, out: out)
        try SynthGenerator.generate(config, out: out, force: force, owner: "wsol synth")
        print("wrote \(classes * (trainPerClass + testPerClass)) images (\(classes) classes) to \(out)")
    }

    /// Refuses (exit 2) a request larger than the free space where `out` goes, before writing anything:
    /// about 0.5 byte per pixel (a JPEG and a PNG mask measured 0.38) and 4 KB of metadata per image.
    static func requireDiskSpace(images: Int, size: Int, out: String) throws {
        let needed = Double(images) * (0.5 * Double(size) * Double(size) * 0.75 + 4096)
        var folder = URL(fileURLWithPath: out).standardizedFileURL.path
        while !FileManager.default.fileExists(atPath: folder) && folder != "/" {
            folder = (folder as NSString).deletingLastPathComponent
        }
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return }
        let free = Double(info.f_bavail) * Double(info.f_frsize)
        guard needed > free else { return }
        func gb(_ bytes: Double) -> String { String(format: "%.1f GB", bytes / 1e9) }
        throw CommandFailure("\(out): \(images) images of \(size) pixels need about \(gb(needed)) of disk, "
                             + "\(gb(free)) is free there", exitCode: 2)
    }
}
