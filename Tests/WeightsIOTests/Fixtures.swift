import Foundation
import Testing
import TestSupport
import Torch
@testable import WeightsIO

/// The files Tests/reference/weights_files.py writes with Debian's PyTorch (run once per process).
let fixtureRun = Result { try Reference.run("weights_files.py") }

func fixture(_ name: String) throws -> String { try fixtureRun.get().appendingPathComponent(name).path }

/// The four encodings of the same state dict (the 2017 file holds its float/long/byte tensors only).
let fixtureFiles = ["model_zip.pth", "model_legacy.pth", "model_2017.pth", "model.safetensors"]

/// A tensor's elements as raw little-endian bytes, the way .npy stores them.
func rawBytes(_ t: Tensor) throws -> Data {
    switch t.dtype {
    case .float32: return try t.floats().withUnsafeBufferPointer { Data(buffer: $0) }
    case .float64: return try t.doubles().withUnsafeBufferPointer { Data(buffer: $0) }
    case .int64: return try t.ints().map { Int64($0) }.withUnsafeBufferPointer { Data(buffer: $0) }
    case .int32: return try t.ints().map { Int32($0) }.withUnsafeBufferPointer { Data(buffer: $0) }
    case .uint8, .bool: return Data(try t.bytes())
    }
}

/// Copies `source` to a fresh temporary file with `edit` applied to its bytes.
func editedCopy(of source: String, name: String, _ edit: (inout [UInt8]) -> Void) throws -> String {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
    edit(&bytes)
    let path = try temporaryDirectory(prefix: "weights-edit").appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Loading `path` fails with one line that names the file.
func expectOneLineError(_ path: String, containing fragments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try WeightsFile.load(path)
        Issue.record("\(path) loaded but should not have", sourceLocation: sourceLocation)
    } catch let error as WeightsError {
        #expect(!error.message.contains("\n"), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(path), "\(error.message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "\(error.message) lacks \(fragment)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("not a WeightsError: \(error)", sourceLocation: sourceLocation)
    }
}
