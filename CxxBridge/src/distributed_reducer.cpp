// Gradient averaging over ranks, bucketed and overlapped with backward: a hook on each parameter
// copies its gradient into a bucket as soon as autograd has summed it, and the bucket's all-reduce
// starts (on Gloo's threads) when the bucket is complete, while backward goes on with earlier layers.
#include <c10/core/GradMode.h>

#include <mutex>

#include "distributed_private.h"

namespace tb {

namespace {
class Reducer {
 public:
  Reducer(std::shared_ptr<GroupState> group, std::vector<at::Tensor> params, int64_t bucketBytes)
      : group_(std::move(group)), params_(std::move(params)) {
    slot_.resize(params_.size());
    arrived_.assign(params_.size(), false);
    // Backward produces gradients roughly from the last layer to the first: fill buckets that way.
    for (size_t k = params_.size(); k-- > 0;) {
      const at::Tensor& p = params_[k];
      bool fits = !buckets_.empty() &&
                  buckets_.back().bytes + p.nbytes() <= static_cast<size_t>(bucketBytes) &&
                  params_[buckets_.back().members[0]].scalar_type() == p.scalar_type() &&
                  params_[buckets_.back().members[0]].device() == p.device();
      if (!fits) buckets_.emplace_back();
      Bucket& b = buckets_.back();
      slot_[k] = {buckets_.size() - 1, b.numel};
      b.members.push_back(k);
      b.numel += p.numel();
      b.bytes += p.nbytes();
    }
    for (Bucket& b : buckets_) {
      const at::Tensor& p = params_[b.members[0]];
      b.flat = at::zeros({b.numel}, p.options().requires_grad(false));
      b.pending = b.members.size();
    }
    for (size_t k = 0; k < params_.size(); ++k) {
      hooks_.push_back(params_[k].register_hook([this, k](const at::Tensor& grad) { arrive(k, grad); }));
    }
  }

  ~Reducer() {
    for (size_t k = 0; k < params_.size(); ++k) {
      try {
        params_[k].remove_hook(hooks_[k]);
      } catch (...) {  // a destructor must not throw; the parameter then keeps a hook that is never reached
      }
    }
  }

  size_t bucketCount() const { return buckets_.size(); }
  size_t overlapped() const { return overlapped_; }

  /// Starts what is left, waits for every bucket, writes the averages into `.grad`, and resets.
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    c10::NoGradGuard noGrad;
    overlapped_ = 0;
    for (Bucket& b : buckets_) {
      if (b.work) {
        ++overlapped_;
        continue;
      }
      for (size_t k : b.members) {
        if (!arrived_[k]) b.flat.narrow(0, slot_[k].second, params_[k].numel()).zero_();
      }
      launch(b);
    }
    std::exception_ptr failure;
    for (Bucket& b : buckets_) {
      try {
        if (!failure) waitFor(*group_, b.work, "allreduce of gradients");
      } catch (...) {
        failure = std::current_exception();
      }
      b.work.reset();
      b.pending = b.members.size();
      if (failure) continue;
      b.flat.div_(group_->size);
      for (size_t k : b.members) {
        if (!arrived_[k]) continue;
        at::Tensor average = b.flat.narrow(0, slot_[k].second, params_[k].numel()).view(params_[k].sizes());
        at::Tensor& grad = params_[k].mutable_grad();
        if (grad.defined()) {
          grad.copy_(average);
        } else {
          grad = average.clone();
        }
      }
    }
    arrived_.assign(params_.size(), false);
    if (failure) std::rethrow_exception(failure);
  }

 private:
  struct Bucket {
    std::vector<size_t> members;
    int64_t numel = 0;
    size_t bytes = 0;
    at::Tensor flat;
    size_t pending = 0;
    c10::intrusive_ptr<c10d::Work> work;
  };

  // Runs inside backward (on autograd's thread for the parameter's device).
  void arrive(size_t k, const at::Tensor& grad) {
    std::lock_guard<std::mutex> lock(mutex_);
    c10::NoGradGuard noGrad;
    Bucket& b = buckets_[slot_[k].first];
    at::Tensor target = b.flat.narrow(0, slot_[k].second, params_[k].numel());
    if (arrived_[k]) {  // a second backward before finish(): gradients accumulate, as .grad does
      target.add_(grad.reshape({-1}));
      return;
    }
    target.copy_(grad.reshape({-1}));
    arrived_[k] = true;
    if (--b.pending == 0 && !b.work) launch(b);
  }

  void launch(Bucket& b) {
    std::vector<at::Tensor> buffer{b.flat};
    b.work = group_->group->allreduce(buffer);
  }

  std::shared_ptr<GroupState> group_;
  std::vector<at::Tensor> params_;
  std::vector<std::pair<size_t, int64_t>> slot_;  // (bucket, offset) per parameter
  std::vector<bool> arrived_;
  std::vector<Bucket> buckets_;
  std::vector<unsigned> hooks_;
  size_t overlapped_ = 0;
  std::mutex mutex_;
};

using Shared = std::shared_ptr<Reducer>;

Shared* shared(const GradientReducerHandle& h) { return static_cast<Shared*>(DistributedAccess::reducer(h)); }
}  // namespace

GradientReducerHandle::GradientReducerHandle() noexcept : impl_(nullptr) {}
GradientReducerHandle::GradientReducerHandle(const GradientReducerHandle& other) noexcept
    : impl_(shared(other) == nullptr ? nullptr : new Shared(*shared(other))) {}
GradientReducerHandle::GradientReducerHandle(GradientReducerHandle&& other) noexcept : impl_(other.impl_) {
  other.impl_ = nullptr;
}
GradientReducerHandle& GradientReducerHandle::operator=(const GradientReducerHandle& other) noexcept {
  if (this != &other) {
    GradientReducerHandle copy(other);
    std::swap(impl_, copy.impl_);
  }
  return *this;
}
GradientReducerHandle& GradientReducerHandle::operator=(GradientReducerHandle&& other) noexcept {
  if (this != &other) std::swap(impl_, other.impl_);
  return *this;
}
GradientReducerHandle::~GradientReducerHandle() noexcept { delete static_cast<Shared*>(impl_); }
bool GradientReducerHandle::defined() const noexcept { return impl_ != nullptr; }
int64_t GradientReducerHandle::bucketCount() const noexcept {
  return impl_ == nullptr ? 0 : static_cast<int64_t>((*shared(*this))->bucketCount());
}
int64_t GradientReducerHandle::overlappedBuckets() const noexcept {
  return impl_ == nullptr ? 0 : static_cast<int64_t>((*shared(*this))->overlapped());
}

GradientReducerResult createGradientReducer(const ProcessGroupHandle& group, const TensorVector& params,
                                            int64_t bucketBytes) noexcept {
  GradientReducerResult result;
  Status status = guarded<Status>([&] {
    unwrapGroup(group);
    if (bucketBytes < 1) throw std::invalid_argument("bucket size must be positive");
    std::vector<at::Tensor> tensors;
    for (const TensorHandle& h : params) tensors.push_back(unwrap(h));
    auto reducer =
        std::make_shared<Reducer>(*DistributedAccess::group(group), std::move(tensors), bucketBytes);
    DistributedAccess::setReducer(result.value, new Shared(std::move(reducer)));
  });
  result.failed = status.failed;
  result.error = status.error;
  return result;
}

Status finishGradientReduction(const GradientReducerHandle& reducer) noexcept {
  return guarded<Status>([&] {
    Shared* s = shared(reducer);
    if (s == nullptr) throw std::invalid_argument("no gradient reducer");
    (*s)->finish();
  });
}

}  // namespace tb
