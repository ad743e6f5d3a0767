import Foundation
import TestSupport
import Testing
import Torch

/// The c10d bridge with a group of 2 inside one process (two threads, Gloo over loopback): in-place
/// sums and broadcasts over mixed dtypes, the all-reduce autograd differentiates, the bucketed
/// gradient averager.
@Suite("Process group", .serialized)
struct ProcessGroupTests {
    init() { configureTestRuntime }

    func group(_ rank: Int, port: Int) throws -> ProcessGroup {
        try ProcessGroup(backend: "gloo", masterAddress: "127.0.0.1", masterPort: port, rank: rank, size: 2, timeout: 30)
    }

    @Test func sumsAndBroadcastsInPlace() throws {
        let port = try freeLoopbackPort()
        let out = try onTwoRanks { rank -> [[Double]] in
            let g = try group(rank, port: port)
            let a = try Tensor([1.0 + Double(rank), 2], shape: [2]).to(.float32)
            let b = try Tensor([10 * (rank + 1)], shape: [1])
            try g.allReduceSum([a, b])
            let c = try Tensor([Double(rank) + 5, 7], shape: [2])
            try g.broadcastFromRankZero([c])
            try g.barrier()
            return [try a.doubles(), try b.doubles(), try c.doubles()]
        }
        for values in out {
            #expect(values[0] == [3, 4] && values[1] == [30] && values[2] == [5, 7])
        }
    }

    /// y = sum over ranks of x_r; L_r = sum(c_r * y): dL/dx_r summed over ranks' losses = c_0 + c_1.
    @Test func differentiableSumBackwardSumsGradients() throws {
        let port = try freeLoopbackPort()
        let out = try onTwoRanks { rank -> (y: [Double], grad: [Double]) in
            let g = try group(rank, port: port)
            let x = try Tensor([Double(rank + 1), 3], shape: [2]).to(.float32).requiringGrad(true)
            let y = try g.differentiableSum(x)
            let c = try Tensor([rank == 0 ? 1.0 : 10.0, 100], shape: [2]).to(.float32)
            try (y * c).sum().backward()
            return (try y.doubles(), try x.grad!.doubles())
        }
        for r in out {
            #expect(r.y == [3, 6])
            #expect(r.grad == [11, 200])
        }
    }

    /// Each rank's gradient of p is a_r; after finish() both hold the mean, in two buckets.
    @Test func averagerAveragesGradientsInBuckets() throws {
        let port = try freeLoopbackPort()
        let out = try onTwoRanks { rank -> (grads: [[Double]], buckets: Int, overlapped: Int, untouched: Bool) in
            let g = try group(rank, port: port)
            let p = try Tensor.zeros([1000]).requiringGrad(true)
            let q = try Tensor.zeros([3]).requiringGrad(true)
            let unused = try Tensor.zeros([2]).requiringGrad(true)
            let averager = try GradientAverager([p, q, unused], group: g, bucketBytes: 4000)
            var grads: [[Double]] = []
            var overlapped = 0
            for step in 0..<2 {
                let scale = Double((rank + 1) * (step + 1))
                try ((p * scale).sum() + (q * (2 * scale)).sum()).backward()
                try averager.finish()
                overlapped = averager.overlappedBuckets
                grads.append([try p.grad!.doubles()[0], try q.grad!.doubles()[2]])
                _ = try p.grad!.zero_()
                _ = try q.grad!.zero_()
            }
            return (grads, averager.bucketCount, overlapped, unused.grad == nil)
        }
        for r in out {
            #expect(r.grads == [[1.5, 3], [3, 6]])
            #expect(r.buckets == 2)
            // p's bucket is complete as soon as its gradient arrives: started inside backward. The other
            // holds the unused parameter, so it starts in finish().
            #expect(r.overlapped == 1)
            #expect(r.untouched, "a parameter without a gradient keeps none")
        }
    }

    @Test func aMissingPeerTimesOutWithOneError() throws {
        let started = Date()
        #expect(throws: CollectiveError.self) {
            _ = try ProcessGroup(backend: "gloo", masterAddress: "127.0.0.1", masterPort: try freeLoopbackPort(), rank: 0,
                                 size: 2, timeout: 2)
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }
}
