// Contours, connected components and mask reading for the evaluator, through OpenCV: the library
// wsolevaluation uses, so our boxes are its boxes.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

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

/// Per cutoff, the smallest rectangle holding every pixel of the map above it, from the map's per-row
/// and per-column maxima (found once per map).
class ForegroundBounds {
 public:
  explicit ForegroundBounds(const cv::Mat& map)
      : rowMax_(static_cast<size_t>(map.rows)), colMax_(static_cast<size_t>(map.cols)) {
    // Two loops per row, each of which the compiler vectorizes.
    for (int y = 0; y < map.rows; ++y) {
      const uint8_t* row = map.ptr<uint8_t>(y);
      rowMax_[y] = *std::max_element(row, row + map.cols);
      for (int x = 0; x < map.cols; ++x) colMax_[x] = std::max(colMax_[x], row[x]);
    }
  }

  /// Empty when no pixel is above `cutoff`.
  cv::Rect at(int32_t cutoff) const {
    auto above = [cutoff](uint8_t v) { return v > cutoff; };
    auto top = std::find_if(rowMax_.begin(), rowMax_.end(), above);
    if (top == rowMax_.end()) return cv::Rect();
    auto bottom = std::find_if(rowMax_.rbegin(), rowMax_.rend(), above);
    auto left = std::find_if(colMax_.begin(), colMax_.end(), above);
    auto right = std::find_if(colMax_.rbegin(), colMax_.rend(), above);
    int y0 = static_cast<int>(top - rowMax_.begin()), y1 = static_cast<int>(rowMax_.rend() - bottom);
    int x0 = static_cast<int>(left - colMax_.begin()), x1 = static_cast<int>(colMax_.rend() - right);
    return cv::Rect(x0, y0, x1 - x0, y1 - y0);
  }

 private:
  std::vector<uint8_t> rowMax_, colMax_;
};

