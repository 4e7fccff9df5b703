#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/plugin_commands.h"
#include "config/paths.h"
#include "config/plugins_config.h"
#include "plugins/host_services.h"
#include "plugins/plugin_set.h"

namespace sb::cli {

int RunPluginsList(const GlobalOptions& globals, const PluginsListOptions& options) {
  auto config = LoadPluginsConfig(ResolveConfigDir(globals.config_dir));
  if (!config) {
    if (options.json) {
      nlohmann::json envelope = {{"error", config.failure().message},
                                 {"code", config.failure().code}};
      if (!config.failure().hint.empty()) envelope["hint"] = config.failure().hint;
      std::cout << envelope.dump(2, ' ', false) << "\n";
    }
    std::cerr << "Error: " << config.failure().message << "\n";
    if (!config.failure().hint.empty()) std::cerr << "  " << config.failure().hint << "\n";
    return 1;
  }
  const std::string state_dir = ResolveStateDir(globals.state_dir, config->host.state_dir).string();
  PluginSet set = LoadPluginSet(*config, state_dir, HostServices());

  if (options.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : set.rows()) {
      nlohmann::json r;
      r["name"] = row.entry.name;
      r["kinds"] = nlohmann::json::array({row.info ? KindName(row.info->kind) : row.entry.kind});
      r["version"] = row.info ? nlohmann::json(row.info->version) : nlohmann::json(nullptr);
      r["license"] = row.info ? nlohmann::json(row.info->license) : nlohmann::json(nullptr);
      r["abi"] =
          row.info ? nlohmann::json(fmt::format("{}.{}", row.info->abi_major, row.info->abi_minor))
                   : nlohmann::json(nullptr);
      r["path"] = row.path ? nlohmann::json(row.path->string()) : nlohmann::json(nullptr);
      r["active_as"] = row.active_as;
      r["status"] = row.loaded ? "loaded" : "failed";
      if (!row.loaded) r["error"] = row.error;
      rows.push_back(std::move(r));
    }
    std::cout << rows.dump(2, ' ', false) << "\n";
    return set.all_loaded() ? 0 : 1;
  }

  const bool color = UseColor(globals.color, stdout);
  std::cout << (config->file ? "Plugins from " + config->file->string()
                             : std::string("Plugins (embedded default)"))
            << ":\n";
  for (const auto& row : set.rows()) {
    std::string active;
    for (const auto& role : row.active_as) active += (active.empty() ? "" : ",") + role;
    std::string status = row.loaded ? Paint("loaded", Tone::kGreen, color)
                                    : Paint("failed", Tone::kRed, color) + ": " + row.error;
    std::cout << fmt::format(
        "  {:<20} {:<7} {:<8} ABI {:<5} active as: {:<13} {}\n", row.entry.name,
        row.info ? KindName(row.info->kind) : row.entry.kind, row.info ? row.info->version : "-",
        row.info ? fmt::format("{}.{}", row.info->abi_major, row.info->abi_minor) : "-",
        active.empty() ? "-" : active, status);
    if (row.path) std::cout << "      " << row.path->string() << "\n";
  }
  return set.all_loaded() ? 0 : 1;
}

}  // namespace sb::cli
