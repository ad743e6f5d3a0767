import Torch

/// A network part with explicitly named parameters, buffers and children, registered in declaration
/// order, so that state-dict keys are exactly torchvision's (`layer1.0.downsample.1.running_var`).
///
/// Layers keep their tensors as stored properties and register the same tensors here; copies share
/// the underlying tensor, so in-place updates (optimizer steps, weight loading, device moves through
/// `setData`) are seen by both.
open class Module {
    public private(set) var isTraining = true
    public private(set) var ownParameters: [(name: String, tensor: Tensor)] = []
    public private(set) var ownBuffers: [(name: String, tensor: Tensor)] = []
    public private(set) var children: [(name: String, module: Module)] = []
    /// Set while the module runs as a stand-in copy of itself (`runDetached`).
    public internal(set) var detachedPass: DetachedPass?

    public init() {}

    /// Registers a trainable tensor (marked requires_grad) and returns it.
    @discardableResult
    public func registerParameter(_ name: String, _ tensor: Tensor) -> Tensor {
        precondition(!isRegistered(name), "\(type(of: self)): '\(name)' registered twice")
        // A freshly created float tensor always accepts requires_grad.
        try! tensor.requiringGrad(true)
        ownParameters.append((name, tensor))
        return tensor
    }

    /// Registers state that is saved but not trained (BatchNorm running statistics).
    @discardableResult
    public func registerBuffer(_ name: String, _ tensor: Tensor) -> Tensor {
        precondition(!isRegistered(name), "\(type(of: self)): '\(name)' registered twice")
        ownBuffers.append((name, tensor))
        return tensor
    }

    @discardableResult
    public func registerChild<M: Module>(_ name: String, _ module: M) -> M {
        precondition(!isRegistered(name), "\(type(of: self)): '\(name)' registered twice")
        children.append((name, module))
        return module
    }

    private func isRegistered(_ name: String) -> Bool {
        ownParameters.contains { $0.name == name } || ownBuffers.contains { $0.name == name }
            || children.contains { $0.name == name }
    }

    /// Training mode for this module and every descendant (BatchNorm and Dropout read it).
    public func train(_ on: Bool = true) {
        isTraining = on
        for child in children { child.module.train(on) }
    }

    public func eval() { train(false) }

    /// Every parameter, depth first in registration order, with dotted names.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        collect(prefix: "") { $0.ownParameters }
    }

    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        collect(prefix: "") { $0.ownBuffers }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Parameters then buffers of each module, then its children: PyTorch's state_dict order.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        collect(prefix: "") { $0.ownParameters + $0.ownBuffers }
    }

    /// The first parameter or buffer holding a NaN or an infinity (x * 0 is 0 only where x is finite),
    /// nil when every value is finite: a model that diverged must not be saved or run.
    public func firstNonFiniteTensor() throws -> String? {
        for (name, tensor) in stateDict() where !(try (tensor * 0.0).sum().item().isFinite) { return name }
        return nil
    }

    /// Every module below and including this one, with dotted paths ("" for self).
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var result: [(String, Module)] = [(prefix, self)]
        for child in children {
            result += child.module.namedModules(
                prefix: prefix.isEmpty ? child.name : "\(prefix).\(child.name)")
        }
        return result
    }

    private func collect(
        prefix: String, _ own: (Module) -> [(name: String, tensor: Tensor)]
    ) -> [(name: String, tensor: Tensor)] {
        var result = own(self).map { (name: prefix + $0.name, tensor: $0.tensor) }
        for child in children {
            result += child.module.collect(prefix: "\(prefix)\(child.name).", own)
        }
        return result
    }

    /// Stops (or resumes) gradient recording for every parameter below this module.
    public func freeze(_ frozen: Bool = true) throws {
        for p in parameters() { try p.requiringGrad(!frozen) }
    }

    /// Moves every parameter and buffer to a device ("cpu", "cuda", "cuda:N") in place.
    public func to(device: String) throws {
        try replaceData { try $0.to(device: device) }
    }

    /// Lays every 4-D parameter and buffer (convolution weights) out channels-last in place; values,
    /// shapes and state-dict order are unchanged.
    public func toChannelsLast() throws {
        try replaceData { $0.shape.count == 4 ? try $0.channelsLast() : $0 }
    }

    /// Converts every floating-point parameter and buffer to `dtype` in place (integer buffers such
    /// as `num_batches_tracked` keep their type, as in PyTorch's Module.to(dtype)).
    public func to(_ dtype: DType) throws {
        try replaceData { [.float32, .float64].contains($0.dtype) ? try $0.to(dtype) : $0 }
    }

    /// Re-points each tensor at new data while keeping its identity (PyTorch's `param.data = ...`),
    /// so every Swift copy of a parameter, and the layers' stored properties, see the change.
    private func replaceData(_ transform: (Tensor) throws -> Tensor) throws {
        for (_, t) in stateDict() {
            try t.setData(transform(t))
        }
    }
}

/// A module with one input and one output, usable inside `Sequential`.
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
}
