// Tests of plugins.toml parsing: the CFG- cases of docs/configuration.md.
#include "config/plugins_config.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

const fs::path kFile = "/etc/sb-test/plugins.toml";

PluginsConfig ParseOk(const std::string& text) {
  auto config = ParsePluginsToml(text, kFile);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.failure().message);
  return config.ok() ? config.value() : PluginsConfig{};
}

std::string ParseError(const std::string& text) {
  auto config = ParsePluginsToml(text, kFile);
  EXPECT_FALSE(config.ok()) << "expected an error for:\n" << text;
  if (config.ok()) return "";
  EXPECT_EQ(config.failure().code, "config_unreadable");
  return config.failure().message;
}

const PluginEntry* Find(const PluginsConfig& config, const std::string& name) {
  for (const auto& e : config.plugins) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// CFG-001: no file at all gives the embedded default with all three roles.
TEST(PluginsConfig, Cfg001EmbeddedDefaultWhenFileAbsent) {
  fs::path dir = test::TempPath("sb-cfg");
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto config = LoadPluginsConfig(dir);
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->file.has_value());
  ASSERT_EQ(config->plugins.size(), 3u);
  EXPECT_EQ(config->host.store, "store-sqlite");
  EXPECT_EQ(config->host.router, "routing-capability");
  ASSERT_NE(Find(*config, "store-sqlite"), nullptr);
  EXPECT_EQ(Find(*config, "store-sqlite")->kind, "store");
  EXPECT_EQ(Find(*config, "routing-capability")->kind, "router");
  EXPECT_EQ(Find(*config, "claude-runner")->kind, "runner");
  for (const auto& e : config->plugins) EXPECT_TRUE(e.embedded_default);
  fs::remove_all(dir);
}

// CFG-002: every [host] default matches ARCHITECTURE §6.
TEST(PluginsConfig, Cfg002HostDefaults) {
  auto config = ParseOk("");
  const HostSettings& h = config.host;
  EXPECT_EQ(h.max_concurrency, 5);
  EXPECT_EQ(h.max_dispatch_depth, 3);
  EXPECT_EQ(h.job_retention_days, 0);
  EXPECT_TRUE(h.usage_log);
  EXPECT_TRUE(h.cache.enabled);
  EXPECT_EQ(h.cache.ttl, 300);
  EXPECT_EQ(h.cache.max_size, 1000);
  EXPECT_EQ(h.lease_seconds, 60);
  EXPECT_EQ(h.max_attempts, 2);
  EXPECT_EQ(h.sweep_interval_ms, 1000);
  EXPECT_EQ(h.poll_interval_ms, 2000);
  EXPECT_EQ(h.heartbeat_seconds, 10);
  EXPECT_EQ(h.worker_offline_after_seconds, 30);
  EXPECT_EQ(h.worker_record_ttl_seconds, 86400);
  EXPECT_EQ(h.remote_claim_timeout_seconds, 60);
  EXPECT_FALSE(h.serve_untargeted);
  EXPECT_FALSE(h.handoff_bridge);
  EXPECT_EQ(h.bridge_context_messages, 10);
  EXPECT_EQ(h.event_retention_seconds, 86400);
  EXPECT_EQ(h.event_retention_min, 10000);
  EXPECT_FALSE(h.event_log_notifications);
  EXPECT_EQ(h.mcp_max_message_bytes, 16777216);
  EXPECT_EQ(h.mcp_max_inflight, 256);
  EXPECT_FALSE(h.mcp_tasks);
  EXPECT_EQ(h.log_level, "info");
}

// CFG-003: a TOML syntax error names file, line and column.
TEST(PluginsConfig, Cfg003SyntaxErrorHasLineAndColumn) {
  std::string message = ParseError("[host]\nmax_concurrency = 3\n[[plugin\n");
  EXPECT_EQ(message.rfind("/etc/sb-test/plugins.toml:3:", 0), 0u) << message;
}

