import ArgumentParser
import WeightsIO

/// `wsol weights`: inspect, convert and verify weight files (safetensors, PyTorch zip and legacy).
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Inspect, convert and verify weight files (safetensors, PyTorch .pth of every vintage).",
        subcommands: [WeightsInspectCommand.self, WeightsConvertCommand.self, WeightsVerifyCommand.self]
    )
}

/// Loads a weights file; a bad file is bad input (exit 2) with its one-line reason.
func loadWeights(_ path: String) throws -> StateDict {
    do {
        return try WeightsFile.load(path)
    } catch let error as WeightsError {
        throw CommandFailure(error.message, exitCode: 2)
    }
}
