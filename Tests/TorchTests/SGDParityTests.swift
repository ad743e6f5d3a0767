import Foundation
import Testing
import TestSupport
import Torch

/// The regression Tests/reference/sgd.py optimizes: two groups (W1, b1 | W2, b2), lr changed after step 3.
private struct Regression {
    static let lrs = (0.1, 0.05), newLRs = (0.02, 0.2), decays = (1e-2, 5e-3)
    let dir: URL
    let w1, b1, w2, b2: Tensor
    let x, y: Tensor

    /// Fresh leaf parameters from the script's initial values.
    init(_ dir: URL) throws {
        self.dir = dir
        func leaf(_ key: String) throws -> Tensor { try Reference.tensor(dir, key).requiringGrad() }
        (w1, b1, w2, b2) = (try leaf("W1"), try leaf("b1"), try leaf("W2"), try leaf("b2"))
        (x, y) = (try Reference.tensor(dir, "x"), try Reference.tensor(dir, "y"))
    }

    var params: [Tensor] { [w1, b1, w2, b2] }
    static let names = ["W1", "b1", "W2", "b2"]

    func optimizer(momentum: Double, dampening: Double, nesterov: Bool) throws -> SGD {
        try SGD(groups: [SGD.ParamGroup(params: [w1, b1], lr: Self.lrs.0, weightDecay: Self.decays.0),
                         SGD.ParamGroup(params: [w2, b2], lr: Self.lrs.1, weightDecay: Self.decays.1)],
                momentum: momentum, nesterov: nesterov, dampening: dampening)
    }

    /// Steps `from...to` (1-based), changing the learning rates before step 4 as the script does.
    func run(_ sgd: SGD, from: Int, to: Int) throws {
        for step in from...to {
            if step == 4 {
                try sgd.setLearningRate(Self.newLRs.0, group: 0)
                try sgd.setLearningRate(Self.newLRs.1, group: 1)
            }
            try sgd.zeroGrad()
            let h = try x.linear(weight: w1, bias: b1).relu()
            try mseLoss(try h.linear(weight: w2, bias: b2), y).backward()
            try sgd.step()
        }
    }

    /// Largest relative error of the parameters against the script's `<config>_<name>` after step 5.
    func parameterError(_ config: String) throws -> Double {
        try zip(params, Self.names).map { try relativeError($0.0, Reference.load(dir, "\(config)_\($0.1)")) }.max()!
    }
}

private let sgdReference = Result { try Reference.run("sgd.py") }

@Suite("SGD against torch.optim.SGD", .serialized)
struct SGDParityTests {
    init() { configureTestRuntime }

    static let configs: [(String, Double, Double, Bool)] = [
        ("nesterov", 0.9, 0, true), ("heavy_ball", 0.5, 0.1, false), ("plain", 0, 0, false),
    ]

    @Test(arguments: configs)
    func fiveStepsMatchPyTorch(config: String, momentum: Double, dampening: Double, nesterov: Bool) throws {
        let model = try Regression(sgdReference.get())
        let sgd = try model.optimizer(momentum: momentum, dampening: dampening, nesterov: nesterov)
        try model.run(sgd, from: 1, to: 5)
        let error = try model.parameterError(config)
        #expect(error < 1e-6, "\(config): parameters after 5 steps, relative error \(error)")
        #expect(sgd.groups.map(\.lr) == [Regression.newLRs.0, Regression.newLRs.1])
        let state = try sgd.state()
        #expect(state.map(\.count) == [2, 2])
        guard momentum != 0 else {
            #expect(state.joined().allSatisfy { $0 == nil }, "plain SGD keeps no momentum buffers")
            return
        }
        for (buffer, name) in zip(state.joined(), Regression.names) {
            let ours = try #require(buffer, "\(config): no momentum buffer for \(name)")
            let error = try relativeError(ours, Reference.load(model.dir, "\(config)_\(name)_momentum"))
            #expect(error < 1e-5, "\(config): momentum buffer of \(name), relative error \(error)")
        }
    }

    /// Stopping after step 2, rebuilding parameters and optimizer from saved copies, and going on
    /// gives bit-identical parameters to the uninterrupted run.
    @Test func savingAndRestoringStateBetweenStepsChangesNothing() throws {
        let dir = try sgdReference.get()
        let straight = try Regression(dir)
        try straight.run(try straight.optimizer(momentum: 0.9, dampening: 0, nesterov: true), from: 1, to: 5)

        let first = try Regression(dir)
        let before = try first.optimizer(momentum: 0.9, dampening: 0, nesterov: true)
        #expect(try before.state().joined().allSatisfy { $0 == nil }, "no buffers before the first step")
        try first.run(before, from: 1, to: 2)
        let savedState = try before.state()
        let savedParams = try first.params.map { try $0.detach().clone() }
        try first.run(before, from: 3, to: 3)  // the saved copies must not follow later steps

        let resumed = try Regression(dir)
        for (param, saved) in zip(resumed.params, savedParams) { try param.copy_(saved) }
        let after = try resumed.optimizer(momentum: 0.9, dampening: 0, nesterov: true)
        try after.loadState(savedState)
        try resumed.run(after, from: 3, to: 5)
        for (a, b) in zip(resumed.params, straight.params) {
            #expect(try a.floats() == b.floats(), "resumed run differs from the uninterrupted one")
        }
        let error = try resumed.parameterError("nesterov")
        #expect(error < 1e-6, "resumed run against PyTorch, relative error \(error)")
    }

    @Test func badStateAndSettingsAreErrors() throws {
        let model = try Regression(sgdReference.get())
        let sgd = try model.optimizer(momentum: 0.9, dampening: 0, nesterov: true)
        let wrongShape = try Tensor.zeros([3, 3])
        #expect(throws: TorchError.self) { try sgd.loadState([[wrongShape, nil], [nil, nil]]) }
        #expect(throws: TorchError.self) { try sgd.loadState([[nil, nil]]) }
        #expect(throws: TorchError.self) { try sgd.loadState([[nil], [nil, nil]]) }
        #expect(throws: TorchError.self) { try sgd.setLearningRate(0.1, group: 2) }
        #expect(throws: TorchError.self) {
            try SGD(groups: [SGD.ParamGroup(params: model.params, lr: 0.1)], momentum: 0, nesterov: true)
        }
        #expect(throws: TorchError.self) {
            try SGD(groups: [SGD.ParamGroup(params: model.params, lr: -1)])
        }
    }

    @Test func stepsLeakNoTensors() throws {
        let model = try Regression(sgdReference.get())
        let sgd = try model.optimizer(momentum: 0.9, dampening: 0, nesterov: true)
        try model.run(sgd, from: 1, to: 1)  // creates the momentum buffers
        let before = TorchRuntime.liveTensorCount
        for _ in 0..<50 { try model.run(sgd, from: 2, to: 3) }
        _ = try sgd.state()
        try sgd.loadState(try sgd.state())
        #expect(TorchRuntime.liveTensorCount == before)
    }

    @Test func parametersWithoutGradientsAreLeftAlone() throws {
        let model = try Regression(sgdReference.get())
        let frozen = try Tensor.ones([3]).requiringGrad()
        let sgd = try SGD(groups: [SGD.ParamGroup(params: model.params + [frozen], lr: 0.1, weightDecay: 0.1)],
                          momentum: 0.9)
        try model.run(sgd, from: 1, to: 2)
        #expect(try frozen.floats() == [1, 1, 1])
        #expect(try sgd.state()[0].last! == nil)
        #expect(model.w1.grad != nil)
        try sgd.zeroGrad()
        #expect(model.w1.grad == nil)
    }
}
