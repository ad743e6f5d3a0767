import Models
import NN
import TestSupport
import Testing
import Torch
import Training
import WSOL

/// SGD's parameter groups (METHOD.md section 3) and `--generator-lr-scale`, which gives G1 and G2
/// groups of their own.
@Suite struct ParameterGroupsTests {
    init() { configureTestRuntime }

    func groups(scale: Double) throws -> [String: (multiplier: Double, names: [String])] {
        let model = try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 3, headWidth: 8, imageSize: 64),
                                  MethodOptions(method: .sfpnsc, architecture: .resnet18))
        let task = WSOLTask(model: model, classNames: ["a", "b", "c"], dataset: .cubLike)
        let groups = ParameterGroups(model, newLayerPrefixes: task.newLayerPrefixes,
                                     generatorPrefixes: task.generatorPrefixes, generatorScale: scale)
        return Dictionary(uniqueKeysWithValues: groups.groups.map { ($0.name, ($0.multiplier, $0.parameters.map(\.name))) })
    }

    /// BAS's groups: generators belong with the head at x10/x20.
    @Test func generatorsAreNewLayersByDefault() throws {
        let g = try groups(scale: 1)
        #expect(Set(g.keys) == ["backbone_weights", "backbone_biases", "new_weights", "new_biases"])
        #expect(g["new_weights"]?.multiplier == 10 && g["new_biases"]?.multiplier == 20)
        #expect(g["new_weights"]?.names.contains("classifier_loc.0.weight") == true)
    }

    /// A scale moves exactly G1's and G2's parameters into x10·s and x20·s groups.
    @Test func aScaleGivesTheGeneratorsTheirOwnGroups() throws {
        let g = try groups(scale: 0.1)
        #expect(g["generator_weights"]?.names.sorted() == ["classifier_loc.0.weight", "classifier_loc_shallow.0.weight"])
        #expect(g["generator_biases"]?.names.sorted() == ["classifier_loc.0.bias", "classifier_loc_shallow.0.bias"])
        #expect(abs(g["generator_weights"]!.multiplier - 1) < 1e-12 && abs(g["generator_biases"]!.multiplier - 2) < 1e-12)
        #expect(g["new_weights"]?.names.allSatisfy { $0.hasPrefix("classifier_cls.") } == true)
        let total = g.values.reduce(0) { $0 + $1.names.count }
        #expect(total == (try groups(scale: 1)).values.reduce(0) { $0 + $1.names.count })
    }
}
