#include "config/plugins_config.h"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <system_error>

#include "config/toml_json.h"
#include "logging/log.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();

// One integer `[host]` key: where it goes and its inclusive range.
struct IntKey {
  const char* name;
  int64_t HostSettings::*member;
  int64_t min;
  int64_t max;
};

struct BoolKey {
  const char* name;
  bool HostSettings::*member;
};

constexpr IntKey kIntKeys[] = {
    {"max_concurrency", &HostSettings::max_concurrency, 1, kNoMax},
    {"max_dispatch_depth", &HostSettings::max_dispatch_depth, 1, kNoMax},
    {"job_retention_days", &HostSettings::job_retention_days, 0, kNoMax},
    {"lease_seconds", &HostSettings::lease_seconds, 5, 3600},
    {"max_attempts", &HostSettings::max_attempts, 1, 10},
    {"sweep_interval_ms", &HostSettings::sweep_interval_ms, 100, 60000},
    {"poll_interval_ms", &HostSettings::poll_interval_ms, 100, 60000},
    {"heartbeat_seconds", &HostSettings::heartbeat_seconds, 1, 300},
    {"worker_offline_after_seconds", &HostSettings::worker_offline_after_seconds, 2, kNoMax},
    {"worker_record_ttl_seconds", &HostSettings::worker_record_ttl_seconds, 60, kNoMax},
    {"remote_claim_timeout_seconds", &HostSettings::remote_claim_timeout_seconds, 1, 86400},
    {"bridge_context_messages", &HostSettings::bridge_context_messages, 0, 100},
    {"event_retention_seconds", &HostSettings::event_retention_seconds, 60, kNoMax},
    {"event_retention_min", &HostSettings::event_retention_min, 100, kNoMax},
    {"mcp_max_message_bytes", &HostSettings::mcp_max_message_bytes, 65536, kNoMax},
    {"mcp_max_inflight", &HostSettings::mcp_max_inflight, 1, kNoMax},
};

constexpr BoolKey kBoolKeys[] = {
    {"usage_log", &HostSettings::usage_log},
    {"serve_untargeted", &HostSettings::serve_untargeted},
    {"handoff_bridge", &HostSettings::handoff_bridge},
    {"event_log_notifications", &HostSettings::event_log_notifications},
    {"mcp_tasks", &HostSettings::mcp_tasks},
};

constexpr const char* kKinds[] = {"runner", "router", "store", "transport"};

// Builds "<file>:<line>:<column>: <message>" failures.
class Reporter {
 public:
  explicit Reporter(const fs::path& file) : file_(file.string()) {}

  Failure At(const toml::source_region& where, const std::string& message,
             const std::string& hint = {}) const {
    return MakeFailure(
        "config_unreadable",
        fmt::format("{}:{}:{}: {}", file_, where.begin.line, where.begin.column, message), hint);
  }
  Failure At(const toml::node& node, const std::string& message,
             const std::string& hint = {}) const {
    return At(node.source(), message, hint);
  }

 private:
  std::string file_;
};

std::string RangeText(int64_t min, int64_t max) {
  if (max == kNoMax) return fmt::format("an integer >= {}", min);
  return fmt::format("an integer from {} to {}", min, max);
}

Status ReadInt(const Reporter& report, const toml::node& node, const std::string& key, int64_t min,
               int64_t max, int64_t& out) {
  const auto* value = node.as_integer();
  if (value == nullptr) {
    return report.At(node, fmt::format("{} must be {}", key, RangeText(min, max)));
  }
  int64_t v = value->get();
  if (v < min || v > max) {
    return report.At(
        node, fmt::format("{} = {} is out of range: it must be {}", key, v, RangeText(min, max)));
  }
  out = v;
  return {};
}

Status ReadBool(const Reporter& report, const toml::node& node, const std::string& key, bool& out) {
  const auto* value = node.as_boolean();
  if (value == nullptr) return report.At(node, fmt::format("{} must be true or false", key));
  out = value->get();
  return {};
}

Status ReadString(const Reporter& report, const toml::node& node, const std::string& key,
                  std::string& out) {
  const auto* value = node.as_string();
  if (value == nullptr) return report.At(node, fmt::format("{} must be a string", key));
  out = value->get();
  return {};
}

