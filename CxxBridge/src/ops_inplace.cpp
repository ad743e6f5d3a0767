// In-place writes for initialization, weight loading and buffers: never recorded by autograd, so they
// also apply to leaves that require gradients.
#include <c10/core/GradMode.h>

#include "bridge_private.h"

namespace tb {

Status applyInPlace(InPlaceOp op, const TensorHandle& t, double a, double b) noexcept {
  return guarded<Status>([&] {
    c10::NoGradGuard noGrad;
    at::Tensor x = unwrap(t);
    switch (op) {
      case InPlaceOp::fill: x.fill_(a); return;
      case InPlaceOp::add: x.add_(a); return;
      case InPlaceOp::mul: x.mul_(a); return;
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
