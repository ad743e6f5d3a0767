// Functional neural-network operations.
#include "bridge_private.h"

namespace tb {

TensorResult conv2d(const TensorHandle& input, const TensorHandle& weight, const TensorHandle& bias,
                    const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                    const std::vector<int64_t>& dilation, int64_t groups) noexcept {
  return guarded<TensorResult>([&] {
    return at::conv2d(unwrap(input), unwrap(weight), unwrapOptional(bias), stride, padding, dilation,
                      groups);
  });
}

}  // namespace tb

namespace tb {

TensorResult batchNorm(const TensorHandle& input, const TensorHandle& runningMean, const TensorHandle& runningVar,
                       const TensorHandle& weight, const TensorHandle& bias, bool training, double momentum,
                       double eps) noexcept {
  return guarded<TensorResult>([&] {
    // The running statistics are updated in place by libtorch when training.
    return at::batch_norm(unwrap(input), unwrapOptional(weight), unwrapOptional(bias), unwrapOptional(runningMean),
                          unwrapOptional(runningVar), training, momentum, eps, /*cudnn_enabled=*/true);
  });
}

TensorResult maxPool2d(const TensorHandle& input, const std::vector<int64_t>& kernel,
                       const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                       const std::vector<int64_t>& dilation, bool ceilMode) noexcept {
  return guarded<TensorResult>(
      [&] { return at::max_pool2d(unwrap(input), kernel, stride, padding, dilation, ceilMode); });
}

TensorResult avgPool2d(const TensorHandle& input, const std::vector<int64_t>& kernel,
                       const std::vector<int64_t>& stride, const std::vector<int64_t>& padding, bool ceilMode,
                       bool countIncludePad) noexcept {
  return guarded<TensorResult>(
      [&] { return at::avg_pool2d(unwrap(input), kernel, stride, padding, ceilMode, countIncludePad); });
}

TensorResult adaptiveAvgPool2d(const TensorHandle& input, const std::vector<int64_t>& outputSize) noexcept {
  return guarded<TensorResult>([&] { return at::adaptive_avg_pool2d(unwrap(input), outputSize); });
}

TensorResult interpolate(const TensorHandle& input, const std::vector<int64_t>& size, InterpolationMode mode,
                         int32_t alignCorners) noexcept {
  return guarded<TensorResult>([&]() -> at::Tensor {
    const at::Tensor& x = unwrap(input);
    if (x.dim() != 4) throw std::invalid_argument("interpolate expects an [N, C, H, W] input");
    if (size.size() != 2) throw std::invalid_argument("interpolate expects a size of 2 values");
    const c10::optional<double> noScale;  // size given: PyTorch passes no scale factors
    switch (mode) {
      case InterpolationMode::nearest:
        if (alignCorners >= 0) {
          throw std::invalid_argument("align_corners option can only be set with the interpolating modes: "
                                      "linear | bilinear | bicubic | trilinear");
        }
        return at::upsample_nearest2d(x, size, noScale, noScale);
      case InterpolationMode::bilinear:
        return at::upsample_bilinear2d(x, size, alignCorners == 1, noScale, noScale);
      case InterpolationMode::bicubic:
        return at::upsample_bicubic2d(x, size, alignCorners == 1, noScale, noScale);
    }
    throw std::invalid_argument("unknown interpolation mode");
  });
}

}  // namespace tb
