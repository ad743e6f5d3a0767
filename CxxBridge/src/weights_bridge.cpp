// Tensors from weight-file storages (one bounds check, one copy) and tensor bytes to weight files.
#include "WeightsBridge.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "bridge_private.h"

namespace tb {

namespace {

struct TypeInfo {
  at::ScalarType stored;
  at::ScalarType loaded;
  int64_t bytes;
};

TypeInfo info(StorageType t) {
  switch (t) {
    case StorageType::float32: return {at::kFloat, at::kFloat, 4};
    case StorageType::float64: return {at::kDouble, at::kDouble, 8};
    case StorageType::float16: return {at::kHalf, at::kFloat, 2};
    case StorageType::bfloat16: return {at::kBFloat16, at::kFloat, 2};
    case StorageType::int64: return {at::kLong, at::kLong, 8};
    case StorageType::int32: return {at::kInt, at::kInt, 4};
    case StorageType::int16: return {at::kShort, at::kInt, 2};
    case StorageType::int8: return {at::kChar, at::kInt, 1};
    case StorageType::uint8: return {at::kByte, at::kByte, 1};
    case StorageType::boolean: return {at::kBool, at::kBool, 1};
  }
  throw std::invalid_argument("unknown storage type");
}

/// a * b + c with overflow checks (all non-negative).
int64_t mulAdd(int64_t a, int64_t b, int64_t c) {
  constexpr int64_t maxValue = std::numeric_limits<int64_t>::max();
  if (b != 0 && a > (maxValue - c) / b) throw std::invalid_argument("tensor extent overflows");
  return a * b + c;
}

}  // namespace

TensorResult tensorFromStorage(const uint8_t* bytes, int64_t byteCount, StorageType type,
                               const Int64Vector& size, const Int64Vector& stride, int64_t offset) noexcept {
  return guarded<TensorResult>([&] {
    TypeInfo t = info(type);
    if (size.size() != stride.size()) throw std::invalid_argument("size and stride have different lengths");
    if (offset < 0 || byteCount < 0) throw std::invalid_argument("negative storage offset");
    int64_t numel = 1;
    int64_t last = offset;  // the highest element index the view touches
    for (size_t k = 0; k < size.size(); ++k) {
      if (size[k] < 0 || stride[k] < 0) throw std::invalid_argument("negative size or stride");
      numel = mulAdd(numel, size[k], 0);
    }
    at::TensorOptions options = at::TensorOptions().dtype(t.loaded);
    if (numel == 0) return at::empty(size, options);
    for (size_t k = 0; k < size.size(); ++k) last = mulAdd(size[k] - 1, stride[k], last);
    if (last >= byteCount / t.bytes) {
      throw std::invalid_argument("tensor reaches element " + std::to_string(last) + " of a storage of " +
                                  std::to_string(byteCount / t.bytes) + " elements");
    }
    // Overlapping views (stride 0) may hold more elements than the storage; cap that so a crafted
    // file cannot make us allocate without limit.
    if (numel > byteCount / t.bytes && numel > (int64_t{1} << 24)) {
      throw std::invalid_argument("a view of " + std::to_string(numel) + " elements over a storage of " +
                                  std::to_string(byteCount / t.bytes));
    }
    if (bytes == nullptr) throw std::invalid_argument("no storage bytes");
    at::Tensor storage = at::from_blob(const_cast<uint8_t*>(bytes), {byteCount / t.bytes},
                                       at::TensorOptions().dtype(t.stored));
    // Allocated only now that the view is known to fit. from_blob does not own the bytes: copy into
    // the result while they are alive.
    at::Tensor result = at::empty(size, options);
    result.copy_(storage.as_strided(size, stride, offset));
    return result;
  });
}

Status writeTensorBytes(const TensorHandle& h, int32_t fd) noexcept {
  return guarded<Status>([&] {
    at::Tensor t = unwrap(h).detach().to(at::kCPU).contiguous();
    const char* data = static_cast<const char*>(t.data_ptr());
    size_t left = static_cast<size_t>(t.numel()) * t.element_size();
    while (left > 0) {
      ssize_t written = ::write(fd, data, std::min(left, size_t{1} << 30));
      if (written < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(std::strerror(errno));
      }
      data += written;
      left -= static_cast<size_t>(written);
    }
  });
}

}  // namespace tb
