import Testing
import Models
@testable import WSOL

/// The memory estimate by hand: resnet18 cam at 128 px with a 1024-wide head and 200 classes.
///   parameters = 11.2e6 + 512 x 1024 x 9 + 1024 x 1024 x 9 + 1024 x 200 = 25,560,576; x 4 bytes x 3
///   per image  = 16 MiB (measured at 128 px) + F3's 8 x 8 x 200 floats x 4 bytes x 3 (without
///   gradients: 3.5 MiB + F3's floats once)
@Suite struct MemoryEstimateTests {
    let spec = ModelSpec(architecture: .resnet18, numClasses: 200, headWidth: 1024, imageSize: 128)
    let cam = MethodOptions(method: .cam, architecture: .resnet18)

    @Test func handComputedTerms() throws {
        let estimate = MemoryEstimate(spec: spec, options: cam, batch: 10, training: true)
        #expect(estimate.fixedBytes == 25_560_576 * 12)
        #expect(estimate.bytesPerImage == 16 * 1_048_576 + 64 * 200 * 12)
        #expect(estimate.bytes == estimate.fixedBytes + 10 * estimate.bytesPerImage)
        let forward = MemoryEstimate(spec: spec, options: cam, batch: 10, training: false)
        #expect(forward.fixedBytes == 25_560_576 * 4 && forward.bytesPerImage == 3.5 * 1_048_576 + 64 * 200 * 4)
    }

    /// Each image adds its activations, four times as many pixels four times as much; a mask method adds
    /// its per-class maps; the class count reaches the estimate through the maps and the head.
    @Test func growsWithBatchSizeClassesAndMethod() throws {
        let one = MemoryEstimate(spec: spec, options: cam, batch: 1, training: true)
        var large = spec
        large.imageSize = 256
        let larger = MemoryEstimate(spec: large, options: cam, batch: 1, training: true)
        #expect(abs(larger.bytesPerImage / one.bytesPerImage - 4) < 0.01)
        let sfpnsc = MemoryEstimate(spec: spec, options: MethodOptions(method: .sfpnsc, architecture: .resnet18),
                                    batch: 1, training: true)
        #expect(sfpnsc.bytesPerImage - one.bytesPerImage == (256 + 1024) * 200 * 12)
        #expect(sfpnsc.fixedBytes - one.fixedBytes == (256 + 64) * 200 * 9 * 12)
    }

    @Test func refusalNamesTheEstimateAndTheBatchThatFits() throws {
        let estimate = MemoryEstimate(spec: spec, options: cam, batch: 100, training: true)
        let available = estimate.fixedBytes + 40.5 * estimate.bytesPerImage
        #expect(estimate.largestBatch(within: available) == 40)
        #expect(estimate.largestBatch(within: estimate.fixedBytes / 2) == 0)
        #expect(throws: Never.self) { try estimate.check(what: "x", available: estimate.bytes) }
        do {
            try estimate.check(what: "train: a step", available: available)
            Issue.record("an estimate above what is available must throw")
        } catch let error as WSOLError {
            #expect(error.message.hasPrefix("train: a step needs about "), "\(error.message)")
            #expect(error.message.contains("--batch-size 40 or smaller fits"), "\(error.message)")
        }
        do {
            try estimate.check(what: "model", available: 1)
            Issue.record("an estimate above what is available must throw")
        } catch let error as WSOLError {
            #expect(error.message.contains("not even one image fits"), "\(error.message)")
        }
    }
}
