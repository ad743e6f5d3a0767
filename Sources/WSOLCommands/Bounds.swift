import ArgumentParser
import Foundation

/// Every number a user can type is checked here against its range before anything is allocated
/// (ARCHITECTURE.md, Conventions): too large, too small or malformed is one line and exit 2. The
/// ranges of library concepts live with them (SynthGenerator.sizes, Thresholds.minInterval); the
/// command-only ones are below.
enum Bounds {
    /// WSOL_THREADS: each libtorch thread costs milliseconds at start-up, so thousands would stall
    /// every command before it began.
    static let threads = 1...512
    /// Loader and benchmark knobs.
    static let workers = 0...256
    static let batchSize = 1...4096
    static let epochs = 1...10_000
    static let imageSize = 32...2048
    static let steps = 1...100_000
    static let repeats = 1...10_000
    static let operations = 2...1_000_000_000
    static let topk = 1...100_000
    /// The data loader's decoding threads in train, eval and export-maps.
    static let loaderWorkers = 0...64

    /// `--workers` of a command that loads a dataset (a usage error, exit 2, outside `loaderWorkers`).
    static func validateLoaderWorkers(_ workers: Int) throws {
        guard loaderWorkers.contains(workers) else {
            throw ValidationError("--workers must be \(loaderWorkers.lowerBound) to "
                + "\(loaderWorkers.upperBound)")
        }
    }

    /// `value` when it lies in `range`, else a one-line failure naming the option (exit 2).
    @discardableResult
    static func check<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ name: String) throws -> T {
        guard range.contains(value) else {
            throw CommandFailure("\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)",
                                 exitCode: 2)
        }
        return value
    }

    /// The thread count WSOL_THREADS asks for (nil when unset or empty), or a one-line failure when
    /// it is not an integer in `threads`.
    static func threads(from environment: [String: String]) throws -> Int? {
        let text = environment["WSOL_THREADS"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw CommandFailure("WSOL_THREADS='\(text)' is not an integer; set it to a thread count in " +
                                 "\(threads.lowerBound)...\(threads.upperBound) or unset it", exitCode: 2)
        }
        return try check(value, threads, "WSOL_THREADS")
    }
}
