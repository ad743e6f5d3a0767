// Overlay drawing through OpenCV: heat maps, boxes, labels, captions and panel rows (OverlayBridge.h).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "OverlayBridge.h"
#include "cv_guard.h"

namespace tb {

namespace {

// No libtorch kernel runs here: outputs are allocated with at::empty and filled by OpenCV (see
// tensorFromMat in cv_guard.h for why).

/// A contiguous CPU RGB uint8 [H, W, 3] tensor, the one image form these entry points take.
at::Tensor rgbImage(const TensorHandle& handle) {
  at::Tensor t = unwrap(handle).detach();
  if (t.scalar_type() != at::kByte || t.dim() != 3 || t.size(2) != 3 || t.size(0) < 1 || t.size(1) < 1) {
    throw std::invalid_argument("image must be a uint8 [H, W, 3] RGB tensor");
  }
  if (!t.device().is_cpu() || !t.is_contiguous()) t = t.to(at::kCPU).contiguous();
  return t;
}

/// A new uint8 [rows, cols, 3] tensor, uninitialized, for OpenCV to fill through matView.
at::Tensor newImage(int64_t rows, int64_t cols) { return at::empty({rows, cols, 3}, at::kByte); }

/// A copy of an RGB image made by OpenCV.
at::Tensor copyImage(const at::Tensor& image) { return tensorFromMat(matView(image), true); }

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

/// Hershey fonts draw ASCII only: every other byte becomes '?' (one per UTF-8 lead byte).
std::string asciiOnly(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x80) {
      out += (c >= 0x20 || c == '\t') ? static_cast<char>(c) : '?';
    } else if (c >= 0xC0) {
      out += '?';
    }
  }
  return out;
}

}  // namespace

TensorResult heatmapOverlay(const TensorHandle& image, const TensorHandle& map, double alpha) noexcept {
  return cvGuarded<TensorResult>([&] {
    if (!(alpha >= 0 && alpha <= 1)) throw std::invalid_argument("alpha must be in [0, 1]");
    at::Tensor rgb = rgbImage(image);
    at::Tensor t = unwrap(map).detach();
    if (t.dim() != 2 || t.size(0) < 1 || t.size(1) < 1) throw std::invalid_argument("map must be [H, W]");
    if (!t.device().is_cpu() || t.scalar_type() != at::kFloat || !t.is_contiguous()) {
      t = t.to(at::kCPU).to(at::kFloat).contiguous();  // rare: maps arrive as contiguous CPU float32
    }
    cv::Mat m = matView(t).clone();  // the caller's map is left alone
    cv::patchNaNs(m, 0.0);
    cv::min(cv::max(m, 0.0), 1.0, m);
    cv::Mat resized = resizeMat(m, rgb.size(0), rgb.size(1), ResizeMode::bilinear);
    cv::Mat gray, heat, heatRGB;
    resized.convertTo(gray, CV_8U, 255.0);  // rounds to nearest, saturating
    cv::applyColorMap(gray, heat, cv::COLORMAP_JET);
    cv::cvtColor(heat, heatRGB, cv::COLOR_BGR2RGB);  // JET comes out BGR; our images are RGB
    at::Tensor out = newImage(rgb.size(0), rgb.size(1));
    cv::Mat view = matView(out);
    cv::addWeighted(matView(rgb), 1.0 - alpha, heatRGB, alpha, 0.0, view);
    return out;
  });
}

TensorResult drawBoxes(const TensorHandle& image, const std::vector<int64_t>& boxes) noexcept {
  return cvGuarded<TensorResult>([&] {
    if (boxes.size() % 8 != 0) throw std::invalid_argument("boxes must be 8 values each");
    at::Tensor out = copyImage(rgbImage(image));
    cv::Mat canvas = matView(out);
    for (size_t i = 0; i < boxes.size(); i += 8) {
      const int64_t* b = &boxes[i];
      // Far-out corners are legal (OpenCV clips) but must fit an int.
      for (int k = 0; k < 4; ++k) {
        if (std::llabs(b[k]) > 1000000) throw std::invalid_argument("box corner beyond 1e6 pixels");
      }
      for (int k = 4; k < 7; ++k) {
        if (b[k] < 0 || b[k] > 255) throw std::invalid_argument("box colour must be 0-255");
      }
      if (b[7] < 1 || b[7] > 64) throw std::invalid_argument("box thickness must be 1-64");
      const cv::Scalar color(static_cast<double>(b[4]), static_cast<double>(b[5]), static_cast<double>(b[6]));
      cv::rectangle(canvas, cv::Point(static_cast<int>(b[0]), static_cast<int>(b[1])),
                    cv::Point(static_cast<int>(b[2]), static_cast<int>(b[3])), color, static_cast<int>(b[7]),
                    cv::LINE_8);
    }
    return out;
  });
}

