import ArgumentParser
import Foundation
import WeightsIO

/// `wsol weights inspect FILE [--json]`: format, keys, shapes, dtypes and parameter count.
struct WeightsInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a weight file's format, tensors (key, shape, dtype as stored) and parameter count."
    )

    @Argument(help: "A .safetensors or PyTorch .pth file.")
    var file: String

    @Flag(help: "Print one JSON object: {file, format, tensors: [{key, shape, dtype}], parameters}.")
    var json = false

    func run() throws {
        let dict = try WeightsFile.load(file)
        let format = dict.format?.rawValue ?? "unknown"
        if json {
            let object: [String: Any] = [
                "file": file,
                "format": format,
                "tensors": dict.entries.map { ["key": $0.key, "shape": $0.tensor.shape,
                                               "dtype": $0.storedDType.rawValue] as [String: Any] },
                "parameters": dict.parameterCount,
            ]
            let data = try JSONSerialization.data(withJSONObject: object,
                                                  options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("file        \(file)")
        print("format      \(format)")
        print("tensors     \(dict.count)")
        print("parameters  \(dict.parameterCount)")
        let width = dict.keys.map(\.count).max() ?? 0
        for entry in dict.entries {
            let shape = "[" + entry.tensor.shape.map(String.init).joined(separator: ", ") + "]"
            print("\(entry.key.padding(toLength: width, withPad: " ", startingAt: 0))  "
                + "\(entry.storedDType.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(shape)")
        }
    }
}
