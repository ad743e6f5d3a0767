import Foundation
import Testing
import TestSupport
import Torch

/// Random ops: values are not comparable with PyTorch's, so these check seeding, shape, dtype and
/// statistics (bounds are 6 standard errors or more).
@Suite("Random tensor operations", .serialized)
struct RandomOpsTests {
    init() { configureTestRuntime }

    private func meanAndStd(_ values: [Float]) -> (Double, Double) {
        let n = Double(values.count)
        let mean = values.reduce(0) { $0 + Double($1) } / n
        let variance = values.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
        return (mean, variance.squareRoot())
    }

    @Test func manualSeedMakesDrawsRepeatable() throws {
        for draw in [{ try Tensor.rand([50]) }, { try Tensor.randn([50]) },
                     { try Tensor.zeros([50]).normal_(mean: 1, std: 2) },
                     { try Tensor.zeros([50]).uniform_(low: -1, high: 1) }] {
            TorchRuntime.manualSeed(17)
            let a = try draw().floats()
            TorchRuntime.manualSeed(17)
            let b = try draw().floats()
            TorchRuntime.manualSeed(18)
            let c = try draw().floats()
            #expect(a == b)
            #expect(a != c)
        }
    }

    @Test func randIsUniformOnTheUnitInterval() throws {
        TorchRuntime.manualSeed(1)
        let t = try Tensor.rand([40, 50, 10])
        #expect(t.shape == [40, 50, 10])
        #expect(t.dtype == .float32)
        let values = try t.floats()
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        let (mean, std) = meanAndStd(values)
        #expect(Swift.abs(mean - 0.5) < 0.02)
        #expect(Swift.abs(std - (1.0 / 12).squareRoot()) < 0.01)
    }

    @Test func randnIsStandardNormal() throws {
        TorchRuntime.manualSeed(2)
        let t = try Tensor.randn([100, 200])
        #expect(t.shape == [100, 200])
        #expect(t.dtype == .float32)
        let (mean, std) = meanAndStd(try t.floats())
        #expect(Swift.abs(mean) < 0.05)
        #expect(Swift.abs(std - 1) < 0.03)
    }

    @Test func normalAndUniformFillInPlace() throws {
        TorchRuntime.manualSeed(3)
        let w = try Tensor.zeros([100, 100]).requiringGrad()
        try w.normal_(mean: 2, std: 0.5)
        #expect(w.requiresGrad)
        let (mean, std) = meanAndStd(try w.floats())
        #expect(Swift.abs(mean - 2) < 0.03)
        #expect(Swift.abs(std - 0.5) < 0.02)
        let u = try Tensor.zeros([100, 100]).uniform_(low: -1, high: 3)
        let values = try u.floats()
        #expect(values.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(Swift.abs(meanAndStd(values).0 - 1) < 0.08)
    }

    @Test func dropoutZeroesAFractionPAndScalesTheRest() throws {
        TorchRuntime.manualSeed(4)
        let x = try Tensor.ones([200, 100]).requiringGrad()
        let y = try x.dropout(p: 0.3, training: true)
        let values = try y.floats()
        let zeros = Double(values.filter { $0 == 0 }.count) / Double(values.count)
        #expect(Swift.abs(zeros - 0.3) < 0.02)
        #expect(values.allSatisfy { $0 == 0 || Swift.abs($0 - Float(1 / 0.7)) < 1e-6 })
        try y.sum().backward()
        #expect(try x.grad?.floats() == values, "the gradient is the same mask and scale")
        #expect(try x.dropout(p: 0.3, training: false).floats() == x.floats())
        #expect(throws: TorchError.self) { try x.dropout(p: 1.5, training: true) }
    }
}