TensorResult drawLabel(const TensorHandle& image, const std::string& text) noexcept {
  return cvGuarded<TensorResult>([&] {
    at::Tensor out = copyImage(rgbImage(image));
    cv::Mat canvas = matView(out);
    const std::string line = asciiOnly(text).substr(0, 64);
    const double scale = 0.4;
    int baseline = 0;
    cv::Size size = cv::getTextSize(line, kFont, scale, 1, &baseline);
    cv::rectangle(canvas, cv::Rect(0, 0, size.width + 6, size.height + baseline + 5), cv::Scalar(20, 20, 20),
                  cv::FILLED);
    cv::putText(canvas, line, cv::Point(3, size.height + 3), kFont, scale, cv::Scalar(255, 255, 255), 1,
                cv::LINE_AA);
    return out;
  });
}

TensorResult captionBand(const TensorHandle& image, const std::string& text, double fontScale) noexcept {
  return cvGuarded<TensorResult>([&] {
    if (!(fontScale >= 0.2 && fontScale <= 4)) throw std::invalid_argument("font scale must be 0.2-4");
    at::Tensor rgb = rgbImage(image);
    std::vector<std::string> lines;
    std::stringstream stream(text);
    // No line of 300 characters fits an image anyway; the cap keeps the shortening loop below short.
    for (std::string line; std::getline(stream, line);) lines.push_back(asciiOnly(line).substr(0, 300));
    if (lines.size() > 16) throw std::invalid_argument("a caption holds at most 16 lines");
    const int width = static_cast<int>(rgb.size(1)), margin = 6;
    const int room = std::max(1, width - 2 * margin);
    // One scale for every line: the largest (up to fontScale, down to 0.3) at which the widest fits.
    double scale = fontScale;
    for (const auto& line : lines) {
      int baseline = 0;
      int w = cv::getTextSize(line, kFont, scale, 1, &baseline).width;
      if (w > room) scale = std::max(0.3, scale * room / w);
    }
    for (auto& line : lines) {
      int baseline = 0;
      while (line.size() > 3 && cv::getTextSize(line, kFont, scale, 1, &baseline).width > room) {
        line = line.substr(0, line.size() - 4) + "...";
      }
    }
    int baseline = 0;
    const int textHeight = cv::getTextSize("Ay", kFont, scale, 1, &baseline).height;
    const int lineHeight = textHeight + baseline + 4;
    const int bandHeight = static_cast<int>(lines.size()) * lineHeight + 2 * margin - 4;
    at::Tensor out = newImage(rgb.size(0) + bandHeight, width);
    cv::Mat canvas = matView(out);
    matView(rgb).copyTo(canvas(cv::Rect(0, 0, width, static_cast<int>(rgb.size(0)))));
    cv::Mat band = canvas(cv::Rect(0, static_cast<int>(rgb.size(0)), width, bandHeight));
    band.setTo(cv::Scalar(255, 255, 255));
    for (size_t i = 0; i < lines.size(); ++i) {
      cv::Point origin(margin, margin + static_cast<int>(i) * lineHeight + textHeight);
      cv::putText(band, lines[i], origin, kFont, scale, cv::Scalar(30, 30, 30), 1, cv::LINE_AA);
    }
    return out;
  });
}

TensorResult hconcatImages(const TensorVector& images, int64_t gap, int64_t background) noexcept {
  return cvGuarded<TensorResult>([&] {
    if (images.empty()) throw std::invalid_argument("no images to put side by side");
    if (gap < 0 || gap > 256) throw std::invalid_argument("gap must be 0-256");
    if (background < 0 || background > 255) throw std::invalid_argument("background must be 0-255");
    std::vector<at::Tensor> parts;
    int64_t height = 0, width = 0;
    for (const auto& handle : images) {
      parts.push_back(rgbImage(handle));
      height = std::max(height, parts.back().size(0));
      width += parts.back().size(1) + (parts.size() > 1 ? gap : 0);
    }
    if (height * width > (int64_t(1) << 28)) throw std::invalid_argument("panel row larger than 2^28 pixels");
    const double level = static_cast<double>(background);
    at::Tensor out = newImage(height, width);
    cv::Mat canvas = matView(out);
    canvas.setTo(cv::Scalar(level, level, level));
    int x = 0;
    for (const auto& part : parts) {
      cv::Mat view = matView(part);
      view.copyTo(canvas(cv::Rect(x, 0, view.cols, view.rows)));
      x += view.cols + static_cast<int>(gap);
    }
    return out;
  });
}

}  // namespace tb
