// Training on several processes through libtorch's c10d: a process group (TCPStore rendezvous, Gloo
// on CPU, NCCL on CUDA where the libtorch has it), in-place collectives over lists of tensors, an
// all-reduce that autograd differentiates (sync-BN), and a gradient reducer that averages gradients
// in buckets while backward runs. Same rules as TorchBridge.h: noexcept, errors as values.
#pragma once

#include <cstdint>
#include <string>

#include "TorchBridge.h"

namespace tb {

/// A shared reference to one process group (copying shares it). Collectives on one group must be
/// issued in the same order on every rank; they are not to be called from two threads at once.
class ProcessGroupHandle {
 public:
  ProcessGroupHandle() noexcept;
  ProcessGroupHandle(const ProcessGroupHandle& other) noexcept;
  ProcessGroupHandle(ProcessGroupHandle&& other) noexcept;
  ProcessGroupHandle& operator=(const ProcessGroupHandle& other) noexcept;
  ProcessGroupHandle& operator=(ProcessGroupHandle&& other) noexcept;
  ~ProcessGroupHandle() noexcept;
  bool defined() const noexcept;
  int64_t rank() const noexcept;
  int64_t size() const noexcept;

 private:
  void* impl_;  // owned GroupState*, or null
  friend struct DistributedAccess;
};

struct ProcessGroupResult {
  ProcessGroupHandle value;
  bool failed = false;
  std::string error;
};

/// Joins the group: rank 0 serves the TCPStore at masterAddr:masterPort and the others connect to it,
/// unless `storePrefix` is not empty: then a launcher (torchrun's agent) serves it and every rank
/// connects, using keys under that prefix. Every collective and the rendezvous give up after
/// timeoutSeconds. backend: "gloo" or "nccl".
ProcessGroupResult createProcessGroup(const std::string& backend, const std::string& masterAddr,
                                      int32_t masterPort, int32_t rank, int32_t worldSize,
                                      double timeoutSeconds, const std::string& storePrefix) noexcept;
/// True when this libtorch was built with NCCL and the bridge compiled it in.
bool distributedHasNccl() noexcept;
/// True when the bridge was compiled with Gloo's headers.
bool distributedHasGloo() noexcept;

/// Sums each tensor over all ranks, in place (flattened into buckets of one dtype and device).
Status allReduceSumInPlace(const ProcessGroupHandle& group, const TensorVector& tensors) noexcept;
/// Copies rank 0's values of each tensor into every rank's tensor, in place.
Status broadcastFromRankZero(const ProcessGroupHandle& group, const TensorVector& tensors) noexcept;
Status processGroupBarrier(const ProcessGroupHandle& group) noexcept;
/// The sum of `t` over all ranks, recorded by autograd: its backward sums the incoming gradients
/// over all ranks (every rank must run that backward too, in the same order).
TensorResult allReduceSumDifferentiable(const ProcessGroupHandle& group, const TensorHandle& t) noexcept;

/// Averages parameter gradients over the group. Hooks on the parameters copy each gradient into its
/// bucket as backward produces it and start that bucket's all-reduce when the bucket is complete;
/// `finishGradientReduction` starts what is left, waits, and writes the averages into `.grad`. The
/// hooks are removed when the last copy of the handle goes.
class GradientReducerHandle {
 public:
  GradientReducerHandle() noexcept;
  GradientReducerHandle(const GradientReducerHandle& other) noexcept;
  GradientReducerHandle(GradientReducerHandle&& other) noexcept;
  GradientReducerHandle& operator=(const GradientReducerHandle& other) noexcept;
  GradientReducerHandle& operator=(GradientReducerHandle&& other) noexcept;
  ~GradientReducerHandle() noexcept;
  bool defined() const noexcept;
  /// Buckets, for logs and tests.
  int64_t bucketCount() const noexcept;
  /// Buckets whose all-reduce started inside the last backward (overlapped), for logs and tests.
  int64_t overlappedBuckets() const noexcept;

 private:
  void* impl_;  // owned std::shared_ptr<Reducer>*, or null
  friend struct DistributedAccess;
};

struct GradientReducerResult {
  GradientReducerHandle value;
  bool failed = false;
  std::string error;
};

/// Buckets hold at most bucketBytes each (one parameter larger than that gets a bucket of its own),
/// filled in reverse parameter order, the order backward produces gradients in.
GradientReducerResult createGradientReducer(const ProcessGroupHandle& group, const TensorVector& params,
                                            int64_t bucketBytes) noexcept;
/// Completes one step's reduction. A parameter that received no gradient on this step keeps none
/// (every rank must use the same parameters every step, as DistributedDataParallel assumes).
Status finishGradientReduction(const GradientReducerHandle& reducer) noexcept;

}  // namespace tb
