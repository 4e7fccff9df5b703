#include "config/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

namespace sb {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::filesystem::path Home() {
  if (auto home = Env("HOME")) return *home;
  return "/";
}

}  // namespace

std::filesystem::path ResolveConfigDir(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return *flag;
  if (auto dir = Env("SWITCHBOARD_CONFIG_DIR")) return *dir;
  if (auto xdg = Env("XDG_CONFIG_HOME")) return std::filesystem::path(*xdg) / "switchboard";
  return Home() / ".config" / "switchboard";
}

std::filesystem::path ResolveStateDir(const std::optional<std::string>& flag,
                                      const std::optional<std::string>& from_plugins_toml) {
  if (flag && !flag->empty()) return *flag;
  if (auto dir = Env("SWITCHBOARD_STATE_DIR")) return *dir;
  if (from_plugins_toml && !from_plugins_toml->empty()) return *from_plugins_toml;
  if (auto xdg = Env("XDG_STATE_HOME")) return std::filesystem::path(*xdg) / "switchboard";
  return Home() / ".local" / "state" / "switchboard";
}

std::filesystem::path ExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::current_path(ec);
  return exe.parent_path();
}

std::vector<std::filesystem::path> PluginPathFromEnvironment() {
  std::vector<std::filesystem::path> dirs;
  auto value = Env("SWITCHBOARD_PLUGIN_PATH");
  if (!value) return dirs;
  std::string::size_type start = 0;
  while (start <= value->size()) {
    auto end = value->find(':', start);
    if (end == std::string::npos) end = value->size();
    if (end > start) dirs.emplace_back(value->substr(start, end - start));
    start = end + 1;
  }
  return dirs;
}

std::filesystem::path BuiltinPluginDir() {
  return (ExecutableDir() / ".." / "lib" / "switchboard" / "plugins").lexically_normal();
}

}  // namespace sb
