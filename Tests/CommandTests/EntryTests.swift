import Foundation
import Testing
import TestSupport
import Torch
@testable import WSOLCommands

/// The built `wsol` executable, next to the test bundle in the build folder.
let wsolBinary: String = {
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundleDir, bundleDir.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("wsol").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return bundleDir.appendingPathComponent("wsol").path
}()

@Suite("wsol entry point and doctor", .serialized)
struct EntryTests {
    init() { configureTestRuntime }

    @Test func usageErrorsExitTwoAndPrintUsage() throws {
        let unknown = try runProcess(wsolBinary, ["--no-such-option"])
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("Usage: wsol"))
        let badSub = try runProcess(wsolBinary, ["doctor", "--frobnicate"])
        #expect(badSub.status == 2)
        #expect(badSub.output.contains("Usage: wsol doctor"))
        #expect(Entry.run(["--help"]) == 0)
    }

    /// Freed memory stays in the process unless WSOL_RETAIN_MEMORY=0 or the user tunes glibc's malloc
    /// (docs/COMMANDS.md); on glibc the settings take.
    @Test func retainingFreedMemoryDefersToTheUser() {
        #expect(Entry.retainsFreedMemory([:]))
        #expect(Entry.retainsFreedMemory(["WSOL_RETAIN_MEMORY": "1", "MALLOC": "x"]))
        #expect(!Entry.retainsFreedMemory(["WSOL_RETAIN_MEMORY": "0"]))
        #expect(!Entry.retainsFreedMemory(["MALLOC_ARENA_MAX_": "2"]))
        #expect(!Entry.retainsFreedMemory(["GLIBC_TUNABLES": "glibc.malloc.trim_threshold=0"]))
        #expect(TorchRuntime.retainFreedMemory())
    }

    @Test func doctorNamesOpenBLASAndPassesItsCheck() throws {
        let text = try runProcess(wsolBinary, ["doctor"])
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.lowercased().contains("openblas"), "\(text.output)")
        let json = try runProcess(wsolBinary, ["doctor", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["libtorch"] as? String != nil)
        #expect((object?["blas"] as? String)?.lowercased().contains("openblas") == true)
        #expect(object?["threads"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
        #expect(object?["check"] as? String == "ok (matmul and conv2d with gradient)")
    }

    @Test func threadCountComesFromTheEnvironment() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["WSOL_THREADS"] = "1"
        let json = try runProcess(wsolBinary, ["doctor", "--json"], environment: environment)
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["threads"] as? Int == 1)
    }
}
