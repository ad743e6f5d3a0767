import CTorchBridge

/// torch.optim.SGD: momentum (first step: buffer = gradient), Nesterov, dampening, and per-group
/// learning rate and weight decay. One bridge call updates every parameter.
public final class SGD {
    public struct ParamGroup {
        public var params: [Tensor]
        public var lr: Double
        public var weightDecay: Double

        public init(params: [Tensor], lr: Double, weightDecay: Double = 0) {
            self.params = params
            self.lr = lr
            self.weightDecay = weightDecay
        }
    }

    public private(set) var groups: [ParamGroup]
    public let momentum: Double
    public let nesterov: Bool
    public let dampening: Double

    // Flattened over groups, in group order: what the bridge's step reads.
    private let params: tb.TensorVector
    private var buffers: tb.TensorVector
    private var lrs: tb.DoubleVector
    private let weightDecays: tb.DoubleVector

    public init(groups: [ParamGroup], momentum: Double = 0, nesterov: Bool = false,
                dampening: Double = 0) throws {
        guard momentum >= 0, dampening >= 0 else {
            throw TorchError("SGD: momentum and dampening must be >= 0")
        }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw TorchError("SGD: Nesterov momentum requires a momentum and zero dampening")
        }
        for (i, group) in groups.enumerated() where group.lr < 0 || group.weightDecay < 0 {
            throw TorchError("SGD: group \(i) has a negative learning rate or weight decay")
        }
        self.groups = groups
        self.momentum = momentum
        self.nesterov = nesterov
        self.dampening = dampening
        let all = groups.flatMap(\.params)
        params = tensorVector(all)
        buffers = tensorVector([])
        for _ in all { buffers.push_back(tb.TensorHandle()) }
        lrs = tb.DoubleVector(groups.flatMap { g in g.params.map { _ in g.lr } })
        weightDecays = tb.DoubleVector(groups.flatMap { g in g.params.map { _ in g.weightDecay } })
    }

    /// One update of every parameter that has a gradient.
    public func step() throws {
        try check(tb.sgdStep(params, &buffers, lrs, weightDecays, momentum, dampening, nesterov))
    }

    /// Drops every parameter's gradient (set to none, PyTorch 2's default).
    public func zeroGrad() throws { try check(tb.zeroGrads(params, true)) }

    /// Takes effect from the next step.
    public func setLearningRate(_ lr: Double, group: Int) throws {
        guard groups.indices.contains(group) else { throw TorchError("SGD: no parameter group \(group)") }
        guard lr >= 0 else { throw TorchError("SGD: negative learning rate \(lr)") }
        groups[group].lr = lr
        var offset = 0
        for g in groups[..<group] { offset += g.params.count }
        for i in offset..<(offset + groups[group].params.count) { lrs[i] = lr }
    }

    /// Copies of the momentum buffers per group per parameter; nil before a parameter's first step.
    public func state() throws -> [[Tensor?]] {
        var flat: [Tensor?] = []
        for i in 0..<buffers.count {
            let handle = buffers[i]
            flat.append(handle.defined() ? try check(tb.clone(tb.detach(handle))) : nil)
        }
        return split(flat)
    }

    /// Restores buffers from `state()` (copied, so later steps do not alter the caller's tensors).
    public func loadState(_ state: [[Tensor?]]) throws {
        guard state.count == groups.count else {
            throw TorchError("SGD state has \(state.count) groups, the optimizer \(groups.count)")
        }
        var restored = tensorVector([])
        for (g, (group, saved)) in zip(groups, state).enumerated() {
            guard saved.count == group.params.count else {
                throw TorchError("SGD state group \(g) has \(saved.count) buffers, the group "
                                 + "\(group.params.count) parameters")
            }
            for (p, (param, buffer)) in zip(group.params, saved).enumerated() {
                guard let buffer else { restored.push_back(tb.TensorHandle()); continue }
                guard buffer.shape == param.shape else {
                    throw TorchError("SGD state group \(g) parameter \(p): buffer shape \(buffer.shape) "
                                     + "differs from parameter shape \(param.shape)")
                }
                restored.push_back(try buffer.detach().clone().handle)
            }
        }
        buffers = restored
    }

    private func split(_ flat: [Tensor?]) -> [[Tensor?]] {
        var out: [[Tensor?]] = []
        var offset = 0
        for g in groups {
            out.append(Array(flat[offset..<(offset + g.params.count)]))
            offset += g.params.count
        }
        return out
    }
}
