/// The size and channel count a PNG declares in its IHDR chunk (always the first chunk), read so that
/// `addImage` never records a size that disagrees with the image it carries.
enum PNGHeader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Width, height and channels, or nil when `bytes` does not start like a PNG.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> (width: Int, height: Int, channels: Int)? {
        // signature, IHDR length and type, width, height, bit depth, colour type
        guard bytes.count >= 26, bytes.starts(with: signature),
              Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func be32(_ i: Int) -> Int { (i..<i + 4).reduce(0) { $0 << 8 | Int(bytes[$1]) } }
        // Colour types: 0 gray, 2 RGB, 3 palette (decoded as RGB), 4 gray + alpha, 6 RGBA.
        let channels: [UInt8: Int] = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4]
        guard let count = channels[bytes[25]] else { return nil }
        return (be32(16), be32(20), count)
    }
}
