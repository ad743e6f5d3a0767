// Photo composites through OpenCV: cut-outs decoded with their alpha, measured for the photo filter,
// and pasted with a feathered edge and colour jitter on a window of a background photo.
#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CompositeBridge.h"
#include "cv_guard.h"

namespace tb {

namespace {

constexpr int64_t kMaxCanvasSide = 4096;
constexpr int64_t kMaxStampSide = 16384;

cv::Mat rgbaView(const at::Tensor& t) {
  if (t.scalar_type() != at::kByte || t.dim() != 3 || t.size(2) != 4) {
    throw std::invalid_argument("cut-out must be uint8 [H, W, 4] RGBA");
  }
  return matView(t);
}

/// Colour jitter on straight (not premultiplied) float RGB, weighted by alpha for the mean gray.
void jitter(cv::Mat& rgb, const cv::Mat& alpha, double brightness, double contrast, double saturation) {
  rgb *= brightness;
  double weight = 0, sum = 0;
  for (int y = 0; y < rgb.rows; ++y) {
    const cv::Vec3f* c = rgb.ptr<cv::Vec3f>(y);
    const float* a = alpha.ptr<float>(y);
    for (int x = 0; x < rgb.cols; ++x) {
      sum += a[x] * (0.299 * c[x][0] + 0.587 * c[x][1] + 0.114 * c[x][2]);
      weight += a[x];
    }
  }
  const float mean = weight > 0 ? static_cast<float>(sum / weight) : 0.0f;
  for (int y = 0; y < rgb.rows; ++y) {
    cv::Vec3f* c = rgb.ptr<cv::Vec3f>(y);
    for (int x = 0; x < rgb.cols; ++x) {
      const cv::Vec3f grayMean(mean, mean, mean);
      cv::Vec3f v = (c[x] - grayMean) * static_cast<float>(contrast) + grayMean;
      float gray = 0.299f * v[0] + 0.587f * v[1] + 0.114f * v[2];
      c[x] = (v - cv::Vec3f(gray, gray, gray)) * static_cast<float>(saturation) + cv::Vec3f(gray, gray, gray);
    }
  }
}

}  // namespace

TensorResult decodeRGBA(const std::string& path) noexcept {
  return cvGuarded<TensorResult>([&] {
    cv::Mat raw = cv::imread(path, cv::IMREAD_UNCHANGED);
    if (raw.empty()) throw std::runtime_error(path + ": cannot read or decode the image");
    if (raw.channels() != 4) throw std::runtime_error(path + ": has no alpha channel (not a cut-out)");
    cv::Mat eight = raw;
    if (raw.depth() == CV_16U) {
      raw.convertTo(eight, CV_8U, 1.0 / 257.0);
    } else if (raw.depth() != CV_8U) {
      throw std::runtime_error(path + ": unsupported sample type (8 or 16 bits expected)");
    }
    cv::Mat rgba;
    cv::cvtColor(eight, rgba, cv::COLOR_BGRA2RGBA);
    return at::from_blob(rgba.data, {rgba.rows, rgba.cols, 4}, at::kByte).clone();
  });
}

CutoutStats measureCutout(const TensorHandle& rgba) noexcept {
  CutoutStats stats;
  Status status = cvGuarded<Status>([&] {
    at::Tensor src = unwrap(rgba).to(at::kCPU).contiguous();
    cv::Mat image = rgbaView(src);
    cv::Mat alpha;
    cv::extractChannel(image, alpha, 3);
    cv::Mat visible = alpha >= 128, solid = alpha == 255;
    stats.visibleArea = cv::countNonZero(visible);
    stats.solidArea = cv::countNonZero(solid);
    if (stats.visibleArea > 0) {
      cv::Rect r = cv::boundingRect(visible);
      stats.x0 = r.x, stats.y0 = r.y, stats.x1 = r.x + r.width, stats.y1 = r.y + r.height;
    }
    cv::Mat interior, gray, laplacian;
    cv::erode(solid, interior, cv::Mat::ones(3, 3, CV_8U));
    cv::cvtColor(image, gray, cv::COLOR_RGBA2GRAY);
    cv::Laplacian(gray, laplacian, CV_16S, 1);
    cv::Mat grainy = (cv::abs(laplacian) >= 8) & interior;
    const int inside = cv::countNonZero(interior);
    stats.texture = inside > 0 ? static_cast<double>(cv::countNonZero(grainy)) / inside : 0.0;
  });
  stats.failed = status.failed;
  stats.error = status.error;
  return stats;
}

TensorResult compositeCutout(const TensorHandle& background, const TensorHandle& stamp, int64_t canvasWidth,
                             int64_t canvasHeight, const CompositeParams& p) noexcept {
  return cvGuarded<TensorResult>([&] {
    auto outside = [](int64_t v, int64_t high) { return v < 1 || v > high; };
    if (outside(canvasWidth, kMaxCanvasSide) || outside(canvasHeight, kMaxCanvasSide)) {
      throw std::invalid_argument("canvas must be 1 to 4096 pixels a side");
    }
    if (outside(p.stampWidth, kMaxStampSide) || outside(p.stampHeight, kMaxStampSide)) {
      throw std::invalid_argument("placed cut-out must be 1 to 16384 pixels a side");
    }
    if (std::abs(p.stampX) > kMaxStampSide || std::abs(p.stampY) > kMaxStampSide) {
      throw std::invalid_argument("placed cut-out lies too far off the canvas");
    }
    at::Tensor bgTensor = unwrap(background).to(at::kCPU).contiguous();
    at::Tensor stampTensor = unwrap(stamp).to(at::kCPU).contiguous();
    if (bgTensor.scalar_type() != at::kByte || bgTensor.dim() != 3 || bgTensor.size(2) != 3) {
      throw std::invalid_argument("background must be uint8 [H, W, 3] RGB");
    }
    cv::Mat bg = matView(bgTensor), cut = rgbaView(stampTensor);
    cv::Rect window(static_cast<int>(p.backgroundX), static_cast<int>(p.backgroundY),
                    static_cast<int>(p.backgroundWidth), static_cast<int>(p.backgroundHeight));
    if (window.width < 1 || window.height < 1 || window.x < 0 || window.y < 0 ||
        window.x + window.width > bg.cols || window.y + window.height > bg.rows) {
      throw std::invalid_argument("background window lies outside the background image");
    }
    cv::Mat canvas;
    resizeMat(bg(window), canvasHeight, canvasWidth, ResizeMode::automatic).convertTo(canvas, CV_32FC3);
    if (p.backgroundFlip) cv::flip(canvas, canvas, 1);

    // Premultiplied colours resize without the dark fringe of transparent pixels' colours.
    cv::Mat straight, premultiplied;
    cut.convertTo(straight, CV_32FC4, 1.0 / 255.0);
    std::vector<cv::Mat> planes;
    cv::split(straight, planes);
    for (int c = 0; c < 3; ++c) planes[c] = planes[c].mul(planes[3]) * 255.0;
    cv::merge(planes, premultiplied);
    cv::Mat placed = resizeMat(premultiplied, p.stampHeight, p.stampWidth, ResizeMode::automatic);
    if (p.stampFlip) cv::flip(placed, placed, 1);
    cv::split(placed, planes);
    cv::Mat alpha = cv::min(cv::max(planes[3], 0.0), 1.0);
    if (p.featherSigma > 0) {
      cv::Mat blurred;
      cv::GaussianBlur(alpha, blurred, cv::Size(0, 0), p.featherSigma, p.featherSigma, cv::BORDER_CONSTANT);
      alpha = cv::min(alpha, blurred);
    }
    cv::Mat rgb, covered = cv::max(planes[3], 1e-6);
    for (int c = 0; c < 3; ++c) planes[c] = planes[c] / covered;
    planes.resize(3);
    cv::merge(planes, rgb);
    jitter(rgb, alpha, p.brightness, p.contrast, p.saturation);

    at::Tensor out = at::empty({canvasHeight, canvasWidth, 4}, at::kByte);
    cv::Mat result = matView(out);
    for (int y = 0; y < canvas.rows; ++y) {
      const cv::Vec3f* b = canvas.ptr<cv::Vec3f>(y);
      cv::Vec4b* o = result.ptr<cv::Vec4b>(y);
      const int sy = y - static_cast<int>(p.stampY);
      const bool row = sy >= 0 && sy < alpha.rows;
      for (int x = 0; x < canvas.cols; ++x) {
        const int sx = x - static_cast<int>(p.stampX);
        float a = 0;
        cv::Vec3f colour;
        if (row && sx >= 0 && sx < alpha.cols) {
          a = alpha.at<float>(sy, sx);
          colour = rgb.at<cv::Vec3f>(sy, sx);
        }
        for (int c = 0; c < 3; ++c) {
          float v = a > 0 ? colour[c] * a + b[x][c] * (1 - a) : b[x][c];
          o[x][c] = cv::saturate_cast<uint8_t>(v);
        }
        o[x][3] = a > 0.5f ? 255 : 0;
      }
    }
    return out;
  });
}

}  // namespace tb
