// plugin_set.h — every plugin plugins.toml (or the embedded default) names, loaded and created.
//
// Purpose: LoadPluginSet resolves each entry's file, runs the loader's checks, creates its
// component with its config table and records the roles it is active in (the `[host] store`,
// the `[host] router`, every runner). A plugin that fails is kept as a row with its one-line
// reason; the others still load. Refused as well: an entry whose library declares another name,
// and a library whose component is not of the entry's kind. (Two entries of one name are refused
// when plugins.toml is parsed; since every library must declare its entry's name, two loaded
// libraries can never share a name.)
//
// Ownership: the set owns the component instances; libraries stay loaded for the process.
// Threads: build and destroy on one thread; rows are read-only afterwards.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/plugins_config.h"
#include "plugins/loader.h"

namespace sb {

struct PluginRow {
  PluginEntry entry;
  std::optional<std::filesystem::path> path;  // the resolved file, when found
  std::optional<PluginInfo> info;             // when the entry could be read
  std::vector<std::string> active_as;         // "store", "router", "runner"
  bool loaded = false;
  std::string error;  // one line, when not loaded
  ComponentInstance instance;
};

class PluginSet {
 public:
  PluginSet() = default;
  PluginSet(PluginSet&&) = default;
  PluginSet& operator=(PluginSet&&) = default;

  const std::vector<PluginRow>& rows() const { return rows_; }
  bool all_loaded() const;
  // The loaded row with this name, or nullptr.
  const PluginRow* Find(const std::string& name) const;

  friend PluginSet LoadPluginSet(const PluginsConfig& config, const std::string& state_dir,
                                 const sb_host_api* host);

 private:
  std::vector<PluginRow> rows_;
};

PluginSet LoadPluginSet(const PluginsConfig& config, const std::string& state_dir,
                        const sb_host_api* host);

}  // namespace sb
