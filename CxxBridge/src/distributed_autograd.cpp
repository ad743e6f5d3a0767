// The all-reduce autograd differentiates: forward sums over ranks, backward sums the gradients over
// ranks. Sync-BN builds on it in Swift (the batch's sums become the world's sums).
#include <torch/csrc/autograd/custom_function.h>

#include "distributed_private.h"

namespace tb {

namespace {
struct AllReduceSum : public torch::autograd::Function<AllReduceSum> {
  // The group travels as an address: the Swift side keeps its handle alive for the graph's life.
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, int64_t group) {
    ctx->saved_data["group"] = group;
    at::Tensor out = x.detach().clone(at::MemoryFormat::Contiguous);
    sumInPlace(*reinterpret_cast<GroupState*>(group), {out});
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto* group = reinterpret_cast<GroupState*>(ctx->saved_data["group"].toInt());
    at::Tensor g = grads[0].detach().clone(at::MemoryFormat::Contiguous);
    sumInPlace(*group, {g});
    return {g, at::Tensor()};
  }
};
}  // namespace

TensorResult allReduceSumDifferentiable(const ProcessGroupHandle& group, const TensorHandle& t) noexcept {
  return guarded<TensorResult>([&] {
    GroupState& g = unwrapGroup(group);
    return AllReduceSum::apply(unwrap(t), reinterpret_cast<int64_t>(&g));
  });
}

}  // namespace tb
