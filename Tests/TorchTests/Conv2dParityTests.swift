import Testing
import TestSupport
import Torch

@Suite("conv2d against PyTorch", .serialized)
struct Conv2dParityTests {
    init() { configureTestRuntime }

    @Test(arguments: [
        ("plain", [1, 1], [1, 1], [1, 1], 1),
        ("strided", [2, 1], [1, 2], [1, 2], 2),
    ])
    func forwardAndGradientsMatch(name: String, stride: [Int], padding: [Int], dilation: [Int], groups: Int) throws {
        let dir = try Reference.run("conv2d.py")
        func ref(_ key: String) throws -> NPYArray { try Reference.load(dir, "\(name)_\(key)") }
        let x = try ref("x").tensor().requiringGrad()
        let w = try ref("w").tensor().requiringGrad()
        let b = try ref("b").tensor().requiringGrad()
        let y = try x.conv2d(weight: w, bias: b, stride: stride, padding: padding, dilation: dilation, groups: groups)
        try y.backward(try ref("g").tensor())
        #expect(try relativeError(y, ref("y")) < 1e-5)
        #expect(try relativeError(#require(x.grad), ref("gx")) < 1e-5)
        #expect(try relativeError(#require(w.grad), ref("gw")) < 1e-5)
        #expect(try relativeError(#require(b.grad), ref("gb")) < 1e-5)
    }
}
