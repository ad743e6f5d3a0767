import Foundation
import Torch

/// Work spread over the commands' worker threads: as many as libtorch's thread count (Entry sets it
/// from WSOL_THREADS, else every core), so one variable controls all of a command's parallelism.
enum ParallelWork {
    static var workerCount: Int { max(1, TorchRuntime.numThreads) }

    /// Runs `add(&part, i)` for every i in 0..<count: each worker fills its own part (from `make`)
    /// over a contiguous slice, and the parts are merged in slice order, so the result is the one a
    /// single thread would give whenever `merge` is associative. The first error (in slice order) is
    /// thrown. With `progress`, "<progress>: i/count" is shown on stderr when it is a terminal.
    static func accumulate<Part>(count: Int, progress: String? = nil, make: () -> Part,
                                 add: (inout Part, Int) throws -> Void,
                                 merge: (inout Part, Part) -> Void) throws -> Part {
        let workers = max(1, min(workerCount, count))
        var parts = (0..<workers).map { _ in make() }
        var failures = [Error?](repeating: nil, count: workers)
        let meter = progress.map { ProgressLine(label: $0, total: count) }
        parts.withUnsafeMutableBufferPointer { partBuffer in
            failures.withUnsafeMutableBufferPointer { failureBuffer in
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    do {
                        for i in (count * w / workers)..<(count * (w + 1) / workers) {
                            try add(&partBuffer[w], i)
                            meter?.tick()
                        }
                    } catch {
                        failureBuffer[w] = error
                    }
                }
            }
        }
        meter?.finish()
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        var total = parts[0]
        for part in parts.dropFirst() { merge(&total, part) }
        return total
    }
}

/// "<label>: i/N" rewritten in place on stderr, only when stderr is a terminal; thread-safe.
private final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let total: Int
    private var done = 0
    private let lock = NSLock()
    private let enabled = isatty(2) != 0

    init(label: String, total: Int) { self.label = label; self.total = total }

    func tick() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        done += 1
        if done % 50 == 0 || done == total {
            FileHandle.standardError.write(Data("\r\(label): \(done)/\(total)".utf8))
        }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
