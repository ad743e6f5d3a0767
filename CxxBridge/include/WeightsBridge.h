// Tensors from the raw storage bytes of weight files (PyTorch .pth, safetensors). Imported by Swift
// with TorchBridge.h; names no libtorch type.
#pragma once

#include <cstdint>

#include "TorchBridge.h"

namespace tb {

/// Element types a weight file may store. float16 and bfloat16 become float32 on load (exactly), int16
/// and int8 become int32: the tensor layer has no narrower types.
enum class StorageType : int32_t {
  float32 = 0, float64 = 1, float16 = 2, bfloat16 = 3, int64 = 4, int32 = 5, int16 = 6, int8 = 7,
  uint8 = 8, boolean = 9
};

/// A contiguous tensor copied (once) from a strided view into `byteCount` bytes of little-endian
/// storage: element (i0, i1, ...) is at element index offset + sum(ik * stride[k]). Every element the
/// view touches is checked to lie inside the storage; negative strides or offsets are refused.
TensorResult tensorFromStorage(const uint8_t* bytes, int64_t byteCount, StorageType type,
                               const Int64Vector& size, const Int64Vector& stride, int64_t offset) noexcept;

/// Appends a tensor's elements (row-major, in its own dtype, little-endian as in memory on this
/// machine) to the open file descriptor `fd`. A contiguous CPU tensor is written without a copy.
Status writeTensorBytes(const TensorHandle& t, int32_t fd) noexcept;

}  // namespace tb
