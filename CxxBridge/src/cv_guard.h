// Shared by the bridge's OpenCV .cpp files: guarded() plus OpenCV's exception.
#pragma once

#include <opencv2/core.hpp>

#include "bridge_private.h"

namespace tb {

/// guarded() plus OpenCV's exception, reported by its short message rather than the file/line banner.
template <class R, class F>
R cvGuarded(F&& body) noexcept {
  return guarded<R>([&]() -> decltype(body()) {
    try {
      return body();
    } catch (const cv::Exception& e) {
      throw std::runtime_error("OpenCV: " + e.err + " in " + e.func);
    }
  });
}

/// cvGuarded for results whose `value` is not a tensor or a double (e.g. Int32VectorResult).
template <class R, class F>
R cvGuardedValue(F&& body) noexcept {
  R result;
  Status status = cvGuarded<Status>([&] { result.value = body(); });
  result.failed = status.failed;
  result.error = status.error;
  return result;
}

}  // namespace tb
