// Loader tests through the real ABI: every refusal case of ARCHITECTURE §5 / sdk/docs/ABI.md
// (missing file, not a plugin, wrong major, newer minor, struct too small, missing required slot,
// init failure with message, unknown config key, duplicate and mismatched names, reserved
// transport kind), the plain-C plugin and the clang/libc++ plugin loaded into this g++ host.
#include "plugins/loader.h"

#include <switchboard/router.h>
#include <switchboard/runner.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "config/plugins_config.h"
#include "plugins/host_services.h"
#include "plugins/plugin_set.h"
#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

fs::path Fixture(const std::string& name) { return fs::path(SB_FIXTURE_DIR) / (name + ".so"); }

std::string LoadError(const fs::path& path) {
  auto loaded = LoadLibraryChecked(path, HostServices());
  EXPECT_FALSE(loaded.ok()) << path << " should be refused";
  if (loaded.ok()) return "";
  EXPECT_EQ(loaded.failure().code, "plugin_refused");
  // One line: file, reason, fix.
  EXPECT_EQ(loaded.failure().message.find('\n'), std::string::npos);
  EXPECT_EQ(loaded.failure().message.rfind(path.string() + ": ", 0), 0u)
      << loaded.failure().message;
  return loaded.failure().message;
}

void AppendToString(void* ctx, const char* data, size_t len) {
  static_cast<std::string*>(ctx)->append(data, len);
}

// ABI-010: a missing file is refused, naming the file.
TEST(Loader, Abi010MissingFile) {
  EXPECT_NE(LoadError(Fixture("does-not-exist")).find("no such file"), std::string::npos);
}

// ABI-011: a file that is not a shared library.
TEST(Loader, Abi011NotASharedLibrary) {
  fs::path text = test::TempPath("sb-not-elf").string() + ".so";
  std::ofstream(text) << "just text, long enough to have a header\n";
  EXPECT_NE(LoadError(text).find("not a shared library"), std::string::npos);
  fs::remove(text);
}

// ABI-012: a shared library without the entry symbol is refused before any of its code runs.
TEST(Loader, Abi012NoEntrySymbolRunsNoCode) {
  fs::path marker = test::TempPath("sb-loader-marker");
  fs::remove(marker);
  setenv("SB_TEST_MARKER", marker.c_str(), 1);
  std::string message = LoadError(Fixture("not-a-plugin"));
  unsetenv("SB_TEST_MARKER");
  EXPECT_NE(message.find("sb_plugin_entry_v1"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(marker)) << "the library's constructor ran";
}

// ABI-013: a different major is refused, naming both versions and the fix.
TEST(Loader, Abi013WrongMajor) {
  std::string message = LoadError(Fixture("fixture-major-2"));
  EXPECT_NE(message.find("ABI 2.0"), std::string::npos) << message;
  EXPECT_NE(message.find("ABI 1.0"), std::string::npos) << message;
  EXPECT_NE(message.find("major"), std::string::npos) << message;
}

// ABI-014: a newer minor is refused, naming both versions and the fix.
TEST(Loader, Abi014NewerMinor) {
  std::string message = LoadError(Fixture("fixture-minor-next"));
  EXPECT_NE(message.find("ABI 1.1"), std::string::npos) << message;
  EXPECT_NE(message.find("ABI 1.0"), std::string::npos) << message;
  EXPECT_NE(message.find("upgrade switchboard"), std::string::npos) << message;
}

// ABI-015: an entry smaller than the 1.0 struct is refused.
TEST(Loader, Abi015EntryTooSmall) {
  std::string message = LoadError(Fixture("fixture-small-entry"));
  EXPECT_NE(message.find("smaller than"), std::string::npos) << message;
}

// ABI-016: a table too small to hold a required slot, and a NULL required slot, name the slot.
TEST(Loader, Abi016RequiredSlots) {
  for (const auto& [fixture, phrase] :
       {std::pair<std::string, std::string>{"fixture-small-table", "too small"},
        {"fixture-missing-slot", "lacks the required slot"}}) {
    auto lib = LoadLibraryChecked(Fixture(fixture), HostServices());
    ASSERT_TRUE(lib.ok()) << lib.failure().message;
    auto created = CreateComponent(lib->lib, 0, "{}", "/tmp", HostServices());
    ASSERT_FALSE(created.ok()) << fixture;
    EXPECT_NE(created.failure().message.find(phrase), std::string::npos)
        << created.failure().message;
    EXPECT_NE(created.failure().message.find("'cancel'"), std::string::npos)
        << created.failure().message;
  }
}

// ABI-017: an init failure is refused with the plugin's own message.
TEST(Loader, Abi017InitFailureCarriesMessage) {
  std::string message = LoadError(Fixture("fixture-init-fail"));
  EXPECT_NE(message.find("database credentials are missing"), std::string::npos) << message;
}

// ABI-018: metadata must be complete.
TEST(Loader, Abi018EmptyLicense) {
  EXPECT_NE(LoadError(Fixture("fixture-empty-license")).find("empty license"), std::string::npos);
}

// ABI-019: the transport kind is reserved in ABI 1.0.
TEST(Loader, Abi019TransportReserved) {
  auto lib = LoadLibraryChecked(Fixture("fixture-transport"), HostServices());
  ASSERT_TRUE(lib.ok()) << lib.failure().message;
  auto created = CreateComponent(lib->lib, 0, "{}", "/tmp", HostServices());
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.failure().message.find("transport"), std::string::npos);
  EXPECT_NE(created.failure().message.find("does not support"), std::string::npos);
}

