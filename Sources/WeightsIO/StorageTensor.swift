import CTorchBridge
import Torch

/// One copy from a file's storage bytes to a contiguous tensor, bounds-checked in the bridge.
enum StorageTensor {
    static func make(_ bytes: UnsafeRawBufferPointer, dtype: StoredDType, size: [Int], stride: [Int],
                     offset: Int, path: String, key: String) throws -> Tensor {
        let result = tb.tensorFromStorage(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                          Int64(bytes.count), dtype.bridged, tb.Int64Vector(size),
                                          tb.Int64Vector(stride), Int64(offset))
        if result.failed {
            // String(std.string) fails to resolve in this module's release build; c_str() does not.
            let reason = String(cString: result.error.__c_strUnsafe())
            throw WeightsError(path, "key \(key): " + reason)
        }
        return Tensor(handle: result.value)
    }
}
