// See area_window.h. OpenCV's general INTER_AREA (resizeArea_: its weights, its order of float
// operations, its rounding), restricted to the window's rows and columns.
#include "area_window.h"

#include <cfloat>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace tb {

namespace {

/// The source pixels one output pixel averages along an axis and their weights (summing to 1).
struct Taps {
  int first = 0;
  std::vector<float> weights;
};

/// OpenCV's INTER_AREA cell for output index `index` of an axis shrunk from `source` to `target`
/// (computeResizeAreaTab, the same arithmetic): the cell [index * scale, (index + 1) * scale) of the
/// source axis, each pixel weighted by its overlap; a fraction below 1e-3 of a pixel is dropped.
Taps cell(int index, int source, int target) {
  const double scale = 1.0 / (static_cast<double>(target) / source);
  const double from = index * scale, to = from + scale;
  const double width = std::min(scale, source - from);
  const int last = std::min(static_cast<int>(std::floor(to)), source - 1);
  const int whole = std::min(static_cast<int>(std::ceil(from)), last);
  Taps taps;
  taps.first = whole;
  if (whole - from > 1e-3) {
    taps.first = whole - 1;
    taps.weights.push_back(static_cast<float>((whole - from) / width));
  }
  for (int i = whole; i < last; ++i) taps.weights.push_back(static_cast<float>(1.0 / width));
  if (to - last > 1e-3) {
    taps.weights.push_back(static_cast<float>(std::min(std::min(to - last, 1.0), width) / width));
  }
  return taps;
}

std::vector<Taps> cells(int from, int count, int source, int target) {
  std::vector<Taps> list;
  list.reserve(count);
  for (int i = from; i < from + count; ++i) list.push_back(cell(i, source, target));
  return list;
}

}  // namespace

bool areaResizeIsGeneral(int sourceHeight, int sourceWidth, int height, int width) {
  if (height > sourceHeight || width > sourceWidth || height < 1 || width < 1) return false;
  // cv::resize's own test for its integer-factor path (resizeAreaFast), which rounds otherwise.
  auto integral = [](int source, int target) {
    const double scale = 1.0 / (static_cast<double>(target) / source);
    return std::abs(scale - cvRound(scale)) < DBL_EPSILON;
  };
  return !(integral(sourceWidth, width) && integral(sourceHeight, height));
}

cv::Mat areaResizedWindow(const cv::Mat& image, int height, int width, const cv::Rect& window) {
  if (image.depth() != CV_8U) throw std::invalid_argument("image must be uint8");
  if (!areaResizeIsGeneral(image.rows, image.cols, height, width)) {
    throw std::invalid_argument("the area window needs a smaller target, not by whole factors on both sides");
  }
  if (window.x < 0 || window.y < 0 || window.x + window.width > width || window.y + window.height > height) {
    throw std::invalid_argument("window lies outside the resized image");
  }
  const int channels = image.channels();
  const std::vector<Taps> rows = cells(window.y, window.height, image.rows, height);
  const std::vector<Taps> columns = cells(window.x, window.width, image.cols, width);
  const int span = window.width * channels;
  cv::Mat out(window.height, window.width, CV_8UC(channels));
  std::vector<float> across(span), sum(span);
  for (int y = 0; y < window.height; ++y) {
    const Taps& row = rows[y];
    for (size_t t = 0; t < row.weights.size(); ++t) {
      // OpenCV's order: each source row across (the column taps in order, from 0), then the rows down.
      const uint8_t* src = image.ptr<uint8_t>(row.first + static_cast<int>(t));
      for (int x = 0; x < window.width; ++x) {
        const Taps& column = columns[x];
        const uint8_t* pixel = src + column.first * channels;
        for (int c = 0; c < channels; ++c) {
          float value = 0;
          for (size_t k = 0; k < column.weights.size(); ++k) {
            value += pixel[k * channels + c] * column.weights[k];
          }
          across[x * channels + c] = value;
        }
      }
      const float beta = row.weights[t];
      if (t == 0) {
        for (int i = 0; i < span; ++i) sum[i] = beta * across[i];
      } else {
        for (int i = 0; i < span; ++i) sum[i] += beta * across[i];
      }
    }
    uint8_t* dst = out.ptr<uint8_t>(y);
    for (int i = 0; i < span; ++i) dst[i] = cv::saturate_cast<uint8_t>(sum[i]);
  }
  return out;
}

}  // namespace tb
