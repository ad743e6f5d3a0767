// Support for Sources/NN: see ModuleBridge.h.
#include "ModuleBridge.h"

#include "bridge_private.h"

namespace tb {

Status setData(const TensorHandle& target, const TensorHandle& data) noexcept {
  return guarded<Status>([&] {
    at::Tensor t = unwrap(target);
    t.set_data(unwrap(data));
  });
}

}  // namespace tb
