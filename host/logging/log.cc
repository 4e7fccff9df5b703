#include "logging/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <memory>
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

void SetupLogging(std::string_view level, const std::optional<std::string>& file) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (file) sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(*file));
  auto logger = std::make_shared<spdlog::logger>("switchboard", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(ToLevel(level));
  spdlog::set_default_logger(std::move(logger));
}

void SetLogLevel(std::string_view level) { spdlog::set_level(ToLevel(level)); }

}  // namespace sb
