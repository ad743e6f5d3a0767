import ArgumentParser

/// The one place that registers `wsol`'s subcommands. Each subcommand lives in its own file.
let registeredSubcommands: [ParsableCommand.Type] = [
    DoctorCommand.self,
    ClassifyCommand.self,
    BenchmarkCommand.self,
    WeightsCommand.self,
    ScoreMapsCommand.self,
    DataCommand.self,
    SynthCommand.self,
    ModelCommand.self,
    EvalCommand.self,
    LocalizeCommand.self,
    MakeDatasetCommand.self,
    TrainCommand.self,
    ExportMapsCommand.self,
]
