/// A run's `config.json`: every option, resolved, and the facts the run started on. `RunFolder` alone
/// reads and writes it. Records added in later versions are optional, so older runs still read.
public struct RunConfig: Codable, Sendable {
    public var options: TrainOptions
    public var distributed: DistributedRecord?
    public var environment: EnvironmentRecord?
    public var data: DataRecord?
    /// The command line that started (or last resumed) the run, without the program name.
    public var datasetArguments: [String]?

    enum CodingKeys: String, CodingKey {
        case options, distributed, environment, data
        case datasetArguments = "dataset_arguments"
    }

    public init(options: TrainOptions, distributed: DistributedRecord, environment: EnvironmentRecord,
                data: DataRecord, datasetArguments: [String]) {
        self.options = options
        self.distributed = distributed
        self.environment = environment
        self.data = data
        self.datasetArguments = datasetArguments
    }
}

/// How many processes trained the run, and with what batch each.
public struct DistributedRecord: Codable, Equatable, Sendable {
    public var worldSize: Int
    public var batchSizePerProcess: Int
    public var globalBatchSize: Int
    /// gloo or nccl; nil for a single process.
    public var backend: String?
    public var syncBN: Bool?
    public var timeoutSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case backend
        case worldSize = "world_size", batchSizePerProcess = "batch_size_per_process"
        case globalBatchSize = "global_batch_size", syncBN = "sync_bn", timeoutSeconds = "timeout_s"
    }

    public init(worldSize: Int, batchSizePerProcess: Int, backend: String? = nil, syncBN: Bool,
                timeoutSeconds: Double? = nil) {
        self.worldSize = worldSize
        self.batchSizePerProcess = batchSizePerProcess
        self.globalBatchSize = batchSizePerProcess * worldSize
        self.backend = backend
        self.syncBN = syncBN
        self.timeoutSeconds = timeoutSeconds
    }
}

/// The software and machine the run used.
public struct EnvironmentRecord: Codable, Equatable, Sendable {
    public var productVersion: String?
    public var gitCommit: String?
    public var libtorch: String?
    public var opencv: String?
    public var threads: Int?
    public var cudaDevices: Int?

    enum CodingKeys: String, CodingKey {
        case libtorch, opencv, threads
        case productVersion = "product_version", gitCommit = "git_commit", cudaDevices = "cuda_devices"
    }

    public init(productVersion: String, gitCommit: String, libtorch: String, opencv: String, threads: Int,
                cudaDevices: Int) {
        self.productVersion = productVersion
        self.gitCommit = gitCommit
        self.libtorch = libtorch
        self.opencv = opencv
        self.threads = threads
        self.cudaDevices = cudaDevices
    }
}

/// The images the run trained and selected on.
public struct DataRecord: Codable, Equatable, Sendable {
    public var trainImages: Int?
    /// SHA-256 of the training list (HeldOutSplit.fingerprint): a resume on other images is refused.
    public var trainFingerprint: String?
    public var validationImages: Int?
    public var validationFingerprint: String?
    public var heldOut: [String]?
    public var classes: Int?
    public var reducedJPEGDecoding: Bool?

    enum CodingKeys: String, CodingKey {
        case classes
        case trainImages = "train_images", trainFingerprint = "train_fingerprint"
        case validationImages = "validation_images", validationFingerprint = "validation_fingerprint"
        case heldOut = "held_out", reducedJPEGDecoding = "reduced_jpeg_decoding"
    }

    public init(trainImages: Int, trainFingerprint: String, validationImages: Int,
                validationFingerprint: String, heldOut: [String], classes: Int, reducedJPEGDecoding: Bool) {
        self.trainImages = trainImages
        self.trainFingerprint = trainFingerprint
        self.validationImages = validationImages
        self.validationFingerprint = validationFingerprint
        self.heldOut = heldOut
        self.classes = classes
        self.reducedJPEGDecoding = reducedJPEGDecoding
    }
}
