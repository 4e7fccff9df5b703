#include "logging/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sb {
namespace {

constexpr std::array<std::string_view, 6> kLevels = {"trace", "debug", "info",
                                                     "warn",  "error", "off"};

spdlog::level::level_enum ToLevel(std::string_view name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "off") return spdlog::level::off;
  return spdlog::level::info;
}

// The last sink of every logger: it writes nothing, and its flush() counts completed flushes.
// An async logger's flush() only queues a flush request behind the pending lines; the worker
// flushes the sinks in order, so when this sink's count moves, every line logged before the
// request has reached stderr (and the file). FlushLogs waits for that, within its bound.
class FlushBarrier final : public spdlog::sinks::sink {
 public:
  void log(const spdlog::details::log_msg&) override {}
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}
  void flush() override {
    std::lock_guard lock(mutex_);
    ++completed_;
    changed_.notify_all();
  }

  uint64_t Completed() {
    std::lock_guard lock(mutex_);
    return completed_;
  }

  // True when a flush completed after `before` was read, within `timeout`.
  bool WaitPast(uint64_t before, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return completed_ > before; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t completed_ = 0;
};

std::shared_ptr<FlushBarrier>& Barrier() {
  static auto* barrier = new std::shared_ptr<FlushBarrier>();  // never destroyed: exit paths log
  return *barrier;
}

}  // namespace

bool IsLogLevelName(std::string_view name) {
  for (auto level : kLevels) {
    if (level == name) return true;
  }
  return false;
}

void SetupLogging(std::string_view level, const std::optional<std::string>& file, bool async) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (file) {
    // Owner-only: create the file with mode 0600 before the sink opens it for appending.
    int fd = open(file->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
      fchmod(fd, 0600);
      close(fd);
    }
    sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(*file));
  }
  auto barrier = std::make_shared<FlushBarrier>();
  sinks.push_back(barrier);
  std::shared_ptr<spdlog::logger> logger;
  if (async) {
    // A small queue: 128 pending lines (about 50 KB, cheap to set up at start), oldest dropped
    // when stderr is not read.
    spdlog::init_thread_pool(128, 1);
    logger = std::make_shared<spdlog::async_logger>("switchboard", sinks.begin(), sinks.end(),
                                                    spdlog::thread_pool(),
                                                    spdlog::async_overflow_policy::overrun_oldest);
  } else {
    logger = std::make_shared<spdlog::logger>("switchboard", sinks.begin(), sinks.end());
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(ToLevel(level));
  spdlog::set_default_logger(std::move(logger));
  Barrier() = std::move(barrier);
}

void SetLogLevel(std::string_view level) { spdlog::set_level(ToLevel(level)); }

void FlushLogs(int timeout_ms) {
  auto logger = spdlog::default_logger();
  auto barrier = Barrier();
  if (!logger || !barrier) return;
  const uint64_t before = barrier->Completed();
  // Never blocks: the async queue's policy drops the oldest line instead of waiting.
  logger->flush();
  barrier->WaitPast(before, std::chrono::milliseconds(timeout_ms));
}

}  // namespace sb
