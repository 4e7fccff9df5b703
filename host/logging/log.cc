#include "logging/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
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
}

void SetLogLevel(std::string_view level) { spdlog::set_level(ToLevel(level)); }

void FlushLogs(int timeout_ms) {
  auto logger = spdlog::default_logger();
  if (!logger) return;
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  std::thread([logger, done] {
    logger->flush();
    done->set_value();
  }).detach();
  future.wait_for(std::chrono::milliseconds(timeout_ms));
}

}  // namespace sb
