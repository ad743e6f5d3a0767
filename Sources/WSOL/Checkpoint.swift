import Foundation
import Models
import NN
import Torch
import WeightsIO

/// Our checkpoint format: the model's state dict as safetensors plus a JSON sidecar of the same stem
/// (`CheckpointSidecar`), each written to a temporary file and renamed into place.
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
        try WeightsFile.saveSafetensors(dict, to: path, metadata: ["format": CheckpointSidecar.wsolFormat])
        try writeSidecar(CheckpointSidecar(model: .wsol(spec: model.spec, options: model.options),
                                           classNames: classNames, dataset: dataset, training: training),
                         for: path)
    }

    /// The sidecar beside the weights at `path`, pretty-printed with sorted keys, written whole.
    public static func writeSidecar(_ sidecar: CheckpointSidecar, for path: String) throws {
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

    /// The sidecar of the checkpoint at `path`, read and checked; nil when there is none or it is not
    /// ours (BAS-Ext's and torchvision's files, a JSON file of another tool).
    public static func sidecar(for path: String) throws -> CheckpointSidecar? {
        let file = sidecarPath(for: path)
        guard path.hasSuffix(".safetensors"), FileManager.default.fileExists(atPath: file) else { return nil }
        struct Format: Decodable { var format: String? }
        let sidecar: CheckpointSidecar
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let format = try JSONDecoder().decode(Format.self, from: data).format
            let ours = [CheckpointSidecar.wsolFormat, CheckpointSidecar.classifierFormat]
            guard let format, ours.contains(format) else { return nil }
            sidecar = try JSONDecoder().decode(CheckpointSidecar.self, from: data)
        } catch let error as DecodingError {
            throw WSOLError("\(file): not a wsol checkpoint sidecar (\(error.summary))")
        } catch {
            throw WSOLError("\(file): cannot read (\(error.localizedDescription))")
        }
        // The same checks as the command line's, blamed on the file's fields, not on flags nobody typed.
        do {
            switch sidecar.model {
            case .wsol(let spec, let options):
                try spec.validate()
                try options.validate()
            case .classifier(_, let numClasses, let imageSize):
                try ModelSpec.validateImageSize(imageSize)
                guard (1...100_000).contains(numClasses) else {
                    throw WSOLError("--num-classes must be 1 to 100000, got \(numClasses)")
                }
            }
        } catch {
            throw WSOLError("\(file): \(fieldNames(in: String(describing: error)))")
        }
        return sidecar
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
}
