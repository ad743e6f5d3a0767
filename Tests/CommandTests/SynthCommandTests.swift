import Foundation
import Testing
import TestSupport

@Suite("wsol synth", .serialized)
struct SynthCommandTests {
    init() { configureTestRuntime }

    /// docs/SYNTH.md's recorded fingerprint, recomputed as the doc says: SHA-256 over the sorted
    /// per-file SHA-256 lines of the generated folder.
    @Test func theGeneratorIsFrozen() throws {
        let doc = try String(contentsOf: Reference.repoRoot.appendingPathComponent("docs/SYNTH.md"), encoding: .utf8)
        let line = try #require(doc.split(separator: "\n").first { $0.hasPrefix("Fingerprint: `") })
        let recorded = line.split(separator: "`")[1]
        let options = line.split(separator: "`")[3]
        let dir = try temporaryDirectory(prefix: "synthfp").path
        let made = try runProcess(wsolBinary, ["synth", "--out", dir] + options.split(separator: " ").dropFirst(4).map(String.init))
        #expect(made.status == 0, "\(made.output)")
        let files = "find . -type f ! -name .wsol-output | LC_ALL=C sort"
        let hash = try runProcess("/bin/bash", ["-c", "cd '\(dir)' && \(files) | xargs sha256sum | sha256sum | cut -d' ' -f1"])
        #expect(hash.output.trimmingCharacters(in: .whitespacesAndNewlines) == String(recorded))
    }

    @Test func badOptionsExitTwo() throws {
        let dir = try temporaryDirectory(prefix: "synthbad").path
        for args in [["--classes", "0"], ["--classes", "201"], ["--size", "8"], ["--train-per-class", "0", "--test-per-class", "0"]] {
            let r = try runProcess(wsolBinary, ["synth", "--out", dir + "/x"] + args)
            #expect(r.status == 2, "\(args): \(r.output)")
            #expect(r.output.hasPrefix("error: --"), "\(r.output)")
        }
    }
}
