// See area_window.h. Vertical pass first (whole source rows, contiguous, so the compiler vectorizes it),
// then the horizontal pass on the window's rows only; no uint8 image of the whole resize in between
// (the loader on 500x375 photographs: 430-500 -> 555 images/s, docs/BENCHMARKS.md).
#include "area_window.h"

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

cv::Mat areaResizedWindow(const cv::Mat& image, int height, int width, const cv::Rect& window) {
  if (image.depth() != CV_8U) throw std::invalid_argument("image must be uint8");
  if (height > image.rows || width > image.cols || height < 1 || width < 1) {
    throw std::invalid_argument("area averaging needs a target no larger than the image");
  }
  if (window.x < 0 || window.y < 0 || window.x + window.width > width || window.y + window.height > height) {
    throw std::invalid_argument("window lies outside the resized image");
  }
  const int channels = image.channels();
  const std::vector<Taps> rows = cells(window.y, window.height, image.rows, height);
  const std::vector<Taps> columns = cells(window.x, window.width, image.cols, width);
  // The source columns the window reads, so the vertical pass skips the others.
  const int firstColumn = columns.front().first;
  const int lastColumn = columns.back().first + static_cast<int>(columns.back().weights.size());
  const int span = (lastColumn - firstColumn) * channels;

  cv::Mat out(window.height, window.width, CV_32FC(channels));
  std::vector<float> blended(span);
  for (int y = 0; y < window.height; ++y) {
    const Taps& row = rows[y];
    float* acc = blended.data();
    for (size_t t = 0; t < row.weights.size(); ++t) {
      const uint8_t* src = image.ptr<uint8_t>(row.first + static_cast<int>(t)) + firstColumn * channels;
      const float w = row.weights[t];
      if (t == 0) {
        for (int i = 0; i < span; ++i) acc[i] = w * src[i];
      } else {
        for (int i = 0; i < span; ++i) acc[i] += w * src[i];
      }
    }
    float* dst = out.ptr<float>(y);
    for (int x = 0; x < window.width; ++x) {
      const Taps& column = columns[x];
      const float* src = acc + (column.first - firstColumn) * channels;
      for (int c = 0; c < channels; ++c) {
        float sum = 0;
        for (size_t t = 0; t < column.weights.size(); ++t) sum += column.weights[t] * src[t * channels + c];
        dst[x * channels + c] = sum;
      }
    }
  }
  return out;
}

}  // namespace tb
