import Torch

/// How a module runs when it stands in for a copy of itself: its parameters take part in the
/// computation but receive no gradient, and its BatchNorm layers leave their running statistics and
/// `num_batches_tracked` untouched. BAS deep-copies the f2 block every step for its background pass;
/// running the block detached gives the same values and gradients without a second copy of the
/// weights in memory.
public enum DetachedPass: Sendable {
    /// BatchNorm normalizes with the batch's own statistics (a training-mode copy, as BAS).
    case batchStatistics
    /// BatchNorm uses the running statistics (an eval-mode copy).
    case runningStatistics
}

extension Module {
    /// Runs `body` with this module and every descendant in `mode` (see `DetachedPass`). Not
    /// reentrant and not thread-safe for one module: the mode is module state for the call's length.
    public func runDetached<T>(_ mode: DetachedPass, _ body: () throws -> T) rethrows -> T {
        let modules = namedModules().map(\.module)
        for module in modules { module.detachedPass = mode }
        defer { for module in modules { module.detachedPass = nil } }
        return try body()
    }

    /// The tensor a layer should compute with: the parameter itself, or a detached view of it (no
    /// copy: it shares storage) during a detached pass.
    public func forForward(_ parameter: Tensor) -> Tensor {
        detachedPass == nil ? parameter : parameter.detach()
    }
}
