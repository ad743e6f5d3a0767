import Foundation
import OutputFiles

/// A checkpoint is three files that must change together: the weights (`<name>.safetensors`), their
/// sidecar (`<name>.json`) and the optimizer state (`<name>.optimizer.safetensors`). A save writes all
/// three into `checkpoints/.staging-<name>/`, marks the set complete, then renames each into place.
/// A process killed anywhere in that leaves, on the next start, either the previous whole set (the
/// staging folder had no mark: it is removed) or the new whole set (it had one: the renames are
/// finished), never weights of one step with the optimizer state of another.
package struct CheckpointSet {
    package let folder: String
    package let name: String

    package init(folder: String, name: String) {
        self.folder = folder
        self.name = name
    }

    static let completeMark = "COMPLETE"

    package var staging: String { (folder as NSString).appendingPathComponent(".staging-\(name)") }
    /// Where the save writes the weights (the sidecar and the optimizer state go beside them).
    package var stagedWeights: String { (staging as NSString).appendingPathComponent("\(name).safetensors") }
    private var files: [String] { ["\(name).safetensors", "\(name).json", "\(name).optimizer.safetensors"] }

    /// Finishes or drops what a killed save left, then opens a fresh staging folder.
    package func begin() throws {
        try recover()
        try attempt("create") {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        }
    }

    /// Marks the staged set complete and moves it into place.
    package func commit() throws {
        let mark = (staging as NSString).appendingPathComponent(Self.completeMark)
        try attempt("mark") { try Data().write(to: URL(fileURLWithPath: mark), options: .atomic) }
        try finishRenames()
    }

    /// A staging folder left by a killed save: completed (marked) sets are moved into place, others
    /// removed. Nothing to do when there is none.
    package func recover() throws {
        guard FileManager.default.fileExists(atPath: staging) else { return }
        let mark = (staging as NSString).appendingPathComponent(Self.completeMark)
        if FileManager.default.fileExists(atPath: mark) { return try finishRenames() }
        try attempt("remove") { try FileManager.default.removeItem(atPath: staging) }
    }

    private func finishRenames() throws {
        for file in files {
            let from = (staging as NSString).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: from) else { continue }  // moved before a kill
            let to = (folder as NSString).appendingPathComponent(file)
            guard rename(from, to) == 0 else {
                let reason = String(cString: strerror(errno))
                throw TrainingError("\(to): cannot move the checkpoint into place (\(reason))")
            }
        }
        try attempt("remove") { try FileManager.default.removeItem(atPath: staging) }
    }

    private func attempt(_ what: String, _ body: () throws -> Void) throws {
        do { try body() } catch {
            throw TrainingError("\(staging): cannot \(what) the checkpoint's staging folder "
                                + "(\(OutputFolder.reason(error)))")
        }
    }
}
