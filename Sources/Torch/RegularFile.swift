import Foundation

/// Readers open only regular files: opening a FIFO blocks until someone writes to it, a device can
/// be endless, and Foundation reports a folder as a raw NSCocoaErrorDomain error.
public enum RegularFile {
    /// nil when `path` is a regular file (after symbolic links), else what it is instead, phrased
    /// to follow "<path>: " ("cannot read file: no such file", "is a folder, not a file", ...).
    public static func problem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return "cannot read file: no such file" }
            return "cannot read file: \(String(cString: strerror(errno)))"
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a folder, not a file"
        default: return "is not a regular file (a pipe, socket or device); give a file"
        }
    }
}
