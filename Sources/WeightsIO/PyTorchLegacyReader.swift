/// The sequential format of PyTorch before 1.6 (and `_use_new_zipfile_serialization=False`): pickles of
/// the magic number, the protocol version, system info, the object and the storage keys, then each
/// storage as an 8-byte element count and its raw bytes.
enum PyTorchLegacyReader {
    /// 0x1950a86a20f9469cfc6c, as pickle's LONG1 stores it (little-endian).
    static let magic: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    static func load(_ bytes: UnsafeRawBufferPointer, path: String) throws -> StateDict {
        var reader = ByteReader(bytes, path: path)
        func next() throws -> (value: PickleValue, end: Int, storageTypes: [String: StoredDType]) {
            let unpickled = try Unpickler.load(reader)
            reader.position = unpickled.end
            return unpickled
        }
        guard case .bigInt(let number) = try next().value, number == magic else {
            throw WeightsError(path, "wrong magic number (not a PyTorch file)")
        }
        guard case .int(1001) = try next().value else {
            throw WeightsError(path, "unsupported legacy protocol version")
        }
        if case .dict(let info) = try next().value,
           info.entries.contains(where: {
               if case (.string("little_endian"), .bool(false)) = $0 { return true } else { return false }
           }) {
            throw WeightsError(path, "big-endian storages are not supported")
        }
        // Element sizes come from the storage types the object named, inside the state dict or not.
        let (object, _, types) = try next()
        guard case .list(let keyList) = try next().value else {
            throw WeightsError(path, "storage key list missing")
        }
        var storages: [String: UnsafeRawBufferPointer] = [:]
        for item in keyList.items {
            guard case .string(let key) = item else {
                throw WeightsError(path, "storage key is a \(item.typeName)")
            }
            guard let dtype = types[key] else {
                throw WeightsError(path, "storage \(key) is listed but the pickle never names it")
            }
            let count = try reader.length(8, what: "storage \(key) size")
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.elementSize)
            guard !overflow else { throw WeightsError(path, "storage \(key) size \(count) is out of range") }
            storages[key] = try reader.take(byteCount, what: "storage \(key)")
        }
        return try PickledStateDict.load(object, path: path) { ref in
            guard let storage = storages[ref.key] else {
                throw WeightsError(path, "storage \(ref.key) missing from the file")
            }
            return storage
        }
    }
}
