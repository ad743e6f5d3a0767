import Foundation
import Models
import NN
import Torch
import WeightsIO

/// What a checkpoint's JSON sidecar says about the model (the file `<stem>.json` beside
/// `<stem>.safetensors`). The trainer adds its own fields under `training`.
public struct CheckpointInfo: Codable, Sendable {
    public var format = "wsol-checkpoint"
    public var spec: ModelSpec
    public var options: MethodOptions
    /// Class names in label order, when the dataset has them.
    public var classNames: [String]?
    /// The data it was trained on (picks evaluation defaults such as the crop threshold).
    public var dataset: DatasetFamily?
    public var productVersion = Product.version
    public var training: [String: JSONValue]?

    enum CodingKeys: String, CodingKey {
        case format, spec, options, dataset, training
        case classNames = "class_names", productVersion = "product_version"
    }

    public init(spec: ModelSpec, options: MethodOptions, classNames: [String]? = nil,
                dataset: DatasetFamily? = nil, training: [String: JSONValue]? = nil) {
        self.spec = spec
        self.options = options
        self.classNames = classNames
        self.dataset = dataset
        self.training = training
    }
}

/// The sidecar of a `--method classify` checkpoint: torchvision's plain classifier, which loads as
/// `--weights` exactly as an ImageNet file (format `wsol-classifier`).
public struct ClassifierCheckpointInfo: Codable, Sendable {
    public var format = "wsol-classifier"
    public var architecture: Architecture
    public var numClasses: Int
    public var classNames: [String]
    public var imageSize: Int
    public var productVersion = Product.version
    public var training: [String: JSONValue]?

    enum CodingKeys: String, CodingKey {
        case format, architecture, training
        case numClasses = "num_classes", classNames = "class_names", imageSize = "image_size"
        case productVersion = "product_version"
    }

    public init(architecture: Architecture, classNames: [String], imageSize: Int,
                training: [String: JSONValue]? = nil) {
        self.architecture = architecture
        self.numClasses = classNames.count
        self.classNames = classNames
        self.imageSize = imageSize
        self.training = training
    }
}

/// Our checkpoint format: the model's state dict as safetensors plus a JSON sidecar of the same stem,
/// each written to a temporary file and renamed into place.
public enum Checkpoint {
    public static func sidecarPath(for path: String) -> String {
        ((path as NSString).deletingPathExtension as NSString).appendingPathExtension("json")!
    }

    public static func save(_ model: WSOLModel, to path: String, classNames: [String]? = nil,
                            dataset: DatasetFamily? = nil, training: [String: JSONValue]? = nil,
                            extraTensors: StateDict = StateDict()) throws {
        var dict = StateDict()
        for (name, tensor) in model.stateDict() { dict.set(name, try tensor.detach().to(device: "cpu")) }
        for (key, tensor) in extraTensors.tensors { dict.set(key, tensor) }
        try WeightsFile.saveSafetensors(dict, to: path, metadata: ["format": "wsol-checkpoint"])
        try writeSidecar(CheckpointInfo(spec: model.spec, options: model.options, classNames: classNames,
                                        dataset: dataset, training: training), for: path)
    }

    /// A sidecar beside the weights at `path`, pretty-printed with sorted keys, written whole.
    public static func writeSidecar(_ sidecar: some Encodable, for path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(sidecar).write(to: URL(fileURLWithPath: sidecarPath(for: path)),
                                              options: .atomic)
        } catch {
            throw WSOLError("\(sidecarPath(for: path)): cannot write the checkpoint sidecar "
                + "(\(error.localizedDescription))")
        }
    }

    /// The sidecar of a classify checkpoint, or nil when `path` is not one.
    public static func classifierInfo(for path: String) -> ClassifierCheckpointInfo? {
        guard let data = FileManager.default.contents(atPath: sidecarPath(for: path)),
              let info = try? JSONDecoder().decode(ClassifierCheckpointInfo.self, from: data),
              info.format == "wsol-classifier" else { return nil }
        return info
    }

    /// The sidecar of a checkpoint, or nil when there is none (BAS-Ext and torchvision files).
    public static func info(for path: String) throws -> CheckpointInfo? {
        let sidecar = sidecarPath(for: path)
        guard path.hasSuffix(".safetensors"),
              FileManager.default.fileExists(atPath: sidecar) else { return nil }
        struct Format: Decodable { var format: String? }
        let info: CheckpointInfo
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: sidecar))
            // Other sidecars (a classifier's, written by `wsol train --method classify`) are not ours
            // to read.
            guard try JSONDecoder().decode(Format.self, from: data).format == "wsol-checkpoint" else {
                return nil
            }
            info = try JSONDecoder().decode(CheckpointInfo.self, from: data)
        } catch let error as DecodingError {
            throw WSOLError("\(sidecar): not a wsol checkpoint sidecar (\(describe(error)))")
        } catch {
            throw WSOLError("\(sidecar): cannot read (\(error.localizedDescription))")
        }
        // The same checks as the command line's, blamed on the file's fields, not on flags nobody typed.
        do { try info.spec.validate(); try info.options.validate() } catch {
            throw WSOLError("\(sidecar): \(fieldNames(in: String(describing: error)))")
        }
        return info
    }

    /// "--image-size must be ..." as "field image_size must be ...": the sidecar's keys are the options'
    /// names with underscores.
    static func fieldNames(in message: String) -> String {
        var result = "", rest = Substring(message)
        while let range = rest.range(of: "--") {
            result += rest[..<range.lowerBound]
            rest = rest[range.upperBound...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            result += "field " + name.replacingOccurrences(of: "-", with: "_")
            rest = rest.dropFirst(name.count)
        }
        return result + rest
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing key \(key.stringValue)"
        case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "bad value at \(path.isEmpty ? "top level" : path)"
        @unknown default: return "malformed"
        }
    }
}

/// A JSON value for the open-ended parts of sidecars and configs (training state, metrics).
public enum JSONValue: Codable, Equatable, Sendable {
    case number(Double), string(String), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }
}
