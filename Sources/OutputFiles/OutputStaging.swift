import Foundation

/// A whole tree written where readers do not look, then moved into the output folder: writers fill
/// `path` (a hidden `.wsol-partial-*` folder inside the target, so the final moves are renames on
/// the target's own file system, even when it is a mount point) and call `commit()`. A run that fails
/// or never commits removes its staging folder, so no half tree is ever left; commits hold a lock on
/// the target, so two runs at once each install a whole tree (the last one wins), never a mix.
public final class OutputStaging {
    /// The folder the user named.
    public let target: String
    /// Where to write until `commit()`.
    public let path: String
    public let owner: String
    private let force: Bool
    private var finished = false

    /// Claims `target` for `owner` (OutputFolder.claim: refusals happen here, before any work),
    /// clears staging folders that runs killed earlier left behind, and creates this run's.
    public init(target: String, force: Bool, owner: String) throws {
        self.target = URL(fileURLWithPath: target).standardizedFileURL.path
        self.owner = owner
        self.force = force
        try OutputFolder.claim(target, force: force, owner: owner)
        Self.removeAbandonedStaging(in: self.target)
        let suffix = "\(getpid())-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        path = (self.target as NSString).appendingPathComponent(OutputFolder.stagingPrefix + suffix)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            throw OutputFolderError(target, "cannot create a staging folder in it: " +
                                    OutputFolder.reason(error), refused: false)
        }
    }

    deinit { if !finished { discard() } }

    /// Removes the staging folder; the target is left as it was.
    public func discard() {
        finished = true
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Moves the staged tree into the target: the files this owner's previous run wrote (its marker
    /// lists them) are removed first, and nothing else: files the user added beside them stay, and one
    /// in the way of a new file is refused without `force`. With `force`, a foreign folder keeps its
    /// other files (same names replaced) and gets no marker, so the next run needs `--force` again.
    /// The marker is written last: a crash halfway leaves a folder without it, which the next run
    /// refuses rather than deletes.
    public func commit() throws {
        precondition(!finished, "OutputStaging committed twice")
        defer { if !finished { discard() } }
        let lock = open(target, O_RDONLY | O_DIRECTORY)
        guard lock >= 0, flock(lock, LOCK_EX) == 0 else {
            if lock >= 0 { close(lock) }
            throw OutputFolderError(target, "cannot lock the folder: " + Self.reason(errno), refused: false)
        }
        defer { close(lock) }
        // Read again under the lock: another run may have written the target since the claim.
        let state = try OutputFolder.state(of: target, owner: owner) ?? .fresh
        if state == .foreign && !force {
            throw OutputFolderError(target,
                                    "was filled by someone else while this run wrote; nothing written")
        }
        let staged = try files(under: path)
        if state == .ours {
            guard let previous = OutputFolder.listedFiles(in: target) else {
                if force { return try install(staged, marked: true) }
                throw OutputFolderError(target,
                    "was written by an older wsol whose marker does not list its files; "
                    + "choose a new folder, or pass --force (same-named files are replaced, "
                    + "others kept)")
            }
            let ours = Set(previous)
            if !force,
               let clash = staged.lazy.compactMap({ self.userEntry(inTheWayOf: $0, ours: ours) }).first {
                throw OutputFolderError(target,
                                        "holds \(clash), which \(owner) did not write; move it away or pass "
                                        + "--force to replace it")
            }
            try removeWritten(previous)
        }
        try install(staged, marked: state != .foreign)
    }

    private func install(_ staged: [String], marked: Bool) throws {
        try merge(from: path, into: target)
        try? FileManager.default.removeItem(atPath: path)
        finished = true
        if marked { try writeMarker(listing: staged) }
    }

    /// The marker, itself written whole (temporary name, then rename): the owner, then every file written.
    private func writeMarker(listing files: [String]) throws {
        let marker = (target as NSString).appendingPathComponent(OutputFolder.markerName)
        let text = ([owner, OutputFolder.listHeader] + files).joined(separator: "\n") + "\n"
        try io { try Data(text.utf8).write(to: URL(fileURLWithPath: marker), options: .atomic) }
    }

    /// Every entry below `folder`, as paths relative to it, folders with a trailing "/", sorted.
    private func files(under folder: String) throws -> [String] {
        guard let walk = FileManager.default.enumerator(atPath: folder) else {
            throw OutputFolderError(target, "cannot list the staged output", refused: false)
        }
        var found: [String] = []
        while let relative = walk.nextObject() as? String {
            found.append(walk.fileAttributes?[.type] as? FileAttributeType == .typeDirectory
                         ? relative + "/" : relative)
        }
        return found.sorted()
    }

    /// The first entry on `relative`'s way that exists in the target and is not one of the previous
    /// run's (a file where a folder or file goes, a folder where a file goes): the user's, not ours.
    private func userEntry(inTheWayOf relative: String, ours: Set<String>) -> String? {
        let parts = relative.split(separator: "/").map(String.init)
        for depth in 1...parts.count {
            let prefix = parts.prefix(depth).joined(separator: "/")
            let wantsFolder = depth < parts.count || relative.hasSuffix("/")
            var isDirectory: ObjCBool = false
            let full = (target as NSString).appendingPathComponent(prefix)
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { return nil }
            if wantsFolder && isDirectory.boolValue { continue }
            return ours.contains(prefix) || ours.contains(prefix + "/") ? nil : prefix
        }
        return nil
    }

    /// Removes the previous output's entries, deepest first: its files, then its folders left empty.
    private func removeWritten(_ previous: [String]) throws {
        for relative in previous.sorted(by: >) {
            let full = (target as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue && (try? entries(of: full))?.isEmpty != true { continue }
            try io { try FileManager.default.removeItem(atPath: full) }
        }
    }

    /// Moves every staged entry into `destination`, folders merged, same-named files replaced.
    private func merge(from source: String, into destination: String) throws {
        for name in try entries(of: source) {
            let from = (source as NSString).appendingPathComponent(name)
            let to = (destination as NSString).appendingPathComponent(name)
            var fromIsDirectory: ObjCBool = false, toIsDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: from, isDirectory: &fromIsDirectory)
            let exists = FileManager.default.fileExists(atPath: to, isDirectory: &toIsDirectory)
            if exists && fromIsDirectory.boolValue && toIsDirectory.boolValue {
                try merge(from: from, into: to)
                continue
            }
            if exists { try io { try FileManager.default.removeItem(atPath: to) } }
            guard rename(from, to) == 0 else {
                throw OutputFolderError(to, "cannot move into place: " + Self.reason(errno), refused: false)
            }
        }
    }

    private func entries(of folder: String) throws -> [String] {
        try io { try FileManager.default.contentsOfDirectory(atPath: folder) }
    }

    /// Runs a Foundation file operation, turning its error into one line naming the target.
    private func io<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as OutputFolderError { throw error } catch {
            throw OutputFolderError(target, "cannot write: \(OutputFolder.reason(error))", refused: false)
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Staging folders whose process is gone (killed before it could clean up).
    private static func removeAbandonedStaging(in target: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        for name in names where name.hasPrefix(OutputFolder.stagingPrefix) {
            let fields = name.dropFirst(OutputFolder.stagingPrefix.count).split(separator: "-")
            let pid = fields.first.flatMap { Int32($0) }
            if let pid, kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (target as NSString).appendingPathComponent(name))
            }
        }
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