// CFG-004: an unknown [host] key is an error naming the key and its line.
TEST(PluginsConfig, Cfg004UnknownHostKey) {
  std::string message = ParseError("[host]\nmax_concurrency = 2\nmax_concurrancy = 3\n");
  EXPECT_NE(message.find("plugins.toml:3:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("host.max_concurrancy"), std::string::npos) << message;
}

// CFG-005: out-of-range and wrongly typed values name the key and the range.
TEST(PluginsConfig, Cfg005RangesAndTypes) {
  EXPECT_NE(ParseError("[host]\nmax_concurrency = 0\n").find("host.max_concurrency"),
            std::string::npos);
  EXPECT_NE(ParseError("[host]\nlease_seconds = 4\n").find("from 5 to 3600"), std::string::npos);
  EXPECT_NE(ParseError("[host]\nmax_attempts = 11\n").find("host.max_attempts"), std::string::npos);
  EXPECT_NE(ParseError("[host]\nmax_concurrency = \"5\"\n").find("host.max_concurrency must be"),
            std::string::npos);
  EXPECT_NE(ParseError("[host]\nusage_log = 1\n").find("true or false"), std::string::npos);
  EXPECT_NE(ParseError("[host]\nlog_level = \"loud\"\n").find("host.log_level"), std::string::npos);
  EXPECT_NE(ParseError("[host]\nmcp_max_message_bytes = 1024\n").find("host.mcp_max_message_bytes"),
            std::string::npos);
  EXPECT_NE(ParseError("[host.cache]\nttl = -1\n").find("host.cache.ttl"), std::string::npos);
  EXPECT_NE(ParseError("[host.cache]\nsize = 3\n").find("unknown key host.cache.size"),
            std::string::npos);
  // worker_offline_after_seconds must be at least twice heartbeat_seconds
  EXPECT_NE(ParseError("[host]\nheartbeat_seconds = 20\n").find("worker_offline_after_seconds"),
            std::string::npos);
  auto ok = ParseOk(
      "[host]\nheartbeat_seconds = 1\nworker_offline_after_seconds = 2\nlease_seconds = 5\n");
  EXPECT_EQ(ok.host.lease_seconds, 5);
}

// CFG-006: [[plugin]] entries: kind, name, path relative to the file, config as JSON.
TEST(PluginsConfig, Cfg006PluginEntries) {
  auto config = ParseOk(R"(
[host]
store = "store-fs"

[[plugin]]
kind = "store"
name = "store-fs"
path = "plugins/store-fs.so"
[plugin.config]
dir = "jobs"
fsync = true
limit = 9007199254740993
ratio = 0.5
nested = { a = [1, 2, "x"] }
when = 2026-01-02T03:04:05Z
day = 2026-01-02
)");
  const PluginEntry* fs_entry = Find(config, "store-fs");
  ASSERT_NE(fs_entry, nullptr);
  EXPECT_FALSE(fs_entry->embedded_default);
  EXPECT_EQ(fs_entry->path->string(), "/etc/sb-test/plugins/store-fs.so");
  auto json = nlohmann::json::parse(fs_entry->config_json);
  EXPECT_EQ(json["dir"], "jobs");
  EXPECT_EQ(json["fsync"], true);
  EXPECT_EQ(json["limit"].get<int64_t>(), 9007199254740993LL);  // no precision lost
  EXPECT_DOUBLE_EQ(json["ratio"].get<double>(), 0.5);
  EXPECT_EQ(json["nested"]["a"], nlohmann::json::parse(R"([1, 2, "x"])"));
  EXPECT_EQ(json["when"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(json["day"], "2026-01-02");
  // roles the file leaves out fall back to the embedded defaults
  ASSERT_NE(Find(config, "routing-capability"), nullptr);
  EXPECT_TRUE(Find(config, "routing-capability")->embedded_default);
  ASSERT_NE(Find(config, "claude-runner"), nullptr);
  EXPECT_EQ(Find(config, "store-sqlite"), nullptr);
}

// CFG-007: a store named in [host] without an entry is loaded with an empty config.
TEST(PluginsConfig, Cfg007RoleWithoutEntry) {
  auto config = ParseOk("[host]\nstore = \"store-fs\"\n");
  const PluginEntry* e = Find(config, "store-fs");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, "store");
  EXPECT_EQ(e->config_json, "{}");
  EXPECT_FALSE(e->path.has_value());
  EXPECT_EQ(config.plugins.size(), 3u);
}

// CFG-008: [host] store naming a plugin of another kind is an error naming host.store.
TEST(PluginsConfig, Cfg008RoleKindMismatch) {
  std::string message = ParseError(
      "[host]\nstore = \"exec-runner\"\n[[plugin]]\nkind = \"runner\"\nname = \"exec-runner\"\n");
  EXPECT_NE(message.find("host.store"), std::string::npos) << message;
  EXPECT_NE(message.find("plugins.toml:2:"), std::string::npos) << message;
}

// CFG-009: duplicate names, unknown entry keys, bad kinds and names are refused.
TEST(PluginsConfig, Cfg009EntryErrors) {
  std::string dup = ParseError(
      "[[plugin]]\nkind = \"runner\"\nname = \"x\"\n[[plugin]]\nkind = \"runner\"\nname = \"x\"\n");
  EXPECT_NE(dup.find("named twice"), std::string::npos) << dup;
  EXPECT_NE(dup.find("plugins.toml:1"), std::string::npos) << dup;
  EXPECT_NE(ParseError("[[plugin]]\nkind = \"runner\"\nname = \"x\"\nconfg = {}\n")
                .find("unknown key plugin.confg"),
            std::string::npos);
  EXPECT_NE(ParseError("[[plugin]]\nkind = \"engine\"\nname = \"x\"\n").find("plugin.kind"),
            std::string::npos);
  EXPECT_NE(ParseError("[[plugin]]\nkind = \"runner\"\nname = \"Bad_Name\"\n").find("plugin.name"),
            std::string::npos);
  EXPECT_NE(ParseError("[[plugin]]\nname = \"x\"\n").find("needs kind"), std::string::npos);
  EXPECT_NE(ParseError("[[plugin]]\nkind = \"runner\"\n").find("needs name"), std::string::npos);
  EXPECT_NE(ParseError("surprise = 1\n").find("unknown top-level key"), std::string::npos);
}

// CFG-010: state_dir relative to the file's directory.
TEST(PluginsConfig, Cfg010StateDirRelativeToFile) {
  auto config = ParseOk("[host]\nstate_dir = \"state\"\n");
  ASSERT_TRUE(config.host.state_dir.has_value());
  EXPECT_EQ(*config.host.state_dir, "/etc/sb-test/state");
}

// CFG-011: the file is read from the config directory.
TEST(PluginsConfig, Cfg011LoadsFileFromConfigDir) {
  fs::path dir = test::TempPath("sb-cfg");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "plugins.toml") << "[host]\nmax_concurrency = 7\n";
  auto config = LoadPluginsConfig(dir);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->host.max_concurrency, 7);
  EXPECT_EQ(*config->file, dir / "plugins.toml");
  fs::remove_all(dir);
}

TEST(PluginsConfig, PluginNameRule) {
  EXPECT_TRUE(IsValidPluginName("store-sqlite"));
  EXPECT_TRUE(IsValidPluginName("a"));
  EXPECT_FALSE(IsValidPluginName(""));
  EXPECT_FALSE(IsValidPluginName("-x"));
  EXPECT_FALSE(IsValidPluginName("X"));
  EXPECT_FALSE(IsValidPluginName("a_b"));
  EXPECT_FALSE(IsValidPluginName(std::string(65, 'a')));
}

}  // namespace
}  // namespace sb
