// In-place writes for initialization, weight loading and buffers: never recorded by autograd, so they
// also apply to leaves that require gradients.
#include <c10/core/GradMode.h>

#include "bridge_private.h"

namespace tb {

/// An integral tensor takes a whole-number operand as an integer scalar: a double scalar would
/// promote the result to float, which an in-place op on an int64 buffer (num_batches_tracked) refuses.
static at::Scalar scalarFor(const at::Tensor& x, double a) {
  if (at::isIntegralType(x.scalar_type(), /*includeBool=*/false) && a == static_cast<double>(static_cast<int64_t>(a))) {
    return at::Scalar(static_cast<int64_t>(a));
  }
  return at::Scalar(a);
}

Status applyInPlace(InPlaceOp op, const TensorHandle& t, double a, double b) noexcept {
  return guarded<Status>([&] {
    c10::NoGradGuard noGrad;
    at::Tensor x = unwrap(t);
    switch (op) {
      case InPlaceOp::fill: x.fill_(scalarFor(x, a)); return;
      case InPlaceOp::add: x.add_(scalarFor(x, a)); return;
      case InPlaceOp::mul: x.mul_(scalarFor(x, a)); return;
      case InPlaceOp::normal: x.normal_(a, b); return;
      case InPlaceOp::uniform: x.uniform_(a, b); return;
    }
    throw std::invalid_argument("unknown in-place op");
  });
}

Status copyInto(const TensorHandle& destination, const TensorHandle& source) noexcept {
  return guarded<Status>([&] {
    c10::NoGradGuard noGrad;
    unwrap(destination).copy_(unwrap(source));
  });
}

}  // namespace tb
