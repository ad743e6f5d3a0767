// Tensors from and to Swift buffers, metadata, dtype and device moves.
#include "bridge_private.h"

namespace tb {

at::ScalarType scalarType(DType d) {
  switch (d) {
    case DType::float32: return at::kFloat;
    case DType::float64: return at::kDouble;
    case DType::int64: return at::kLong;
    case DType::int32: return at::kInt;
    case DType::uint8: return at::kByte;
    case DType::boolean: return at::kBool;
  }
  throw std::invalid_argument("unknown dtype");
}

template <class T>
static TensorResult fromBuffer(const T* data, int64_t count, const std::vector<int64_t>& shape,
                               at::ScalarType type) noexcept {
  return guarded<TensorResult>([&] {
    int64_t expected = 1;
    for (int64_t s : shape) {
      if (s < 0) throw std::invalid_argument("negative dimension in shape");
      expected *= s;
    }
    if (expected != count) {
      throw std::invalid_argument("shape " + c10::str(at::IntArrayRef(shape)) + " holds " +
                                  std::to_string(expected) + " elements, got " + std::to_string(count));
    }
    // from_blob does not own the Swift buffer: clone while it is alive.
    return at::from_blob(const_cast<T*>(data), shape, at::TensorOptions().dtype(type)).clone();
  });
}

TensorResult fromFloat32(const float* d, int64_t n, const std::vector<int64_t>& s) noexcept {
  return fromBuffer(d, n, s, at::kFloat);
}
TensorResult fromFloat64(const double* d, int64_t n, const std::vector<int64_t>& s) noexcept {
  return fromBuffer(d, n, s, at::kDouble);
}
TensorResult fromInt64(const int64_t* d, int64_t n, const std::vector<int64_t>& s) noexcept {
  return fromBuffer(d, n, s, at::kLong);
}
TensorResult fromUInt8(const uint8_t* d, int64_t n, const std::vector<int64_t>& s) noexcept {
  return fromBuffer(d, n, s, at::kByte);
}

template <class T>
static Status copyOut(const TensorHandle& h, T* out, int64_t count, at::ScalarType type) noexcept {
  return guarded<Status>([&] {
    const at::Tensor& t = unwrap(h);
    if (t.numel() != count) {
      throw std::invalid_argument("tensor has " + std::to_string(t.numel()) + " elements, buffer " +
                                  std::to_string(count));
    }
    at::Tensor src = t.detach().to(at::kCPU, type).contiguous();
    std::memcpy(out, src.data_ptr(), sizeof(T) * static_cast<size_t>(count));
  });
}

Status copyToFloat32(const TensorHandle& t, float* out, int64_t n) noexcept {
  return copyOut(t, out, n, at::kFloat);
}
Status copyToFloat64(const TensorHandle& t, double* out, int64_t n) noexcept {
  return copyOut(t, out, n, at::kDouble);
}
Status copyToInt64(const TensorHandle& t, int64_t* out, int64_t n) noexcept {
  return copyOut(t, out, n, at::kLong);
}
Status copyToUInt8(const TensorHandle& t, uint8_t* out, int64_t n) noexcept {
  return copyOut(t, out, n, at::kByte);
}

std::vector<int64_t> shapeOf(const TensorHandle& h) noexcept {
  const at::Tensor* t = HandleAccess::get(h);
  if (t == nullptr) return {};
  auto sizes = t->sizes();
  return std::vector<int64_t>(sizes.begin(), sizes.end());
}

DType dtypeOf(const TensorHandle& h) noexcept {
  const at::Tensor* t = HandleAccess::get(h);
  if (t == nullptr) return DType::float32;
  switch (t->scalar_type()) {
    case at::kDouble: return DType::float64;
    case at::kLong: return DType::int64;
    case at::kInt: return DType::int32;
    case at::kByte: return DType::uint8;
    case at::kBool: return DType::boolean;
    default: return DType::float32;
  }
}

int64_t numelOf(const TensorHandle& h) noexcept {
  const at::Tensor* t = HandleAccess::get(h);
  return t == nullptr ? 0 : t->numel();
}

std::string deviceOf(const TensorHandle& h) noexcept {
  const at::Tensor* t = HandleAccess::get(h);
  if (t == nullptr) return "undefined";
  try {
    return t->device().str();
  } catch (...) {
    return "unknown";
  }
}

TensorResult toDType(const TensorHandle& h, DType d) noexcept {
  return guarded<TensorResult>([&] { return unwrap(h).to(scalarType(d)); });
}

TensorResult toDevice(const TensorHandle& h, const std::string& device) noexcept {
  return guarded<TensorResult>([&] { return unwrap(h).to(at::Device(device)); });
}

DoubleResult item(const TensorHandle& h) noexcept {
  return guarded<DoubleResult>([&] { return unwrap(h).item().toDouble(); });
}

}  // namespace tb
