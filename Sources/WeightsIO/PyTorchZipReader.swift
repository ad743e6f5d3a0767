/// `torch.save` since PyTorch 1.6: a zip holding `<name>/data.pkl` and each storage as `<name>/data/<key>`.
enum PyTorchZipReader {
    static func load(_ bytes: UnsafeRawBufferPointer, path: String) throws -> StateDict {
        let archive = try ZipArchive(bytes, path: path)
        guard let pickle = archive.entries.first(where: {
            $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl")
        }) else {
            throw WeightsError(path, "zip archive without data.pkl (not a PyTorch file)")
        }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        if let order = archive.entries.first(where: { $0.name == prefix + "byteorder" }),
           String(decoding: UnsafeRawBufferPointer(
                      rebasing: bytes[order.dataOffset..<(order.dataOffset + order.size)]),
                  as: UTF8.self) != "little" {
            throw WeightsError(path, "big-endian storages are not supported")
        }
        var storages: [String: ZipArchive.Entry] = [:]
        for entry in archive.entries where entry.name.hasPrefix(prefix + "data/") {
            storages[String(entry.name.dropFirst(prefix.count + 5))] = entry
        }
        let pickleBytes = UnsafeRawBufferPointer(
            rebasing: bytes[pickle.dataOffset..<(pickle.dataOffset + pickle.size)])
        let object = try Unpickler.load(ByteReader(pickleBytes, path: path)).value
        return try PickledStateDict.load(object, path: path) { ref in
            guard let entry = storages[ref.key] else {
                throw WeightsError(path, "storage \(ref.key) missing from the archive")
            }
            return UnsafeRawBufferPointer(rebasing: bytes[entry.dataOffset..<(entry.dataOffset + entry.size)])
        }
    }
}
