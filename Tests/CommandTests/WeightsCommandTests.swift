import Foundation
import Testing
import TestSupport

@Suite("wsol weights inspect, convert and verify", .serialized)
struct WeightsCommandTests {
    init() { configureTestRuntime }

    private static let files = Result { try Reference.run("weights_files.py") }

    private func file(_ name: String) throws -> String { try Self.files.get().appendingPathComponent(name).path }

    @Test func inspectJSONListsKeysShapesTypesAndCount() throws {
        let result = try runProcess(wsolBinary, ["weights", "inspect", try file("model_zip.pth"), "--json"])
        #expect(result.status == 0, "\(result.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "pytorch-zip")
        #expect(object["file"] as? String == (try file("model_zip.pth")))
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.first?["key"] as? String == "conv.weight")
        #expect(tensors.first?["shape"] as? [Int] == [4, 3, 3, 3])
        #expect(tensors.first { $0["key"] as? String == "extra.float16" }?["dtype"] as? String == "float16")
        // 108 + 4 * 4 + 1 + 20 + 5 (model) + 6 + 6 + 5 + 4 + 3 + 3 + 3 + 12 + 12 + 12 + 6 + 1 + 0 (extras)
        #expect(object["parameters"] as? Int == 223)
    }

    @Test func convertWritesSafetensorsThatInspectReads() throws {
        let out = try temporaryDirectory(prefix: "convert").appendingPathComponent("m.safetensors").path
        let convert = try runProcess(wsolBinary, ["weights", "convert", try file("model_2017.pth"), out])
        #expect(convert.status == 0, "\(convert.output)")
        let inspect = try runProcess(wsolBinary, ["weights", "inspect", out])
        #expect(inspect.status == 0)
        #expect(inspect.output.contains("format      safetensors"))
        #expect(inspect.output.contains("extra.view_with_offset"))
    }

    @Test func badFilesExitTwoWithOneLine() throws {
        let evil = try runProcess(wsolBinary, ["weights", "inspect", try file("evil_zip.pth")])
        #expect(evil.status == 2)
        #expect(evil.output == "error: \(try file("evil_zip.pth")): pickle: forbidden global posix.system (a weights file may only name state-dict types)\n")
        let wrongOut = try runProcess(wsolBinary, ["weights", "convert", try file("model_zip.pth"), "/tmp/x.bin"])
        #expect(wrongOut.status == 2)
        let unnamed = try runProcess(wsolBinary, ["weights", "verify", try file("model_zip.pth")])
        #expect(unnamed.status == 2)
        #expect(unnamed.output == "error: \(try file("model_zip.pth")): file name carries no SHA-256 prefix (expected <name>-<hex>.<ext>)\n")
    }

    @Test func verifyChecksTheHashInTheName() throws {
        let dir = try temporaryDirectory(prefix: "verify")
        let hash = try runProcess("/usr/bin/sha256sum", [try file("model_zip.pth")]).output.prefix(8)
        let good = dir.appendingPathComponent("small-\(hash).pth").path
        try FileManager.default.copyItem(atPath: try file("model_zip.pth"), toPath: good)
        let ok = try runProcess(wsolBinary, ["weights", "verify", good])
        #expect(ok.status == 0, "\(ok.output)")
        let bad = dir.appendingPathComponent("small-00000000.pth").path
        try FileManager.default.copyItem(atPath: good, toPath: bad)
        let mismatch = try runProcess(wsolBinary, ["weights", "verify", good, bad])
        #expect(mismatch.status == 1)
        #expect(mismatch.output.contains("MISMATCH \(bad)"))
    }
}
