// Elementwise arithmetic, matmul and reductions.
#include "bridge_private.h"

namespace tb {

TensorResult binary(BinaryOp op, const TensorHandle& a, const TensorHandle& b) noexcept {
  return guarded<TensorResult>([&]() -> at::Tensor {
    const at::Tensor& x = unwrap(a);
    const at::Tensor& y = unwrap(b);
    switch (op) {
      case BinaryOp::add: return x + y;
      case BinaryOp::sub: return x - y;
      case BinaryOp::mul: return x * y;
      case BinaryOp::div: return x / y;
    }
    throw std::invalid_argument("unknown binary op");
  });
}

TensorResult binaryScalar(BinaryOp op, const TensorHandle& a, double s, bool scalarOnLeft) noexcept {
  return guarded<TensorResult>([&]() -> at::Tensor {
    const at::Tensor& x = unwrap(a);
    switch (op) {
      case BinaryOp::add: return x + s;
      case BinaryOp::sub: return scalarOnLeft ? at::rsub(x, s) : x - s;
      case BinaryOp::mul: return x * s;
      case BinaryOp::div: return scalarOnLeft ? at::reciprocal(x) * s : x / s;
    }
    throw std::invalid_argument("unknown binary op");
  });
}

TensorResult neg(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return -unwrap(t); });
}

TensorResult matmul(const TensorHandle& a, const TensorHandle& b) noexcept {
  return guarded<TensorResult>([&] { return at::matmul(unwrap(a), unwrap(b)); });
}

TensorResult sumAll(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).sum(); });
}

TensorResult meanAll(const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).mean(); });
}

TensorResult sumDims(const TensorHandle& t, const std::vector<int64_t>& dims, bool keepDim) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).sum(dims, keepDim); });
}

TensorResult meanDims(const TensorHandle& t, const std::vector<int64_t>& dims, bool keepDim) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).mean(dims, keepDim); });
}

}  // namespace tb
