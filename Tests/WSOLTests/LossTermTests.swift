import Foundation
import Testing
import Torch
import Models
@testable import WSOL

/// Hand-derived values for each loss term (2 classes, 2x2 and 4x4 maps): they pin each term's sign,
/// which MSE term carries w2, the area terms, and BAS's saturated ratio.
@Suite struct LossTermTests {
    func value(_ t: Tensor?) throws -> Double { try #require(t).item() }

    /// The largest absolute gradient entry; 0 when there is no gradient at all.
    func maxAbs(_ grad: Tensor?) throws -> Double { try grad.map { try $0.abs().max().item() } ?? 0 }

    /// Mf1 (4x4) has 2x2 blocks with means 0.8, 0.2 / 0.4, 0.6, so down(Mf1) = [[0.8, 0.2], [0.4, 0.6]].
    /// Mf2 = 0.3 everywhere, so up(Mf2) = 0.3 everywhere.
    ///   sf_shallow = w1 * mean((Mf1 - 0.3)^2) = w1 * (0.49+0.09+0.09+0.49 + 4*0.01 + 4*0.01 + 4*0.09) / 16 = 0.1 w1
    ///   sf_deep    = w2 * mean((0.3 - [0.8, 0.2, 0.4, 0.6])^2) = w2 * (0.25+0.01+0.01+0.09) / 4 = 0.09 w2
    ///   areas: mean(Mf1) = 0.5, mean(Mf2) = 0.3.
    func maps() throws -> (mf1: Tensor, mf2: Tensor) {
        let mf1 = try Tensor([1.0, 0.6, 0.2, 0.2, 0.6, 1.0, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.4, 0.4, 0.6, 0.6],
                             shape: [1, 1, 4, 4]).requiringGrad()
        let mf2 = try Tensor([0.3, 0.3, 0.3, 0.3], shape: [1, 1, 2, 2]).requiringGrad()
        return (mf1, mf2)
    }

    @Test func softFusionTermsAndWeights() throws {
        let (mf1, mf2) = try maps()
        let terms = try SoftFusion.loss(mf1: mf1, mf2: mf2, w1: 1, w2: 1.5, a1: 2, a2: 3, scale: 1)
        #expect(abs(try value(terms["sf_shallow"]) - 0.1) < 1e-6)
        #expect(abs(try value(terms["sf_deep"]) - 0.09 * 1.5) < 1e-6, "w2 weighs the deep map's MSE")
        #expect(abs(try value(terms["sf_area_shallow"]) - 0.5 * 2) < 1e-6)
        #expect(abs(try value(terms["sf_area_deep"]) - 0.3 * 3) < 1e-6)
        let scaled = try SoftFusion.loss(mf1: mf1, mf2: mf2, w1: 1, w2: 1.5, a1: 2, a2: 3, scale: 0.5)
        #expect(abs(try scaled.total().item() - 0.5 * (0.1 + 0.135 + 1 + 0.9)) < 1e-6)
    }

    /// The pseudo-labels are stop-gradient copies: the shallow term sends Mf2 nothing, the deep term
    /// sends Mf1 nothing. d sf_deep / d Mf2 = 2 w2 (Mf2 - down(Mf1)) / 4 = 0.75 * [-0.5, 0.1, -0.1, -0.3].
    @Test func pseudoLabelsGetNoGradient() throws {
        let (mf1, mf2) = try maps()
        let terms = try SoftFusion.loss(mf1: mf1, mf2: mf2, w1: 1, w2: 1.5, a1: 0, a2: 0)
        try #require(terms["sf_shallow"]).backward()
        #expect(try maxAbs(mf2.grad) == 0)
        #expect(try mf1.grad!.abs().max().item() > 0)
        try mf1.zeroGrad()
        try #require(terms["sf_deep"]).backward()
        #expect(try maxAbs(mf1.grad) == 0)
        let expected: [Float] = [-0.5, 0.1, -0.1, -0.3].map { 0.75 * $0 }
        for (g, e) in zip(try mf2.grad!.floats(), expected) { #expect(abs(g - e) < 1e-6) }
    }

    /// `--sf-gate deep`: Mf2 = [[0.9, 0.1, 0], [0, 0, 0], [0, 0, 0]] (3x3), Mf1 (6x6) 0.5 everywhere, so
    /// down(Mf1) = 0.5 and the gate g = maxpool3x3(Mf2) = [[0.9, 0.9, 0.1], [0.9, 0.9, 0.1], [0, 0, 0]].
    /// sf_deep = w2 * sum(g * (Mf2 - 0.5)^2) / 9
    ///   = w2 * (0.9*0.16 + 0.9*0.16 + 0.1*0.25 + 0.9*0.25 + 0.9*0.25 + 0.1*0.25) / 9 = w2 * 0.788 / 9;
    /// the bottom row, away from the deep foreground, gets no gradient.
    @Test func softFusionGateKeepsTheShallowLabelNearTheDeepForeground() throws {
        let mf2 = try Tensor([0.9, 0.1, 0, 0, 0, 0, 0, 0, 0], shape: [1, 1, 3, 3]).requiringGrad()
        let mf1 = try Tensor([Double](repeating: 0.5, count: 36), shape: [1, 1, 6, 6])
        let terms = try SoftFusion.loss(mf1: mf1, mf2: mf2, w1: 1, w2: 2, a1: 0, a2: 0, gate: .deep)
        #expect(abs(try value(terms["sf_deep"]) - 2 * 0.788 / 9) < 1e-6)
        try #require(terms["sf_deep"]).backward()
        let grad = try mf2.grad!.floats()
        // d/dMf2 = 2 w2 g (Mf2 - 0.5) / 9; the gate itself is a stop-gradient copy.
        #expect(abs(grad[0] - Float(4 * 0.9 * 0.4 / 9)) < 1e-6 && abs(grad[3] - Float(4 * 0.9 * -0.5 / 9)) < 1e-6)
        #expect(grad[6...].allSatisfy { $0 == 0 }, "no pull towards Mf1 away from the deep foreground")
        let plain = try SoftFusion.loss(mf1: mf1, mf2: mf2, w1: 1, w2: 2, a1: 0, a2: 0)
        #expect(abs(try value(plain["sf_deep"]) - 2 * (0.16 + 0.16 + 7 * 0.25) / 9) < 1e-6)
    }

    /// Sample 1: S = [1, 0], S_fg = [1, 1] (cos = 1/sqrt 2), S_bg = [-1, 0] (cos = -1).
    /// Sample 2: S = [0, 2], S_fg = [0, 5] (cos = 1), S_bg = [3, 0] (cos = 0).
    ///   positive = mean(1 - cos(S, S_fg)) = (1 - 0.70711 + 0) / 2; negative = mean(cos(S, S_bg)) = -0.5.
    @Test func pnscSigns() throws {
        let s = try Tensor([1.0, 0, 0, 2], shape: [2, 2]).requiringGrad()
        let fg = try Tensor([1.0, 1, 0, 5], shape: [2, 2]).requiringGrad()
        let bg = try Tensor([-1.0, 0, 3, 0], shape: [2, 2])
        let terms = try PNSC.loss(scores: s, foreground: fg, background: bg, detachScores: true)
        #expect(abs(try value(terms["pnsc_positive"]) - (1 - 0.5.squareRoot()) / 2) < 1e-6)
        #expect(abs(try value(terms["pnsc_negative"]) - -0.5) < 1e-6)
        try terms.total().backward()
        #expect(s.grad == nil, "S is detached inside the cosines by default")
        #expect(try maxAbs(fg.grad) > 0)
        let scaled = try PNSC.loss(scores: s, foreground: fg, background: bg, detachScores: false, scale: 2)
        #expect(abs(try scaled.total().item() - 2 * ((1 - 0.5.squareRoot()) / 2 - 0.5)) < 1e-6)
        try scaled.total().backward()
        #expect(s.grad != nil, "--pnsc-detach-s off lets gradient reach S")
    }

    /// `--pnsc-space probabilities`: S = [ln 3, 0] gives p = [0.75, 0.25]; S_fg = S gives cos 1; S_fg = S/2
    /// (a mask at half the level) gives p_fg = [sqrt3, 1]/(sqrt3 + 1), cos = (3 sqrt3 + 1) / (sqrt10 *
    /// sqrt4) = 0.97969, so the positive term rises as the mask dims, where the scores' cosine stays 1.
    @Test func pnscProbabilitiesSeeTheMasksLevel() throws {
        let s = try Tensor([log(3.0), 0], shape: [1, 2])
        let bg = try Tensor([0.0, 0], shape: [1, 2])
        func positive(_ fg: Tensor, _ space: PNSC.Space) throws -> Double {
            try value(PNSC.loss(scores: s, foreground: fg, background: bg, detachScores: true, space: space)["pnsc_positive"])
        }
        let half = try Tensor([log(3.0) / 2, 0], shape: [1, 2])
        #expect(abs(try positive(s, .probabilities)) < 1e-6)
        #expect(abs(try positive(half, .probabilities) - (1 - (3 * 3.0.squareRoot() + 1) / (10.0.squareRoot() * 2))) < 1e-6)
        #expect(abs(try positive(half, .scores)) < 1e-6, "the scores' cosine cannot see the level")
        // S_bg = 0 is the uniform p_bg = [1/2, 1/2]: cos(p, p_bg) = 0.5 / (sqrt(0.625) sqrt(0.5)).
        let negative = try value(PNSC.loss(scores: s, foreground: s, background: bg, detachScores: true,
                                           space: .probabilities)["pnsc_negative"])
        #expect(abs(negative - 0.5 / (0.625.squareRoot() * 0.5.squareRoot())) < 1e-6)
    }

    /// `--pnsc-target label`: the reference is e_y, whatever S says. Label 1, S_fg = [1, 3]: positive
    /// 1 - 3 / sqrt10; S_bg = [2, 0]: negative 0 (the background holds none of class 1); S = [9, 0] is
    /// ignored (the prediction, class 0, is wrong).
    @Test func pnscLabelTargetIgnoresThePrediction() throws {
        let s = try Tensor([9.0, 0], shape: [1, 2]), labels = try Tensor([1], shape: [1])
        let fg = try Tensor([1.0, 3], shape: [1, 2]), bg = try Tensor([2.0, 0], shape: [1, 2])
        let terms = try PNSC.loss(scores: s, foreground: fg, background: bg, detachScores: true, target: .label,
                                  labels: labels)
        #expect(abs(try value(terms["pnsc_positive"]) - (1 - 3 / 10.0.squareRoot())) < 1e-6)
        #expect(abs(try value(terms["pnsc_negative"])) < 1e-6)
        #expect(throws: WSOLError.self) {
            try PNSC.loss(scores: s, foreground: fg, background: bg, detachScores: true, target: .label)
        }
    }

    /// Sample 1 (label 0): S = [2, 0], S_bg = [1, 5]: r = relu(1) / (relu(2) + 1e-8) = 0.5.
    /// Sample 2 (label 1): S = [0, 1], S_bg = [0, 3]: relu(3) > relu(1), so r = BAS's constant.
    /// mean(r) = (0.5 + c) / 2: 0.25 for VGG (c = 0), 0.75 for the others (c = 1).
    @Test(arguments: [(0.0, 0.25), (1.0, 0.75)]) func basRatioConstant(_ constant: Double, _ expected: Double) throws {
        let s = try Tensor([2.0, 0, 0, 1], shape: [2, 2])
        let bg = try Tensor([1.0, 5, 0, 3], shape: [2, 2])
        let labels = try Tensor([0, 1], shape: [2])
        let terms = try BASLoss.contrast(scores: s, foreground: s, background: bg, labels: labels, alpha: 0.5,
                                         saturatedRatio: constant)
        #expect(abs(try value(terms["bas_ratio"]) - expected) < 1e-6)
        // alpha * CE(S_fg): CE([2, 0], 0) = log(1 + e^-2), CE([0, 1], 1) = log(1 + e^-1).
        let ce = (log(1 + exp(-2.0)) + log(1 + exp(-1.0))) / 2
        #expect(abs(try value(terms["bas_foreground_cls"]) - 0.5 * ce) < 1e-6)
        let area = try BASLoss.area(mf2: try Tensor([0.2, 0.4, 0.6, 0.8], shape: [1, 1, 2, 2]), beta: 1.5)
        #expect(abs(try value(area["bas_area"]) - 0.75) < 1e-6)
    }

    @Test func basConstantByBackbone() throws {
        #expect(try makeBackbone(.vgg16).basSaturatedRatio == 0)
        for arch in [Architecture.resnet18, .resnet50, .inception_v3] {
            #expect(try makeBackbone(arch).basSaturatedRatio == 1)
        }
    }
}
