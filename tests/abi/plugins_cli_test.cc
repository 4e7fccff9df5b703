// The CLI driven as a process: version, help, usage errors, `plugins list` and `plugins check`
// (CLI.md §1.2–§1.4, §6.3, §6.4; cases CLI-001…CLI-005 and CLI-160…CLI-168).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "run_command.h"
#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
using test::CommandResult;
using test::RunCommand;

fs::path Fixture(const std::string& name) { return fs::path(SB_FIXTURE_DIR) / (name + ".so"); }

class PluginsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test::TempPath("sb-cli");
    fs::remove_all(root_);
    fs::create_directories(root_ / "config");
    fs::create_directories(root_ / "state");
    fs::create_directories(root_ / "home");
  }
  void TearDown() override { fs::remove_all(root_); }

  CommandResult Run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), SB_SWITCHBOARD_EXE);
    env.emplace("SWITCHBOARD_CONFIG_DIR", (root_ / "config").string());
    env.emplace("SWITCHBOARD_STATE_DIR", (root_ / "state").string());
    env.emplace("HOME", (root_ / "home").string());
    env.emplace("SWITCHBOARD_PLUGIN_PATH", "");  // unset
    env.emplace("NO_COLOR", "1");
    return RunCommand(args, env);
  }

  void WritePluginsToml(const std::string& text) {
    std::ofstream(root_ / "config" / "plugins.toml") << text;
  }

  fs::path root_;
};

// CLI-001
TEST_F(PluginsCli, Cli001Version) {
  auto r = Run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_match(r.out, std::regex(R"(switchboard \S+ \(plugin ABI \d+\.\d+\)\n)")))
      << r.out;
  EXPECT_EQ(r.out, std::string("switchboard ") + SB_PROJECT_VERSION + " (plugin ABI " +
                       SB_CMAKE_ABI_VERSION + ")\n");
}

