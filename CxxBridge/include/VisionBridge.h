// The evaluator's OpenCV calls: contours, connected components and mask reading. Like
// TorchBridge.h it names no OpenCV type; every entry point is noexcept, thread-safe, and returns
// errors as values. Maps and masks cross as row-major uint8 buffers (pointer + height + width).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb {

struct Int32VectorResult {
  std::vector<int32_t> value;
  bool failed = false;
  std::string error;
};

struct UInt8VectorResult {
  std::vector<uint8_t> value;
  bool failed = false;
  std::string error;
};

/// For each cutoff c: the contours of cv::threshold(map8, c, 255, THRESH_BINARY) (pixels > c) as
/// cv::findContours(RETR_TREE, CHAIN_APPROX_SIMPLE) returns them, outer borders and holes, in its
/// order. Flat: per cutoff the count n, then n records [x, y, w, h, twiceArea] (cv::boundingRect and
/// 2 * cv::contourArea, an exact integer for a polygon with integer vertices). Each cutoff's contours
/// are found on the rectangle bounding its foreground, which gives OpenCV's results on the whole map;
/// `plain` finds them on the whole map instead (the reference tests hold that shortcut to).
Int32VectorResult contourRects(const uint8_t* map8, int32_t height, int32_t width, const int32_t* cutoffs,
                               int32_t cutoffCount, bool plain) noexcept;

/// contourRects's records, found by border following without cv::findContours (same borders, same
/// rectangles and areas) and listed in the order the raster scan meets the borders, which is not
/// findContours's: for callers that need no order, or break ties through contourRects.
Int32VectorResult borderRects(const uint8_t* map8, int32_t height, int32_t width, const int32_t* cutoffs,
                              int32_t cutoffCount) noexcept;

/// The 8-connected components of (mask != 0), background excluded, in OpenCV's label order. Flat:
/// per component [area, left, top, width, height, firstPixel], firstPixel being the row-major index
/// of its first pixel (so callers can break ties in raster order, whatever OpenCV's labelling does).
Int32VectorResult connectedComponents8(const uint8_t* mask, int32_t height, int32_t width) noexcept;

/// An image file read as cv::imread(IMREAD_GRAYSCALE) does, resized to height x width with
/// INTER_NEAREST; row-major. An error names the file when it is missing or cannot be decoded.
UInt8VectorResult readGrayResized(const std::string& path, int32_t height, int32_t width) noexcept;

}  // namespace tb
