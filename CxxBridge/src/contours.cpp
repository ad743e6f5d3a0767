// Contours, connected components and mask reading for the evaluator, through OpenCV: the library
// wsolevaluation uses, so our boxes are its boxes.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "VisionBridge.h"
#include "cv_guard.h"

namespace tb {

/// A read-only Mat over a caller's row-major uint8 buffer (OpenCV does not write to it here).
static cv::Mat viewBuffer(const uint8_t* data, int32_t height, int32_t width) {
  if (data == nullptr || height < 1 || width < 1) throw std::invalid_argument("empty map buffer");
  return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t*>(data));
}

/// The smallest rectangle holding every pixel above `cutoff`, from the map's per-row and per-column
/// maxima (empty when no pixel is above it).
static cv::Rect foregroundBounds(const std::vector<uint8_t>& rowMax, const std::vector<uint8_t>& colMax,
                                 int32_t cutoff) {
  auto above = [cutoff](uint8_t v) { return v > cutoff; };
  auto top = std::find_if(rowMax.begin(), rowMax.end(), above);
  if (top == rowMax.end()) return cv::Rect();
  auto bottom = std::find_if(rowMax.rbegin(), rowMax.rend(), above);
  auto left = std::find_if(colMax.begin(), colMax.end(), above);
  auto right = std::find_if(colMax.rbegin(), colMax.rend(), above);
  int y0 = static_cast<int>(top - rowMax.begin()), y1 = static_cast<int>(rowMax.rend() - bottom);
  int x0 = static_cast<int>(left - colMax.begin()), x1 = static_cast<int>(colMax.rend() - right);
  return cv::Rect(x0, y0, x1 - x0, y1 - y0);
}

/// Appends [x, y, w, h, twiceArea] of a contour: cv::boundingRect and 2 * cv::contourArea, computed
/// in integers (the shoelace sum of integer vertices is exact, so the values are OpenCV's) without
/// OpenCV's per-call array bookkeeping, which cost as much as the sums for the many tiny contours.
static void appendRectAndArea(const std::vector<cv::Point>& contour, std::vector<int32_t>& out) {
  int x0 = contour[0].x, x1 = x0, y0 = contour[0].y, y1 = y0;
  int64_t twiceSigned = 0;
  cv::Point previous = contour.back();
  for (const cv::Point& p : contour) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    twiceSigned += static_cast<int64_t>(previous.x) * p.y - static_cast<int64_t>(p.x) * previous.y;
    previous = p;
  }
  out.insert(out.end(), {x0, y0, x1 - x0 + 1, y1 - y0 + 1, static_cast<int32_t>(std::llabs(twiceSigned))});
}

/// The reference the fast path is held to: the whole map per cutoff and OpenCV's own boundingRect
/// and contourArea, as wsolevaluation calls them.
static void appendPlain(const cv::Mat& map, int32_t cutoff, std::vector<int32_t>& out) {
  cv::Mat binary;
  std::vector<std::vector<cv::Point>> contours;
  cv::threshold(map, binary, static_cast<double>(cutoff), 255, cv::THRESH_BINARY);
  cv::findContours(binary, contours, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
  out.push_back(static_cast<int32_t>(contours.size()));
  for (const auto& contour : contours) {
    cv::Rect r = cv::boundingRect(contour);
    double area = cv::contourArea(contour);
    out.insert(out.end(), {r.x, r.y, r.width, r.height, static_cast<int32_t>(std::lround(2 * area))});
  }
}

Int32VectorResult contourRects(const uint8_t* map8, int32_t height, int32_t width, const int32_t* cutoffs,
                               int32_t cutoffCount, bool plain) noexcept {
  return cvGuardedValue<Int32VectorResult>([&] {
    cv::Mat map = viewBuffer(map8, height, width);
    std::vector<int32_t> out;
    if (plain) {
      for (int32_t i = 0; i < cutoffCount; ++i) appendPlain(map, cutoffs[i], out);
      return out;
    }
    // findContours pads its input with a zero border and scans it in raster order, so on the
    // rectangle bounding the foreground (outside it all is background), shifted back by its corner,
    // it traces the same contours in the same order as on the whole map, at a fraction of the cost
    // for the high cutoffs.
    std::vector<uint8_t> rowMax(static_cast<size_t>(height)), colMax(static_cast<size_t>(width));
    for (int y = 0; y < height; ++y) {
      const uint8_t* row = map.ptr<uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        rowMax[y] = std::max(rowMax[y], row[x]), colMax[x] = std::max(colMax[x], row[x]);
      }
    }
    // Reused across cutoffs: the binary buffer, and the contours' point vectors (findContours resizes
    // them in place, so their storage survives).
    std::vector<uint8_t> binaryBuffer(static_cast<size_t>(height) * width);
    std::vector<std::vector<cv::Point>> contours;
    for (int32_t i = 0; i < cutoffCount; ++i) {
      cv::Rect roi = foregroundBounds(rowMax, colMax, cutoffs[i]);
      if (roi.empty()) {
        out.push_back(0);
        continue;
      }
      cv::Mat binary(roi.height, roi.width, CV_8UC1, binaryBuffer.data());
      cv::threshold(map(roi), binary, static_cast<double>(cutoffs[i]), 255, cv::THRESH_BINARY);
      cv::findContours(binary, contours, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE, roi.tl());
      out.push_back(static_cast<int32_t>(contours.size()));
      for (const auto& contour : contours) appendRectAndArea(contour, out);
    }
    return out;
  });
}

Int32VectorResult connectedComponents8(const uint8_t* mask, int32_t height, int32_t width) noexcept {
  return cvGuardedValue<Int32VectorResult>([&] {
    cv::Mat binary = viewBuffer(mask, height, width) != 0;
    cv::Mat labels, stats, centroids;
    int count = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
    std::vector<int32_t> first(static_cast<size_t>(count), -1);
    for (int y = 0; y < labels.rows; ++y) {
      const int32_t* row = labels.ptr<int32_t>(y);
      for (int x = 0; x < labels.cols; ++x) {
        if (first[row[x]] < 0) first[row[x]] = y * labels.cols + x;
      }
    }
    std::vector<int32_t> out;
    for (int label = 1; label < count; ++label) {
      out.insert(out.end(), {stats.at<int32_t>(label, cv::CC_STAT_AREA), stats.at<int32_t>(label, cv::CC_STAT_LEFT),
                             stats.at<int32_t>(label, cv::CC_STAT_TOP), stats.at<int32_t>(label, cv::CC_STAT_WIDTH),
                             stats.at<int32_t>(label, cv::CC_STAT_HEIGHT), first[label]});
    }
    return out;
  });
}

UInt8VectorResult readGrayResized(const std::string& path, int32_t height, int32_t width) noexcept {
  return cvGuardedValue<UInt8VectorResult>([&] {
    cv::Mat resized = resizeMat(decodeMat(path, /*grayscale=*/true, 1), height, width, ResizeMode::nearest);
    cv::Mat packed = resized.isContinuous() ? resized : resized.clone();
    return std::vector<uint8_t>(packed.data, packed.data + packed.total());
  });
}

}  // namespace tb
