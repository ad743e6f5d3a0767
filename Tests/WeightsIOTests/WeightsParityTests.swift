import Foundation
import Testing
import TestSupport
import Torch
@testable import WeightsIO

@Suite("weight files read exactly what torch.load reads", .serialized)
struct WeightsParityTests {
    init() { configureTestRuntime }

    /// Plus a training checkpoint (optimizer tensors on storages outside the state dict, zip and legacy)
    /// and legacy tensors on storage views, as torch < 0.4 wrote them.
    @Test(arguments: fixtureFiles + ["checkpoint_zip.pth", "checkpoint_legacy.pth", "storage_views.pth"])
    func everyTensorIsBitwiseTorchs(file: String) throws {
        let path = try fixture(file)
        let ours = try WeightsFile.load(path)
        let listing = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".keys.json"))) as! [[String]]
        #expect(ours.keys == listing.map { $0[0] }, "key order")
        for (i, item) in listing.enumerated() {
            let key = item[0]
            let reference = try NPY.read("\(path).\(i).npy")
            let tensor = try #require(ours[key], "\(key)")
            #expect(tensor.shape == reference.shape, "\(key)")
            #expect(ours.entries[i].storedDType.rawValue == item[1], "\(key)")
            #expect(try rawBytes(tensor) == reference.payload, "\(file) \(key) differs from torch.load")
        }
    }

    @Test func formatsAreDetected() throws {
        #expect(try WeightsFile.load(fixture("model_zip.pth")).format == .pytorchZip)
        #expect(try WeightsFile.load(fixture("model_legacy.pth")).format == .pytorchLegacy)
        #expect(try WeightsFile.load(fixture("model_2017.pth")).format == .pytorchLegacy)
        #expect(try WeightsFile.load(fixture("model.safetensors")).format == .safetensors)
        #expect(StateDict().format == nil)
        // A 128-byte header: the file starts with 0x80, like a pickle.
        let header = #"{"__metadata__":{"note":"header length 0x80"}}"#.padding(toLength: 128, withPad: " ", startingAt: 0)
        var bytes = withUnsafeBytes(of: UInt64(128).littleEndian) { Data($0) }
        bytes.append(Data(header.utf8))
        let path = try temporaryDirectory(prefix: "weights-format").appendingPathComponent("h.safetensors").path
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(try WeightsFile.load(path).format == .safetensors)
        #expect(try WeightsFile.load(fixture("model.safetensors")).metadata["source"] == "weights_files.py")
    }

    @Test func narrowTypesWidenExactly() throws {
        let dict = try WeightsFile.load(fixture("model_zip.pth"))
        #expect(dict["extra.float16"]?.dtype == .float32)
        #expect(dict["extra.bfloat16"]?.dtype == .float32)
        #expect(dict["bn.num_batches_tracked"]?.dtype == .int64)
        #expect(try dict["bn.num_batches_tracked"]?.item() == 7)
        #expect(dict["extra.bool"]?.dtype == .bool)
    }

    @Test func safetensorsRoundTripKeepsOrderTypesAndBytes() throws {
        let original = try WeightsFile.load(fixture("model_legacy.pth"))
        let out = try temporaryDirectory(prefix: "weights-roundtrip").appendingPathComponent("m.safetensors").path
        try WeightsFile.saveSafetensors(original, to: out, metadata: ["note": "a \"quoted\" value"])
        let back = try WeightsFile.load(out)
        #expect(back.keys == original.keys)
        #expect(back.metadata == ["note": "a \"quoted\" value"])
        for (entry, again) in zip(original.entries, back.entries) {
            #expect(again.tensor.dtype == entry.tensor.dtype, "\(entry.key)")
            #expect(again.tensor.shape == entry.tensor.shape, "\(entry.key)")
            #expect(try rawBytes(again.tensor) == rawBytes(entry.tensor), "\(entry.key)")
        }
    }

    @Test func saveWritesViewsRowMajorAndReplacesTheFileWhole() throws {
        let dir = try temporaryDirectory(prefix: "weights-save")
        let out = dir.appendingPathComponent("t.safetensors").path
        try Data("old contents".utf8).write(to: URL(fileURLWithPath: out))
        var dict = StateDict()
        let matrix = try Tensor((0..<6).map(Double.init), shape: [2, 3])
        dict.set("transposed", try matrix.transpose(0, 1))  // a non-contiguous view
        dict.set("flags", try matrix.gt(try Tensor([2.5], shape: [1])))
        try WeightsFile.saveSafetensors(dict, to: out)
        let back = try WeightsFile.load(out)
        #expect(try back["transposed"]?.doubles() == [0, 3, 1, 4, 2, 5])
        #expect(back["transposed"]?.shape == [3, 2])
        #expect(try back["flags"]?.bytes() == [0, 0, 0, 1, 1, 1])
        #expect(back.entries.map(\.storedDType) == [.float64, .bool])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["t.safetensors"], "temporary file left behind")
        #expect(throws: WeightsError.self) { try WeightsFile.saveSafetensors(dict, to: dir.appendingPathComponent("missing/t.safetensors").path) }
    }
}
