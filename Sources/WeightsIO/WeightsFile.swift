import Foundation

/// Reading and writing weight files: safetensors, PyTorch zip and PyTorch legacy (with its 2017
/// encoding). Files are memory-mapped and each tensor is copied once.
public enum WeightsFile {
    public static func detectFormat(_ path: String) throws -> WeightFormat {
        try withMappedFile(path) { try detectFormat($0, path: path) }
    }

    public static func load(_ path: String) throws -> StateDict {
        try withMappedFile(path) { bytes in
            switch try detectFormat(bytes, path: path) {
            case .safetensors: return try Safetensors.load(bytes, path: path)
            case .pytorchZip: return try PyTorchZipReader.load(bytes, path: path)
            case .pytorchLegacy: return try PyTorchLegacyReader.load(bytes, path: path)
            }
        }
    }

    /// Writes atomically; float32, float64, int64, int32, uint8 and bool tensors keep their type.
    public static func saveSafetensors(_ dict: StateDict, to path: String, metadata: [String: String] = [:]) throws {
        try Safetensors.save(dict, to: path, metadata: metadata)
    }

    static func detectFormat(_ bytes: UnsafeRawBufferPointer, path: String) throws -> WeightFormat {
        if bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) { return .pytorchZip }
        if bytes.first == 0x80 { return .pytorchLegacy }  // a pickle's PROTO opcode
        if bytes.count > 8, bytes[8] == UInt8(ascii: "{") { return .safetensors }
        throw WeightsError(path, "not a weights file (neither safetensors, PyTorch zip nor legacy PyTorch)")
    }

    static func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw WeightsError(path, "cannot read file (\((error as NSError).localizedFailureReason ?? "missing or unreadable"))")
        }
        return try data.withUnsafeBytes(body)
    }
}
