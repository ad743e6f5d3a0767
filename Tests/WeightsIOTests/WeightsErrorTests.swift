import Foundation
import Testing
import TestSupport
import Torch
@testable import WeightsIO

@Suite("bad weight files give one-line errors", .serialized)
struct WeightsErrorTests {
    init() { configureTestRuntime }

    @Test(arguments: fixtureFiles)
    func truncatedFilesAreRefused(file: String) throws {
        let size = try Data(contentsOf: URL(fileURLWithPath: fixture(file))).count
        for length in [0, 7, 20, size / 3, size / 2, size - 1] {
            let path = try editedCopy(of: fixture(file), name: "cut-\(length)-\(file)") { $0.removeSubrange(length...) }
            expectOneLineError(path)
        }
    }

    @Test func wrongMagicNumberIsRefused() throws {
        // The legacy file opens with PROTO 2, LONG1 of 10 bytes: the magic number.
        let path = try editedCopy(of: fixture("model_legacy.pth"), name: "magic.pth") { $0[6] ^= 0xff }
        expectOneLineError(path, containing: ["wrong magic number"])
    }

    @Test func malformedSafetensorsHeaderIsRefused() throws {
        let path = try editedCopy(of: fixture("model.safetensors"), name: "json.safetensors") { bytes in
            let end = bytes.firstIndex(of: UInt8(ascii: ":"))!
            bytes[end] = UInt8(ascii: ";")
        }
        expectOneLineError(path, containing: ["not a JSON object"])
    }

    @Test func unknownDTypeNamesTheKey() throws {
        let path = try editedCopy(of: fixture("model.safetensors"), name: "dtype.safetensors") { bytes in
            let at = bytes.firstRange(of: Array("\"I32\"".utf8))!.lowerBound
            bytes.replaceSubrange((at + 1)..<(at + 4), with: Array("X32".utf8))
        }
        expectOneLineError(path, containing: ["extra.int32", "unsupported dtype X32"])
    }

    @Test(arguments: ["evil_zip.pth", "evil_legacy.pth"])
    func forbiddenGlobalIsRefusedAndNeverRun(file: String) throws {
        let marker = try fixtureRun.get().appendingPathComponent("pwned").path
        expectOneLineError(try fixture(file), containing: ["forbidden global posix.system"])
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// Hand-assembled pickles (Tests/reference/weights_files.py), inside a zip and a legacy file: cycles,
    /// a container held twice and chains far deeper than any stack are refused in one line; 64 levels
    /// of nesting are accepted (and then found not to be a state dict).
    @Test(arguments: [
        ("self_dict", "pickle: a dict inside itself"),
        ("cyclic_list", "pickle: a list inside itself"),
        ("cyclic_dicts", "pickle: a dict inside itself"),
        ("shared_list", "pickle: a list held by two containers"),
        ("list_chain", "pickle: nesting deeper than 64"),
        ("tuple_chain", "pickle: nesting deeper than 64"),
        ("nested_64", "holds a list, not a state dict"),
        ("nested_65", "pickle: nesting deeper than 64"),
    ], ["zip", "legacy"])
    func craftedContainersAreRefused(crafted: (name: String, error: String), format: String) throws {
        expectOneLineError(try fixture("crafted_\(crafted.name)_\(format).pth"), containing: [crafted.error])
    }

    @Test func storageNamedWithTwoTypesIsRefused() throws {
        expectOneLineError(try fixture("storage_two_types.pth"), containing: ["storage root is named as both float32 and int64"])
    }

    @Test func safetensorsOffsetsMustTileTheBuffer() throws {
        // Two 2-element float32 tensors (8 bytes each).
        let overlap = try safetensorsFile("overlap", [("a", [0, 8]), ("b", [4, 12])], bufferBytes: 12)
        expectOneLineError(overlap, containing: ["key b: data_offsets [4, 12] overlap another tensor's bytes"])
        let gap = try safetensorsFile("gap", [("a", [0, 8]), ("b", [12, 20])], bufferBytes: 20)
        expectOneLineError(gap, containing: ["key b: data_offsets [12, 20] leave bytes 8..<12 of the data buffer unused"])
        let late = try safetensorsFile("late", [("a", [4, 12])], bufferBytes: 12)
        expectOneLineError(late, containing: ["key a: data_offsets [4, 12] leave bytes 0..<4"])
        let trailing = try safetensorsFile("trailing", [("a", [0, 8])], bufferBytes: 12)
        expectOneLineError(trailing, containing: ["4 bytes of the data buffer after key a belong to no tensor"])
        // An empty tensor shares its offset with the next one: in order, not an overlap.
        let empty = try safetensorsFile("empty", [("b", [8, 16]), ("e", [8, 8]), ("a", [0, 8])], bufferBytes: 16)
        #expect(try WeightsFile.load(empty).keys == ["a", "e", "b"])
    }

    /// A safetensors file of float32 tensors with the given data_offsets (2 elements each, 0 for an
    /// empty range) over a zero buffer of `bufferBytes`.
    private func safetensorsFile(_ name: String, _ tensors: [(key: String, offsets: [Int])], bufferBytes: Int) throws -> String {
        var header: [String: Any] = [:]
        for t in tensors {
            header[t.key] = ["dtype": "F32", "shape": [(t.offsets[1] - t.offsets[0]) / 4], "data_offsets": t.offsets]
        }
        let text = try JSONSerialization.data(withJSONObject: header)
        var file = withUnsafeBytes(of: UInt64(text.count).littleEndian) { Data($0) }
        file.append(text)
        file.append(Data(count: bufferBytes))
        let path = try temporaryDirectory(prefix: "offsets").appendingPathComponent("\(name).safetensors").path
        try file.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func missingFileIsOneLine() throws {
        expectOneLineError("/nonexistent/weights.pth", containing: ["cannot read file"])
    }

    /// 200 random single-byte corruptions of each encoding: each loads or throws one line, never crashes.
    @Test(arguments: fixtureFiles)
    func randomCorruptionsNeverCrash(file: String) throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(file))))
        var random = SeededGenerator(seed: UInt64(file.utf8.count) &* 7919)
        let dir = try temporaryDirectory(prefix: "weights-fuzz")
        let path = dir.appendingPathComponent("fuzz-\(file)").path
        var failures = 0
        for _ in 0..<200 {
            var bytes = original
            let at = Int(random.next() % UInt64(bytes.count))
            bytes[at] ^= UInt8(1 + random.next() % 255)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try WeightsFile.load(path)
            } catch let error as WeightsError {
                failures += 1
                #expect(!error.message.contains("\n") && error.message.hasPrefix(path), "\(error.message)")
            }
        }
        #expect(failures > 0, "no corruption was detected at all")
    }
}
