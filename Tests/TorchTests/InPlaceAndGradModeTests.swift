import Foundation
import Testing
import TestSupport
import Torch

@Suite("In-place ops, grad mode and gradients", .serialized)
struct InPlaceAndGradModeTests {
    init() { configureTestRuntime }

    @Test func constantTensorsHaveTheirShapeTypeAndValue() throws {
        #expect(try Tensor.zeros([2, 3]).floats() == [Float](repeating: 0, count: 6))
        let ones = try Tensor.ones([4], dtype: .int64)
        #expect(ones.dtype == .int64)
        #expect(try ones.ints() == [1, 1, 1, 1])
        #expect(try Tensor.full([2], value: -1.5).floats() == [-1.5, -1.5])
        #expect(try Tensor.zeros([2, 0, 3]).shape == [2, 0, 3])
        #expect(throws: TorchError.self) { try Tensor.zeros([-1]) }
        #expect(throws: TorchError.self) { try Tensor.arange(end: 3, step: 0) }
    }

    @Test func inPlaceWritesWorkOnParametersAndAreNotRecorded() throws {
        let w = try Tensor.zeros([2, 3]).requiringGrad()
        try w.fill_(2).add_(1).mul_(2)
        #expect(try w.floats() == [Float](repeating: 6, count: 6))
        try w.copy_(try Tensor([1, 2, 3] as [Float], shape: [3]))  // broadcasts over rows
        #expect(try w.floats() == [1, 2, 3, 1, 2, 3])
        try w.copy_(try Tensor([7, 8, 9, 10, 11, 12], shape: [2, 3]))  // converts int64 to float32
        #expect(try w.floats() == [7, 8, 9, 10, 11, 12])
        // Still a leaf: a backward pass accumulates into it exactly as if never written.
        try (w * w).sum().backward()
        #expect(try w.grad?.floats() == [14, 16, 18, 20, 22, 24])
        try w.zero_()
        #expect(try w.floats() == [Float](repeating: 0, count: 6))
        #expect(throws: TorchError.self) { try w.copy_(try Tensor.zeros([4])) }
    }

    @Test func noGradScopeStopsRecordingAndRestoresTheModeEvenOnThrow() throws {
        let w = try Tensor.ones([3]).requiringGrad()
        #expect(TorchRuntime.isGradEnabled)
        let y = try withNoGrad { try w * 2 }
        #expect(!y.requiresGrad)
        #expect(TorchRuntime.isGradEnabled)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try withNoGrad {
                #expect(!TorchRuntime.isGradEnabled)
                throw Boom()
            }
        }
        #expect(TorchRuntime.isGradEnabled)
        let nested = try withNoGrad { try withNoGrad { try w + 1 } }
        #expect(!nested.requiresGrad)
        #expect(try (w * 2).requiresGrad)
    }

    @Test func noGradScopeIsPerThread() throws {
        /// Written by the other thread before it signals, read here after the wait.
        final class Observation: @unchecked Sendable { var gradEnabled = false }
        let seen = Observation()
        let done = DispatchSemaphore(value: 0)
        withNoGrad {
            let thread = Thread {
                seen.gradEnabled = TorchRuntime.isGradEnabled
                done.signal()
            }
            thread.start()
            done.wait()
        }
        #expect(seen.gradEnabled, "another thread keeps recording while this one is in withNoGrad")
    }

    @Test func zeroGradDropsOrZeroesTheGradient() throws {
        let w = try Tensor([1, 2] as [Float], shape: [2]).requiringGrad()
        try (w * 3).sum().backward()
        try w.zeroGrad(setToNone: false)
        #expect(try w.grad?.floats() == [0, 0])
        try (w * w).sum().backward()
        #expect(try w.grad?.floats() == [2, 4], "accumulates from zero")
        try w.zeroGrad()
        #expect(w.grad == nil)
        try w.zeroGrad()  // no gradient: nothing to do
    }

    @Test func dtypeAndDeviceMoves() throws {
        let x = try Tensor([1.5, -2.5, 3] as [Float], shape: [3])
        #expect(try x.to(.float64).dtype == .float64)
        #expect(try x.to(.int32).to(.int64).ints() == [1, -2, 3])
        #expect(try x.gt(0).to(.float32).floats() == [1, 0, 1])
        let moved = try x.to(device: "cpu")
        #expect(moved.device == "cpu")
        #expect(try moved.floats() == x.floats())
        if TorchRuntime.cudaIsAvailable {
            let gpu = try x.to(device: "cuda")
            #expect(gpu.device == "cuda:0")
            #expect(try gpu.to(device: "cpu").floats() == x.floats())
        }
        #expect(throws: TorchError.self) { try x.to(device: "nowhere") }
    }

    @Test func malformedArgumentsAreErrorsNotCrashes() throws {
        let x = try Tensor.arange(end: 24).reshape([2, 3, 4])
        #expect(throws: TorchError.self) { try x.slice(dim: 0, start: 0, end: 1, step: 0) }
        #expect(throws: TorchError.self) { try x.permute([2, 0, 1]).view([24]) }
        #expect(throws: TorchError.self) { try x.reshape([5, 5]) }
        #expect(throws: TorchError.self) { try x.clamp() }
        #expect(throws: TorchError.self) { try Tensor.cat([]) }
        #expect(throws: TorchError.self) { try Tensor.cat([x, try Tensor.zeros([2, 2, 2])], dim: 1) }
        #expect(throws: TorchError.self) { try x.indexSelect(dim: 0, index: try Tensor([5], shape: [1])) }
        #expect(throws: TorchError.self) { try x.unsqueeze(0).interpolate(size: [4, 4], mode: .nearest, alignCorners: true) }
        #expect(throws: TorchError.self) { try x.interpolate(size: [4, 4], mode: .bilinear) }
        #expect(throws: TorchError.self) { try x.topk(9) }
        #expect(throws: TorchError.self) { try crossEntropy(try Tensor.zeros([2, 3]), try Tensor.zeros([2])) }
        #expect(throws: TorchError.self) { try x.max(dim: 5) }
    }
}
