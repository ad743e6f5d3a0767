/// The record framing of TensorBoard event files (TFRecord): the data's length as a little-endian
/// uint64, the masked CRC-32C of those 8 bytes, the data, the masked CRC-32C of the data (both CRCs
/// little-endian uint32). A reader checks both CRCs and stops at a record that fails either.
public enum EventRecord {
    /// Bytes the framing adds to each record.
    public static let overhead = 16

    /// Appends the framed record of `data` to `buffer`.
    public static func append(_ data: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var header = [UInt8](repeating: 0, count: 8)
        littleEndian(UInt64(data.count), into: &header)
        buffer.reserveCapacity(buffer.count + data.count + overhead)
        buffer += header
        appendLittleEndian(header.withUnsafeBufferPointer { CRC32C.masked($0) }, to: &buffer)
        buffer.append(contentsOf: data)
        appendLittleEndian(CRC32C.masked(data), to: &buffer)
    }

    public static func append(_ data: [UInt8], to buffer: inout [UInt8]) {
        data.withUnsafeBufferPointer { append($0, to: &buffer) }
    }

    private static func littleEndian(_ value: UInt64, into bytes: inout [UInt8]) {
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    private static func appendLittleEndian(_ value: UInt32, to buffer: inout [UInt8]) {
        for i in 0..<4 { buffer.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }
}