/// Appends [x, y, w, h, twiceArea] of a contour: cv::boundingRect and 2 * cv::contourArea, computed
/// in integers (the shoelace sum of integer vertices is exact, so the values are OpenCV's) without
/// OpenCV's per-call array bookkeeping, a tenth of the time on maps with thousands of tiny contours.
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
    ForegroundBounds bounds(map);
    // Reused across cutoffs: the binary buffer, and the contours' point vectors (findContours resizes
    // them in place, so their storage survives).
    std::vector<uint8_t> binaryBuffer(static_cast<size_t>(height) * width);
    std::vector<std::vector<cv::Point>> contours;
    for (int32_t i = 0; i < cutoffCount; ++i) {
      cv::Rect roi = bounds.at(cutoffs[i]);
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

/// Suzuki and Abe's border following ("Topological structural analysis of digitized binary images
/// by border following", 1985) on the 8-connected foreground, the algorithm cv::findContours runs:
/// the same borders, each traced through the same pixels, so the same bounding rectangles and
/// polygon areas. It keeps nothing else (no point lists, no hierarchy), so the borders come in the
/// order the raster scan meets them, not findContours's tree order. On maps whose noise leaves
/// thousands of tiny holes per cutoff, findContours spends much of its time storing each contour
/// and placing it in its tree: this runs about twice as fast as contourRects there.
class BorderFollower {
 public:
  /// Appends the count, then [x, y, w, h, twiceArea] per border, for the pixels of `map` above
  /// `cutoff`, all of which lie in `roi`.
  void append(const cv::Mat& map, int32_t cutoff, cv::Rect roi, std::vector<int32_t>& out) {
    size_t countAt = out.size();
    out.push_back(0);
    if (roi.empty()) return;
    binarize(map, cutoff, roi);
    for (int y = 1; y <= roi.height; ++y) {
      int8_t* row = pixels_.data() + static_cast<size_t>(y) * stride_;
      for (int x = 1; x <= roi.width; ++x) {
        int8_t left = row[x - 1];
        x = nextChange(row, x, left);
        if (x > roi.width) break;
        // Suzuki's step 2: an outer border starts at a foreground pixel after background; a hole
        // border at a foreground pixel before background, unless an earlier border passed it with
        // that background on its right.
        bool outer = left == kBackground && row[x] == kForeground;
        bool hole = !outer && row[x] == kBackground && left >= kForeground;
        if (!outer && !hole) continue;
        int startX = hole ? x - 1 : x;
        int32_t record[5];
        follow(row + startX, hole, startX, y, record);
        // Back from padded rectangle coordinates to the map's.
        record[0] += roi.x - 1, record[1] += roi.y - 1;
        out.insert(out.end(), record, record + 5);
        ++out[countAt];
      }
    }
  }

 private:
  // Pixel states. kFollowedRightEdge is Suzuki's negative label: a border passed the pixel with
  // background examined to its right.
  static constexpr int8_t kBackground = 0, kForeground = 1, kFollowed = 2, kFollowedRightEdge = -2;
  // Freeman directions 0 (right) to 7, counterclockwise on screen (y grows downwards).
  static constexpr int kDx[8] = {1, 1, 0, -1, -1, -1, 0, 1};
  static constexpr int kDy[8] = {0, -1, -1, -1, 0, 1, 1, 1};

  // The rectangle's pixels, row-major, each row between two background columns, with a background
  // row above and below (findContours's padding); after the right column a sentinel that stops the
  // scan's 8-byte skips, then room for those loads.
  std::vector<int8_t> pixels_;
  int stride_ = 0;
  int offsets_[8] = {};

  void binarize(const cv::Mat& map, int32_t cutoff, cv::Rect roi) {
    stride_ = roi.width + 3 + 8;
    pixels_.assign(static_cast<size_t>(roi.height + 2) * stride_, kBackground);
    for (int y = 0; y < roi.height; ++y) {
      const uint8_t* source = map.ptr<uint8_t>(roi.y + y) + roi.x;
      int8_t* row = pixels_.data() + static_cast<size_t>(y + 1) * stride_;
      for (int x = 0; x < roi.width; ++x) row[x + 1] = source[x] > cutoff ? kForeground : kBackground;
      row[roi.width + 2] = 3;  // the sentinel: no pixel state
    }
    for (int d = 0; d < 8; ++d) offsets_[d] = kDy[d] * stride_ + kDx[d];
  }

  /// The first column from `x` on whose state is not `state` (the sentinel ends every row).
  static int nextChange(const int8_t* row, int x, int8_t state) {
    uint64_t same;
    std::memset(&same, state, sizeof same);
    for (uint64_t word;; x += 8) {
      std::memcpy(&word, row + x, sizeof word);
      if (word != same) break;
    }
    while (row[x] == state) ++x;
    return x;
  }

  /// Suzuki's step 3 from the border's first pixel `start` at (x, y) (padded coordinates), marking the
  /// pixels it passes; `record` gets the traced polygon's [x, y, w, h, twice its area].
  void follow(int8_t* start, bool hole, int x, int y, int32_t record[5]) {
    int x0 = x, x1 = x, y0 = y, y1 = y;
    int64_t twiceArea = 0;
    // 3.1: clockwise from the background neighbour (left of an outer border's first pixel, right of
    // a hole's) to the first foreground neighbour; none: a lone pixel.
    const int from = hole ? 0 : 4;
    int d = from;
    do {
      d = (d + 7) & 7;
    } while (start[offsets_[d]] == kBackground && d != from);
    if (d == from) {
      *start = kFollowedRightEdge;
    } else {
      const int8_t* second = start + offsets_[d];
      int8_t* at = start;
      for (;;) {
        // 3.3: counterclockwise from the pixel after the one we came from to the next foreground
        // neighbour; 3.4: mark this pixel, negatively when its right neighbour was background.
        int next = d;
        bool rightIsBackground = false;
        for (;;) {
          next = (next + 1) & 7;
          if (at[offsets_[next]] != kBackground) break;
          if (next == 0) rightIsBackground = true;
        }
        if (rightIsBackground) {
          *at = kFollowedRightEdge;
        } else if (*at == kForeground) {
          *at = kFollowed;
        }
        int nx = x + kDx[next], ny = y + kDy[next];
        twiceArea += static_cast<int64_t>(x) * ny - static_cast<int64_t>(nx) * y;
        int8_t* ahead = at + offsets_[next];
        // 3.5: done when back at the start about to step to the second pixel again.
        if (ahead == start && at == second) break;
        at = ahead, x = nx, y = ny;
        d = (next + 4) & 7;
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      }
    }
    record[0] = x0, record[1] = y0, record[2] = x1 - x0 + 1, record[3] = y1 - y0 + 1;
    record[4] = static_cast<int32_t>(std::llabs(twiceArea));
  }
};

Int32VectorResult borderRects(const uint8_t* map8, int32_t height, int32_t width, const int32_t* cutoffs,
                              int32_t cutoffCount) noexcept {
  return cvGuardedValue<Int32VectorResult>([&] {
    cv::Mat map = viewBuffer(map8, height, width);
    ForegroundBounds bounds(map);
    BorderFollower follower;
    std::vector<int32_t> out;
    for (int32_t i = 0; i < cutoffCount; ++i) follower.append(map, cutoffs[i], bounds.at(cutoffs[i]), out);
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
