import ArgumentParser
import WeightsIO

/// `wsol weights`: inspect, convert and verify weight files (safetensors, PyTorch zip and legacy). A bad
/// file throws a WeightsError, which Entry reports as bad input (exit 2, one line).
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Inspect, convert and verify weight files (safetensors, PyTorch .pth of every vintage).",
        subcommands: [WeightsInspectCommand.self, WeightsConvertCommand.self, WeightsVerifyCommand.self]
    )
}
