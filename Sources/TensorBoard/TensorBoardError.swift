/// A failed TensorBoard write or a refused argument, as one line naming the event file (or the tag)
/// and what to do.
public struct TensorBoardError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
