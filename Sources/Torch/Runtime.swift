import CTorchBridge

/// Process-wide libtorch settings and facts.
public enum TorchRuntime {
    /// libtorch's intra-op thread count. Debian's build starts at 1: always set it.
    public static func setNumThreads(_ threads: Int) throws {
        try check(tb.setNumThreads(Int32(clamping: threads)))
    }
    public static var numThreads: Int { Int(tb.numThreads()) }

    /// Keeps freed memory in the process (glibc's malloc settings; CxxBridge/src/runtime.cpp says
    /// which): large tensors then reuse pages instead of faulting them in again, at the price of a
    /// resident size that stays near its peak. Returns false where it does not apply (not glibc).
    @discardableResult
    public static func retainFreedMemory() -> Bool { tb.retainFreedMemory() }

    /// Seeds the CPU and CUDA generators.
    public static func manualSeed(_ seed: UInt64) { tb.manualSeed(seed) }

    public static var cudaIsAvailable: Bool { tb.cudaAvailable() }
    public static var cudaDeviceCount: Int { Int(tb.cudaDeviceCount()) }
    public static var libtorchVersion: String { String(tb.libtorchVersion()) }
    public static var opencvVersion: String { String(tb.opencvVersion()) }
    /// The library that provides `sgemm_` in this process (libtorch's config string cannot tell).
    public static var blasLibrary: String { String(tb.blasLibrary()) }

    /// Live tensor handles; a loop that does not leak leaves it unchanged.
    public static var liveTensorCount: Int { Int(tb.liveTensorCount()) }
}
