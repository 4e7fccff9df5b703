#include "serve/serve_context.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "config/paths.h"
#include "plugins/host_services.h"

namespace sb {

ServeContext::ServeContext(std::filesystem::path config_dir,
                           std::optional<std::string> state_dir_flag)
    : config_dir_(std::move(config_dir)) {
  auto config = LoadPluginsConfig(config_dir_);
  if (config) {
    plugins_config_ = std::move(config).value();
  } else {
    plugins_config_error_ = config.failure();
    plugins_config_ = EmbeddedDefaultConfig();
    spdlog::error("{}", config.failure().message);
  }
  state_dir_ = ResolveStateDir(state_dir_flag, plugins_config_.host.state_dir).string();
  cache_ = std::make_unique<ResultCache>(plugins_config_.host.cache);
  agents_ = std::make_unique<AgentsRepository>(config_dir_);
  agents_->SetReloadListener([this](const std::shared_ptr<const AgentsSnapshot>& previous,
                                    const std::shared_ptr<const AgentsSnapshot>& next) {
    for (const auto& warning : next->config.warnings) spdlog::warn("{}", warning);
    if (!previous) return;
    // TOOLS.md §7: a reload drops entries of removed agents and of agents whose profile changed.
    const auto& agents = next->config.agents;
    cache_->InvalidateWhere([&agents](const std::string& agent, const std::string& profile) {
      auto it = agents.find(agent);
      return it == agents.end() || ProfileFingerprint(it->second.raw_table) != profile;
    });
  });
}

std::vector<std::string> ServeContext::ConfiguredRunners() const {
  std::vector<std::string> names;
  for (const auto& entry : plugins_config_.plugins) {
    if (entry.kind == "runner") names.push_back(entry.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

ServeContext::~ServeContext() {
  if (loader_.joinable()) loader_.join();
}

void ServeContext::StartPluginLoading() {
  if (plugins_config_error_) {
    std::lock_guard<std::mutex> lock(mutex_);
    loaded_ = true;
    return;
  }
  loader_ = std::thread([this] {
    auto set =
        std::make_unique<PluginSet>(LoadPluginSet(plugins_config_, state_dir_, HostServices()));
    for (const auto& row : set->rows()) {
      if (row.loaded) {
        spdlog::info("plugin {} loaded from {}", row.entry.name, row.path->string());
      } else {
        spdlog::error("plugin {} is unavailable: {}", row.entry.name, row.error);
      }
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      plugins_ = std::move(set);
      loaded_ = true;
    }
    loaded_cv_.notify_all();
  });
}

Result<const PluginSet*> ServeContext::WaitForPlugins(std::chrono::milliseconds timeout) {
  if (plugins_config_error_) {
    Failure f = *plugins_config_error_;
    f.hint = "fix plugins.toml, then restart the server; switchboard doctor checks it";
    return f;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (!loaded_cv_.wait_for(lock, timeout, [this] { return loaded_; })) {
    return MakeFailure("plugin_unavailable", "the plugins are still starting after 30 s",
                       "retry shortly; switchboard plugins list shows each plugin's state");
  }
  return static_cast<const PluginSet*>(plugins_.get());
}

}  // namespace sb
