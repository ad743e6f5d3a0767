import ArgumentParser

/// `wsol data`: check, convert and time datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check, convert and time datasets (CUB-200-2011, ILSVRC-2012, wsolevaluation metadata).",
        subcommands: [DataCheckCommand.self, DataConvertCommand.self, DataSpeedCommand.self]
    )
}
