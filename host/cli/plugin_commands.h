// plugin_commands.h — `switchboard plugins list` and `switchboard plugins check` (CLI.md §6.3,
// §6.4), and the hidden `__plugin-probe` child that `check` runs so a crashing plugin cannot take
// the command down. Threads: main thread only.
#pragma once

#include <optional>
#include <string>

#include "cli/cli.h"

namespace sb::cli {

struct PluginsListOptions {
  bool json = false;
};

struct PluginsCheckOptions {
  std::string path;
  std::optional<std::string> config_json;
  std::optional<std::string> config_file;
  bool json = false;
};

struct PluginProbeOptions {
  std::string path;
  std::string config_json = "{}";
};

int RunPluginsList(const GlobalOptions& globals, const PluginsListOptions& options);
int RunPluginsCheck(const GlobalOptions& globals, const PluginsCheckOptions& options);

// The child side of `plugins check`: runs the steps and writes one JSON object per line to stdout
// as each step begins and ends, so the parent knows where a crash happened.
int RunPluginProbe(const GlobalOptions& globals, const PluginProbeOptions& options);

}  // namespace sb::cli
