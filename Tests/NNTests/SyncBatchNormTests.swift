import Foundation
import NN
import TestSupport
import Testing
import Torch

/// Sync-BN on two ranks (two threads, Gloo over loopback) against one BatchNorm2d on the whole
/// batch: outputs, input gradients, parameter gradients summed over ranks, running statistics; and
/// the detached pass with batch statistics (BAS's background pass).
@Suite("Sync-BN", .serialized)
struct SyncBatchNormTests {
    init() { configureTestRuntime }

    static func input() -> [Double] {
        (0..<300).map { (i: Int) -> Double in
            let wave: Double = sin(Double(i) * 0.37) * 2
            return wave + Double(i % 3)
        }
    }

    /// The loss's fixed weights.
    static func lossWeights() -> [Double] { (0..<300).map { (i: Int) -> Double in Double(i % 7) - 3 } }

    /// The whole batch [4, 3, 5, 5] through one layer, loss sum(y * w) with fixed weights w.
    static func whole(detached: Bool) throws -> (y: [Double], dx: [Double], dgamma: [Double], mean: [Double], variance: [Double]) {
        let bn = try BatchNorm2d(3)
        _ = try bn.weight.detach().copy_(Tensor([0.5, 1.5, 2.0], shape: [3]).to(.float32))
        let x = try Tensor(input(), shape: [4, 3, 5, 5]).to(.float32).requiringGrad(true)
        let y = detached ? try bn.runDetached(.batchStatistics) { try bn(x) } : try bn(x)
        let w = try Tensor(lossWeights(), shape: [4, 3, 5, 5]).to(.float32)
        try (y * w).sum().backward()
        return (try y.doubles(), try x.grad!.doubles(), try bn.weight.grad?.doubles() ?? [0, 0, 0],
                try bn.runningMean.doubles(), try bn.runningVar.doubles())
    }

    func compare(detached: Bool) throws {
        let reference = try Self.whole(detached: detached)
        let port = try freeLoopbackPort()
        let halves = try onTwoRanks { rank -> (y: [Double], dx: [Double], dgamma: [Double], mean: [Double], variance: [Double]) in
            let group = try ProcessGroup(backend: "gloo", masterAddress: "127.0.0.1", masterPort: port, rank: rank, size: 2,
                                         timeout: 30)
            let bn = try BatchNorm2d(3)
            bn.syncGroup = group
            _ = try bn.weight.detach().copy_(Tensor([0.5, 1.5, 2.0], shape: [3]).to(.float32))
            let all = Self.input()
            let x = try Tensor(Array(all[(rank * 150)..<((rank + 1) * 150)]), shape: [2, 3, 5, 5]).to(.float32).requiringGrad(true)
            let y = detached ? try bn.runDetached(.batchStatistics) { try bn(x) } : try bn(x)
            let w = try Tensor(Array(Self.lossWeights()[(rank * 150)..<((rank + 1) * 150)]), shape: [2, 3, 5, 5]).to(.float32)
            try (y * w).sum().backward()
            return (try y.doubles(), try x.grad!.doubles(), try bn.weight.grad?.doubles() ?? [0, 0, 0],
                    try bn.runningMean.doubles(), try bn.runningVar.doubles())
        }
        #expect(relativeError(halves[0].y + halves[1].y, reference.y) < 1e-5)
        #expect(relativeError(halves[0].dx + halves[1].dx, reference.dx) < 1e-5)
        // Each rank's parameter gradient covers its half: their sum is the whole batch's.
        #expect(relativeError(zip(halves[0].dgamma, halves[1].dgamma).map(+), reference.dgamma) < 1e-5)
        for half in halves {
            #expect(relativeError(half.mean, reference.mean) < 1e-5)
            #expect(relativeError(half.variance, reference.variance) < 1e-5)
        }
    }

    @Test func trainingModeEqualsTheWholeBatch() throws { try compare(detached: false) }

    /// Detached: batch statistics, running statistics untouched, no parameter gradient.
    @Test func detachedBatchStatisticsPassEqualsTheWholeBatch() throws { try compare(detached: true) }
}
