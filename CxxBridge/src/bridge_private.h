// Shared by the bridge's .cpp files only: libtorch types, handle access and the one guard that turns
// every C++ exception into an error value.
#pragma once

#include <ATen/ATen.h>

#include <exception>
#include <string>
#include <utility>

#include "TorchBridge.h"

namespace tb {

struct HandleAccess {
  static at::Tensor* get(const TensorHandle& h) { return static_cast<at::Tensor*>(h.impl_); }
  static void set(TensorHandle& h, at::Tensor* t) { h.impl_ = t; }
};

/// The tensor behind a handle; throws (caught by `guarded`) for the empty handle.
inline const at::Tensor& unwrap(const TensorHandle& h) {
  const at::Tensor* t = HandleAccess::get(h);
  if (t == nullptr) throw std::invalid_argument("undefined tensor");
  return *t;
}

/// The tensor behind a handle, or an undefined tensor for the empty handle (optional arguments).
inline at::Tensor unwrapOptional(const TensorHandle& h) {
  const at::Tensor* t = HandleAccess::get(h);
  return t == nullptr ? at::Tensor() : *t;
}

TensorHandle wrap(at::Tensor t) noexcept;

/// The libtorch element type of a bridge DType (tensor_data.cpp); throws for an unknown value.
at::ScalarType scalarType(DType d);

namespace detail {
template <class R>
R failure(std::string message) noexcept {
  R r;
  r.failed = true;
  r.error = message.empty() ? std::string("unknown libtorch error") : std::move(message);
  return r;
}
}  // namespace detail

/// Runs `body` and converts any exception into a failed result of type R. `body` returns what R
/// carries (at::Tensor for TensorResult, void for Status, double for DoubleResult).
template <class R, class F>
R guarded(F&& body) noexcept {
  try {
    if constexpr (std::is_same_v<R, TensorResult>) {
      R r;
      r.value = wrap(body());
      return r;
    } else if constexpr (std::is_same_v<R, DoubleResult>) {
      R r;
      r.value = body();
      return r;
    } else {
      body();
      return R{};
    }
  } catch (const c10::Error& e) {
    return detail::failure<R>(e.what_without_backtrace());
  } catch (const std::exception& e) {
    return detail::failure<R>(e.what());
  } catch (...) {
    return detail::failure<R>("unknown C++ exception");
  }
}

}  // namespace tb
