import Torch

/// One copy from a file's storage bytes to a contiguous tensor, bounds-checked in the tensor layer; an
/// error names the file and the key.
enum StorageTensor {
    static func make(_ bytes: UnsafeRawBufferPointer, dtype: StoredDType, size: [Int], stride: [Int],
                     offset: Int, path: String, key: String) throws -> Tensor {
        do {
            return try Tensor(storage: bytes, type: dtype.storageType, size: size, stride: stride,
                              offset: offset)
        } catch let error as TorchError {
            throw WeightsError(path, "key \(key): " + error.message)
        }
    }
}
