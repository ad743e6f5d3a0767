import Testing
import TestSupport
import Torch
@testable import WeightsIO

@Suite("matching a file's keys to a model's", .serialized)
struct StateDictMatcherTests {
    init() { configureTestRuntime }

    private let expected: [(key: String, shape: [Int])] = [
        ("conv.weight", [4, 3, 3, 3]), ("bn.weight", [4]), ("bn.num_batches_tracked", []), ("head.weight", [5, 4]),
    ]

    private func file(_ shapes: [(String, [Int])]) throws -> StateDict {
        var dict = StateDict()
        for (key, shape) in shapes { dict.set(key, try Tensor([Float](repeating: 1, count: shape.reduce(1, *)), shape: shape)) }
        return dict
    }

    @Test func exactMatchFillsNumBatchesTrackedAndSkipsAllowedKeys() throws {
        let dict = try file([("conv.weight", [4, 3, 3, 3]), ("bn.weight", [4]), ("head.weight", [5, 4]), ("fc.weight", [9, 2])])
        let report = try StateDictMatcher.match(expected: expected, file: dict, strict: true, path: "f.pth",
                                                allowSkip: { $0.hasPrefix("fc.") })
        #expect(report.isExact)
        #expect(report.filledNumBatchesTracked == ["bn.num_batches_tracked"])
        #expect(report.skipped == ["fc.weight"])
        #expect(try StateDictMatcher.zeroNumBatchesTracked().item() == 0)
    }

    @Test func strictModeNamesFileAndKey() throws {
        let missing = try file([("conv.weight", [4, 3, 3, 3]), ("bn.weight", [4])])
        #expect(throws: WeightsError("f.pth", "key head.weight is missing (1 missing in all)")) {
            try StateDictMatcher.match(expected: expected, file: missing, strict: true, path: "f.pth")
        }
        let wrong = try file([("conv.weight", [4, 3, 3, 3]), ("bn.weight", [5]), ("head.weight", [5, 4])])
        #expect(throws: WeightsError("f.pth", "key bn.weight has shape [5], the model expects [4]")) {
            try StateDictMatcher.match(expected: expected, file: wrong, strict: true, path: "f.pth")
        }
        let extra = try file([("conv.weight", [4, 3, 3, 3]), ("bn.weight", [4]), ("head.weight", [5, 4]), ("fc.bias", [9])])
        #expect(throws: WeightsError("f.pth", "key fc.bias is not in the model (1 unexpected in all)")) {
            try StateDictMatcher.match(expected: expected, file: extra, strict: true, path: "f.pth")
        }
    }

    @Test func nonStrictModeListsEverything() throws {
        let dict = try file([("conv.weight", [4, 3, 3, 3]), ("bn.weight", [5]), ("other", [1])])
        let report = try StateDictMatcher.match(expected: expected, file: dict, strict: false, path: "f.pth")
        #expect(report.missing == ["head.weight"])
        #expect(report.unexpected == ["other"])
        #expect(report.mismatched.map(\.key) == ["bn.weight"])
        #expect(report.mismatched.first?.found == [5])
        #expect(!report.isExact)
    }
}
