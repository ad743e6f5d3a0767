/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TensorBoard's record framing,
/// and the format's mask, which keeps a CRC stored beside the data it covers from looking like data.
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    /// The CRC-32C of `bytes` ("123456789" gives 0xE3069283).
    public static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            return crc ^ 0xFFFF_FFFF
        }
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }

    /// The masked CRC-32C of `bytes`: the checksum rotated right by 15 bits plus 0xA282EAD8.
    public static func masked(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        mask(checksum(bytes))
    }

    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
