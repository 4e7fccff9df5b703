#include "plugins/host_services.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <string_view>

namespace sb {
namespace {

std::atomic<double (*)(void*)> g_clock{nullptr};
std::atomic<void*> g_clock_ctx{nullptr};

void Log(void* /*ctx*/, int32_t level, const char* component, const char* message, size_t len) {
  auto lvl = spdlog::level::info;
  switch (level) {
    case SB_LOG_TRACE:
      lvl = spdlog::level::trace;
      break;
    case SB_LOG_DEBUG:
      lvl = spdlog::level::debug;
      break;
    case SB_LOG_INFO:
      lvl = spdlog::level::info;
      break;
    case SB_LOG_WARN:
      lvl = spdlog::level::warn;
      break;
    default:
      lvl = spdlog::level::err;
      break;
  }
  std::string_view text(message != nullptr ? message : "", message != nullptr ? len : 0);
  spdlog::log(lvl, "[{}] {}", component != nullptr ? component : "plugin", text);
}

double Now(void* /*ctx*/) {
  if (auto clock = g_clock.load()) return clock(g_clock_ctx.load());
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double>(now).count();
}

int64_t MonotonicNs(void* /*ctx*/) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const sb_host_api kHostApi = {
    sizeof(sb_host_api), SB_ABI_MAJOR, SB_ABI_MINOR, nullptr, &Log, &Now, &MonotonicNs,
};

}  // namespace

const sb_host_api* HostServices() { return &kHostApi; }

void SetClockForTesting(double (*now)(void* ctx), void* ctx) {
  g_clock_ctx.store(ctx);
  g_clock.store(now);
}

}  // namespace sb
