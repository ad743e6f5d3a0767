// Reductions beyond sum and mean: extremes, argmax, top-k.
#include <tuple>

#include "bridge_private.h"

namespace tb {

/// guarded() for ops that return (values, indices).
template <class F>
static TensorPairResult guardedPair(F&& body) noexcept {
  TensorPairResult r;
  Status s = guarded<Status>([&] {
    std::tuple<at::Tensor, at::Tensor> both = body();
    r.first = wrap(std::get<0>(both));
    r.second = wrap(std::get<1>(both));
  });
  r.failed = s.failed;
  r.error = s.error;
  return r;
}

TensorResult maxAll(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).max(); });
}

TensorResult minAll(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).min(); });
}

TensorPairResult maxDim(const TensorHandle& t, int64_t dim, bool keepDim) noexcept {
  return guardedPair([&] { return unwrap(t).max(dim, keepDim); });
}

TensorPairResult minDim(const TensorHandle& t, int64_t dim, bool keepDim) noexcept {
  return guardedPair([&] { return unwrap(t).min(dim, keepDim); });
}

TensorResult argmax(const TensorHandle& t, int64_t dim, bool keepDim) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).argmax(dim, keepDim); });
}

TensorPairResult topk(const TensorHandle& t, int64_t k, int64_t dim, bool largest, bool sorted) noexcept {
  return guardedPair([&] { return unwrap(t).topk(k, dim, largest, sorted); });
}

}  // namespace tb
