// Shared by the OpenCV .cpp files: guarded() plus OpenCV's exception, reported by its short message.
#pragma once

#include <opencv2/core.hpp>

#include "bridge_private.h"

namespace tb {

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

}  // namespace tb
