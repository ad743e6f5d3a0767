import TestSupport
import Testing
import Torch
@testable import WSOL

/// `--map fused` on hand-made outputs: the mask and the class's CAM, each min-max normalized on the
/// largest map's grid, averaged (with sqrt(n(Mf1) x n(CAM)) where G1 exists).
@Suite struct FusedMapTests {
    /// Two classes; class 1 is selected, so class 0's planes (all 9s) must not leak into the map.
    func outputs(deep: [Double], deepSide: Int, cam: [Double], camSide: Int,
                 shallow: [Double]? = nil) throws -> WSOLOutputs {
        func planes(_ v: [Double], _ side: Int) throws -> Tensor {
            try Tensor(Array(repeating: 9, count: v.count) + v, shape: [1, 2, side, side])
        }
        return WSOLOutputs(scores: try Tensor([0, 1] as [Double], shape: [1, 2]), f3: try planes(cam, camSide),
                           deepMaps: try planes(deep, deepSide),
                           shallowMaps: try shallow.map { try planes($0, deepSide) }, mf2: nil, mf1: nil,
                           scoresForeground: nil, scoresBackground: nil)
    }

    func normalized(_ v: [Double]) -> [Double] {
        let low = v.min()!, high = v.max()!
        return v.map { ($0 - low) / (high - low + 1e-5) }
    }

    @Test func withTheShallowMapOnOneGrid() throws {
        let deep = [0.2, 0.4, 0.6, 1.0], cam = [-1.0, 0, 1, 3], shallow = [0.1, 0.9, 0.5, 0.3]
        let out = try outputs(deep: deep, deepSide: 2, cam: cam, camSide: 2, shallow: shallow)
        let map = try out.map(.fused, .groundTruth(Tensor([1], shape: [1]))).doubles()
        let d = normalized(deep), c = normalized(cam), s = normalized(shallow)
        var expected: [Double] = []
        for i in 0..<4 {
            let detail = (s[i] * c[i]).squareRoot()
            expected.append((d[i] + c[i] + detail) / 3)
        }
        #expect(relativeError(map, expected) < 1e-6)
    }

    /// Without G1 (bas): a 2x2 CAM meets a 4x4 Mf2 upsampled bilinearly (align_corners false: the
    /// rows and columns weigh the two source cells 1 : 0, 3/4 : 1/4, 1/4 : 3/4, 0 : 1).
    @Test func withoutTheShallowMapTheCAMIsUpsampled() throws {
        let deep = (0..<16).map { Double($0) / 15 }, cam = [0.0, 4, 8, 12]
        let out = try outputs(deep: deep, deepSide: 4, cam: cam, camSide: 2)
        let map = try out.map(.fused, .groundTruth(Tensor([1], shape: [1]))).doubles()
        #expect(map.count == 16)
        let w: [[Double]] = [[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]]
        var up: [Double] = []
        for i in 0..<4 {
            for j in 0..<4 {
                var value = 0.0
                for a in 0..<2 {
                    for b in 0..<2 { value += w[i][a] * w[j][b] * cam[a * 2 + b] }
                }
                up.append(value)
            }
        }
        let d = normalized(deep), c = normalized(up)
        let expected: [Double] = (0..<16).map { (d[$0] + c[$0]) / 2 }
        #expect(relativeError(map, expected) < 1e-6)
    }

    /// CAM's map is F3 whatever the source: a model without G2 has nothing to fuse.
    @Test func camIsRefused() throws {
        var options = MethodOptions(method: .cam, architecture: .resnet18)
        options.map = MapSource.fused
        #expect(throws: WSOLError.self) { try options.validate() }
    }
}
