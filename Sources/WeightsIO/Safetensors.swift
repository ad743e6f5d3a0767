import Foundation
import Torch

/// safetensors: an 8-byte little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the byte buffer.
enum Safetensors {
    /// As the reference implementation: larger headers are refused.
    static let maxHeaderBytes = 100_000_000

    static func load(_ bytes: UnsafeRawBufferPointer, path: String) throws -> StateDict {
        var reader = ByteReader(bytes, path: path)
        let headerLength = try reader.length(8, what: "header length")
        guard headerLength <= maxHeaderBytes else {
            throw WeightsError(path, "safetensors header of \(headerLength) bytes is too large")
        }
        let header = try reader.take(headerLength, what: "safetensors header")
        let buffer = UnsafeRawBufferPointer(rebasing: bytes[reader.position...])
        guard let json = try? JSONSerialization.jsonObject(with: Data(header)),
              let object = json as? [String: Any] else {
            throw WeightsError(path, "safetensors header is not a JSON object")
        }
        if let key = JSONDuplicateKeys.firstTopLevel(header) {
            throw WeightsError(path, "key \(key) appears twice in the safetensors header")
        }
        var result = StateDict()
        if let metadata = object["__metadata__"] {
            guard let strings = metadata as? [String: String] else {
                throw WeightsError(path, "__metadata__ is not a map of strings")
            }
            result.metadata = strings
        }
        var entries: [(key: String, dtype: StoredDType, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in object where key != "__metadata__" {
            func fail(_ what: String) -> WeightsError { WeightsError(path, "key \(key): \(what)") }
            guard let info = value as? [String: Any] else { throw fail("header entry is not an object") }
            guard let code = info["dtype"] as? String else { throw fail("no dtype") }
            guard let dtype = StoredDType(safetensorsCode: code) else {
                throw fail("unsupported dtype \(code)")
            }
            guard let shape = Self.integers(info["shape"]) else {
                throw fail("shape is not a list of non-negative integers")
            }
            guard let offsets = Self.integers(info["data_offsets"]), offsets.count == 2,
                  offsets[0] <= offsets[1], offsets[1] <= buffer.count else {
                throw fail("data_offsets are not [begin, end] inside the \(buffer.count)-byte buffer "
                           + "(truncated file?)")
            }
            var numel = 1
            for d in shape {
                let (product, overflow) = numel.multipliedReportingOverflow(by: d)
                guard !overflow else { throw fail("shape \(shape) is too large") }
                numel = product
            }
            guard numel.multipliedReportingOverflow(by: dtype.elementSize)
                  == (offsets[1] - offsets[0], false) else {
                throw fail("\(offsets[1] - offsets[0]) bytes for shape \(shape) of \(code)")
            }
            entries.append((key, dtype, shape, offsets[0], offsets[1]))
        }
        // File order: by position in the buffer, which the tensors must tile exactly (as the reference
        // implementation requires): no overlap, no gap, nothing left over.
        entries.sort { ($0.begin, $0.end, $0.key) < ($1.begin, $1.end, $1.key) }
        var covered = 0
        for e in entries {
            guard e.begin == covered else {
                let problem = e.begin < covered
                    ? "overlap another tensor's bytes"
                    : "leave bytes \(covered)..<\(e.begin) of the data buffer unused"
                throw WeightsError(path, "key \(e.key): data_offsets [\(e.begin), \(e.end)] \(problem)")
            }
            covered = e.end
        }
        guard covered == buffer.count else {
            let after = entries.last.map { " after key \($0.key)" } ?? ""
            throw WeightsError(path,
                "\(buffer.count - covered) bytes of the data buffer\(after) belong to no tensor")
        }
        for e in entries {
            var strides = [Int](repeating: 1, count: e.shape.count)
            for i in stride(from: e.shape.count - 2, through: 0, by: -1) {
                strides[i] = strides[i + 1] * max(e.shape[i + 1], 1)
            }
            let tensor = try StorageTensor.make(UnsafeRawBufferPointer(rebasing: buffer[e.begin..<e.end]),
                                                dtype: e.dtype, size: e.shape, stride: strides, offset: 0,
                                                path: path, key: e.key)
            result.set(e.key, tensor, storedDType: e.dtype)
        }
        return result
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [NSNumber] else { return nil }
        var result: [Int] = []
        for n in numbers {
            guard let i = Int(exactly: n.doubleValue), i >= 0 else { return nil }
            result.append(i)
        }
        return result
    }

    /// Streams each tensor's bytes to a temporary file beside `path`, then renames it over `path`.
    static func save(_ dict: StateDict, to path: String, metadata: [String: String]) throws {
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":" + (try jsonText(metadata)) + ","
        }
        var offset = 0
        for entry in dict.entries {
            let dtype = StoredDType(entry.tensor.dtype)
            let end = offset + entry.tensor.numel * dtype.elementSize
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            header += try jsonText(entry.key) + ":{\"dtype\":\"\(dtype.safetensorsCode)\","
                + "\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]},"
            offset = end
        }
        if header.hasSuffix(",") { header.removeLast() }
        header += "}"
        // Pad with spaces so the buffer starts 8-byte aligned, as the reference writer does.
        header += String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        var prefix = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Data($0) }
        prefix.append(Data(header.utf8))
        try writeAtomically(path) { file in
            try file.write(contentsOf: prefix)
            for entry in dict.entries {
                do {
                    try entry.tensor.writeBytes(toFileDescriptor: file.fileDescriptor)
                } catch let error as TorchError {
                    throw WeightsError(path, "cannot write key \(entry.key): " + error.message)
                }
            }
        }
    }

    private static func writeAtomically(_ path: String, _ write: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let file = FileHandle(forWritingAtPath: temporary) else {
            throw WeightsError(path, "cannot write: \(String(cString: strerror(errno)))")
        }
        let written = Result { try write(file) }
        let closed = Result { try file.close() }  // close reports late write errors too
        do {
            try written.get()
            try closed.get()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw (error as? WeightsError)
                ?? WeightsError(path, "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw WeightsError(path, "cannot write: \(reason)")
        }
    }

    private static func jsonText(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
