// serve_context.h — what the tools of `switchboard serve` share: the configuration read at start,
// the plugins (loaded in the background), and the result cache.
//
// Purpose: `plugins.toml` is parsed synchronously at start (its [host] limits govern the protocol
// reader from the first line, ARCHITECTURE §12.4); plugin loading runs on a background thread so
// `initialize` and `tools/list` never wait for it (MCP.md §13). A tool that needs the plugins waits
// for that load (at most 30 s) through WaitForPlugins.
//
// Ownership: one ServeContext lives for the whole process. Threads: every member is safe from any
// thread once StartPluginLoading has been called.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "agents/agents_repository.h"
#include "config/plugins_config.h"
#include "engine/result_cache.h"
#include "errors/result.h"
#include "plugins/plugin_set.h"

namespace sb {

class ServeContext {
 public:
  ServeContext(std::filesystem::path config_dir, std::optional<std::string> state_dir_flag);
  ~ServeContext();

  const std::filesystem::path& config_dir() const { return config_dir_; }
  const std::string& state_dir() const { return state_dir_; }
  // The parsed plugins.toml (the embedded default when absent or broken).
  const PluginsConfig& plugins_config() const { return plugins_config_; }
  // Why plugins.toml could not be used, if it could not.
  const std::optional<Failure>& plugins_config_error() const { return plugins_config_error_; }
  ResultCache& cache() { return *cache_; }
  // agents.toml, re-read on change; a reload drops cache entries of removed or changed agents.
  AgentsRepository& agents() { return *agents_; }
  // The runner names plugins.toml configures (its entries plus the embedded default), sorted.
  std::vector<std::string> ConfiguredRunners() const;

  // Starts loading the plugins on a background thread.
  void StartPluginLoading();
  // The loaded plugins, once loading has finished (within `timeout`), or a Failure
  // (config_unreadable for a broken plugins.toml, plugin_unavailable while still starting).
  Result<const PluginSet*> WaitForPlugins(
      std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  std::filesystem::path config_dir_;
  std::string state_dir_;
  PluginsConfig plugins_config_;
  std::optional<Failure> plugins_config_error_;
  std::unique_ptr<ResultCache> cache_;
  std::unique_ptr<AgentsRepository> agents_;

  std::mutex mutex_;
  std::condition_variable loaded_cv_;
  bool loaded_ = false;
  std::unique_ptr<PluginSet> plugins_;
  std::thread loader_;
};

}  // namespace sb
