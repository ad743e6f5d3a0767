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
        guard headerLength <= maxHeaderBytes else { throw WeightsError(path, "safetensors header of \(headerLength) bytes is too large") }
        let header = try reader.take(headerLength, what: "safetensors header")
        let buffer = UnsafeRawBufferPointer(rebasing: bytes[reader.position...])
        guard let json = try? JSONSerialization.jsonObject(with: Data(header)), let object = json as? [String: Any] else {
            throw WeightsError(path, "safetensors header is not a JSON object")
        }
        var result = StateDict()
        if let metadata = object["__metadata__"] {
            guard let strings = metadata as? [String: String] else { throw WeightsError(path, "__metadata__ is not a map of strings") }
            result.metadata = strings
        }
        var entries: [(key: String, dtype: StoredDType, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in object where key != "__metadata__" {
            func fail(_ what: String) -> WeightsError { WeightsError(path, "key \(key): \(what)") }
            guard let info = value as? [String: Any] else { throw fail("header entry is not an object") }
            guard let code = info["dtype"] as? String else { throw fail("no dtype") }
            guard let dtype = StoredDType(safetensorsCode: code) else { throw fail("unsupported dtype \(code)") }
            guard let shape = Self.integers(info["shape"]) else { throw fail("shape is not a list of non-negative integers") }
            guard let offsets = Self.integers(info["data_offsets"]), offsets.count == 2, offsets[0] <= offsets[1],
                  offsets[1] <= buffer.count else {
                throw fail("data_offsets are not [begin, end] inside the \(buffer.count)-byte buffer (truncated file?)")
            }
            var numel = 1
            for d in shape {
                let (product, overflow) = numel.multipliedReportingOverflow(by: d)
                guard !overflow else { throw fail("shape \(shape) is too large") }
                numel = product
            }
            guard numel.multipliedReportingOverflow(by: dtype.elementSize) == (offsets[1] - offsets[0], false) else {
                throw fail("\(offsets[1] - offsets[0]) bytes for shape \(shape) of \(code)")
            }
            entries.append((key, dtype, shape, offsets[0], offsets[1]))
        }
        // File order: by position in the buffer.
        for e in entries.sorted(by: { ($0.begin, $0.key) < ($1.begin, $1.key) }) {
            var strides = [Int](repeating: 1, count: e.shape.count)
            for i in stride(from: e.shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * max(e.shape[i + 1], 1) }
            let tensor = try StorageTensor.make(UnsafeRawBufferPointer(rebasing: buffer[e.begin..<e.end]), dtype: e.dtype,
                                                size: e.shape, stride: strides, offset: 0, path: path, key: e.key)
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

    static func save(_ dict: StateDict, to path: String, metadata: [String: String]) throws {
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":" + (try jsonText(metadata)) + ","
        }
        var payload = Data()
        for entry in dict.entries {
            let tensor = entry.tensor
            let (code, raw): (String, Data)
            switch tensor.dtype {
            case .float32: (code, raw) = ("F32", try tensor.floats().withUnsafeBufferPointer { Data(buffer: $0) })
            case .float64: (code, raw) = ("F64", try tensor.doubles().withUnsafeBufferPointer { Data(buffer: $0) })
            case .int64: (code, raw) = ("I64", try tensor.ints().map { Int64($0) }.withUnsafeBufferPointer { Data(buffer: $0) })
            case .int32: (code, raw) = ("I32", try tensor.ints().map { Int32(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { Data(buffer: $0) })
            case .uint8: (code, raw) = ("U8", Data(try tensor.bytes()))
            case .bool: (code, raw) = ("BOOL", Data(try tensor.bytes()))
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            header += try jsonText(entry.key) + ":{\"dtype\":\"\(code)\",\"shape\":[\(shape)],\"data_offsets\":[\(payload.count),\(payload.count + raw.count)]},"
            payload.append(raw)
        }
        if header.hasSuffix(",") { header.removeLast() }
        header += "}"
        // Pad with spaces so the buffer starts 8-byte aligned, as the reference writer does.
        header += String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        var file = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(Data(header.utf8))
        file.append(payload)
        do {
            try file.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw WeightsError(path, "cannot write: \(error.localizedDescription)")
        }
    }

    private static func jsonText(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