Status ParseCache(const Reporter& report, const toml::table& table, CacheSettings& cache) {
  for (auto&& [key, node] : table) {
    std::string k(key.str());
    Status st;
    if (k == "enabled") {
      st = ReadBool(report, node, "host.cache.enabled", cache.enabled);
    } else if (k == "ttl") {
      st = ReadInt(report, node, "host.cache.ttl", 0, kNoMax, cache.ttl);
    } else if (k == "max_size") {
      st = ReadInt(report, node, "host.cache.max_size", 1, kNoMax, cache.max_size);
    } else {
      return report.At(key.source(), fmt::format("unknown key host.cache.{}", k),
                       "the [host.cache] keys are enabled, ttl and max_size");
    }
    if (!st) return st;
  }
  return {};
}

Status ParseHost(const Reporter& report, const toml::table& table, const fs::path& base,
                 HostSettings& host) {
  for (auto&& [key, node] : table) {
    std::string k(key.str());
    Status st;
    bool known = false;
    for (const auto& ik : kIntKeys) {
      if (k == ik.name) {
        known = true;
        st = ReadInt(report, node, "host." + k, ik.min, ik.max, host.*ik.member);
      }
    }
    for (const auto& bk : kBoolKeys) {
      if (k == bk.name) {
        known = true;
        st = ReadBool(report, node, "host." + k, host.*bk.member);
      }
    }
    if (known) {
      if (!st) return st;
      continue;
    }
    if (k == "store" || k == "router") {
      std::string& target = k == "store" ? host.store : host.router;
      if (st = ReadString(report, node, "host." + k, target); !st) return st;
      if (!IsValidPluginName(target)) {
        return report.At(node, fmt::format("host.{} = \"{}\" is not a plugin name", k, target),
                         "plugin names match ^[a-z0-9][a-z0-9-]*$, e.g. \"store-sqlite\"");
      }
    } else if (k == "state_dir") {
      std::string dir;
      if (st = ReadString(report, node, "host.state_dir", dir); !st) return st;
      if (dir.empty()) return report.At(node, "host.state_dir must not be empty");
      fs::path p(dir);
      host.state_dir = (p.is_absolute() ? p : base / p).lexically_normal().string();
    } else if (k == "log_level") {
      if (st = ReadString(report, node, "host.log_level", host.log_level); !st) return st;
      if (!IsLogLevelName(host.log_level)) {
        return report.At(node,
                         fmt::format("host.log_level = \"{}\" is not a log level", host.log_level),
                         "use one of trace, debug, info, warn, error, off");
      }
    } else if (k == "cache") {
      const auto* cache = node.as_table();
      if (cache == nullptr) return report.At(node, "host.cache must be a table ([host.cache])");
      if (st = ParseCache(report, *cache, host.cache); !st) return st;
    } else {
      return report.At(key.source(), fmt::format("unknown key host.{}", k),
                       "see the [host] keys in plugins.toml.example");
    }
  }
  if (host.worker_offline_after_seconds < 2 * host.heartbeat_seconds) {
    const toml::node* node = table.get("worker_offline_after_seconds");
    if (node == nullptr) node = table.get("heartbeat_seconds");
    return report.At(*node,
                     fmt::format("host.worker_offline_after_seconds ({}) must be at least twice "
                                 "host.heartbeat_seconds ({})",
                                 host.worker_offline_after_seconds, host.heartbeat_seconds));
  }
  return {};
}

Result<PluginEntry> ParsePluginEntry(const Reporter& report, const toml::table& table,
                                     const fs::path& file) {
  PluginEntry entry;
  entry.origin = fmt::format("{}:{}", file.string(), table.source().begin.line);
  bool has_kind = false;
  bool has_name = false;
  for (auto&& [key, node] : table) {
    std::string k(key.str());
    Status st;
    if (k == "kind") {
      if (st = ReadString(report, node, "plugin.kind", entry.kind); !st) return st.failure();
      bool ok = false;
      for (const char* kind : kKinds) ok = ok || entry.kind == kind;
      if (!ok) {
        return report.At(node, fmt::format("plugin.kind = \"{}\" is not a plugin kind", entry.kind),
                         "use runner, router, store or transport");
      }
      has_kind = true;
    } else if (k == "name") {
      if (st = ReadString(report, node, "plugin.name", entry.name); !st) return st.failure();
      if (!IsValidPluginName(entry.name)) {
        return report.At(node, fmt::format("plugin.name = \"{}\" is not a plugin name", entry.name),
                         "plugin names match ^[a-z0-9][a-z0-9-]*$ (at most 64 characters)");
      }
      has_name = true;
    } else if (k == "path") {
      std::string path;
      if (st = ReadString(report, node, "plugin.path", path); !st) return st.failure();
      if (path.empty()) return report.At(node, "plugin.path must not be empty");
      fs::path p(path);
      entry.path = (p.is_absolute() ? p : file.parent_path() / p).lexically_normal();
    } else if (k == "config") {
      const auto* config = node.as_table();
      if (config == nullptr)
        return report.At(node, "plugin.config must be a table ([plugin.config])");
      entry.config_json = TomlTableToJson(*config);
    } else {
      return report.At(key.source(), fmt::format("unknown key plugin.{}", k),
                       "a [[plugin]] entry has kind, name, path and a [plugin.config] table");
    }
  }
  if (!has_kind)
    return report.At(table, "a [[plugin]] entry needs kind = \"runner\"|\"router\"|\"store\"");
  if (!has_name) return report.At(table, "a [[plugin]] entry needs name = \"<plugin name>\"");
  return entry;
}

