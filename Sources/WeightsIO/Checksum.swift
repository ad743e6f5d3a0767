import Foundation
import Torch

/// torchvision's naming convention: in `<name>-<hex>.<ext>` the hex is the start of the file's SHA-256.
public enum Checksum {
    public static func sha256Hex(_ path: String) throws -> String {
        if let problem = RegularFile.problem(path) { throw WeightsError(path, problem) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WeightsError(path, "cannot read file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 22) ?? Data() } catch {
                let reason = (error as NSError).localizedFailureReason ?? "I/O error"
                throw WeightsError(path, "cannot read file: \(reason)")
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of bytes in memory, as hex.
    public static func sha256Hex(bytes: [UInt8]) -> String {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The hex prefix in the file name, or nil when the name carries none.
    public static func namePrefix(_ path: String) -> String? {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard let dash = stem.lastIndex(of: "-") else { return nil }
        let hex = stem[stem.index(after: dash)...]
        guard hex.count >= 6, hex.allSatisfy(\.isHexDigit) else { return nil }
        return hex.lowercased()
    }

    /// True when the file's SHA-256 starts with the hex in its name; throws when the name has none.
    public static func verifyNamePrefix(_ path: String) throws -> Bool {
        guard let prefix = namePrefix(path) else {
            throw WeightsError(path, "file name carries no SHA-256 prefix (expected <name>-<hex>.<ext>)")
        }
        return try sha256Hex(path).hasPrefix(prefix)
    }
}
