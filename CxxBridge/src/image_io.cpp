// Image decoding, resizing and writing through OpenCV, the library the field's evaluators use.
#include <sys/stat.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "opencv_guard.h"

namespace tb {

static bool isReadableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

TensorResult decodeImage(const std::string& path, int32_t reduce) noexcept {
  return cvGuarded<TensorResult>([&] {
    if (!isReadableFile(path)) throw std::runtime_error(path + ": no such image file");
    int flags = cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
    switch (reduce) {
      case 1: break;
      case 2: flags = cv::IMREAD_REDUCED_COLOR_2 | cv::IMREAD_IGNORE_ORIENTATION; break;
      case 4: flags = cv::IMREAD_REDUCED_COLOR_4 | cv::IMREAD_IGNORE_ORIENTATION; break;
      case 8: flags = cv::IMREAD_REDUCED_COLOR_8 | cv::IMREAD_IGNORE_ORIENTATION; break;
      default: throw std::invalid_argument("reduce must be 1, 2, 4 or 8");
    }
    // IMREAD_COLOR turns grayscale, CMYK and alpha images into 3-channel BGR.
    cv::Mat bgr = cv::imread(path, flags);
    if (bgr.empty()) throw std::runtime_error(path + ": cannot decode image (corrupt or unsupported format)");
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return at::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, at::kByte).clone();
  });
}

static int interpolation(ResizeMode mode, const cv::Mat& src, int height, int width) {
  switch (mode) {
    case ResizeMode::area: return cv::INTER_AREA;
    case ResizeMode::bilinear: return cv::INTER_LINEAR;
    case ResizeMode::bicubic: return cv::INTER_CUBIC;
    case ResizeMode::nearest: return cv::INTER_NEAREST;
    case ResizeMode::automatic:
      return (height <= src.rows && width <= src.cols) ? cv::INTER_AREA : cv::INTER_LINEAR;
  }
  throw std::invalid_argument("unknown resize mode");
}

/// A Mat viewing a contiguous CPU [H, W, C] or [H, W] tensor (which must outlive it).
static cv::Mat matView(const at::Tensor& t) {
  if (t.dim() != 2 && t.dim() != 3) throw std::invalid_argument("image must be [H, W] or [H, W, C]");
  int channels = t.dim() == 3 ? static_cast<int>(t.size(2)) : 1;
  if (channels < 1 || channels > 4) throw std::invalid_argument("image must have 1 to 4 channels");
  int depth;
  if (t.scalar_type() == at::kByte) {
    depth = CV_8U;
  } else if (t.scalar_type() == at::kFloat) {
    depth = CV_32F;
  } else {
    throw std::invalid_argument("image must be uint8 or float32");
  }
  return cv::Mat(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), CV_MAKETYPE(depth, channels),
                 t.data_ptr());
}

TensorResult resizeImage(const TensorHandle& image, int64_t height, int64_t width, ResizeMode mode) noexcept {
  return cvGuarded<TensorResult>([&] {
    if (height < 1 || width < 1) throw std::invalid_argument("resize target must be at least 1x1");
    at::Tensor src = unwrap(image).to(at::kCPU).contiguous();
    cv::Mat in = matView(src);
    cv::Mat out;
    cv::resize(in, out, cv::Size(static_cast<int>(width), static_cast<int>(height)), 0, 0,
               interpolation(mode, in, static_cast<int>(height), static_cast<int>(width)));
    std::vector<int64_t> shape = {out.rows, out.cols};
    if (src.dim() == 3) shape.push_back(out.channels());
    return at::from_blob(out.data, shape, src.scalar_type()).clone();
  });
}

Status writeImage(const TensorHandle& image, const std::string& path, int32_t jpegQuality) noexcept {
  return cvGuarded<Status>([&] {
    at::Tensor src = unwrap(image).to(at::kCPU).contiguous();
    if (src.scalar_type() != at::kByte) throw std::invalid_argument("image to write must be uint8");
    if (src.dim() == 3 && src.size(2) != 3 && src.size(2) != 1) {
      throw std::invalid_argument("image to write must be [H, W, 3] RGB or [H, W] gray");
    }
    cv::Mat view = matView(src);
    cv::Mat bgr;
    if (view.channels() == 3) {
      cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
    } else {
      bgr = view;
    }
    std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, jpegQuality};
    if (!cv::imwrite(path, bgr, params)) throw std::runtime_error(path + ": cannot write image");
  });
}

}  // namespace tb
