// Shapes, views and indexing.
#include "bridge_private.h"

namespace tb {

TensorResult reshape(const TensorHandle& t, const std::vector<int64_t>& shape) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).reshape(shape); });
}

TensorResult view(const TensorHandle& t, const std::vector<int64_t>& shape) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).view(shape); });
}

TensorResult permute(const TensorHandle& t, const std::vector<int64_t>& dims) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).permute(dims); });
}

TensorResult transpose(const TensorHandle& t, int64_t a, int64_t b) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).transpose(a, b); });
}

TensorResult contiguous(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).contiguous(); });
}

TensorResult contiguousChannelsLast(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] {
    const at::Tensor& x = unwrap(t);
    if (x.dim() != 4) throw std::invalid_argument("channels-last needs a 4-D tensor");
    return x.contiguous(at::MemoryFormat::ChannelsLast);
  });
}

TensorResult flatten(const TensorHandle& t, int64_t startDim, int64_t endDim) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).flatten(startDim, endDim); });
}

TensorResult unsqueeze(const TensorHandle& t, int64_t dim) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).unsqueeze(dim); });
}

TensorResult squeeze(const TensorHandle& t, int64_t dim) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).squeeze(dim); });
}

TensorResult expand(const TensorHandle& t, const std::vector<int64_t>& shape) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).expand(shape); });
}

TensorResult slice(const TensorHandle& t, int64_t dim, int64_t start, int64_t end, int64_t step) noexcept {
  return guarded<TensorResult>([&] {
    if (step < 1) throw std::invalid_argument("slice step must be positive");
    return unwrap(t).slice(dim, start, end, step);
  });
}

TensorResult indexSelect(const TensorHandle& t, int64_t dim, const TensorHandle& index) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).index_select(dim, unwrap(index)); });
}

TensorResult gather(const TensorHandle& t, int64_t dim, const TensorHandle& index) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).gather(dim, unwrap(index)); });
}

static std::vector<at::Tensor> unwrapAll(const TensorVector& tensors) {
  std::vector<at::Tensor> out;
  out.reserve(tensors.size());
  for (const TensorHandle& h : tensors) out.push_back(unwrap(h));
  return out;
}

TensorResult cat(const TensorVector& tensors, int64_t dim) noexcept {
  return guarded<TensorResult>([&] { return at::cat(unwrapAll(tensors), dim); });
}

TensorResult stack(const TensorVector& tensors, int64_t dim) noexcept {
  return guarded<TensorResult>([&] { return at::stack(unwrapAll(tensors), dim); });
}

}  // namespace tb
