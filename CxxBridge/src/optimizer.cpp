// torch.optim.SGD's update, one call per step over every parameter.
#include <c10/core/GradMode.h>

#include "bridge_private.h"

namespace tb {

Status sgdStep(const TensorVector& params, TensorVector& momentumBuffers, const DoubleVector& lr,
               const DoubleVector& weightDecay, double momentum, double dampening, bool nesterov) noexcept {
  return guarded<Status>([&] {
    size_t n = params.size();
    if (momentumBuffers.size() != n || lr.size() != n || weightDecay.size() != n) {
      throw std::invalid_argument("sgdStep: parameters, buffers, lr and weight decay differ in count");
    }
    c10::NoGradGuard noGrad;
    for (size_t i = 0; i < n; ++i) {
      const at::Tensor& param = unwrap(params[i]);
      const at::Tensor& grad = param.grad();
      if (!grad.defined()) continue;  // PyTorch skips parameters without a gradient
      at::Tensor step = weightDecay[i] != 0 ? grad.add(param, weightDecay[i]) : grad;
      if (momentum != 0) {
        at::Tensor buffer = unwrapOptional(momentumBuffers[i]);
        if (!buffer.defined()) {
          buffer = step.clone().detach();
          momentumBuffers[i] = wrap(buffer);
        } else {
          buffer.mul_(momentum).add_(step, 1 - dampening);
        }
        step = nesterov ? step.add(buffer, momentum) : buffer;
      }
      param.add_(step, -lr[i]);
    }
  });
}

}  // namespace tb
