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
        #expect(try WeightsFile.detectFormat(fixture("model_zip.pth")) == .pytorchZip)
        #expect(try WeightsFile.detectFormat(fixture("model_legacy.pth")) == .pytorchLegacy)
        #expect(try WeightsFile.detectFormat(fixture("model_2017.pth")) == .pytorchLegacy)
        #expect(try WeightsFile.detectFormat(fixture("model.safetensors")) == .safetensors)
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
}