// CLI-002 (for the commands that exist) and CLI-003: help texts, to stdout, reading no config.
TEST_F(PluginsCli, Cli002HelpForEveryCommand) {
  WritePluginsToml("[[broken\n");  // help must not read it
  for (const std::vector<std::string>& cmd :
       {std::vector<std::string>{"plugins"}, {"plugins", "list"}, {"plugins", "check"}, {"help"}}) {
    std::vector<std::string> args = cmd;
    args.push_back("--help");
    auto r = Run(args);
    std::string joined = cmd[0] + (cmd.size() > 1 ? " " + cmd[1] : "");
    EXPECT_EQ(r.exit_code, 0) << joined;
    EXPECT_EQ(r.out.rfind("Usage: switchboard " + joined, 0), 0u) << r.out;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << joined;
  }
  auto check = Run({"plugins", "check", "--help"});
  for (const char* opt : {"--config", "--config-file", "--json"})
    EXPECT_NE(check.out.find(opt), std::string::npos) << opt;
  EXPECT_EQ(Run({"help", "plugins", "check"}).out, check.out);
  // --help wins even when other arguments are invalid
  EXPECT_EQ(Run({"plugins", "check", "--frobnicate", "--help"}).exit_code, 0);
  auto overview = Run({"--help"});
  EXPECT_EQ(overview.exit_code, 0);
  EXPECT_NE(overview.out.find("plugins list"), std::string::npos);
  EXPECT_NE(overview.out.find("plugins check"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(root_ / "state"));
}

// CLI-004: no command → usage on stderr, exit 2.
TEST_F(PluginsCli, Cli004NoCommand) {
  auto r = Run({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("Usage:"), std::string::npos);
}

// CLI-005: an unknown command names the word and suggests a near one; exit 2.
TEST_F(PluginsCli, Cli005UnknownCommandSuggests) {
  auto r = Run({"plugnis", "list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("plugnis"), std::string::npos);
  EXPECT_NE(r.err.find("did you mean 'plugins'"), std::string::npos) << r.err;
  EXPECT_EQ(Run({"plugins", "list", "--frobnicate"}).exit_code, 2);
  EXPECT_EQ(Run({"plugins"}).exit_code, 2);
}

// CLI-160: no plugins.toml → the three embedded defaults are listed with their roles.
TEST_F(PluginsCli, Cli160EmbeddedDefaults) {
  auto r = Run({"plugins", "list", "--json"});
  auto rows = nlohmann::json::parse(r.out);
  ASSERT_TRUE(rows.is_array());
  ASSERT_EQ(rows.size(), 3u);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& row : rows) by_name[row["name"]] = row;
  ASSERT_TRUE(by_name.count("store-sqlite") && by_name.count("routing-capability") &&
              by_name.count("claude-runner"));
  EXPECT_EQ(by_name["store-sqlite"]["active_as"], nlohmann::json::array({"store"}));
  EXPECT_EQ(by_name["routing-capability"]["active_as"], nlohmann::json::array({"router"}));
  EXPECT_EQ(by_name["claude-runner"]["active_as"], nlohmann::json::array({"runner"}));
  // The router is built by this project and must load; its path is the build tree's plugin dir.
  EXPECT_EQ(by_name["routing-capability"]["status"], "loaded")
      << by_name["routing-capability"].dump();
  EXPECT_EQ(by_name["routing-capability"]["abi"], SB_CMAKE_ABI_VERSION);
  EXPECT_EQ(fs::path(by_name["routing-capability"]["path"].get<std::string>()),
            fs::canonical(fs::path(SB_PLUGIN_BUILD_DIR) / "routing-capability.so"));
  bool all_loaded = true;
  for (const auto& row : rows) all_loaded = all_loaded && row["status"] == "loaded";
  EXPECT_EQ(r.exit_code, all_loaded ? 0 : 1);
  for (const auto& row : rows) {
    if (row["status"] != "loaded") {
      EXPECT_FALSE(row["error"].get<std::string>().empty());
    }
  }

  // Roles left out of the file fall back to the defaults.
  WritePluginsToml("[host]\nstore = \"store-fs\"\n");
  auto r2 = Run({"plugins", "list", "--json"});
  auto rows2 = nlohmann::json::parse(r2.out);
  std::map<std::string, nlohmann::json> by_name2;
  for (const auto& row : rows2) by_name2[row["name"]] = row;
  EXPECT_EQ(by_name2["store-fs"]["active_as"], nlohmann::json::array({"store"}));
  EXPECT_EQ(by_name2["routing-capability"]["active_as"], nlohmann::json::array({"router"}));
  EXPECT_EQ(by_name2["claude-runner"]["active_as"], nlohmann::json::array({"runner"}));
  EXPECT_EQ(by_name2.count("store-sqlite"), 0u);
}

// CLI-161: a plugins.toml naming a missing file → that row fails; exit 1. A valid entry loads.
TEST_F(PluginsCli, Cli161MissingFileRowFails) {
  WritePluginsToml(
      std::string(
          "[[plugin]]\nkind = \"runner\"\nname = \"ghost\"\npath = \"/nonexistent/ghost.so\"\n\n") +
      "[[plugin]]\nkind = \"runner\"\nname = \"c-runner\"\npath = \"" +
      Fixture("c-runner").string() + "\"\n");
  auto r = Run({"plugins", "list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("ghost"), std::string::npos);
  EXPECT_NE(r.out.find("failed: /nonexistent/ghost.so: no such file"), std::string::npos) << r.out;
  auto json = nlohmann::json::parse(Run({"plugins", "list", "--json"}).out);
  bool saw_c = false;
  for (const auto& row : json) {
    if (row["name"] == "c-runner") {
      saw_c = true;
      EXPECT_EQ(row["status"], "loaded");
      EXPECT_EQ(row["kinds"], nlohmann::json::array({"runner"}));
      EXPECT_EQ(row["version"], "1.0.0");
      EXPECT_EQ(row["license"], "Apache-2.0");
    }
  }
  EXPECT_TRUE(saw_c);
}

// A broken plugins.toml is reported with file:line:column; exit 1.
TEST_F(PluginsCli, BrokenPluginsTomlIsReported) {
  WritePluginsToml("[host]\nmax_concurrency = 0\n");
  auto r = Run({"plugins", "list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("plugins.toml:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Error: "), std::string::npos);
}

// CLI-162 (on the plugin this build produces): every step [OK]; exit 0.
TEST_F(PluginsCli, Cli162CheckBuiltPlugin) {
  auto r =
      Run({"plugins", "check", (fs::path(SB_PLUGIN_BUILD_DIR) / "routing-capability.so").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("[FAIL]"), std::string::npos) << r.out;
  for (const char* step :
       {"file", "entry_symbol", "load", "abi", "metadata", "init", "component router", "deinit"}) {
    EXPECT_NE(r.out.find(step), std::string::npos) << step;
  }
  // A bare name resolves through the search path.
  auto by_name = Run({"plugins", "check", "c-runner", "--json"},
                     {{"SWITCHBOARD_PLUGIN_PATH", SB_FIXTURE_DIR}});
  EXPECT_EQ(by_name.exit_code, 0) << by_name.out;
  auto json = nlohmann::json::parse(by_name.out);
  EXPECT_EQ(json["status"], "ok");
  EXPECT_EQ(json["plugin"]["name"], "c-runner");
  EXPECT_EQ(json["plugin"]["abi"], "1.0");
  ASSERT_EQ(json["components"].size(), 1u);
  EXPECT_EQ(json["components"][0]["kind"], "runner");
  EXPECT_NE(json["components"][0]["probe"].get<std::string>().find("plain C runner"),
            std::string::npos);
  EXPECT_EQ(json["steps"].size(), 7u);
}

// CLI-163: ABI minor host+1 and major 2 → [FAIL] naming both versions; exit 1.
TEST_F(PluginsCli, Cli163VersionMismatch) {
  auto minor = Run({"plugins", "check", Fixture("fixture-minor-next").string()});
  EXPECT_EQ(minor.exit_code, 1);
  EXPECT_NE(minor.out.find("[FAIL] abi"), std::string::npos) << minor.out;
  EXPECT_NE(minor.out.find("1.1"), std::string::npos);
  EXPECT_NE(minor.out.find("1.0"), std::string::npos);
  auto major = Run({"plugins", "check", Fixture("fixture-major-2").string()});
  EXPECT_EQ(major.exit_code, 1);
  EXPECT_NE(major.out.find("[FAIL] abi"), std::string::npos) << major.out;
  EXPECT_NE(major.out.find("2.0"), std::string::npos);
}

// CLI-164: a library without the entry symbol → [FAIL] naming the symbol; no code of it ran.
TEST_F(PluginsCli, Cli164NotAPluginRunsNoCode) {
  fs::path marker = root_ / "marker";
  auto r = Run({"plugins", "check", Fixture("not-a-plugin").string()},
               {{"SB_TEST_MARKER", marker.string()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("[FAIL] entry_symbol"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sb_plugin_entry_v1"), std::string::npos);
  EXPECT_FALSE(fs::exists(marker));
}

// CLI-165: a create that rejects an unknown key → [FAIL] naming it; exit 1.
TEST_F(PluginsCli, Cli165UnknownConfigKey) {
  auto r =
      Run({"plugins", "check", (fs::path(SB_PLUGIN_BUILD_DIR) / "routing-capability.so").string(),
           "--config", R"({"bogus": 1})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("[FAIL] component router"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bogus"), std::string::npos);
  // the same through --config-file
  std::ofstream(root_ / "config.json") << R"({"bogus": 1})";
  auto f = Run({"plugins", "check", Fixture("c-runner").string(), "--config-file",
                (root_ / "config.json").string()});
  EXPECT_EQ(f.exit_code, 1);
  EXPECT_NE(f.out.find("bogus"), std::string::npos) << f.out;
}

// CLI-166: a plugin that crashes in init → [FAIL] naming SIGSEGV; the check exits 1 normally.
TEST_F(PluginsCli, Cli166CrashInInit) {
  std::map<std::string, std::string> env = {{"ASAN_OPTIONS", "handle_segv=0"}};
  auto r = Run({"plugins", "check", Fixture("fixture-init-crash").string()}, env);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.signal, 0);
  EXPECT_NE(r.out.find("[FAIL] init"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SIGSEGV"), std::string::npos) << r.out;
  auto create = Run({"plugins", "check", Fixture("fixture-create-crash").string(), "--json"}, env);
  EXPECT_EQ(create.exit_code, 1);
  auto json = nlohmann::json::parse(create.out);
  ASSERT_EQ(json["components"].size(), 1u);
  EXPECT_EQ(json["components"][0]["status"], "fail");
  EXPECT_NE(json["components"][0]["message"].get<std::string>().find("SIGSEGV"), std::string::npos);
}

// CLI-167: the clang/libc++-built plugin passes every step.
TEST_F(PluginsCli, Cli167ForeignToolchainPlugin) {
  if (std::string(SB_FOREIGN_MISSING) != "")
    GTEST_SKIP() << "foreign-toolchain plugin not built: " << SB_FOREIGN_MISSING;
  auto r = Run({"plugins", "check", SB_FOREIGN_SO});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("[FAIL]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("built with clang and libc++"), std::string::npos) << r.out;
}

// CLI-168: usage errors exit 2; a PATH that is not a file exits 1.
TEST_F(PluginsCli, Cli168UsageErrors) {
  EXPECT_EQ(Run({"plugins", "check"}).exit_code, 2);
  auto bad_json = Run({"plugins", "check", Fixture("c-runner").string(), "--config", "{bad"});
  EXPECT_EQ(bad_json.exit_code, 2);
  EXPECT_NE(bad_json.err.find("--config"), std::string::npos);
  EXPECT_EQ(Run({"plugins", "check", Fixture("c-runner").string(), "--config", "{}",
                 "--config-file", "x"})
                .exit_code,
            2);
  auto not_file = Run({"plugins", "check", (root_ / "nothing-here.so").string()});
  EXPECT_EQ(not_file.exit_code, 1);
  EXPECT_NE(not_file.out.find("[FAIL] file"), std::string::npos) << not_file.out;
  auto dir = Run({"plugins", "check", root_.string()});
  EXPECT_EQ(dir.exit_code, 1);
}

// Refusals seen through `plugins check`: small tables, missing slots, init failure, transport.
TEST_F(PluginsCli, CheckReportsEachRefusal) {
  struct Case {
    const char* fixture;
    const char* phrase;
  };
  for (const Case& c :
       {Case{"fixture-small-entry", "[FAIL] metadata"}, Case{"fixture-missing-slot", "'cancel'"},
        Case{"fixture-small-table", "too small"},
        Case{"fixture-init-fail", "credentials are missing"},
        Case{"fixture-transport", "does not support"},
        Case{"fixture-empty-license", "empty license"}}) {
    auto r = Run({"plugins", "check", Fixture(c.fixture).string()});
    EXPECT_EQ(r.exit_code, 1) << c.fixture;
    EXPECT_NE(r.out.find(c.phrase), std::string::npos) << c.fixture << ":\n" << r.out;
  }
}

}  // namespace
}  // namespace sb
