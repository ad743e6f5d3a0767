import ArgumentParser
import WeightsIO

/// `wsol weights verify FILE...`: checks each file's SHA-256 against the hex prefix in its name.
struct WeightsVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that each file's SHA-256 starts with the hex in its name (<name>-<hex>.<ext>); " +
            "exit 1 on a mismatch, 2 when a file cannot be checked."
    )

    @Argument(help: "Weight files named <name>-<hex>.<ext>, as torchvision names them.")
    var files: [String]

    /// Every file is checked, whatever happened to the ones before it: a mismatch prints MISMATCH, a
    /// file that cannot be checked (missing, a folder, a pipe, no hex in its name) prints one error
    /// line. Exit 2 when any could not be checked, else 1 when any mismatched.
    func run() throws {
        var bad: [String] = [], unchecked: [String] = []
        for file in files {
            do {
                let ok = try Checksum.verifyNamePrefix(file)
                print("\(ok ? "ok      " : "MISMATCH") \(file)")
                if !ok { bad.append(file) }
            } catch {
                // One file: its error is the one line; several: one line each, then the summary.
                if files.count == 1 { throw CommandFailure("\(error)", exitCode: 2) }
                printError("error: \(error)")
                unchecked.append(file)
            }
        }
        if !unchecked.isEmpty {
            throw CommandFailure("\(unchecked.count) of \(files.count) files could not be checked: " +
                                 unchecked.joined(separator: ", "), exitCode: 2)
        }
        if !bad.isEmpty {
            throw CommandFailure("\(bad.joined(separator: ", ")): SHA-256 does not match the name; "
                + "delete and download again", exitCode: 1)
        }
    }
}
