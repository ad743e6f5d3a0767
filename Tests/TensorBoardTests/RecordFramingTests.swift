import Testing
@testable import TensorBoard

/// CRC-32C against published check values (RFC 3720's iSCSI vectors and the catalogue's "123456789"),
/// and the record layout TensorBoard's reader expects.
@Suite struct RecordFramingTests {
    @Test func crc32cKnownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test func maskRotatesRightBy15AndAddsTheConstant() {
        #expect(CRC32C.mask(0) == 0xA282_EAD8)
        // 0x00008000 rotated right by 15 is 1.
        #expect(CRC32C.mask(0x0000_8000) == 0xA282_EAD9)
        // Rotation wraps the low 15 bits to the top; the addition wraps modulo 2^32.
        #expect(CRC32C.mask(0x0000_0001) == 0x0002_0000 &+ 0xA282_EAD8)
        #expect(CRC32C.mask(0xFFFF_FFFF) == 0xFFFF_FFFF &+ 0xA282_EAD8)
    }

    @Test func recordIsLengthCrcDataCrc() {
        let data: [UInt8] = Array("hello, tensorboard".utf8)
        var buffer: [UInt8] = [0xAA]  // appending keeps what is there
        EventRecord.append(data, to: &buffer)
        #expect(buffer.count == 1 + data.count + EventRecord.overhead)
        #expect(buffer[0] == 0xAA)
        let header = Array(buffer[1..<9])
        #expect(header == [UInt8(data.count), 0, 0, 0, 0, 0, 0, 0])
        #expect(littleEndian32(buffer, 9) == CRC32C.mask(CRC32C.checksum(header)))
        #expect(Array(buffer[13..<13 + data.count]) == data)
        #expect(littleEndian32(buffer, 13 + data.count) == CRC32C.mask(CRC32C.checksum(data)))
    }

    @Test func recordLengthUsesAllEightBytesLittleEndian() {
        var buffer: [UInt8] = []
        EventRecord.append([UInt8](repeating: 7, count: 0x1_0203), to: &buffer)
        #expect(Array(buffer[0..<8]) == [0x03, 0x02, 0x01, 0, 0, 0, 0, 0])
    }

    private func littleEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }
}
