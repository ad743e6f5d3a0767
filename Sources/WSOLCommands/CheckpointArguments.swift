import ArgumentParser
import Foundation
import Inference
import Models
import RunStore
import WSOL

/// `--checkpoint FILE | --run DIR [--which best|last]`: which trained model a command uses, and
/// `--arch`/`--method` for a file that does not say (BAS-Ext's).
struct CheckpointArguments: ParsableArguments {
    enum Which: String, ExpressibleByArgument, CaseIterable { case best, last }

    @Option(help: """
        A checkpoint: ours (.safetensors with its .json sidecar) or BAS-Ext's \
        .pth.tar (give --arch and --method).
        """)
    var checkpoint: String?

    @Option(help: "A run folder of wsol train: its checkpoints/<which>.safetensors.")
    var run: String?

    @Option(help: "With --run: best (default) or last.")
    var which: Which = .best

    @Option(help: "Architecture, for checkpoints that do not say (BAS-Ext's).")
    var arch: Architecture?

    @Option(help: "Method, for checkpoints that do not say (bas for BAS-Ext's).")
    var method: WSOL.Method?

    /// What the command line says about the model beyond its file: --arch, --method, and the command's
    /// own --image-size and --map where it has them.
    func overrides(imageSize: Int? = nil, map: MapSource? = nil) -> LoadedModel.Overrides {
        var overrides = LoadedModel.Overrides(architecture: arch, method: method, imageSize: imageSize)
        if let map { overrides.adjustOptions = { $0.map = map } }
        return overrides
    }

    func validate() throws {
        guard (checkpoint == nil) != (run == nil) else {
            throw ValidationError("give one of --checkpoint FILE or --run DIR")
        }
    }

    func path() throws -> String {
        if let checkpoint {
            guard FileManager.default.fileExists(atPath: checkpoint) else {
                throw CommandFailure("\(checkpoint): no such file", exitCode: 2)
            }
            return checkpoint
        }
        return try RunFolder.checkpointPath(run: run!, which: which.rawValue)
    }
}
