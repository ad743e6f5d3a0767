extension DecodingError {
    /// Where a JSON file went wrong, for a one-line error naming the file: "missing key spec",
    /// "bad value at options.a1".
    public var summary: String {
        switch self {
        case .keyNotFound(let key, let context):
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            return "missing key \(path)"
        case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "bad value at \(path.isEmpty ? "top level" : path)"
        @unknown default: return "malformed"
        }
    }
}
