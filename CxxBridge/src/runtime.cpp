// Process-wide runtime settings and facts for `wsol doctor`.
#include <dlfcn.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <climits>
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <opencv2/core/version.hpp>

#include "bridge_private.h"

namespace tb {

Status setNumThreads(int32_t threads) noexcept {
  return guarded<Status>([&] {
    if (threads < 1) throw std::invalid_argument("thread count must be at least 1");
    at::set_num_threads(threads);
  });
}

int32_t numThreads() noexcept {
  try {
    return static_cast<int32_t>(at::get_num_threads());
  } catch (...) {
    return 0;
  }
}

// glibc hands every block above its mmap threshold back with munmap and trims the heap's top once
// it is free, so each batch's activations (tens of MB) fault their pages in anew: on 2 cores a quarter
// of `wsol eval`'s CPU time went to the kernel zeroing pages (docs/BENCHMARKS.md). Blocks up to
// 32 MiB (glibc's largest threshold) now come from the heap, 512 MiB of free top is kept so larger
// ones are carved from it too, and the heap's top is returned only when over 2 GiB of it is free.
bool retainFreedMemory() noexcept {
#if defined(__GLIBC__)
  constexpr int kMiB = 1 << 20;
  return mallopt(M_MMAP_THRESHOLD, 32 * kMiB) == 1 && mallopt(M_TOP_PAD, 512 * kMiB) == 1 &&
         mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
#else
  return false;
#endif
}

void manualSeed(uint64_t seed) noexcept {
  try {
    torch::manual_seed(seed);
  } catch (...) {
  }
}

bool cudaAvailable() noexcept {
  try {
    return torch::cuda::is_available();
  } catch (...) {
    return false;
  }
}

int64_t cudaDeviceCount() noexcept {
  try {
    return static_cast<int64_t>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

std::string libtorchVersion() noexcept { return TORCH_VERSION; }

std::string opencvVersion() noexcept { return CV_VERSION; }

std::string blasLibrary() noexcept {
  // libtorch's own config string says "generic" even when OpenBLAS serves it: ask the dynamic linker
  // which loaded library actually provides the symbol.
  void* symbol = dlsym(RTLD_DEFAULT, "sgemm_");
  if (symbol == nullptr) return "none (no library provides sgemm_)";
  Dl_info info;
  if (dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return "unknown";
  std::string path = info.dli_fname;
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) != nullptr) path = resolved;
  using ConfigFn = char* (*)();
  if (auto config = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    return path + " (OpenBLAS: " + config() + ")";
  }
  return path;
}

}  // namespace tb
