import ArgumentParser

/// The root `wsol` command.
public struct WSOLCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wsol",
        abstract: "Weakly supervised object localization on libtorch: train, evaluate, inspect.",
        subcommands: registeredSubcommands
    )

    public init() {}
}
