// Area-averaging resize (OpenCV's INTER_AREA weights) of a window of the resized image only, in float:
// the loader's hot path, where the train crop needs 224x224 of the 256x256 resize and every value is
// normalized to float right after (image_transforms.cpp).
#pragma once

#include <opencv2/core.hpp>

namespace tb {

/// The float32 pixels [window.height, window.width, channels] that resizing the uint8 `image` to
/// `height` x `width` with area averaging would give inside `window`, before OpenCV rounds them to
/// uint8 (cv::resize of the image as float32 with INTER_AREA, to float rounding). Both sides must
/// shrink or stay (area averaging of an enlarged side is not INTER_AREA's bilinear fallback).
cv::Mat areaResizedWindow(const cv::Mat& image, int height, int width, const cv::Rect& window);

}  // namespace tb
