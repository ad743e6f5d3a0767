import Foundation

extension Entry {
    /// `wsol` as the process runs it: the raw arguments, each required to be UTF-8. Swift would
    /// otherwise repair a Latin-1 file name into U+FFFD and the file would be "missing" although it
    /// exists; instead the argument is named (bytes as \xHH) with what to do. Exit 2 then.
    public static func main() -> Int32 {
        var arguments: [String] = []
        for i in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[i] else { continue }
            guard let text = String(validatingCString: raw) else {
                let start = UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self)
                let bytes = UnsafeBufferPointer(start: start, count: strlen(raw))
                printError("error: argument '\(escaped(bytes))' is not UTF-8; wsol reads UTF-8 file names " +
                           "only: rename the file (e.g. convmv -f latin1 -t utf8 --notest FILE)")
                return 2
            }
            arguments.append(text)
        }
        return run(arguments)
    }

    /// Printable ASCII as is, every other byte as \xHH.
    static func escaped(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
        }.joined()
    }
}
