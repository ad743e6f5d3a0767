// TensorHandle's life cycle and the live-tensor counter.
#include <atomic>

#include "bridge_private.h"

namespace tb {

static std::atomic<int64_t> liveHandles{0};

static at::Tensor* retain(const at::Tensor* t) noexcept {
  if (t == nullptr) return nullptr;
  liveHandles.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(*t);
}

static void release(at::Tensor* t) noexcept {
  if (t == nullptr) return;
  liveHandles.fetch_sub(1, std::memory_order_relaxed);
  delete t;
}

TensorHandle::TensorHandle() noexcept : impl_(nullptr) {}

TensorHandle::TensorHandle(const TensorHandle& other) noexcept
    : impl_(retain(HandleAccess::get(other))) {}

TensorHandle::TensorHandle(TensorHandle&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }

TensorHandle& TensorHandle::operator=(const TensorHandle& other) noexcept {
  if (this != &other) {
    at::Tensor* copy = retain(HandleAccess::get(other));
    release(static_cast<at::Tensor*>(impl_));
    impl_ = copy;
  }
  return *this;
}

TensorHandle& TensorHandle::operator=(TensorHandle&& other) noexcept {
  if (this != &other) {
    release(static_cast<at::Tensor*>(impl_));
    impl_ = other.impl_;
    other.impl_ = nullptr;
  }
  return *this;
}

TensorHandle::~TensorHandle() noexcept { release(static_cast<at::Tensor*>(impl_)); }

bool TensorHandle::defined() const noexcept {
  return impl_ != nullptr && static_cast<at::Tensor*>(impl_)->defined();
}

TensorHandle wrap(at::Tensor t) noexcept {
  TensorHandle h;
  if (t.defined()) {
    liveHandles.fetch_add(1, std::memory_order_relaxed);
    HandleAccess::set(h, new at::Tensor(std::move(t)));
  }
  return h;
}

int64_t liveTensorCount() noexcept { return liveHandles.load(std::memory_order_relaxed); }

}  // namespace tb
