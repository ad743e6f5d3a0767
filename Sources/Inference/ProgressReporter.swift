import Foundation

/// Progress of long work, rewritten in place on stderr when it is a terminal: "label: done/total,
/// rate unit/s, ETA m:ss[, detail]". Silent otherwise, so logs and CI stay clean. Thread-safe.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var done = 0
    private let lock = NSLock()
    private let enabled: Bool

    public init(label: String, total: Int, unit: String = "images", enabled: Bool = isatty(2) != 0) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled
    }

    /// Adds `count` finished units; redraws at most five times a second.
    public func advance(by count: Int = 1, detail: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        done += count
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.2 || done >= total else { return }
        lastDraw = Date()
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line(detail))".utf8))
    }

    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K\(line(nil))\n".utf8)) }
    }

    /// The current line (also for callers that print plain progress lines themselves).
    public func line(_ detail: String?) -> String {
        let elapsed = max(Date().timeIntervalSince(start), 1e-6)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Int(Double(total - done) / rate) : 0
        var text =
            "\(label): \(done)/\(total), \(String(format: "%.1f", rate)) \(unit)/s, ETA \(remaining / 60):"
            + String(format: "%02d", remaining % 60)
        if let detail { text += ", \(detail)" }
        return text
    }
}
