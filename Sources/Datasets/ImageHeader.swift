import Foundation
import Torch

/// Image dimensions from the file header alone (JPEG SOF marker, PNG IHDR), so checking and indexing
/// 10,000 images costs file opens, not decodes.
package enum ImageHeader {
    /// The size, or nil when the file is not a JPEG or PNG whose header can be read.
    package static func size(_ path: String) -> ImageSize? {
        // A pipe would block the open: only regular files are read.
        guard RegularFile.problem(path) == nil, let handle = FileHandle(forReadingAtPath: path) else {
            return nil
        }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4096), head.count >= 24 else { return nil }
        let bytes = [UInt8](head)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            return ImageSize(width: be32(bytes, 16), height: be32(bytes, 20))
        }
        guard bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        return jpegSize(bytes, handle: handle)
    }

    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }

    /// Walks the JPEG segments to the first start-of-frame; reads further when large APP segments
    /// (EXIF thumbnails) push it past the first block.
    private static func jpegSize(_ first: [UInt8], handle: FileHandle) -> ImageSize? {
        var bytes = first
        var i = 2
        while true {
            while i + 9 >= bytes.count {
                guard let more = try? handle.read(upToCount: 16_384), !more.isEmpty else { return nil }
                bytes += more
            }
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                let height = be16(bytes, i + 5), width = be16(bytes, i + 7)
                return width > 0 && height > 0 ? ImageSize(width: width, height: height) : nil
            }
            if marker == 0xD9 || marker == 0xDA { return nil }
            i += 2 + be16(bytes, i + 2)
        }
    }
}
