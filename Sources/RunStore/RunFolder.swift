import Foundation
import OutputFiles
import WSOL

/// A run is a folder (ARCHITECTURE.md, Conventions): `config.json`, `log.jsonl` (one JSON object per
/// line), TensorBoard event files and `checkpoints/`. Created under the output-folder rule; a resumed
/// run must already hold its config.
public final class RunFolder {
    public let path: String
    private var log: FileHandle?
    /// The open lock file: held (flock) for the life of the process, so a second training on this
    /// folder is refused while this one runs, and freed by the kernel however this one ends.
    private var lock: Int32 = -1

    public static let owner = "wsol train"
    /// What a run writes in its folder: `--force` removes these and nothing else.
    static let runEntries = ["config.json", "log.jsonl", "checkpoints", "tensorboard"]
    static let lockName = ".wsol-train.lock"

    /// A new run (the folder is claimed: missing, empty, or one `wsol train` wrote before with `force`).
    /// With `force` the earlier run's files go first, so nothing of it (log lines, events, `best`) mixes
    /// into the new one; files the user put beside them stay.
    public init(creating path: String, force: Bool) throws {
        self.path = path
        let state = try OutputFolder.claim(path, force: force, owner: Self.owner)
        if state == .ours && !force && FileManager.default.fileExists(atPath: configPath) {
            throw TrainingError("\(path): holds a run already; pass --resume to continue it, "
                                + "or --force to start over",
                                exitCode: 2)
        }
        try takeLock()
        if force {
            for name in Self.runEntries where FileManager.default.fileExists(atPath: file(name)) {
                do { try FileManager.default.removeItem(atPath: file(name)) } catch {
                    throw TrainingError("\(file(name)): cannot remove the earlier run's files "
                                        + "(\(OutputFolder.reason(error)))")
                }
            }
        }
        try OutputFolder.mark(path, owner: Self.owner)
        try FileManager.default.createDirectory(atPath: checkpointsFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tensorboardFolder, withIntermediateDirectories: true)
    }

    /// An existing run, to resume.
    public init(resuming path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw TrainingError("\(path): no config.json: not a run folder to resume", exitCode: 2)
        }
        try takeLock()
    }

    deinit { if lock >= 0 { close(lock) } }

    /// Takes the folder's training lock, or refuses (exit 2) naming the process that holds it.
    private func takeLock() throws {
        let lockPath = file(Self.lockName)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TrainingError("\(lockPath): cannot open the run's lock file "
                                + "(\(String(cString: strerror(errno))))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw TrainingError("\(path): another training (process \(holder.isEmpty ? "unknown" : holder)) "
                                + "is writing "
                                + "this run; wait for it or choose another --out", exitCode: 2)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        lock = fd
    }

    /// The run as a rank other than 0 sees it: paths only; it writes nothing there.
    public init(unwritten path: String) {
        self.path = path
    }

    public var configPath: String { file("config.json") }
    public var logPath: String { file("log.jsonl") }
    public var checkpointsFolder: String { file("checkpoints") }
    /// TensorBoard's event files (`tensorboard --logdir RUN` finds them).
    public var tensorboardFolder: String { file("tensorboard") }
    public func checkpoint(_ name: String) -> String {
        (checkpointsFolder as NSString).appendingPathComponent("\(name).safetensors")
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    public func writeConfig(_ config: RunConfig) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(config).write(to: URL(fileURLWithPath: configPath), options: .atomic)
        } catch {
            throw TrainingError("\(configPath): cannot write (\(error.localizedDescription))")
        }
    }

    /// config.json's bytes (to send to the other ranks).
    public func configBytes() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw TrainingError("\(configPath): cannot read", exitCode: 2)
        }
        return [UInt8](data)
    }

    public func readConfig() throws -> RunConfig { try readConfig(from: configBytes()) }

    /// Parses config.json's bytes, read here or received from rank 0.
    public func readConfig(from bytes: [UInt8]) throws -> RunConfig {
        do {
            return try JSONDecoder().decode(RunConfig.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw TrainingError("\(configPath): not a run's config (\(error.summary))", exitCode: 2)
        }
    }

    /// `checkpoints/<which>.safetensors` of the run folder `run` (`--run DIR --which best|last`).
    public static func checkpointPath(run: String, which: String) throws -> String {
        let path = RunFolder(unwritten: run).checkpoint(which)
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainingError("\(run): no checkpoints/\(which).safetensors in this run folder",
                                exitCode: 2)
        }
        return path
    }

    /// The config of the run whose `checkpoints/` folder holds `checkpoint`; nil when it is in none, or
    /// the run's config.json cannot be read.
    public static func config(ofRunHolding checkpoint: String) -> RunConfig? {
        let folder = (URL(fileURLWithPath: checkpoint).standardizedFileURL.path as NSString)
            .deletingLastPathComponent
        guard (folder as NSString).lastPathComponent == "checkpoints" else { return nil }
        return try? RunFolder(unwritten: (folder as NSString).deletingLastPathComponent).readConfig()
    }

    /// Removes the lines log.jsonl holds past `step` (written by a run killed after its last checkpoint),
    /// so a resumed run does not log those steps twice. Lines without a step stay.
    public func dropLogLines(afterStep step: Int) throws {
        guard let data = FileManager.default.contents(atPath: logPath) else { return }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n",
                                                                omittingEmptySubsequences: true)
        let kept = lines.filter { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let logged = object["step"] as? Int else { return true }
            return logged <= step
        }
        guard kept.count < lines.count else { return }
        log = nil
        let text = kept.map { $0 + "\n" }.joined()
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: logPath), options: .atomic) } catch {
            throw TrainingError("\(logPath): cannot rewrite (\(OutputFolder.reason(error)))")
        }
    }

    /// Appends one line to log.jsonl, written through at once (a killed run keeps every line it logged).
    public func log(_ record: [String: Any]) throws {
        if log == nil {
            if !FileManager.default.fileExists(atPath: logPath) {
                _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            }
            log = FileHandle(forWritingAtPath: logPath)
            _ = try log?.seekToEnd()
        }
        guard let log else { throw TrainingError("\(logPath): cannot open for writing") }
        let clean = record.mapValues { value -> Any in
            if let d = value as? Double, !d.isFinite { return NSNull() }
            return value
        }
        var data = try JSONSerialization.data(withJSONObject: clean,
                                              options: [.sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        try log.write(contentsOf: data)
    }
}
