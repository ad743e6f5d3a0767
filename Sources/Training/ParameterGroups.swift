import NN
import Torch

/// SGD's parameter groups by name (METHOD.md section 3, [BAS]): backbone weights (BatchNorm gamma
/// included) x1, backbone biases (BatchNorm beta included) x2, new layers' weights x10 and biases x20.
/// Every parameter is in exactly one group; the names let optimizer state be saved and restored by
/// parameter, whatever the group order.
public struct ParameterGroups {
    public struct Group {
        public let name: String
        public let multiplier: Double
        public let parameters: [(name: String, tensor: Tensor)]
    }

    public let groups: [Group]

    /// `newLayerPrefixes` mark the method's added layers; with `uniform` every group has multiplier 1
    /// (a classifier trained as a whole). [ours] `generatorScale` other than 1 moves the layers under
    /// `generatorPrefixes` (G1, G2) into groups of their own at x10 and x20 times that scale
    /// (`--generator-lr-scale`; docs/RESULTS.md section 4).
    public init(_ module: Module, newLayerPrefixes: [String], generatorPrefixes: [String] = [],
                generatorScale: Double = 1, uniform: Bool = false) {
        let all = module.namedParameters()
        let separate = generatorScale != 1 ? generatorPrefixes : []
        func isGenerator(_ name: String) -> Bool { separate.contains { name.hasPrefix($0) } }
        func isNew(_ name: String) -> Bool {
            !isGenerator(name) && newLayerPrefixes.contains { name.hasPrefix($0) }
        }
        func isBias(_ name: String) -> Bool { name.hasSuffix(".bias") }
        let spec: [(String, Double, (String) -> Bool)] = [
            ("backbone_weights", 1, { !isNew($0) && !isGenerator($0) && !isBias($0) }),
            ("backbone_biases", 2, { !isNew($0) && !isGenerator($0) && isBias($0) }),
            ("new_weights", 10, { isNew($0) && !isBias($0) }),
            ("new_biases", 20, { isNew($0) && isBias($0) }),
            ("generator_weights", 10 * generatorScale, { isGenerator($0) && !isBias($0) }),
            ("generator_biases", 20 * generatorScale, { isGenerator($0) && isBias($0) }),
        ]
        groups = spec.map { name, multiplier, member in
            Group(name: name, multiplier: uniform ? 1 : multiplier,
                  parameters: all.filter { member($0.name) })
        }.filter { !$0.parameters.isEmpty }
    }

    public func optimizer(lr: Double, momentum: Double, weightDecay: Double) throws -> SGD {
        try SGD(groups: groups.map { .init(params: $0.parameters.map(\.tensor), lr: lr * $0.multiplier,
                                           weightDecay: weightDecay) },
                momentum: momentum, nesterov: true)
    }

    public func setLearningRate(_ lr: Double, on optimizer: SGD) throws {
        for (index, group) in groups.enumerated() {
            try optimizer.setLearningRate(lr * group.multiplier, group: index)
        }
    }

    /// Momentum buffers keyed `momentum.<parameter name>` (parameters without one yet are left out).
    public func momentumBuffers(_ optimizer: SGD) throws -> [(key: String, tensor: Tensor)] {
        var result: [(String, Tensor)] = []
        for (group, buffers) in zip(groups, try optimizer.state()) {
            for (parameter, buffer) in zip(group.parameters, buffers) {
                if let buffer { result.append(("momentum.\(parameter.name)", buffer)) }
            }
        }
        return result
    }

    /// Restores buffers saved by `momentumBuffers`, on each parameter's device.
    public func restore(_ buffers: [String: Tensor], into optimizer: SGD) throws {
        let state = try groups.map { group in
            try group.parameters.map { p in
                try buffers["momentum.\(p.name)"].map { try $0.to(device: p.tensor.device) }
            }
        }
        try optimizer.loadState(state)
    }
}
