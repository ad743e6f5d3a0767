/// A weights-file problem, as one line that names the file (and the key when there is one).
public struct WeightsError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ path: String, _ what: String) {
        // One line, whatever the file contained.
        let line = "\(path): \(what)".map { $0.isNewline ? " " : $0 }
        message = String(line)
    }

    public var description: String { message }
}
