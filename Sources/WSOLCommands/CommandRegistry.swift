import ArgumentParser

/// The one place that registers `wsol`'s subcommands. Each subcommand lives in its own file.
let registeredSubcommands: [ParsableCommand.Type] = [
    DoctorCommand.self,
    DataCommand.self,
    SynthCommand.self,
]
