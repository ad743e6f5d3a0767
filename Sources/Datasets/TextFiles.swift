import Foundation

/// Writing the metadata text files of a dataset layout (CUB, wsolevaluation), each atomically.
enum TextFiles {
    static func write(_ files: [(name: String, text: String)], in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)), options: .atomic)
        }
    }
}
