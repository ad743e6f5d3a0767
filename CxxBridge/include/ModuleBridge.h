// Bridge support for the neural-network layer (Sources/NN): re-pointing a tensor at new data while
// keeping its identity, as PyTorch's Module.to does (`param.data = param.data.to(device)`), so that
// every Swift copy of a parameter sees the move.
#pragma once

#include "TorchBridge.h"

namespace tb {

/// Replaces `target`'s data (and device/dtype) with `data`'s, keeping `target` the same tensor object.
Status setData(const TensorHandle& target, const TensorHandle& data) noexcept;

}  // namespace tb
