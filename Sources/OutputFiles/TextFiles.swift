import Foundation

/// Writing the metadata text files of a dataset layout (CUB, wsolevaluation), each atomically.
package enum TextFiles {
    package static func write(_ files: [(name: String, text: String)], in folder: String) throws {
        for (name, text) in files {
            let path = (folder as NSString).appendingPathComponent(name)
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw OutputFolderError(path, "cannot write: \(OutputFolder.reason(error))", refused: false)
            }
        }
    }
}
