// Builds and serializes Event messages with the protoc-generated classes (libprotobuf).
#include "TensorBoardEvents.h"

#include <limits>
#include <stdexcept>

#include "tensorboard_event.pb.h"

namespace tboard {

using wsol::tensorboard::Event;

namespace {

/// Runs `fill` on a fresh Event and serializes it; any exception becomes an error value, since a C++
/// exception that reaches Swift aborts the process.
template <class F>
EventBytes serialized(double wallTime, int64_t step, F&& fill) noexcept {
  EventBytes out;
  try {
    Event event;
    event.set_wall_time(wallTime);
    event.set_step(step);
    fill(event);
    size_t size = event.ByteSizeLong();
    // protobuf refuses messages of 2 GiB and more; the Swift side bounds images far below this.
    if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
      throw std::length_error("event of " + std::to_string(size) + " bytes exceeds protobuf's 2 GiB limit");
    }
    out.bytes.resize(size);
    if (!event.SerializeToArray(out.bytes.data(), static_cast<int>(size))) {
      throw std::runtime_error("protobuf could not serialize the event");
    }
  } catch (const std::exception& e) {
    out = EventBytes{};
    out.failed = true;
    out.error = e.what();
  } catch (...) {
    out = EventBytes{};
    out.failed = true;
    out.error = "unknown C++ exception while serializing a TensorBoard event";
  }
  return out;
}

}  // namespace

EventBytes fileVersionEvent(double wallTime, const std::string& version) noexcept {
  return serialized(wallTime, 0, [&](Event& event) { event.set_file_version(version); });
}

EventBytes scalarEvent(double wallTime, int64_t step, const std::string& tag, float value) noexcept {
  return serialized(wallTime, step, [&](Event& event) {
    auto* entry = event.mutable_summary()->add_value();
    entry->set_tag(tag);
    entry->set_simple_value(value);
  });
}

EventBytes imageEvent(double wallTime, int64_t step, const std::string& tag, const uint8_t* encoded,
                      int64_t count, int32_t height, int32_t width, int32_t channels) noexcept {
  return serialized(wallTime, step, [&](Event& event) {
    if (encoded == nullptr || count <= 0) throw std::invalid_argument("image has no encoded bytes");
    auto* entry = event.mutable_summary()->add_value();
    entry->set_tag(tag);
    auto* image = entry->mutable_image();
    image->set_height(height);
    image->set_width(width);
    image->set_colorspace(channels);
    image->set_encoded_image_string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(count));
  });
}

}  // namespace tboard
