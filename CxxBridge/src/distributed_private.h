// Shared by the distributed_*.cpp files: the state behind a ProcessGroupHandle and the coalesced
// collectives the others build on. Includes c10d's headers, so only those files include it.
#pragma once

#include <torch/version.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif

#include "DistributedBridge.h"
#include "bridge_private.h"

namespace tb {

/// The class both Gloo and NCCL groups derive from: ProcessGroup in 1.x, Backend in 2.x.
#if TORCH_VERSION_MAJOR >= 2
using CollectiveGroup = c10d::Backend;
#else
using CollectiveGroup = c10d::ProcessGroup;
#endif

struct GroupState {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<CollectiveGroup> group;
  int rank = 0;
  int size = 1;
  std::chrono::milliseconds timeout{60000};
};

struct DistributedAccess {
  static std::shared_ptr<GroupState>* group(const ProcessGroupHandle& h) {
    return static_cast<std::shared_ptr<GroupState>*>(h.impl_);
  }
  static void setGroup(ProcessGroupHandle& h, std::shared_ptr<GroupState> s) {
    h.impl_ = new std::shared_ptr<GroupState>(std::move(s));
  }
  /// The reducer's storage (its type is private to distributed_reducer.cpp).
  static void* reducer(const GradientReducerHandle& h) { return h.impl_; }
  static void setReducer(GradientReducerHandle& h, void* impl) { h.impl_ = impl; }
};

/// The group behind a handle; throws (caught by `guarded`) for the empty handle.
inline GroupState& unwrapGroup(const ProcessGroupHandle& h) {
  std::shared_ptr<GroupState>* s = DistributedAccess::group(h);
  if (s == nullptr || !*s) throw std::invalid_argument("no process group");
  return **s;
}

/// Waits for a collective; a timeout or a peer's failure throws with `what` in the message.
void waitFor(const GroupState& g, const c10::intrusive_ptr<c10d::Work>& work, const char* what);

/// Sums (or broadcasts from rank 0) the tensors in place, concatenated per dtype and device.
void sumInPlace(GroupState& g, const std::vector<at::Tensor>& tensors);
void broadcastInPlace(GroupState& g, const std::vector<at::Tensor>& tensors);

}  // namespace tb
