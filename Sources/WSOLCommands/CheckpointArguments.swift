import ArgumentParser
import Foundation
import Inference

/// `--checkpoint FILE | --run DIR [--which best|last]`: which trained model a command uses.
struct CheckpointArguments: ParsableArguments {
    enum Which: String, ExpressibleByArgument, CaseIterable { case best, last }

    @Option(help: "A checkpoint: ours (.safetensors with its .json sidecar) or BAS-Ext's .pth.tar (give --arch and --method).")
    var checkpoint: String?

    @Option(help: "A run folder of wsol train: its checkpoints/<which>.safetensors.")
    var run: String?

    @Option(help: "With --run: best (default) or last.")
    var which: Which = .best

    func validate() throws {
        guard (checkpoint == nil) != (run == nil) else { throw ValidationError("give one of --checkpoint FILE or --run DIR") }
    }

    func path() throws -> String {
        if let checkpoint {
            guard FileManager.default.fileExists(atPath: checkpoint) else {
                throw CommandFailure("\(checkpoint): no such file", exitCode: 2)
            }
            return checkpoint
        }
        return try LoadedModel.checkpointPath(run: run!, which: which.rawValue)
    }
}
