import Foundation
import Testing
import TestSupport
@testable import WeightsIO

@Suite("SHA-256 and torchvision's file-name prefix", .serialized)
struct ChecksumTests {
    @Test func matchesSha256sum() throws {
        let dir = try temporaryDirectory(prefix: "sha")
        var random = SeededGenerator(seed: 11)
        // Lengths around the 55/56/64-byte padding edges, and several megabytes.
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4_194_305 + 17] {
            let path = dir.appendingPathComponent("blob-\(length)").path
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let tool = try runProcess("/usr/bin/sha256sum", [path])
            #expect(try Checksum.sha256Hex(path) == String(tool.output.prefix(64)), "length \(length)")
        }
    }

    @Test func namePrefixAcceptsTheFileAndRejectsACorruptedCopy() throws {
        let dir = try temporaryDirectory(prefix: "sha-name")
        let source = try fixture("model_zip.pth")
        let hex = try Checksum.sha256Hex(source)
        let good = dir.appendingPathComponent("small-\(hex.prefix(8)).pth").path
        try FileManager.default.copyItem(atPath: source, toPath: good)
        #expect(try Checksum.verifyNamePrefix(good))
        let bad = try editedCopy(of: good, name: "small-\(hex.prefix(8)).pth") { $0[$0.count / 2] ^= 1 }
        #expect(try !Checksum.verifyNamePrefix(bad))
        #expect(Checksum.namePrefix("/w/vgg16-397923af.pth") == "397923af")
        #expect(Checksum.namePrefix("/w/inception_v3_google-0cc3c7bd.pth") == "0cc3c7bd")
        #expect(throws: WeightsError.self) { try Checksum.verifyNamePrefix("/w/plain.pth") }
    }
}
