// Autograd: backward, gradients, detach, requires_grad, grad mode.
#include <c10/core/GradMode.h>

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

NoGradScope::NoGradScope() noexcept : previous_(c10::GradMode::is_enabled()), active_(true) {
  c10::GradMode::set_enabled(false);
}

NoGradScope::NoGradScope(NoGradScope&& other) noexcept : previous_(other.previous_), active_(other.active_) {
  other.active_ = false;
}

NoGradScope::~NoGradScope() noexcept {
  if (active_) c10::GradMode::set_enabled(previous_);
}

bool isGradEnabled() noexcept { return c10::GradMode::is_enabled(); }

Status zeroGrads(const TensorVector& tensors, bool setToNone) noexcept {
  return guarded<Status>([&] {
    for (const TensorHandle& h : tensors) {
      at::Tensor& grad = unwrap(h).mutable_grad();
      if (!grad.defined()) continue;
      if (setToNone) {
        grad.reset();
      } else {
        // As torch.optim.Optimizer.zero_grad(set_to_none=False): cut it from any graph, then zero it.
        c10::NoGradGuard noGrad;
        grad = grad.detach();
        grad.zero_();
      }
    }
  });
}

}  // namespace tb
