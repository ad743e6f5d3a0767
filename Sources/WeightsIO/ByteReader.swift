/// Bounds-checked little-endian reads from a byte buffer; every overrun is a `WeightsError` naming
/// the file, never a crash.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, path: String, position: Int = 0) {
        self.bytes = bytes
        self.path = path
        self.position = position
    }

    var remaining: Int { max(0, bytes.count - position) }

    func fail(_ what: String) -> WeightsError { WeightsError(path, what) }

    /// The next `count` bytes; throws "truncated" when the buffer ends first.
    mutating func take(_ count: Int, what: String = "data") throws -> UnsafeRawBufferPointer {
        guard count >= 0, position >= 0, position <= bytes.count, count <= remaining else {
            throw fail(
                "truncated file: \(what) needs \(count) bytes at offset \(position), \(remaining) left")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func byte() throws -> UInt8 { try take(1)[0] }

    /// An unsigned little-endian integer of `width` bytes (at most 8).
    mutating func unsigned(_ width: Int) throws -> UInt64 {
        let raw = try take(width)
        var value: UInt64 = 0
        for i in stride(from: width - 1, through: 0, by: -1) { value = value << 8 | UInt64(raw[i]) }
        return value
    }

    /// A little-endian length or count that must fit the buffer's size range.
    mutating func length(_ width: Int, what: String) throws -> Int {
        let value = try unsigned(width)
        guard value <= UInt64(Int.max) else { throw fail("\(what) \(value) is out of range") }
        return Int(value)
    }

    /// Bytes up to (not including) the next newline, which is consumed.
    mutating func line() throws -> String {
        guard position >= 0, position <= bytes.count,
              let end = bytes[position...].firstIndex(of: 0x0a) else {
            throw fail("truncated file: unterminated line at offset \(position)")
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
        position = end + 1
        return text
    }

    /// Reads a little-endian integer at an absolute offset without moving.
    func unsigned(at offset: Int, _ width: Int) throws -> UInt64 {
        var copy = self
        copy.position = offset
        return try copy.unsigned(width)
    }
}
