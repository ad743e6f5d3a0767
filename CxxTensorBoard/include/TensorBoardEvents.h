// TensorBoard Event messages as bytes: all Swift sees of the protoc-generated code. Names no protobuf
// type. Every entry point is noexcept (errors come back as values) and thread-safe (no shared state).
// The record framing (length, masked CRC-32C) is the Swift side's (Sources/TensorBoard).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tboard {

/// One serialized Event, or why there is none.
struct EventBytes {
  std::vector<uint8_t> bytes;
  bool failed = false;
  std::string error;
};

/// Event{wall_time, file_version}: the first record of an event file ("brain.Event:2").
EventBytes fileVersionEvent(double wallTime, const std::string& version) noexcept;

/// Event{wall_time, step, summary{value{tag, simple_value}}}. The format stores the value as float.
EventBytes scalarEvent(double wallTime, int64_t step, const std::string& tag, float value) noexcept;

/// Event{wall_time, step, summary{value{tag, image{height, width, colorspace, encoded_image_string}}}}
/// with the `count` encoded (PNG) bytes at `encoded` copied in; colorspace is the channel count.
EventBytes imageEvent(double wallTime, int64_t step, const std::string& tag, const uint8_t* encoded,
                      int64_t count, int32_t height, int32_t width, int32_t channels) noexcept;

}  // namespace tboard
