// plugins_config.h — `plugins.toml`: the host's settings and the plugins it may load
// (ARCHITECTURE §5 item 8, §6, §10.5, §11.10; TOOLS.md §2.1).
//
// Purpose: LoadPluginsConfig reads `<config dir>/plugins.toml` synchronously at start. Without the
// file, the embedded default applies (store-sqlite, routing-capability, claude-runner). Every
// `[host]` key is checked for type and range; unknown keys in `[host]` and in `[[plugin]]` are
// errors naming the key and its line. A parse or validation failure is a Failure with code
// "config_unreadable" whose message starts with `<file>:<line>:<column>: `.
//
// Roles: exactly one active store and router (`[host] store`, `[host] router`); any number of
// runners. Roles the file leaves out fall back to the embedded defaults; a store or router named in
// `[host]` without an entry is loaded from the search path with an empty config; `claude-runner`
// (the default runner of every agent) is always present.
//
// Threads: pure functions over their inputs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "errors/result.h"

namespace sb {

struct CacheSettings {
  bool enabled = true;
  int64_t ttl = 300;
  int64_t max_size = 1000;
};

// Every `[host]` key of ARCHITECTURE §6 with its default.
struct HostSettings {
  std::string store = "store-sqlite";
  std::string router = "routing-capability";
  std::optional<std::string> state_dir;  // absolute (relative values resolve against the file)
  std::string log_level = "info";
  int64_t max_concurrency = 5;
  int64_t max_dispatch_depth = 3;
  int64_t job_retention_days = 0;
  bool usage_log = true;
  CacheSettings cache;
  int64_t lease_seconds = 60;
  int64_t max_attempts = 2;
  int64_t sweep_interval_ms = 1000;
  int64_t poll_interval_ms = 2000;
  int64_t heartbeat_seconds = 10;
  int64_t worker_offline_after_seconds = 30;
  int64_t worker_record_ttl_seconds = 86400;
  int64_t remote_claim_timeout_seconds = 60;
  bool serve_untargeted = false;
  bool handoff_bridge = false;
  int64_t bridge_context_messages = 10;
  int64_t event_retention_seconds = 86400;
  int64_t event_retention_min = 10000;
  bool event_log_notifications = false;
  int64_t mcp_max_message_bytes = 16777216;
  int64_t mcp_max_inflight = 256;
  bool mcp_tasks = false;
};

// One plugin the host will load.
struct PluginEntry {
  std::string kind;  // "runner", "router", "store" or "transport"
  std::string name;
  std::optional<std::filesystem::path> path;  // explicit file (absolute after loading)
  std::string config_json = "{}";             // the [plugin.config] table as JSON
  bool embedded_default = false;              // added by the embedded default, not by the file
  std::string origin;                         // "<file>:<line>" or "embedded default"
};

struct PluginsConfig {
  std::optional<std::filesystem::path> file;  // the plugins.toml read, if any
  HostSettings host;
  std::vector<PluginEntry> plugins;
};

// The names of the default plugins and kinds.
inline constexpr std::string_view kDefaultStore = "store-sqlite";
inline constexpr std::string_view kDefaultRouter = "routing-capability";
inline constexpr std::string_view kDefaultRunner = "claude-runner";

// True when `name` is a valid plugin name: ^[a-z0-9][a-z0-9-]*$, at most 64 bytes.
bool IsValidPluginName(std::string_view name);

// Reads `<config_dir>/plugins.toml`, or returns the embedded default when it does not exist.
Result<PluginsConfig> LoadPluginsConfig(const std::filesystem::path& config_dir);

// Parses plugins.toml text; `file` names it in errors and anchors relative paths.
Result<PluginsConfig> ParsePluginsToml(std::string_view text, const std::filesystem::path& file);

// The configuration used when there is no plugins.toml.
PluginsConfig EmbeddedDefaultConfig();

}  // namespace sb
