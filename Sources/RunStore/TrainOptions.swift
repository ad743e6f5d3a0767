import Models
import WSOL

/// Everything a training run was asked to do, resolved (defaults filled), as `config.json` records it.
public struct TrainOptions: Codable, Sendable {
    /// `classify` trains torchvision's plain classifier (for pretraining a backbone); the others the
    /// WSOL method of that name.
    public enum Task: String, Codable, CaseIterable, Sendable { case cam, bas, sfpnsc, classify }
    public enum Schedule: String, Codable, CaseIterable, Sendable {
        /// lr x 0.1 at each decay epoch (the method's recipe).
        case step
        /// Cosine from lr to 0 over all steps.
        case cosine
    }
    public enum Selection: String, Codable, CaseIterable, Sendable { case best, last }

    public var task: Task
    public var architecture: Architecture
    public var spec: ModelSpec?
    public var method: MethodOptions?
    /// The ImageNet-style (or any supported) weights file, or nil for torchvision's initialization.
    public var weights: String?
    public var weightsSHA256: String?
    public var epochs: Int
    public var batchSize: Int
    public var lr: Double
    public var schedule: Schedule
    public var decayEpochs: [Int]
    public var momentum = 0.9
    public var weightDecay = 5e-4
    public var imageSize: Int
    public var workers: Int
    public var threads: Int
    public var device: String
    public var seed: UInt64
    public var valPerClass: Int
    public var select: Selection
    public var logEvery: Int
    public var dataset: DatasetFamily
    public var preset: String?
    /// The defaults the mask-loss options were filled from; nil is `paper` (and runs recorded before
    /// the option existed).
    public var recipe: Recipe?
    /// [ours] Epochs of classification only (L_cls) before the method's mask losses start; nil in
    /// runs recorded before the option existed.
    public var warmupEpochs: Int?
    /// The warm-up in effect (0 when absent).
    public var warmup: Int { warmupEpochs ?? 0 }
    /// [ours] Scale of G1's and G2's learning-rate multipliers (x10, x20); nil is 1 (BAS).
    public var generatorLRScale: Double?

    enum CodingKeys: String, CodingKey {
        case task, architecture, spec, method, weights, epochs, lr, schedule, momentum, workers, threads,
             device
        case seed, select, dataset, preset, recipe
        case weightsSHA256 = "weights_sha256", batchSize = "batch_size", decayEpochs = "decay_epochs"
        case weightDecay = "weight_decay", imageSize = "image_size", valPerClass = "val_per_class"
        case logEvery = "log_every", warmupEpochs = "warmup_epochs", generatorLRScale = "generator_lr_scale"
    }

    public init(task: Task, architecture: Architecture, epochs: Int, batchSize: Int, lr: Double,
                schedule: Schedule,
                decayEpochs: [Int], imageSize: Int, workers: Int, threads: Int, device: String, seed: UInt64,
                valPerClass: Int, select: Selection, logEvery: Int, dataset: DatasetFamily) {
        self.task = task
        self.architecture = architecture
        self.epochs = epochs
        self.batchSize = batchSize
        self.lr = lr
        self.schedule = schedule
        self.decayEpochs = decayEpochs
        self.imageSize = imageSize
        self.workers = workers
        self.threads = threads
        self.device = device
        self.seed = seed
        self.valPerClass = valPerClass
        self.select = select
        self.logEvery = logEvery
        self.dataset = dataset
    }
}
