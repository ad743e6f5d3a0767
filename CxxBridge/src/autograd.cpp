// Autograd: backward, gradients, detach, requires_grad.
#include "bridge_private.h"

namespace tb {

Status backward(const TensorHandle& t, const TensorHandle& gradient, bool retainGraph) noexcept {
  return guarded<Status>([&] {
    unwrap(t).backward(unwrapOptional(gradient), retainGraph ? c10::optional<bool>(true) : c10::nullopt);
  });
}

TensorHandle gradOf(const TensorHandle& t) noexcept {
  const at::Tensor* x = HandleAccess::get(t);
  return x == nullptr ? TensorHandle() : wrap(x->grad());
}

TensorHandle detach(const TensorHandle& t) noexcept {
  const at::Tensor* x = HandleAccess::get(t);
  return x == nullptr ? TensorHandle() : wrap(x->detach());
}

Status setRequiresGrad(const TensorHandle& t, bool flag) noexcept {
  return guarded<Status>([&] { unwrap(t).set_requires_grad(flag); });
}

bool requiresGrad(const TensorHandle& t) noexcept {
  const at::Tensor* x = HandleAccess::get(t);
  return x != nullptr && x->requires_grad();
}

}  // namespace tb