// ABI-020: a plugin written in plain C loads, creates, runs and refuses unknown config keys.
TEST(Loader, Abi020PlainCPlugin) {
  auto lib = LoadLibraryChecked(Fixture("c-runner"), HostServices());
  ASSERT_TRUE(lib.ok()) << lib.failure().message;
  EXPECT_EQ(lib->info.name, "c-runner");
  EXPECT_EQ(lib->info.kind, static_cast<sb_kind>(SB_KIND_RUNNER));

  auto refused = CreateComponent(lib->lib, 0, R"({"bogus": 1})", "/tmp", HostServices());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.failure().message.find("bogus"), std::string::npos)
      << refused.failure().message;
  EXPECT_EQ(refused.failure().field, "bogus");

  auto instance = CreateComponent(lib->lib, 0, "{}", "/tmp", HostServices());
  ASSERT_TRUE(instance.ok()) << instance.failure().message;
  const auto* table = static_cast<const sb_runner_v1*>(instance->table());
  std::string result;
  sb_sink sink{sizeof(sb_sink), &result, &AppendToString};
  std::string progress;
  sb_run_callbacks callbacks{sizeof(sb_run_callbacks), &progress,
                             [](void* ctx, const char* line, size_t len) {
                               static_cast<std::string*>(ctx)->append(line, len);
                             },
                             nullptr};
  sb_error err;
  sb_error_init(&err);
  const std::string request = R"({"task":"hello"})";
  ASSERT_EQ(
      table->run(instance->self(), 1, request.data(), request.size(), &callbacks, &sink, &err),
      SB_OK);
  EXPECT_EQ(result,
            R"({"agent":"c","success":true,"result":")" + std::to_string(request.size()) + "\"}");
  EXPECT_EQ(progress, "working");
}

// ABI-021: a plugin built by clang++-14 with a static libc++ loads into this g++/libstdc++ host;
// exceptions on both sides stay on their own side.
TEST(Loader, Abi021ForeignToolchainPlugin) {
  if (std::string(SB_FOREIGN_MISSING) != "")
    GTEST_SKIP() << "foreign-toolchain plugin not built: " << SB_FOREIGN_MISSING;
  auto lib = LoadLibraryChecked(SB_FOREIGN_SO, HostServices());
  ASSERT_TRUE(lib.ok()) << lib.failure().message;
  EXPECT_EQ(lib->info.name, "foreign-runner");

  auto refused = CreateComponent(lib->lib, 0, R"({"x": true})", "/tmp", HostServices());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.failure().message.find("takes no settings"), std::string::npos);

  auto instance = CreateComponent(lib->lib, 0, "{}", "/tmp", HostServices());
  ASSERT_TRUE(instance.ok()) << instance.failure().message;
  const auto* table = static_cast<const sb_runner_v1*>(instance->table());
  std::string result;
  sb_sink sink{sizeof(sb_sink), &result, &AppendToString};
  sb_error err;
  sb_error_init(&err);
  std::string request = "a b a c";
  ASSERT_EQ(table->run(instance->self(), 7, request.data(), request.size(), nullptr, &sink, &err),
            SB_OK);
  EXPECT_EQ(result, R"({"agent":"foreign","success":true,"result":"3 distinct, caught 1"})");

  // An exception thrown inside the plugin comes back as a status with its message.
  result.clear();
  request = "throw";
  EXPECT_EQ(table->run(instance->self(), 8, request.data(), request.size(), nullptr, &sink, &err),
            SB_ERROR);
  EXPECT_STREQ(err.message, "the foreign runner was asked to fail");

  // A cancel before the run begins makes that run do nothing.
  EXPECT_EQ(table->cancel(instance->self(), 9), SB_OK);
  EXPECT_EQ(table->run(instance->self(), 9, request.data(), request.size(), nullptr, &sink, &err),
            SB_CANCELLED);
  EXPECT_EQ(table->cancel(instance->self(), 9), SB_OK);  // idempotent, after the run

  // The host's own exceptions still work after the foreign runtime ran.
  EXPECT_THROW(throw std::runtime_error("host side"), std::runtime_error);
}

