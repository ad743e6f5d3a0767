import Foundation

/// The output-folder rule of every command that writes (ARCHITECTURE.md, Conventions): it writes only
/// into a folder that does not exist, is empty, or holds the marker file the same command wrote there
/// before; anything else is refused in one line unless `force`. `/`, the home folder, a file and a
/// path under a file are refused always.
public enum OutputFolder {
    /// The marker file; its first line names the command that wrote the folder ("wsol synth").
    public static let markerName = ".wsol-output"
    /// Names of the staging folders inside an output folder (`.wsol-partial-<pid>-<random>`).
    static let stagingPrefix = ".wsol-partial-"
    /// The marker's second line when it lists the files its command wrote (one per line after it).
    static let listHeader = "# files written:"

    /// The files the marker of `folder` lists, relative to it; nil when it lists none (a folder
    /// written file by file, or by a wsol from before the list).
    static func listedFiles(in folder: String) -> [String]? {
        let marker = (folder as NSString).appendingPathComponent(markerName)
        guard let data = FileManager.default.contents(atPath: marker) else { return nil }
        let lines = String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[1] == listHeader else { return nil }
        // Only plain relative paths: an edited marker must not reach outside the folder.
        return lines.dropFirst(2).map(String.init).filter {
            !$0.isEmpty && !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..")
        }
    }

    public enum State: Equatable, Sendable {
        /// Missing (now created) or empty.
        case fresh
        /// Holds the marker of the same owner: its previous output, which may be replaced.
        case ours
        /// Holds other files; only reachable with `force`.
        case foreign
    }

    /// Checks that `owner` (e.g. "wsol synth") may write into `path`, creating the folder (and its
    /// parents) when missing. Throws a refusal naming the folder and what to do.
    @discardableResult
    public static func claim(_ path: String, force: Bool, owner: String) throws -> State {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        let home = URL(fileURLWithPath: NSHomeDirectory()).resolvingSymlinksInPath().path
        if resolved == "/" || resolved == home {
            let what = resolved == "/" ? "/" : "the home folder"
            throw OutputFolderError(path, "refusing to write into \(what); choose a new folder")
        }
        if let state = try state(of: absolute, owner: owner) {
            if state == .foreign && !force {
                throw OutputFolderError(path,
                    "folder is not empty and was not written by \(owner); choose a " +
                    "new folder, or pass --force to write into it (same-named files are " +
                    "replaced)")
            }
            return state
        }
        if let blocker = fileAncestor(of: absolute) {
            throw OutputFolderError(path, "cannot create the folder: \(blocker) is a file")
        }
        do {
            try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        } catch {
            throw OutputFolderError(path, "cannot create the folder: \(reason(error))", refused: false)
        }
        return .fresh
    }

    /// Writes the marker for a command that fills its folder file by file (a training run, localize's
    /// maps) instead of staging a whole tree: the folder is then that command's to write again.
    public static func mark(_ path: String, owner: String) throws {
        let marker = (path as NSString).appendingPathComponent(markerName)
        do { try Data((owner + "\n").utf8).write(to: URL(fileURLWithPath: marker), options: .atomic) } catch {
            throw OutputFolderError(path, "cannot write the folder's marker: \(reason(error))",
                                    refused: false)
        }
    }

    /// The state of an existing `path`, nil when nothing is there.
    static func state(of path: String, owner: String) throws -> State? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else {
            throw OutputFolderError(path, "is a file, not a folder; choose a folder")
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw OutputFolderError(path, "cannot list the folder: \(reason(error))")
        }
        // Staging folders of runs in progress (OutputStaging) are not content.
        let content = entries.filter { !$0.hasPrefix(stagingPrefix) }
        if content.isEmpty { return .fresh }
        guard content.contains(markerName) else { return .foreign }
        let marker = (path as NSString).appendingPathComponent(markerName)
        let text = FileManager.default.contents(atPath: marker).map { String(decoding: $0, as: UTF8.self) }
        let writer = text?.split(separator: "\n").first.map(String.init) ?? ""
        if writer == owner { return .ours }
        let other = writer.isEmpty ? "another command" : writer
        throw OutputFolderError(path, "holds the output of \(other), not \(owner); choose a new folder")
    }

    /// The nearest existing ancestor of `path` when it is not a folder (so nothing can be created below it).
    private static func fileAncestor(of path: String) -> String? {
        var current = (path as NSString).deletingLastPathComponent
        while current != "/" && !current.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : current
            }
            current = (current as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// Foundation's error as a short reason ("Permission denied"), never its raw domain/code text.
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteFileExists: return "a file is in the way"
        default: return ns.localizedFailureReason ?? "I/O error (\(ns.code))"
        }
    }
}

/// A refused or failed output folder, one line naming it. `refused`: bad input (exit 2), else an I/O
/// failure (exit 1).
public struct OutputFolderError: Error, CustomStringConvertible {
    public let message: String
    public let refused: Bool
    public init(_ path: String, _ what: String, refused: Bool = true) {
        message = "\(path): \(what)"
        self.refused = refused
    }
    public var description: String { message }
}
