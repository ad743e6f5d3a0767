import Foundation

/// A problem found while reading a dataset, located by file and (when it has one) line.
public struct DataIssue: Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var file: String
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, file: String, line: Int? = nil, _ message: String) {
        self.severity = severity; self.file = file; self.line = line; self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// What a reader returns: the splits it found and every problem, errors and warnings alike. Readers
/// never stop at the first problem, so `wsol data check` can list them all.
public struct DatasetReadResult: Sendable {
    /// Splits by name (train, val, test), only those present.
    public var splits: [String: Dataset] = [:]
    public var issues: [DataIssue] = []
    /// Boxes that overshot the image by at most one pixel and were clipped (each also a warning).
    public var clippedBoxes = 0
    /// The warning about classes without a training image, also among `issues` (`train` prints it).
    public private(set) var classCoverageWarning: DataIssue?

    public init() {}

    public var errors: [DataIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [DataIssue] { issues.filter { $0.severity == .warning } }

    mutating func error(_ file: String, _ line: Int? = nil, _ message: String) {
        issues.append(DataIssue(.error, file: file, line: line, message))
    }

    mutating func warning(_ file: String, _ line: Int? = nil, _ message: String) {
        issues.append(DataIssue(.warning, file: file, line: line, message))
    }

    /// A warning naming the classes the train split has no image of (they can be neither learned nor
    /// localized): `data check` lists it, `train` prints it.
    public mutating func noteClassesWithoutTrainingImages(place: String) {
        guard let train = splits["train"], !train.samples.isEmpty else { return }
        let seen = Set(train.samples.map(\.label))
        let missing = train.classNames.indices.filter { !seen.contains($0) }
        guard !missing.isEmpty else { return }
        let names = missing.prefix(3).map { train.classNames[$0] }.joined(separator: ", ")
        let issue = DataIssue(.warning, file: place,
                              "\(missing.count) of \(train.classNames.count) classes have no "
                              + "training image (\(names)\(missing.count > 3 ? ", ..." : ""))")
        issues.append(issue)
        classCoverageWarning = issue
    }

    /// Splits in a fixed order: train, val, test, then any other name.
    public var orderedSplitNames: [String] {
        let known = ["train", "val", "test"]
        return known.filter { splits[$0] != nil } + splits.keys.filter { !known.contains($0) }.sorted()
    }

    /// Throws the first error, with the count of all, when reading found any.
    public func throwIfErrors() throws {
        if let first = errors.first {
            throw DatasetError(
                "\(first) (\(errors.count) error(s) in all; run `wsol data check` to list them)")
        }
    }

    /// The named split, or a thrown error when the dataset has errors or lacks the split. Training and
    /// evaluation use this: they refuse data that `wsol data check` would flag.
    public func requireSplit(_ name: String) throws -> Dataset {
        try throwIfErrors()
        guard let split = splits[name] else {
            throw DatasetError(
                "the dataset has no \(name) split (it has: \(orderedSplitNames.joined(separator: ", ")))")
        }
        return split
    }
}

/// A one-line error about a dataset (a file, a line, what is wrong).
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