// ABI-022: the plugin set refuses an entry whose library declares another name, and a library
// of another kind than its entry; other plugins still load.
TEST(Loader, Abi022PluginSetNameAndKindMismatch) {
  auto config = ParsePluginsToml(std::string(R"(
[[plugin]]
kind = "runner"
name = "fixture-misnamed"
path = ")") + Fixture("fixture-misnamed").string() +
                                     R"("

[[plugin]]
kind = "store"
name = "c-runner"
path = ")" + Fixture("c-runner").string() +
                                     R"("

[[plugin]]
kind = "runner"
name = "fixture-runner"
path = ")" + Fixture("fixture-runner").string() +
                                     R"("
)",
                                 "/tmp/plugins.toml");
  ASSERT_TRUE(config.ok()) << config.failure().message;
  PluginSet set = LoadPluginSet(*config, "/tmp", HostServices());
  const PluginRow* misnamed = nullptr;
  const PluginRow* kind = nullptr;
  for (const auto& row : set.rows()) {
    if (row.entry.name == "fixture-misnamed") misnamed = &row;
    if (row.entry.name == "c-runner") kind = &row;
  }
  ASSERT_NE(misnamed, nullptr);
  EXPECT_FALSE(misnamed->loaded);
  EXPECT_NE(misnamed->error.find("declares the name 'fixture-other-name'"), std::string::npos)
      << misnamed->error;
  ASSERT_NE(kind, nullptr);
  EXPECT_FALSE(kind->loaded);
  EXPECT_NE(kind->error.find("provides no store component"), std::string::npos) << kind->error;
  EXPECT_NE(set.Find("fixture-runner"), nullptr);
  EXPECT_FALSE(set.all_loaded());
}

// ABI-023: an unknown config key of the real router plugin is surfaced with the plugin's message.
TEST(Loader, Abi023RouterRefusesUnknownKey) {
  auto lib =
      LoadLibraryChecked(fs::path(SB_PLUGIN_BUILD_DIR) / "routing-capability.so", HostServices());
  ASSERT_TRUE(lib.ok()) << lib.failure().message;
  auto created = CreateComponent(lib->lib, 0, R"({"bogus": 1})", "/tmp", HostServices());
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.failure().message.find("bogus"), std::string::npos)
      << created.failure().message;
  auto ok = CreateComponent(lib->lib, 0, R"({"order": "strict_priority"})", "/tmp", HostServices());
  ASSERT_TRUE(ok.ok()) << ok.failure().message;
  const auto* table = static_cast<const sb_router_v1*>(ok->table());
  std::string policy;
  sb_sink sink{sizeof(sb_sink), &policy, &AppendToString};
  sb_error err;
  sb_error_init(&err);
  ASSERT_EQ(table->policy(ok->self(), &sink, &err), SB_OK);
  EXPECT_EQ(policy, "\"strict_priority\"");
}

// ABI-024: a plugin is found through SWITCHBOARD_PLUGIN_PATH before the built-in directory, and an
// explicit path wins over both.
TEST(Loader, Abi024ResolutionOrder) {
  setenv("SWITCHBOARD_PLUGIN_PATH", (std::string("/nonexistent:") + SB_FIXTURE_DIR).c_str(), 1);
  auto found = ResolvePluginFile("c-runner", std::nullopt);
  ASSERT_TRUE(found.ok()) << found.failure().message;
  EXPECT_EQ(*found, Fixture("c-runner"));
  auto explicit_path = ResolvePluginFile("c-runner", fs::path("/x/y.so"));
  EXPECT_EQ(*explicit_path, "/x/y.so");
  auto missing = ResolvePluginFile("no-such-plugin", std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.failure().message.find("/nonexistent/no-such-plugin.so"), std::string::npos);
  EXPECT_NE(missing.failure().message.find("SWITCHBOARD_PLUGIN_PATH"), std::string::npos);
  unsetenv("SWITCHBOARD_PLUGIN_PATH");
}

}  // namespace
}  // namespace sb
