// Process groups: TCPStore rendezvous, the Gloo (or NCCL) group, and coalesced in-place collectives.
#include <c10/core/GradMode.h>

#include <cstdlib>
#include <map>
#include <tuple>

#include "distributed_private.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
// Debian's 1.13 header needs Gloo's headers (libgloo-dev); the 2.x header is also guarded by this macro.
#if __has_include(<gloo/context.h>)
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#define WSOL_HAS_GLOO 1
#endif
// Only a libtorch built with NCCL defines this for its users; without it `nccl` is refused.
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace tb {

// ---- handle life cycle ------------------------------------------------------------------------------
ProcessGroupHandle::ProcessGroupHandle() noexcept : impl_(nullptr) {}
ProcessGroupHandle::ProcessGroupHandle(const ProcessGroupHandle& other) noexcept : impl_(nullptr) {
  if (auto* s = DistributedAccess::group(other)) impl_ = new std::shared_ptr<GroupState>(*s);
}
ProcessGroupHandle::ProcessGroupHandle(ProcessGroupHandle&& other) noexcept : impl_(other.impl_) {
  other.impl_ = nullptr;
}
ProcessGroupHandle& ProcessGroupHandle::operator=(const ProcessGroupHandle& other) noexcept {
  if (this != &other) {
    ProcessGroupHandle copy(other);
    std::swap(impl_, copy.impl_);
  }
  return *this;
}
ProcessGroupHandle& ProcessGroupHandle::operator=(ProcessGroupHandle&& other) noexcept {
  if (this != &other) std::swap(impl_, other.impl_);
  return *this;
}
ProcessGroupHandle::~ProcessGroupHandle() noexcept {
  delete static_cast<std::shared_ptr<GroupState>*>(impl_);
}
bool ProcessGroupHandle::defined() const noexcept { return impl_ != nullptr; }
int64_t ProcessGroupHandle::rank() const noexcept {
  auto* s = DistributedAccess::group(*this);
  return s == nullptr ? 0 : (*s)->rank;
}
int64_t ProcessGroupHandle::size() const noexcept {
  auto* s = DistributedAccess::group(*this);
  return s == nullptr ? 1 : (*s)->size;
}

bool distributedHasNccl() noexcept {
#ifdef USE_C10D_NCCL
  return true;
#else
  return false;
#endif
}

bool distributedHasGloo() noexcept {
#ifdef WSOL_HAS_GLOO
  return true;
#else
  return false;
#endif
}

// ---- creation ---------------------------------------------------------------------------------------
#ifdef WSOL_HAS_GLOO
/// GLOO_SOCKET_IFNAME picks the interface as in PyTorch; otherwise the address the hostname resolves
/// to, or loopback when it resolves to nothing bindable.
static std::shared_ptr<::gloo::transport::Device> glooDevice() {
  const char* name = std::getenv("GLOO_SOCKET_IFNAME");
  if (name != nullptr && *name != '\0') return c10d::ProcessGroupGloo::createDeviceForInterface(name);
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

ProcessGroupResult createProcessGroup(const std::string& backend, const std::string& masterAddr,
                                      int32_t masterPort, int32_t rank, int32_t worldSize,
                                      double timeoutSeconds, const std::string& storePrefix) noexcept {
  ProcessGroupResult result;
  Status status = guarded<Status>([&] {
    if (worldSize < 1 || rank < 0 || rank >= worldSize) throw std::invalid_argument("rank outside the world");
    if (masterPort < 1 || masterPort > 65535) throw std::invalid_argument("master port outside 1..65535");
    auto state = std::make_shared<GroupState>();
    state->rank = rank;
    state->size = worldSize;
    state->timeout = std::chrono::milliseconds(static_cast<int64_t>(timeoutSeconds * 1000));
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(masterPort);
    options.isServer = rank == 0 && storePrefix.empty();
    options.numWorkers = static_cast<size_t>(worldSize);
    options.waitWorkers = storePrefix.empty();
    options.timeout = state->timeout;
    auto tcp = c10::make_intrusive<c10d::TCPStore>(masterAddr, options);
    if (storePrefix.empty()) {
      state->store = tcp;
    } else {
      state->store = c10::make_intrusive<c10d::PrefixStore>(storePrefix, tcp);
    }
    if (backend == "gloo") {
#ifdef WSOL_HAS_GLOO
      auto glooOptions = c10d::ProcessGroupGloo::Options::create(state->timeout);
      glooOptions->devices.push_back(glooDevice());
      glooOptions->threads = 2;  // 1.13 leaves it uninitialized; 2 is PyTorch's Python default
      state->group = c10::make_intrusive<c10d::ProcessGroupGloo>(state->store, rank, worldSize, glooOptions);
#else
      throw std::runtime_error("this build has no Gloo (install libgloo-dev and rebuild)");
#endif
    } else if (backend == "nccl") {
#ifdef USE_C10D_NCCL
      auto ncclOptions = c10d::ProcessGroupNCCL::Options::create();
      ncclOptions->timeout = state->timeout;
      state->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(state->store, rank, worldSize, ncclOptions);
#else
      throw std::runtime_error("this libtorch has no NCCL");
#endif
    } else {
      throw std::invalid_argument("unknown backend " + backend);
    }
    DistributedAccess::setGroup(result.value, std::move(state));
  });
  result.failed = status.failed;
  result.error = status.error;
  return result;
}

// ---- collectives ------------------------------------------------------------------------------------
void waitFor(const GroupState& g, const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
  try {
    if (!work->wait(g.timeout)) throw std::runtime_error("timed out");
  } catch (const c10::Error& e) {
    throw std::runtime_error(std::string(what) + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(what) + ": " + e.what());
  }
}

/// Runs `collective` on flat buffers of at most 64 MiB, each holding consecutive tensors of one
/// dtype and device, and copies the results back.
template <class F>
static void coalesced(GroupState& g, const std::vector<at::Tensor>& tensors, const char* what,
                      F&& collective) {
  c10::NoGradGuard noGrad;
  constexpr int64_t limit = 64 << 20;
  size_t first = 0;
  while (first < tensors.size()) {
    size_t last = first;
    int64_t bytes = 0;
    std::vector<at::Tensor> flat;
    while (last < tensors.size() && tensors[last].scalar_type() == tensors[first].scalar_type() &&
           tensors[last].device() == tensors[first].device() &&
           (last == first || bytes + tensors[last].nbytes() <= static_cast<size_t>(limit))) {
      bytes += tensors[last].nbytes();
      flat.push_back(tensors[last].detach().reshape({-1}));
      ++last;
    }
    std::vector<at::Tensor> buffer{at::cat(flat)};
    waitFor(g, collective(buffer), what);
    int64_t offset = 0;
    for (size_t i = first; i < last; ++i) {
      int64_t n = tensors[i].numel();
      tensors[i].detach().copy_(buffer[0].narrow(0, offset, n).view(tensors[i].sizes()));
      offset += n;
    }
    first = last;
  }
}

void sumInPlace(GroupState& g, const std::vector<at::Tensor>& tensors) {
  coalesced(g, tensors, "allreduce", [&](std::vector<at::Tensor>& b) { return g.group->allreduce(b); });
}

void broadcastInPlace(GroupState& g, const std::vector<at::Tensor>& tensors) {
  coalesced(g, tensors, "broadcast", [&](std::vector<at::Tensor>& b) { return g.group->broadcast(b); });
}

static std::vector<at::Tensor> unwrapAll(const TensorVector& handles) {
  std::vector<at::Tensor> tensors;
  for (const TensorHandle& h : handles) tensors.push_back(unwrap(h));
  return tensors;
}

Status allReduceSumInPlace(const ProcessGroupHandle& group, const TensorVector& tensors) noexcept {
  return guarded<Status>([&] { sumInPlace(unwrapGroup(group), unwrapAll(tensors)); });
}

Status broadcastFromRankZero(const ProcessGroupHandle& group, const TensorVector& tensors) noexcept {
  return guarded<Status>([&] { broadcastInPlace(unwrapGroup(group), unwrapAll(tensors)); });
}

Status processGroupBarrier(const ProcessGroupHandle& group) noexcept {
  return guarded<Status>([&] {
    GroupState& g = unwrapGroup(group);
    waitFor(g, g.group->barrier(), "barrier");
  });
}

}  // namespace tb
