import Foundation

/// A whole tree written where nobody sees it, then put in place at once: writers fill `path` (a hidden
/// sibling of the target) and call `commit()`. A run that fails or never commits removes its staging
/// folder, so no half tree is ever left at the target; two runs at once each install a whole tree
/// (the last one wins), never a mix.
public final class OutputStaging {
    /// The folder the user named.
    public let target: String
    /// Where to write until `commit()`.
    public let path: String
    public let owner: String
    private let force: Bool
    private var finished = false

    /// Claims `target` for `owner` (OutputFolder.claim: refusals happen here, before any work) and
    /// creates the staging folder beside it.
    public init(target: String, force: Bool, owner: String) throws {
        self.target = URL(fileURLWithPath: target).standardizedFileURL.path
        self.owner = owner
        self.force = force
        try OutputFolder.claim(target, force: force, owner: owner)
        let parent = (self.target as NSString).deletingLastPathComponent
        let name = (self.target as NSString).lastPathComponent
        path = (parent as NSString).appendingPathComponent(".\(name).wsol-partial-\(Self.uniqueSuffix())")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            throw OutputFolderError(target, "cannot create a temporary folder beside it: " +
                                    OutputFolder.reason(error), refused: false)
        }
    }

    deinit { if !finished { discard() } }

    /// Removes the staging folder; the target is left as it was.
    public func discard() {
        finished = true
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Puts the staged tree in place: into an empty or missing target by one rename; over this
    /// owner's previous output by moving that aside first (then deleting it); with `force` into a
    /// foreign folder file by file (other files kept, no marker written, so the next run needs
    /// `--force` again).
    public func commit() throws {
        precondition(!finished, "OutputStaging committed twice")
        defer { if !finished { discard() } }
        // The target is re-read now: another run may have written it since the claim.
        let state = try OutputFolder.state(of: target, owner: owner) ?? .fresh
        if state == .foreign && !force {
            throw OutputFolderError(target, "was filled by someone else while this run wrote; nothing written")
        }
        if state != .foreign {
            let marker = (path as NSString).appendingPathComponent(OutputFolder.markerName)
            try write { try Data((owner + "\n").utf8).write(to: URL(fileURLWithPath: marker)) }
        }
        switch state {
        case .fresh:
            if rename(path, target) != 0 {
                let code = errno
                // Filled meanwhile by a concurrent run of the same command: replace it as our own.
                let filled = code == ENOTEMPTY || code == EEXIST
                guard filled, try OutputFolder.state(of: target, owner: owner) == .ours else {
                    throw OutputFolderError(target, "cannot put the output in place: " + Self.reason(code),
                                            refused: false)
                }
                try replace()
            }
        case .ours:
            try replace()
        case .foreign:
            try merge(from: path, into: target)
            try? FileManager.default.removeItem(atPath: path)
        }
        finished = true
    }

    /// Moves the previous output aside, renames the staged tree in, deletes the previous output.
    private func replace() throws {
        let old = path.replacingOccurrences(of: ".wsol-partial-", with: ".wsol-old-")
        guard rename(target, old) == 0 else {
            throw OutputFolderError(target, "cannot move the previous output aside: " + Self.reason(errno),
                                    refused: false)
        }
        guard rename(path, target) == 0 else {
            let reason = Self.reason(errno)
            _ = rename(old, target)
            throw OutputFolderError(target, "cannot put the output in place: \(reason)", refused: false)
        }
        try? FileManager.default.removeItem(atPath: old)
    }

    /// Moves every staged file into `destination`, folders merged, same-named files replaced.
    private func merge(from source: String, into destination: String) throws {
        for name in try write({ try FileManager.default.contentsOfDirectory(atPath: source) }) {
            let from = (source as NSString).appendingPathComponent(name)
            let to = (destination as NSString).appendingPathComponent(name)
            var fromIsDirectory: ObjCBool = false, toIsDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: from, isDirectory: &fromIsDirectory)
            let exists = FileManager.default.fileExists(atPath: to, isDirectory: &toIsDirectory)
            if exists && fromIsDirectory.boolValue && toIsDirectory.boolValue {
                try merge(from: from, into: to)
                continue
            }
            if exists { try write { try FileManager.default.removeItem(atPath: to) } }
            guard rename(from, to) == 0 else {
                throw OutputFolderError(to, "cannot move into place: " + Self.reason(errno), refused: false)
            }
        }
    }

    /// Runs a Foundation file operation, turning its error into one line naming the target.
    @discardableResult
    private func write<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as OutputFolderError { throw error } catch {
            throw OutputFolderError(target, "cannot write: \(OutputFolder.reason(error))", refused: false)
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func uniqueSuffix() -> String {
        "\(getpid())-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}

extension OutputFolder {
    /// Writes a whole tree into `target` through an `OutputStaging`: `body` gets the folder to fill.
    public static func write(_ target: String, force: Bool, owner: String,
                             _ body: (String) throws -> Void) throws {
        let staging = try OutputStaging(target: target, force: force, owner: owner)
        try body(staging.path)
        try staging.commit()
    }
}
