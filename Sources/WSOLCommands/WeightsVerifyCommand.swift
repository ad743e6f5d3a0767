import ArgumentParser
import WeightsIO

/// `wsol weights verify FILE...`: checks each file's SHA-256 against the hex prefix in its name.
struct WeightsVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that each file's SHA-256 starts with the hex in its name (<name>-<hex>.<ext>); exit 1 on a mismatch."
    )

    @Argument(help: "Weight files named <name>-<hex>.<ext>, as torchvision names them.")
    var files: [String]

    func run() throws {
        var bad: [String] = []
        for file in files {
            let ok = try Checksum.verifyNamePrefix(file)  // a WeightsError is bad input: exit 2 (Entry)
            print("\(ok ? "ok      " : "MISMATCH") \(file)")
            if !ok { bad.append(file) }
        }
        if !bad.isEmpty {
            throw CommandFailure("\(bad.joined(separator: ", ")): SHA-256 does not match the name; delete and download again", exitCode: 1)
        }
    }
}
