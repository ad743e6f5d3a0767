import Models
import RunStore
import WSOL

/// What `wsol train` was asked, typed: each option nil where the user left it out. `resolve` fills the
/// defaults (TrainDefaults.swift) into the `TrainOptions` a run records; `conflict` compares a request
/// with a run being resumed. A new training option is a field here, its default in `resolve`, its
/// record in `TrainOptions`, and its flag in the command.
public struct TrainRequest {
    public var architecture: Architecture?
    public var task: TrainOptions.Task?
    public var epochs: Int?
    public var batchSize: Int?
    public var lr: Double?
    public var schedule: TrainOptions.Schedule?
    public var decayEpochs: [Int]?
    public var warmupEpochs: Int?
    public var generatorLRScale: Double?
    public var imageSize: Int?
    public var headWidth: Int?
    public var f1Tap: String?
    public var transformInput = false
    public var workers = 2
    public var device = "cpu"
    public var seed: UInt64?
    public var valPerClass: Int?
    public var select: TrainOptions.Selection?
    /// `paper`: every training image, the last epoch, the paper's recipe for every method.
    public var preset: String?
    public var recipe: Recipe?
    public var logEvery = 20
    /// The mask-loss options typed, by their option names (`--w1`, `--mask-seed`): none applies to CAM
    /// or classify.
    public var givenMaskOptions: [String] = []
    /// Whether `--mask-seed` was typed.
    public var maskSeedGiven = false
    /// The method's options with the typed mask-loss options applied on `base`, checked.
    public var methodOptions: (_ method: WSOL.Method, _ architecture: Architecture, _ dataset: DatasetFamily,
                               _ base: MethodOptions) throws -> MethodOptions = { _, _, _, base in
        try base.validate()
        return base
    }

    public init() {}
}
