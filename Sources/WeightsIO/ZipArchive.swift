/// The entries of a zip archive (as `torch.save` writes them: stored, not compressed), found through
/// the central directory. Every offset is checked against the buffer; zip64 records are followed.
struct ZipArchive {
    struct Entry {
        let name: String
        let dataOffset: Int
        let size: Int
    }

    let entries: [Entry]

    init(_ bytes: UnsafeRawBufferPointer, path: String) throws {
        let reader = ByteReader(bytes, path: path)
        func fail(_ what: String) -> WeightsError { WeightsError(path, "zip: \(what)") }
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65535.
        guard bytes.count >= 22 else { throw fail("truncated file (no end of central directory)") }
        var eocd = bytes.count - 22
        while eocd >= max(0, bytes.count - 22 - 65535), try reader.unsigned(at: eocd, 4) != 0x0605_4b50 {
            eocd -= 1
        }
        guard eocd >= 0, eocd >= bytes.count - 22 - 65535 else {
            throw fail("no end of central directory (truncated file?)")
        }
        var count = Int(try reader.unsigned(at: eocd + 10, 2))
        var directory = Int(try reader.unsigned(at: eocd + 16, 4))
        if count == 0xffff || directory == 0xffff_ffff {
            // zip64: a locator just before the record points at the 64-bit end record.
            guard eocd >= 20, try reader.unsigned(at: eocd - 20, 4) == 0x0706_4b50 else {
                throw fail("zip64 locator missing")
            }
            let record = try Self.offset(try reader.unsigned(at: eocd - 12, 8), bytes.count, fail)
            guard try reader.unsigned(at: record, 4) == 0x0606_4b50 else {
                throw fail("zip64 end record missing")
            }
            count = try Self.offset(try reader.unsigned(at: record + 32, 8), bytes.count, fail)
            directory = try Self.offset(try reader.unsigned(at: record + 48, 8), bytes.count, fail)
        }
        var cursor = ByteReader(bytes, path: path, position: directory)
        var entries: [Entry] = []
        for _ in 0..<count {
            guard try cursor.unsigned(4) == 0x0201_4b50 else {
                throw fail("bad central directory entry at offset \(cursor.position - 4)")
            }
            let header = try cursor.take(42, what: "central directory entry")
            func field(_ at: Int, _ width: Int) -> UInt64 {
                (0..<width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(header[at + $1]) }
            }
            let method = field(6, 2)
            var compressed = field(16, 4), size = field(20, 4), local = field(38, 4)
            let name = String(decoding: try cursor.take(Int(field(24, 2)), what: "entry name"), as: UTF8.self)
            var extra = ByteReader(try cursor.take(Int(field(26, 2)), what: "extra field"), path: path)
            _ = try cursor.take(Int(field(28, 2)), what: "entry comment")
            // zip64 extra field (id 1): the 64-bit values of the fields that read 0xffffffff, in order.
            while extra.remaining >= 4 {
                let id = try extra.unsigned(2)
                var body = ByteReader(try extra.take(Int(try extra.unsigned(2)), what: "extra field"),
                                      path: path)
                guard id == 1 else { continue }
                if size == 0xffff_ffff { size = try body.unsigned(8) }
                if compressed == 0xffff_ffff { compressed = try body.unsigned(8) }
                if local == 0xffff_ffff { local = try body.unsigned(8) }
            }
            guard method == 0, compressed == size else {
                throw fail("entry \(name) is compressed (method \(method)); only stored entries "
                           + "(as torch.save writes) are supported")
            }
            let localOffset = try Self.offset(local, bytes.count, fail)
            guard try reader.unsigned(at: localOffset, 4) == 0x0403_4b50 else {
                throw fail("entry \(name): bad local header")
            }
            let dataOffset = localOffset + 30 + Int(try reader.unsigned(at: localOffset + 26, 2))
                + Int(try reader.unsigned(at: localOffset + 28, 2))
            let length = try Self.offset(size, bytes.count, fail)
            guard dataOffset <= bytes.count, length <= bytes.count - dataOffset else {
                throw fail("entry \(name) runs past the end of the file (truncated?)")
            }
            entries.append(Entry(name: name, dataOffset: dataOffset, size: length))
        }
        self.entries = entries
    }

    private static func offset(_ value: UInt64, _ limit: Int,
                               _ fail: (String) -> WeightsError) throws -> Int {
        guard value <= UInt64(limit) else {
            throw fail("offset \(value) lies beyond the end of the file (truncated?)")
        }
        return Int(value)
    }
}
