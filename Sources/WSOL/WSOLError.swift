/// A one-line error for users of the WSOL layer (bad options, checkpoints that do not fit).
public struct WSOLError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
