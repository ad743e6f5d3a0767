// Area-averaging resize (cv::resize with INTER_AREA) of a window of the resized image only: the
// loader's hot path, where the train crop needs 224x224 of the 256x256 resize.
#pragma once

#include <opencv2/core.hpp>

namespace tb {

/// Whether cv::resize to `height` x `width` with INTER_AREA takes its general path (both sides shrink
/// or keep their size, not both by whole factors): the one areaResizedWindow reproduces.
bool areaResizeIsGeneral(int sourceHeight, int sourceWidth, int height, int width);

/// The uint8 pixels [window.height, window.width, channels] of cv::resize(image, (width, height),
/// INTER_AREA) inside `window`, bit for bit: the same weights, float operations in the same order,
/// the same rounding. Only where areaResizeIsGeneral.
cv::Mat areaResizedWindow(const cv::Mat& image, int height, int width, const cv::Rect& window);

}  // namespace tb
