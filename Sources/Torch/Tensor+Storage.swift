import CTorchBridge

/// Element types raw storage (a weight file's bytes) may hold. float16 and bfloat16 load as float32
/// and int16 and int8 as int32 (exact conversions: tensors have no narrower types).
public enum StorageType: Sendable, CaseIterable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    var bridged: tb.StorageType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .int64: return .int64
        case .int32: return .int32
        case .int16: return .int16
        case .int8: return .int8
        case .uint8: return .uint8
        case .bool: return .boolean
        }
    }
}

/// Tensors to and from raw little-endian element bytes, as weight files store them.
extension Tensor {
    /// A contiguous tensor copied once from a strided view into `storage`: element (i0, i1, ...) is at
    /// element index offset + sum(ik * stride[k]). Every element the view touches is checked to lie
    /// inside `storage`; negative strides or offsets are refused.
    public init(storage: UnsafeRawBufferPointer, type: StorageType, size: [Int], stride: [Int],
                offset: Int) throws {
        self = try check(tb.tensorFromStorage(storage.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                              Int64(storage.count), type.bridged, int64Vector(size),
                                              int64Vector(stride), Int64(offset)))
    }

    /// Appends the elements (row-major, in this tensor's dtype, little-endian as in memory on this
    /// machine) to the open file descriptor `fd`. A contiguous CPU tensor is written without a copy.
    public func writeBytes(toFileDescriptor fd: Int32) throws {
        try check(tb.writeTensorBytes(handle, fd))
    }
}
