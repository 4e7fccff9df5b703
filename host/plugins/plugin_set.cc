#include "plugins/plugin_set.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sb {
namespace {

sb_kind KindOf(const std::string& name) {
  if (name == "runner") return SB_KIND_RUNNER;
  if (name == "router") return SB_KIND_ROUTER;
  if (name == "store") return SB_KIND_STORE;
  if (name == "transport") return SB_KIND_TRANSPORT;
  return 0;
}

std::vector<std::string> Roles(const PluginEntry& entry, const HostSettings& host) {
  std::vector<std::string> roles;
  if (entry.kind == "store" && entry.name == host.store) roles.emplace_back("store");
  if (entry.kind == "router" && entry.name == host.router) roles.emplace_back("router");
  if (entry.kind == "runner") roles.emplace_back("runner");
  return roles;
}

// Loads one row; returns the failure reason, or "" when it loaded.
std::string LoadRow(PluginRow& row, const HostSettings& host_settings, const std::string& state_dir,
                    const sb_host_api* host) {
  auto path = ResolvePluginFile(row.entry.name, row.entry.path);
  if (!path) return path.failure().message;
  row.path = *path;
  auto lib = LoadLibraryChecked(*path, host);
  if (!lib) return lib.failure().message;
  row.info = lib->info;
  const std::string file = path->string();
  if (lib->info.name != row.entry.name) {
    return fmt::format(
        "{}: the library declares the name '{}', but {} names it '{}'; fix the name or the path",
        file, lib->info.name, row.entry.origin, row.entry.name);
  }
  if (KindOf(row.entry.kind) != lib->info.kind) {
    std::string key =
        row.entry.kind == "store" && row.entry.name == host_settings.store     ? "host.store"
        : row.entry.kind == "router" && row.entry.name == host_settings.router ? "host.router"
                                                                               : "plugin.kind";
    return fmt::format("{}: provides no {} component (it is a {}); fix {} in plugins.toml", file,
                       row.entry.kind, KindName(lib->info.kind), key);
  }
  auto instance = CreateComponent(lib->lib, 0, row.entry.config_json, state_dir, host);
  if (!instance) return instance.failure().message;
  row.instance = std::move(instance).value();
  return "";
}

}  // namespace

bool PluginSet::all_loaded() const {
  for (const auto& row : rows_) {
    if (!row.loaded) return false;
  }
  return true;
}

const PluginRow* PluginSet::Find(const std::string& name) const {
  for (const auto& row : rows_) {
    if (row.loaded && row.entry.name == name) return &row;
  }
  return nullptr;
}

PluginSet LoadPluginSet(const PluginsConfig& config, const std::string& state_dir,
                        const sb_host_api* host) {
  PluginSet set;
  for (const auto& entry : config.plugins) {
    PluginRow row;
    row.entry = entry;
    row.active_as = Roles(entry, config.host);
    row.error = LoadRow(row, config.host, state_dir, host);
    row.loaded = row.error.empty();
    if (row.loaded) {
      spdlog::debug("plugin '{}' loaded from {}", entry.name, row.path->string());
    } else {
      spdlog::debug("plugin {} not loaded: {}", entry.name, row.error);
    }
    set.rows_.push_back(std::move(row));
  }
  return set;
}

}  // namespace sb
