// paths.h — where Switchboard's configuration and state live (ARCHITECTURE §6, §9; CLI.md §1.1).
//
// Purpose: the config directory is `--config-dir`, else SWITCHBOARD_CONFIG_DIR, else
// $XDG_CONFIG_HOME/switchboard, else ~/.config/switchboard. The state directory is `--state-dir`,
// else SWITCHBOARD_STATE_DIR, else `[host] state_dir` of plugins.toml, else
// $XDG_STATE_HOME/switchboard, else ~/.local/state/switchboard. Nothing here creates a directory.
//
// Threads: reads the environment; call from one thread at start-up.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sb {

std::filesystem::path ResolveConfigDir(const std::optional<std::string>& flag);

std::filesystem::path ResolveStateDir(const std::optional<std::string>& flag,
                                      const std::optional<std::string>& from_plugins_toml);

// The executable's own directory (from /proc/self/exe).
std::filesystem::path ExecutableDir();

// SWITCHBOARD_PLUGIN_PATH split on ':' (empty entries dropped).
std::vector<std::filesystem::path> PluginPathFromEnvironment();

// `<dir of executable>/../lib/switchboard/plugins`: the build tree and an installed prefix alike.
std::filesystem::path BuiltinPluginDir();

}  // namespace sb
