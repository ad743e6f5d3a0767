import Foundation
import Models
import TestSupport
import Testing
import Torch
@testable import WSOL

/// Inference with channels-last weights and inputs (`WSOLModel.useChannelsLast`) gives what the default
/// layout gives: the scores, F3 and every map of every method, to float rounding.
@Suite struct ChannelsLastTests {
    static let cases: [(Architecture, WSOL.Method, Int)] = [
        (.resnet18, .sfpnsc, 64), (.resnet18, .cam, 64), (.vgg16, .bas, 64), (.vgg16, .sfpnsc, 64),
        (.inception_v3, .sfpnsc, 128),
    ]

    func model(_ arch: Architecture, _ method: WSOL.Method, _ size: Int) throws -> WSOLModel {
        var options = MethodOptions(method: method, architecture: arch)
        if method != .cam { options.map = .fused }
        let m = try WSOLModel(ModelSpec(architecture: arch, numClasses: 3, headWidth: 8, imageSize: size), options)
        m.eval()
        return m
    }

    func outputs(_ m: WSOLModel, _ x: Tensor) throws -> [String: [Double]] {
        try withNoGrad {
            let out = try m(x, selection: .top1, background: false)
            var found = ["scores": try out.scores.doubles(), "f3": try out.f3.doubles(),
                         "map": try out.map(m.options.map, .top1).doubles()]
            if let deep = out.deepMaps { found["deepMaps"] = try deep.doubles() }
            if let shallow = out.shallowMaps { found["shallowMaps"] = try shallow.doubles() }
            return found
        }
    }

    @Test(arguments: cases)
    func theSameOutputsAsTheDefaultLayout(_ arch: Architecture, _ method: WSOL.Method, _ size: Int) throws {
        let plain = try model(arch, method, size), laidOut = try model(arch, method, size)
        // The same weights in both (other tests may draw from the global generator meanwhile).
        try withNoGrad {
            for (target, source) in zip(laidOut.stateDict(), plain.stateDict()) {
                _ = try target.tensor.copy_(source.tensor)
            }
        }
        try laidOut.useChannelsLast()
        #expect(laidOut.runsChannelsLast && !plain.runsChannelsLast)
        let count = 2 * 3 * size * size
        let x = try Tensor((0..<count).map { Float(sin(Double($0) * 0.37)) }, shape: [2, 3, size, size])
        let expected = try outputs(plain, x), found = try outputs(laidOut, x)
        #expect(Set(found.keys) == Set(expected.keys))
        for (name, values) in expected {
            // oneDNN sums in another order (about 1e-5 through Inception's 94 convolutions; more where
            // a min-max normalization divides by a small range): float rounding, not a layout error,
            // which would be of order 1.
            let error = relativeError(try #require(found[name]), values)
            #expect(error < 1e-4, "\(arch.rawValue) \(method.rawValue) \(name): \(error)")
        }
        // The weights keep their values and state-dict order: what a save would write is unchanged.
        #expect(laidOut.stateDict().map(\.name) == plain.stateDict().map(\.name))
        let weight = try #require(laidOut.stateDict().first { $0.tensor.shape.count == 4 })
        let original = try #require(plain.stateDict().first { $0.name == weight.name })
        #expect(try weight.tensor.doubles() == original.tensor.doubles())
        // And the layout did change: a flat view of an NHWC 3x3 kernel is impossible, of NCHW possible.
        let kernel = try #require(laidOut.stateDict().first {
            $0.tensor.shape.count == 4 && $0.tensor.shape[2] > 1
        })
        let plainKernel = try #require(plain.stateDict().first { $0.name == kernel.name })
        #expect(throws: (any Error).self) { try kernel.tensor.view([-1]) }
        _ = try plainKernel.tensor.view([-1])
    }
}
