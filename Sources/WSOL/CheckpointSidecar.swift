import Models

/// A checkpoint's JSON sidecar (`<stem>.json` beside `<stem>.safetensors`), for every kind of
/// checkpoint this tool writes; `Checkpoint.sidecar(for:)` is its one reader. The JSON keys are those
/// runs have always written, so older run folders read as before.
public struct CheckpointSidecar: Codable, Equatable, Sendable {
    /// What the weights are.
    public enum Model: Equatable, Sendable {
        /// A WSOL model (format `wsol-checkpoint`): its shape and method options.
        case wsol(spec: ModelSpec, options: MethodOptions)
        /// torchvision's plain classifier (`wsol train --method classify`, format `wsol-classifier`):
        /// it loads as `--weights` exactly as an ImageNet file.
        case classifier(architecture: Architecture, numClasses: Int, imageSize: Int)
    }

    public static let wsolFormat = "wsol-checkpoint"
    public static let classifierFormat = "wsol-classifier"

    public var model: Model
    /// Class names in label order, when the dataset has them.
    public var classNames: [String]?
    /// The data a WSOL model was trained on (picks evaluation defaults such as the crop threshold).
    public var dataset: DatasetFamily?
    public var productVersion = Product.version
    /// Where the run stood (the trainer's own record, `TrainingState`).
    public var training: [String: JSONValue]?

    public init(model: Model, classNames: [String]? = nil, dataset: DatasetFamily? = nil,
                training: [String: JSONValue]? = nil) {
        self.model = model
        self.classNames = classNames
        self.dataset = dataset
        self.training = training
    }

    public var format: String {
        if case .classifier = model { return Self.classifierFormat }
        return Self.wsolFormat
    }

    /// The WSOL model's shape and options; nil for a classifier.
    public var wsol: (spec: ModelSpec, options: MethodOptions)? {
        if case .wsol(let spec, let options) = model { return (spec, options) }
        return nil
    }

    public var architecture: Architecture {
        switch model {
        case .wsol(let spec, _): return spec.architecture
        case .classifier(let architecture, _, _): return architecture
        }
    }

    public var imageSize: Int {
        switch model {
        case .wsol(let spec, _): return spec.imageSize
        case .classifier(_, _, let imageSize): return imageSize
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, spec, options, dataset, training, architecture
        case classNames = "class_names", productVersion = "product_version"
        case numClasses = "num_classes", imageSize = "image_size"
    }

    /// Reads either format; any other `format` is a DecodingError (`Checkpoint.sidecar` tells "not
    /// ours" apart before decoding).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .format) {
        case Self.wsolFormat:
            model = .wsol(spec: try c.decode(ModelSpec.self, forKey: .spec),
                          options: try c.decode(MethodOptions.self, forKey: .options))
        case Self.classifierFormat:
            model = .classifier(architecture: try c.decode(Architecture.self, forKey: .architecture),
                                numClasses: try c.decode(Int.self, forKey: .numClasses),
                                imageSize: try c.decode(Int.self, forKey: .imageSize))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .format, in: c,
                                                   debugDescription: "unknown format \(other)")
        }
        classNames = try c.decodeIfPresent([String].self, forKey: .classNames)
        dataset = try c.decodeIfPresent(DatasetFamily.self, forKey: .dataset)
        productVersion = try c.decode(String.self, forKey: .productVersion)
        training = try c.decodeIfPresent([String: JSONValue].self, forKey: .training)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        switch model {
        case .wsol(let spec, let options):
            try c.encode(spec, forKey: .spec)
            try c.encode(options, forKey: .options)
        case .classifier(let architecture, let numClasses, let imageSize):
            try c.encode(architecture, forKey: .architecture)
            try c.encode(numClasses, forKey: .numClasses)
            try c.encode(imageSize, forKey: .imageSize)
        }
        try c.encodeIfPresent(classNames, forKey: .classNames)
        try c.encodeIfPresent(dataset, forKey: .dataset)
        try c.encode(productVersion, forKey: .productVersion)
        try c.encodeIfPresent(training, forKey: .training)
    }
}
