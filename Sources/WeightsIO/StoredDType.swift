import Torch

/// An element type as a weight file stores it. float16/bfloat16 load as float32 and int16/int8 as
/// int32 (exact conversions: the tensor layer has no narrower types).
public enum StoredDType: String, CaseIterable, Sendable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    public var elementSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// The tensor layer's name for this type when reading storage bytes.
    var storageType: StorageType {
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
        case .bool: return .bool
        }
    }

    /// How a tensor of this type is stored (as itself: every tensor type is a stored type).
    init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .float64: self = .float64
        case .int64: self = .int64
        case .int32: self = .int32
        case .uint8: self = .uint8
        case .bool: self = .bool
        }
    }

    /// PyTorch's prefix in `torch.<Prefix>Storage` and `torch.<Prefix>Tensor`.
    init?(torchPrefix: String) {
        let table: [String: StoredDType] = [
            "Float": .float32, "Double": .float64, "Half": .float16, "BFloat16": .bfloat16, "Long": .int64,
            "Int": .int32, "Short": .int16, "Char": .int8, "Byte": .uint8, "Bool": .bool,
        ]
        guard let value = table[torchPrefix] else { return nil }
        self = value
    }

    /// The safetensors dtype code.
    public var safetensorsCode: String {
        switch self {
        case .float32: return "F32"
        case .float64: return "F64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .int64: return "I64"
        case .int32: return "I32"
        case .int16: return "I16"
        case .int8: return "I8"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    init?(safetensorsCode: String) {
        guard let value = StoredDType.allCases.first(where: { $0.safetensorsCode == safetensorsCode }) else {
            return nil
        }
        self = value
    }
}
