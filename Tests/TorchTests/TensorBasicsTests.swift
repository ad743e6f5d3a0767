import Testing
import TestSupport
@testable import Torch

@Suite("Tensor basics", .serialized)
struct TensorBasicsTests {
    init() { configureTestRuntime }

    @Test func roundTripsSwiftArrays() throws {
        let f = try Tensor([1.5, -2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        #expect(f.shape == [2, 3])
        #expect(f.dtype == .float32)
        #expect(try f.floats() == [1.5, -2, 3, 4, 5, 6])
        let i = try Tensor([1, -2, Int(Int32.max) + 5], shape: [3])
        #expect(i.dtype == .int64)
        #expect(try i.ints() == [1, -2, Int(Int32.max) + 5])
        let b = try Tensor([0, 128, 255] as [UInt8], shape: [3, 1])
        #expect(b.dtype == .uint8)
        #expect(try b.bytes() == [0, 128, 255])
        #expect(try b.floats() == [0, 128, 255])
    }

    @Test func arithmeticBroadcastsLikePyTorch() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let row = try Tensor([10, 20, 30] as [Float], shape: [3])
        #expect(try (a + row).floats() == [11, 22, 33, 14, 25, 36])
        #expect(try (a - row).floats() == [-9, -18, -27, -6, -15, -24])
        #expect(try (a * row).floats() == [10, 40, 90, 40, 100, 180])
        #expect(try (row / a).floats() == [10, 10, 10, 2.5, 4, 5])
        #expect(try (a * 2 + 1).floats() == [3, 5, 7, 9, 11, 13])
        #expect(try (1 - a).floats() == [0, -1, -2, -3, -4, -5])
        #expect(try (6 / a).floats() == [6, 3, 2, 1.5, 1.2, 1])
        #expect(try (-a).floats() == [-1, -2, -3, -4, -5, -6])
        #expect(try a.sum().item() == 21)
        #expect(try a.mean().item() == 3.5)
        #expect(try a.sum(dims: [0]).floats() == [5, 7, 9])
        #expect(try a.mean(dims: [1], keepDim: true).shape == [2, 1])
        let m = try a.matmul(try Tensor([1, 0, 0, 1, 1, 1] as [Float], shape: [3, 2]))
        #expect(try m.floats() == [4, 5, 10, 11])
    }

    @Test func shapeErrorIsAThrownSwiftErrorWithLibtorchsMessage() throws {
        let a = try Tensor([Float](repeating: 1, count: 6), shape: [2, 3])
        let b = try Tensor([Float](repeating: 1, count: 4), shape: [4])
        do {
            _ = try a + b
            Issue.record("expected a shape error")
        } catch let error as TorchError {
            #expect(error.message.contains("must match the size of tensor b"))
            #expect(!error.message.contains("Exception raised from"), "backtrace leaked: \(error.message)")
        }
        #expect(throws: TorchError.self) { try a.matmul(a) }
        #expect(throws: TorchError.self) { try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }
    }

    @Test func tenThousandOperationsLeaveTheLiveCountUnchanged() throws {
        let a = try Tensor([Float](repeating: 0.5, count: 16), shape: [4, 4]).requiringGrad()
        let before = TorchRuntime.liveTensorCount
        for i in 0..<10_000 {
            let b = try a * 2 + Double(i)
            let c = try b.matmul(a).mean()
            if i % 1000 == 0 {
                try c.backward()
                _ = a.grad
                _ = try? (a + Tensor([1] as [Float], shape: [2]))  // failing ops must not leak either
            }
        }
        #expect(TorchRuntime.liveTensorCount == before)
    }

    @Test func autogradAndDetach() throws {
        let x = try Tensor([1, 2, 3] as [Float], shape: [3]).requiringGrad()
        #expect(x.requiresGrad)
        #expect(x.grad == nil)
        let y = try (x * x).sum()
        try y.backward()
        #expect(try x.grad?.floats() == [2, 4, 6])
        let d = x.detach()
        #expect(!d.requiresGrad)
        #expect(throws: TorchError.self) { try (d * 2).sum().backward() }
    }
}
