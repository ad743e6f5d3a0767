// New tensors: constant fills, ranges, random draws (from the generator TorchRuntime.manualSeed seeds).
#include "bridge_private.h"

namespace tb {

TensorResult zeros(const std::vector<int64_t>& shape, DType dtype) noexcept {
  return guarded<TensorResult>([&] { return at::zeros(shape, at::TensorOptions().dtype(scalarType(dtype))); });
}

TensorResult ones(const std::vector<int64_t>& shape, DType dtype) noexcept {
  return guarded<TensorResult>([&] { return at::ones(shape, at::TensorOptions().dtype(scalarType(dtype))); });
}

TensorResult full(const std::vector<int64_t>& shape, double value, DType dtype) noexcept {
  return guarded<TensorResult>(
      [&] { return at::full(shape, value, at::TensorOptions().dtype(scalarType(dtype))); });
}

TensorResult rand(const std::vector<int64_t>& shape) noexcept {
  return guarded<TensorResult>([&] { return at::rand(shape, at::TensorOptions().dtype(at::kFloat)); });
}

TensorResult randn(const std::vector<int64_t>& shape) noexcept {
  return guarded<TensorResult>([&] { return at::randn(shape, at::TensorOptions().dtype(at::kFloat)); });
}

TensorResult arange(double start, double end, double step, DType dtype) noexcept {
  return guarded<TensorResult>(
      [&] { return at::arange(start, end, step, at::TensorOptions().dtype(scalarType(dtype))); });
}

TensorResult clone(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).clone(); });
}

}  // namespace tb
