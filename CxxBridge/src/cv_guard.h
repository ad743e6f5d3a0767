// Shared by the bridge's OpenCV .cpp files: guarded() plus OpenCV's exception, a Mat view of a tensor,
// and the one resize policy.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

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

/// Reads an image file as cv::imread does: 3-channel BGR (grayscale, CMYK and alpha converted) or,
/// with `grayscale`, one channel; EXIF orientation ignored, as PIL does. `reduce` (1, 2, 4, 8)
/// decodes a JPEG at that fraction of its size (libjpeg's own scaled decoding); other formats always
/// decode at full size, since OpenCV would only shrink them after a full decode. Errors name `path`;
/// truncated JPEG or PNG files and oversized images are refused before decoding (image_file_check.h).
cv::Mat decodeMat(const std::string& path, bool grayscale, int reduce);

/// A Mat viewing a contiguous CPU uint8 or float32 [H, W, C] or [H, W] tensor (which must outlive it).
inline cv::Mat matView(const at::Tensor& t) {
  if (t.dim() != 2 && t.dim() != 3) throw std::invalid_argument("image must be [H, W] or [H, W, C]");
  int channels = t.dim() == 3 ? static_cast<int>(t.size(2)) : 1;
  if (channels < 1 || channels > 4) throw std::invalid_argument("image must have 1 to 4 channels");
  int depth;
  if (t.scalar_type() == at::kByte) {
    depth = CV_8U;
  } else if (t.scalar_type() == at::kFloat) {
    depth = CV_32F;
  } else {
    throw std::invalid_argument("image must be uint8 or float32");
  }
  return cv::Mat(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), CV_MAKETYPE(depth, channels),
                 t.data_ptr());
}

/// A tensor holding a copy of a uint8 or float32 Mat, [rows, cols] or [rows, cols, channels], copied by
/// OpenCV into at::empty: a libtorch copy (clone) of an image-sized tensor wakes libtorch's OpenMP
/// workers, which keep spinning afterwards and starve the OpenCV calls that follow (measured: a panel
/// writer 2x slower, a 224-pixel overlay 10-20x slower on a busy 2-core machine).
inline at::Tensor tensorFromMat(const cv::Mat& m, bool keepChannelDim) {
  std::vector<int64_t> shape = {m.rows, m.cols};
  if (keepChannelDim || m.channels() > 1) shape.push_back(m.channels());
  at::ScalarType type;
  if (m.depth() == CV_8U) {
    type = at::kByte;
  } else if (m.depth() == CV_32F) {
    type = at::kFloat;
  } else {
    throw std::invalid_argument("image must be uint8 or float32");
  }
  at::Tensor t = at::empty(shape, type);
  cv::Mat view(m.rows, m.cols, m.type(), t.data_ptr());
  m.copyTo(view);
  return t;
}

/// Resizes with `mode`. automatic: area averaging along a side that shrinks, bilinear along one that
/// grows; when one side grows and the other shrinks, each side is resized in its own pass (both
/// filters are separable), so neither side gets the other's filter. The input itself when the size
/// is unchanged.
inline cv::Mat resizeMat(const cv::Mat& in, int64_t height, int64_t width, ResizeMode mode) {
  if (height < 1 || width < 1) throw std::invalid_argument("resize target must be at least 1x1");
  if (in.rows == height && in.cols == width) return in;
  auto resizeTo = [](const cv::Mat& src, int h, int w, int interpolation) {
    cv::Mat out;
    cv::resize(src, out, cv::Size(w, h), 0, 0, interpolation);
    return out;
  };
  const int h = static_cast<int>(height), w = static_cast<int>(width);
  switch (mode) {
    case ResizeMode::area: return resizeTo(in, h, w, cv::INTER_AREA);
    case ResizeMode::bilinear: return resizeTo(in, h, w, cv::INTER_LINEAR);
    case ResizeMode::bicubic: return resizeTo(in, h, w, cv::INTER_CUBIC);
    case ResizeMode::nearest: return resizeTo(in, h, w, cv::INTER_NEAREST);
    case ResizeMode::automatic: {
      auto filter = [](int from, int to) { return to < from ? cv::INTER_AREA : cv::INTER_LINEAR; };
      int fx = filter(in.cols, w), fy = filter(in.rows, h);
      if (in.cols == w) return resizeTo(in, h, w, fy);
      if (in.rows == h || fx == fy) return resizeTo(in, h, w, fx);
      return resizeTo(resizeTo(in, in.rows, w, fx), h, w, fy);
    }
  }
  throw std::invalid_argument("unknown resize mode");
}

}  // namespace tb
