import Foundation
import Torch

/// Reading and writing weight files: safetensors, PyTorch zip and PyTorch legacy (with its 2017
/// encoding). Files are memory-mapped and each tensor is copied once.
public enum WeightsFile {
    /// The file's tensors; `format` on the result says which encoding it had.
    public static func load(_ path: String) throws -> StateDict {
        try withMappedFile(path) { bytes in
            let format = try detectFormat(bytes, path: path)
            var dict: StateDict
            switch format {
            case .safetensors: dict = try Safetensors.load(bytes, path: path)
            case .pytorchZip: dict = try PyTorchZipReader.load(bytes, path: path)
            case .pytorchLegacy: dict = try PyTorchLegacyReader.load(bytes, path: path)
            }
            dict.format = format
            return dict
        }
    }

    /// Writes atomically; float32, float64, int64, int32, uint8 and bool tensors keep their type.
    public static func saveSafetensors(_ dict: StateDict, to path: String,
                                       metadata: [String: String] = [:]) throws {
        try Safetensors.save(dict, to: path, metadata: metadata)
    }

    static func detectFormat(_ bytes: UnsafeRawBufferPointer, path: String) throws -> WeightFormat {
        if bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) { return .pytorchZip }
        // Before the pickle test: a safetensors header length may start with 0x80 too. A pickle's
        // byte 8 is inside the magic number or a FRAME length, never "{".
        if bytes.count > 8, bytes[8] == UInt8(ascii: "{") { return .safetensors }
        if bytes.first == 0x80 { return .pytorchLegacy }  // a pickle's PROTO opcode
        throw WeightsError(path, "not a weights file (neither safetensors, PyTorch zip nor legacy PyTorch)")
    }

    static func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if let problem = RegularFile.problem(path) { throw WeightsError(path, problem) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw WeightsError(path,
                "cannot read file (\((error as NSError).localizedFailureReason ?? "missing or unreadable"))")
        }
        return try data.withUnsafeBytes(body)
    }
}
