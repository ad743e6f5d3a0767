// Elementwise math, comparisons, activations and the linear layer.
#include "bridge_private.h"

namespace tb {

TensorResult unary(UnaryOp op, const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&]() -> at::Tensor {
    const at::Tensor& x = unwrap(t);
    switch (op) {
      case UnaryOp::exp: return x.exp();
      case UnaryOp::log: return x.log();
      case UnaryOp::sqrt: return x.sqrt();
      case UnaryOp::abs: return x.abs();
      case UnaryOp::relu: return x.relu();
      case UnaryOp::sigmoid: return x.sigmoid();
    }
    throw std::invalid_argument("unknown unary op");
  });
}

TensorResult pow(const TensorHandle& t, double exponent) noexcept {
  return guarded<TensorResult>([&] { return unwrap(t).pow(exponent); });
}

template <class Other>
static at::Tensor compareWith(CompareOp op, const at::Tensor& x, const Other& y) {
  switch (op) {
    case CompareOp::eq: return x.eq(y);
    case CompareOp::ne: return x.ne(y);
    case CompareOp::gt: return x.gt(y);
    case CompareOp::ge: return x.ge(y);
    case CompareOp::lt: return x.lt(y);
    case CompareOp::le: return x.le(y);
  }
  throw std::invalid_argument("unknown comparison");
}

TensorResult compare(CompareOp op, const TensorHandle& a, const TensorHandle& b) noexcept {
  return guarded<TensorResult>([&] { return compareWith(op, unwrap(a), unwrap(b)); });
}

TensorResult compareScalar(CompareOp op, const TensorHandle& a, double s) noexcept {
  return guarded<TensorResult>([&] { return compareWith(op, unwrap(a), at::Scalar(s)); });
}

TensorResult whereCondition(const TensorHandle& condition, const TensorHandle& a, const TensorHandle& b) noexcept {
  return guarded<TensorResult>([&] { return at::where(unwrap(condition), unwrap(a), unwrap(b)); });
}

TensorResult clamp(const TensorHandle& t, bool hasMin, double min, bool hasMax, double max) noexcept {
  return guarded<TensorResult>([&] {
    if (!hasMin && !hasMax) throw std::invalid_argument("clamp needs a min or a max");
    c10::optional<at::Scalar> lo = hasMin ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = hasMax ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return at::clamp(unwrap(t), lo, hi);
  });
}

TensorResult softmax(const TensorHandle& t, int64_t dim) noexcept {
  return guarded<TensorResult>([&] { return at::softmax(unwrap(t), dim); });
}

TensorResult logSoftmax(const TensorHandle& t, int64_t dim) noexcept {
  return guarded<TensorResult>([&] { return at::log_softmax(unwrap(t), dim); });
}

TensorResult dropout(const TensorHandle& t, double p, bool training) noexcept {
  return guarded<TensorResult>([&] {
    if (p < 0 || p > 1) throw std::invalid_argument("dropout probability must be in [0, 1]");
    return at::dropout(unwrap(t), p, training);
  });
}

TensorResult linear(const TensorHandle& input, const TensorHandle& weight, const TensorHandle& bias) noexcept {
  return guarded<TensorResult>([&] { return at::linear(unwrap(input), unwrap(weight), unwrapOptional(bias)); });
}

}  // namespace tb