// Adds the embedded defaults for roles the file leaves out.
void ApplyRoleDefaults(PluginsConfig& config) {
  auto find = [&](std::string_view name) -> PluginEntry* {
    for (auto& e : config.plugins) {
      if (e.name == name) return &e;
    }
    return nullptr;
  };
  auto add = [&](std::string kind, std::string name) {
    PluginEntry e;
    e.kind = std::move(kind);
    e.name = std::move(name);
    e.embedded_default = true;
    e.origin = "embedded default";
    config.plugins.push_back(std::move(e));
  };
  if (find(config.host.store) == nullptr) add("store", config.host.store);
  if (find(config.host.router) == nullptr) add("router", config.host.router);
  if (find(kDefaultRunner) == nullptr) add("runner", std::string(kDefaultRunner));
}

}  // namespace

bool IsValidPluginName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok(name[0])) return false;
  for (char c : name) {
    if (!ok(c) && c != '-') return false;
  }
  return true;
}

PluginsConfig EmbeddedDefaultConfig() {
  PluginsConfig config;
  ApplyRoleDefaults(config);
  return config;
}

Result<PluginsConfig> ParsePluginsToml(std::string_view text, const fs::path& file) {
  Reporter report(file);
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    return report.At(e.source(), std::string(e.description()));
  }

  PluginsConfig config;
  config.file = file;
  for (auto&& [key, node] : root) {
    std::string k(key.str());
    if (k == "host") {
      const auto* host = node.as_table();
      if (host == nullptr) return report.At(node, "host must be a table ([host])");
      if (auto st = ParseHost(report, *host, file.parent_path(), config.host); !st)
        return st.failure();
    } else if (k == "plugin") {
      const auto* entries = node.as_array();
      if (entries == nullptr)
        return report.At(node, "plugin must be an array of tables ([[plugin]])");
      for (auto&& item : *entries) {
        const auto* table = item.as_table();
        if (table == nullptr) return report.At(item, "each plugin must be a table ([[plugin]])");
        auto entry = ParsePluginEntry(report, *table, file);
        if (!entry) return entry.failure();
        for (const auto& earlier : config.plugins) {
          if (earlier.name == entry->name) {
            return report.At(*table,
                             fmt::format("plugin '{}' is named twice (first at {})", entry->name,
                                         earlier.origin),
                             "keep one [[plugin]] entry per name");
          }
        }
        config.plugins.push_back(std::move(entry).value());
      }
    } else {
      return report.At(key.source(), fmt::format("unknown top-level key '{}'", k),
                       "plugins.toml has a [host] table and [[plugin]] entries");
    }
  }

  // A role key must not name an entry of another kind (TOOLS.md §2.1).
  for (const auto& [role, name] :
       {std::pair<std::string, std::string>{"store", config.host.store},
        std::pair<std::string, std::string>{"router", config.host.router}}) {
    for (const auto& e : config.plugins) {
      if (e.name == name && e.kind != role) {
        const toml::node* where = root["host"][role].node();
        return report.At(
            where != nullptr ? where->source() : root.source(),
            fmt::format("host.{} names '{}', which is a {} plugin", role, name, e.kind),
            fmt::format("name a plugin of kind {}", role));
      }
    }
  }
  ApplyRoleDefaults(config);
  return config;
}

Result<PluginsConfig> LoadPluginsConfig(const fs::path& config_dir) {
  fs::path file = config_dir / "plugins.toml";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return EmbeddedDefaultConfig();
    return MakeFailure("config_unreadable", fmt::format("{}: cannot be read", file.string()),
                       "check the file's permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParsePluginsToml(text.str(), file);
}

}  // namespace sb
