import Foundation

/// NumPy's `.npy` format (versions 1-3, little-endian, C order): how PyTorch reference values reach the
/// tests and how other tools hand us score maps.
public struct NPYArray {
    public enum Kind: String, Sendable {
        case float32 = "f4", float64 = "f8", int64 = "i8", int32 = "i4", uint8 = "u1", bool = "b1"
    }

    public let shape: [Int]
    public let kind: Kind
    /// Raw little-endian element bytes, row-major.
    public let payload: Data

    public var count: Int { shape.reduce(1, *) }

    public init(shape: [Int], kind: Kind, payload: Data) {
        self.shape = shape
        self.kind = kind
        self.payload = payload
    }

    public init(float32 values: [Float], shape: [Int]) {
        self.init(shape: shape, kind: .float32, payload: values.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    public init(float64 values: [Double], shape: [Int]) {
        self.init(shape: shape, kind: .float64, payload: values.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    /// Elements converted to Double.
    public func doubles() -> [Double] {
        payload.withUnsafeBytes { raw -> [Double] in
            switch kind {
            case .float32: return raw.bindMemory(to: Float.self).map(Double.init)
            case .float64: return Array(raw.bindMemory(to: Double.self))
            case .int64: return raw.bindMemory(to: Int64.self).map(Double.init)
            case .int32: return raw.bindMemory(to: Int32.self).map(Double.init)
            case .uint8, .bool: return raw.bindMemory(to: UInt8.self).map(Double.init)
            }
        }
    }

    /// Elements converted to Float.
    public func floats() -> [Float] {
        if kind == .float32 { return payload.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        return doubles().map(Float.init)
    }

    /// A tensor of the matching dtype (bool becomes uint8).
    public func tensor() throws -> Tensor {
        switch kind {
        case .float32: return try Tensor(floats(), shape: shape)
        case .float64: return try Tensor(doubles(), shape: shape)
        case .int64, .int32: return try Tensor(doubles().map { Int($0) }, shape: shape)
        case .uint8, .bool: return try Tensor([UInt8](payload), shape: shape)
        }
    }
}

public enum NPYError: Error, CustomStringConvertible {
    case malformed(path: String, reason: String)
    public var description: String {
        switch self {
        case .malformed(let path, let reason): return "\(path): not a readable .npy file: \(reason)"
        }
    }
}

public enum NPY {
    public static func read(_ path: String) throws -> NPYArray {
        if let problem = RegularFile.problem(path) { throw NPYError.malformed(path: path, reason: problem) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw NPYError.malformed(path: path, reason: "cannot read file")
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String = "<memory>") throws -> NPYArray {
        func fail(_ reason: String) -> NPYError { .malformed(path: path, reason: reason) }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw fail("bad magic")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default: throw fail("unsupported version \(major)")
        }
        guard data.count >= headerStart + headerLength else { throw fail("truncated header") }
        let start = data.startIndex
        let header = String(decoding: data[(start + headerStart)..<(start + headerStart + headerLength)],
                            as: UTF8.self)
        guard let descr = field("descr", in: header), let order = field("fortran_order", in: header),
              let shapeText = field("shape", in: header) else {
            throw fail("header lacks descr, fortran_order or shape")
        }
        guard order == "False" else { throw fail("Fortran-order arrays are not supported") }
        let type = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard type.first == "<" || type.first == "|",
              let kind = NPYArray.Kind(rawValue: String(type.dropFirst())) else {
            throw fail("unsupported dtype \(type) (little-endian float32/64, int32/64, uint8, bool only)")
        }
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var shape: [Int] = []
        for d in dims {
            guard let v = Int(d), v >= 0 else { throw fail("bad shape \(shapeText)") }
            shape.append(v)
        }
        let elementSize: Int = ["f4": 4, "f8": 8, "i8": 8, "i4": 4, "u1": 1, "b1": 1][kind.rawValue]!
        // The declared shape is checked against the bytes present before anything is sized by it: a
        // product that overflows, or needs more than the file holds, is a malformed header.
        var needed = elementSize
        for d in shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: d)
            guard !overflow, product <= data.count else {
                throw fail("shape \(shapeText) needs more bytes than the file holds")
            }
            needed = product
        }
        let payloadStart = start + headerStart + headerLength
        guard data.endIndex - payloadStart >= needed else {
            throw fail("truncated data: need \(needed) bytes")
        }
        return NPYArray(shape: shape, kind: kind, payload: Data(data[payloadStart..<(payloadStart + needed)]))
    }

    public static func write(_ array: NPYArray, to path: String) throws {
        let descr = (array.kind == .uint8 || array.kind == .bool ? "|" : "<") + array.kind.rawValue
        let shape = array.shape.count == 1
            ? "(\(array.shape[0]),)" : "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        // Pad so that magic (6) + version (2) + length (2) + header + newline is a multiple of 64.
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(array.payload)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The text of `'key': value` in a header dict (value up to the next top-level comma).
    private static func field(_ key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var value = ""
        for ch in header[keyRange.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            value.append(ch)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }
}
