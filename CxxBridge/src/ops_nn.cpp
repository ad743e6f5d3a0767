// Functional neural-network operations.
#include "bridge_private.h"

namespace tb {

TensorResult conv2d(const TensorHandle& input, const TensorHandle& weight, const TensorHandle& bias,
                    const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                    const std::vector<int64_t>& dilation, int64_t groups) noexcept {
  return guarded<TensorResult>([&] {
    return at::conv2d(unwrap(input), unwrap(weight), unwrapOptional(bias), stride, padding, dilation,
                      groups);
  });
}

}  // namespace tb
