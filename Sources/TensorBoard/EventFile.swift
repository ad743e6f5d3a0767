import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One event file, created new (never replacing a file) and appended to in whole records.
final class EventFile {
    let path: String
    private var descriptor: Int32
    /// Bytes written so far, all of them whole records.
    private var length: off_t = 0

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Numbers the files this process creates, so two writers started in the same second differ.
    private static let counter = Counter()

    /// Creates `directory` when missing and a new `events.out.tfevents.<seconds>.<host>.<pid>.<n>`
    /// in it.
    static func create(in directory: String) throws -> EventFile {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), !isFolder.boolValue {
            throw TensorBoardError("\(directory): exists and is not a folder; "
                + "choose another TensorBoard log folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TensorBoardError("\(directory): cannot create the TensorBoard log folder; "
                + "choose a writable one")
        }
        let stem = "events.out.tfevents.\(Int(Date().timeIntervalSince1970)).\(hostName()).\(getpid())"
        // Another process with our pid on a shared folder may own a name already: take the next one.
        for _ in 0..<1000 {
            let path = (directory as NSString).appendingPathComponent("\(stem).\(counter.next())")
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            let code = errno
            if fd >= 0 { return EventFile(path: path, descriptor: fd) }
            if code != EEXIST {
                throw TensorBoardError("\(path): cannot create event file (\(describe(code))); "
                    + "check the folder's permissions")
            }
        }
        throw TensorBoardError("\(directory): no free name for \(stem).<n>; remove old event files")
    }

    /// Appends `bytes`. On failure the file is cut back to its last whole record, so a later write
    /// (e.g. after disk space is freed) still leaves a readable file, and the error names the file.
    func appendRecords(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                let code = errno
                if n < 0 && code == EINTR { continue }
                if n <= 0 {
                    let reason = n < 0 ? describe(code) : "nothing written"
                    _ = ftruncate(descriptor, length)
                    _ = lseek(descriptor, length, SEEK_SET)
                    throw TensorBoardError("\(path): cannot write TensorBoard events (\(reason)); "
                        + "check free space and permissions")
                }
                offset += n
            }
        }
        length += off_t(bytes.count)
    }

    func finish() throws {
        guard descriptor >= 0 else { return }
        let status = close(descriptor)
        let code = errno
        descriptor = -1
        if status != 0 { throw TensorBoardError("\(path): cannot close event file (\(describe(code)))") }
    }

    deinit { if descriptor >= 0 { _ = close(descriptor) } }

    private static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let host = String(cString: name).replacingOccurrences(of: "/", with: "_")
        return host.isEmpty ? "localhost" : host
    }
}

private func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

/// A lock-protected counter (the package still supports macOS 13, older than Swift's Atomic).
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
