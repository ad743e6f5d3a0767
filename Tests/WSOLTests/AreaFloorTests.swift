import Foundation
import Testing
import Torch
@testable import WSOL

/// The floor under the mask's area on hand-made maps: its value, silence above the floor, and the
/// straight-through gradient that lifts a saturated (dead) map where the sigmoid's own gradient cannot.
struct AreaFloorTests {
    /// Logits z of a [2, 1, 4, 4] map: image 0 dead (M = sigmoid(-14), about 1e-6), image 1 at 0.5.
    func logits() throws -> Tensor {
        let values = Array(repeating: -14.0, count: 16) + Array(repeating: 0.0, count: 16)
        return try Tensor(values, shape: [2, 1, 4, 4]).requiringGrad()
    }

    func gradientOnLogits(_ gradient: AreaFloor.Gradient, floor: Double) throws -> (loss: Double, grad: [Double]) {
        let z = try logits()
        let term = try AreaFloor.loss(mf2: z.sigmoid(), floor: floor, weight: 3, gradient: gradient)
        let loss = try #require(term["area_floor"])
        try loss.backward()
        return (try loss.item(), try #require(z.grad).doubles())
    }

    @Test func valueIsTheMeanShortfall() throws {
        // Image 0 falls short by 0.1 - 1e-6, image 1 (mean 0.5) not at all: 3 * mean = 1.5 * (0.1 - 1e-6).
        let (loss, _) = try gradientOnLogits(.straight, floor: 0.1)
        let dead = 1 / (1 + exp(14.0))
        #expect(abs(loss - 1.5 * (0.1 - dead)) < 1e-12)
    }

    @Test func straightThroughLiftsADeadMap() throws {
        let (_, straight) = try gradientOnLogits(.straight, floor: 0.1)
        let (_, sigmoid) = try gradientOnLogits(.sigmoid, floor: 0.1)
        // d/dz of 3/2 * (0.1 - mean of 16 pixels): -3/2/16 * slope, slope 1/4 (straight) or sigma'(-14).
        let dead = 1 / (1 + exp(14.0))
        for i in 0..<16 {
            #expect(abs(straight[i] - (-1.5 / 16 * 0.25)) < 1e-12)
            #expect(abs(sigmoid[i] - (-1.5 / 16 * dead * (1 - dead))) < 1e-15)
        }
        // Above the floor: silent under both.
        #expect(straight[16...].allSatisfy { $0 == 0 } && sigmoid[16...].allSatisfy { $0 == 0 })
    }
}
