// Contours, connected components and mask reading for the evaluator, through OpenCV: the library
// wsolevaluation uses, so our boxes are its boxes.
#include <sys/stat.h>

#include <cmath>

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

Int32VectorResult contourRects(const uint8_t* map8, int32_t height, int32_t width, const int32_t* cutoffs,
                               int32_t cutoffCount) noexcept {
  return cvGuardedValue<Int32VectorResult>([&] {
    cv::Mat map = viewBuffer(map8, height, width);
    std::vector<int32_t> out;
    cv::Mat binary;
    std::vector<std::vector<cv::Point>> contours;
    for (int32_t i = 0; i < cutoffCount; ++i) {
      cv::threshold(map, binary, static_cast<double>(cutoffs[i]), 255, cv::THRESH_BINARY);
      contours.clear();
      cv::findContours(binary, contours, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
      out.push_back(static_cast<int32_t>(contours.size()));
      for (const auto& contour : contours) {
        cv::Rect r = cv::boundingRect(contour);
        double area = cv::contourArea(contour);
        out.insert(out.end(), {r.x, r.y, r.width, r.height, static_cast<int32_t>(std::lround(2 * area))});
      }
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
