// The image pipeline's geometry and normalization through OpenCV, writing into caller-owned buffers
// so a batch is filled slot by slot from worker threads without intermediate tensors.
#include <opencv2/imgproc.hpp>

#include "ImageBridge.h"
#include "area_window.h"
#include "cv_guard.h"

namespace tb {

namespace {

struct Crop {
  int x, y, width, height;
  bool flip;
};

std::vector<Crop> parseCrops(const std::vector<int64_t>& flat, int64_t resizeHeight, int64_t resizeWidth) {
  if (flat.empty() || flat.size() % 5 != 0) throw std::invalid_argument("crops must be 5 values (x, y, w, h, flip) each");
  std::vector<Crop> crops;
  for (size_t i = 0; i < flat.size(); i += 5) {
    Crop c{static_cast<int>(flat[i]), static_cast<int>(flat[i + 1]), static_cast<int>(flat[i + 2]),
           static_cast<int>(flat[i + 3]), flat[i + 4] != 0};
    if (c.width < 1 || c.height < 1 || c.x < 0 || c.y < 0 || c.x + c.width > resizeWidth || c.y + c.height > resizeHeight) {
      throw std::invalid_argument("crop lies outside the resized image");
    }
    if (!crops.empty() && (c.width != crops[0].width || c.height != crops[0].height)) {
      throw std::invalid_argument("every crop must have the same size");
    }
    crops.push_back(c);
  }
  return crops;
}

/// The rectangle of the resized image that the crops cover together.
cv::Rect unionOf(const std::vector<Crop>& crops) {
  cv::Rect all(crops[0].x, crops[0].y, crops[0].width, crops[0].height);
  for (const Crop& c : crops) all |= cv::Rect(c.x, c.y, c.width, c.height);
  return all;
}

/// The resized image (the one resize policy, resizeMat's automatic) inside `window`: where cv::resize
/// would average areas on its general path (photographs into the 256 resize), that window alone
/// (area_window.h, the same pixels); else the whole resize, then the window.
cv::Mat resizedWindow(const cv::Mat& image, int64_t height, int64_t width, const cv::Rect& window) {
  if (areaResizeIsGeneral(image.rows, image.cols, static_cast<int>(height), static_cast<int>(width))) {
    return areaResizedWindow(image, static_cast<int>(height), static_cast<int>(width), window);
  }
  return resizeMat(image, height, width, ResizeMode::automatic)(window);
}

}  // namespace

Status normalizedCrops(const TensorHandle& image, int64_t resizeHeight, int64_t resizeWidth,
                       const std::vector<int64_t>& crops, const float* mean, const float* stddev, float* out,
                       int64_t outCount) noexcept {
  return cvGuarded<Status>([&] {
    at::Tensor src = unwrap(image).to(at::kCPU).contiguous();
    if (src.scalar_type() != at::kByte) throw std::invalid_argument("image must be uint8");
    cv::Mat in = matView(src);
    if (in.channels() != 3) throw std::invalid_argument("image must be RGB [H, W, 3]");
    std::vector<Crop> list = parseCrops(crops, resizeHeight, resizeWidth);
    const int64_t plane = static_cast<int64_t>(list[0].width) * list[0].height;
    if (outCount != static_cast<int64_t>(list.size()) * 3 * plane) throw std::invalid_argument("output buffer has the wrong size");
    const cv::Rect covered = unionOf(list);
    cv::Mat window = resizedWindow(in, resizeHeight, resizeWidth, covered);
    // (p / 255 - mean) / std = p * scale + shift, per channel.
    float scale[3], shift[3];
    for (int c = 0; c < 3; ++c) {
      scale[c] = 1.0f / (255.0f * stddev[c]);
      shift[c] = -mean[c] / stddev[c];
    }
    float* dst = out;
    for (const Crop& crop : list) {
      float* planes[3] = {dst, dst + plane, dst + 2 * plane};
      for (int y = 0; y < crop.height; ++y) {
        const uint8_t* row = window.ptr<uint8_t>(crop.y - covered.y + y) + 3 * (crop.x - covered.x);
        int64_t base = static_cast<int64_t>(y) * crop.width;
        for (int x = 0; x < crop.width; ++x) {
          int sx = crop.flip ? crop.width - 1 - x : x;
          const uint8_t* p = row + 3 * sx;
          planes[0][base + x] = p[0] * scale[0] + shift[0];
          planes[1][base + x] = p[1] * scale[1] + shift[1];
          planes[2][base + x] = p[2] * scale[2] + shift[2];
        }
      }
      dst += 3 * plane;
    }
  });
}

Status maskCrops(const TensorHandle& mask, int64_t resizeHeight, int64_t resizeWidth,
                 const std::vector<int64_t>& crops, uint8_t* out, int64_t outCount) noexcept {
  return cvGuarded<Status>([&] {
    at::Tensor src = unwrap(mask).to(at::kCPU).contiguous();
    if (src.scalar_type() != at::kByte) throw std::invalid_argument("mask must be uint8");
    cv::Mat in = matView(src);
    if (in.channels() != 1) {
      cv::Mat first;
      cv::extractChannel(in, first, 0);
      in = first;
    }
    std::vector<Crop> list = parseCrops(crops, resizeHeight, resizeWidth);
    const int64_t plane = static_cast<int64_t>(list[0].width) * list[0].height;
    if (outCount != static_cast<int64_t>(list.size()) * plane) throw std::invalid_argument("output buffer has the wrong size");
    cv::Mat big = resizeMat(in, resizeHeight, resizeWidth, ResizeMode::nearest);
    uint8_t* dst = out;
    for (const Crop& crop : list) {
      for (int y = 0; y < crop.height; ++y) {
        const uint8_t* row = big.ptr<uint8_t>(crop.y + y) + crop.x;
        for (int x = 0; x < crop.width; ++x) dst[static_cast<int64_t>(y) * crop.width + x] = row[crop.flip ? crop.width - 1 - x : x];
      }
      dst += plane;
    }
  });
}

}  // namespace tb
