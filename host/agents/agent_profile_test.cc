// Tests of the shared validation rules (TOOLS §2.3; cases T-082…T-089, T-095, T-096).
#include "agents/agent_profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

#include <unistd.h>
#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// T-082: the name rule over the whole string, 1–128 characters.
TEST(AgentProfileTest, T082Names) {
  for (const std::string& bad : std::vector<std::string>{"-bad", "a/b", "", "has space",
                                                         std::string(129, 'x'), "x\n", "_x", "é"}) {
    auto st = ValidateName(bad);
    ASSERT_FALSE(st) << bad;
    EXPECT_EQ(st.failure().code, "invalid_argument");
    EXPECT_EQ(st.failure().field, "name");
    EXPECT_TRUE(Contains(st.failure().message, "^[A-Za-z0-9][A-Za-z0-9_-]*$"));
  }
  for (const std::string& good :
       std::vector<std::string>{std::string(128, 'x'), "A1", "agent_1", "a-b", "9", "Infra"}) {
    EXPECT_TRUE(ValidateName(good)) << good;
  }
  EXPECT_EQ(ValidateName("a b", "group", "group").failure().field, "group");
}

// T-083: the directory must exist; the error names `directory` and the resolved path.
TEST(AgentProfileTest, T083Directory) {
  auto missing = ResolveAgentDirectory("/nonexistent/x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.failure().code, "invalid_argument");
  EXPECT_EQ(missing.failure().field, "directory");
  EXPECT_TRUE(Contains(missing.failure().message, "/nonexistent/x"));

  auto relative = ResolveAgentDirectory("nonexistent/../y", "/base");
  ASSERT_FALSE(relative);
  EXPECT_TRUE(Contains(relative.failure().message, "/base/y")) << relative.failure().message;

  auto user = ResolveAgentDirectory("~nosuchuser12345/p");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.failure().field, "directory");
  EXPECT_TRUE(Contains(user.failure().message, "~nosuchuser12345")) << user.failure().message;

  auto file = ResolveAgentDirectory("/etc/hostname");
  if (fs::exists("/etc/hostname")) {
    ASSERT_FALSE(file);
    EXPECT_TRUE(Contains(file.failure().message, "not a directory"));
  }
}

// The directory is made absolute and canonical (symlinks resolved); `~` uses $HOME.
TEST(AgentProfileTest, DirectoryCanonicalAndHome) {
  fs::path base = test::TempPath("sb-profile");
  fs::remove_all(base);
  fs::create_directories(base / "real");
  fs::create_directory_symlink(base / "real", base / "link");
  auto resolved = ResolveAgentDirectory("link/../link/.", base);
  ASSERT_TRUE(resolved) << resolved.failure().message;
  EXPECT_EQ(*resolved, fs::canonical(base / "real").string());

  const char* old_home = std::getenv("HOME");
  std::string saved = old_home == nullptr ? "" : old_home;
  ::setenv("HOME", base.c_str(), 1);
  auto home = ResolveAgentDirectory("~/real");
  auto bare = ExpandHome("~");
  if (old_home != nullptr) {
    ::setenv("HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
  ASSERT_TRUE(home) << home.failure().message;
  EXPECT_EQ(*home, fs::canonical(base / "real").string());
  EXPECT_EQ(*bare, base.string());
  auto root = ExpandHome("~root/x");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->substr(root->size() - 2), "/x");
  EXPECT_EQ(ExpandHome("/abs/~x").value(), "/abs/~x");
  fs::remove_all(base);
}

// T-084/T-095: timeout 0..86400, naming `timeout`.
TEST(AgentProfileTest, T084Timeout) {
  EXPECT_TRUE(ValidateTimeout(0));
  EXPECT_TRUE(ValidateTimeout(86400));
  for (int64_t bad : {int64_t{-1}, int64_t{-5}, int64_t{86401}}) {
    auto st = ValidateTimeout(bad);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.failure().code, "invalid_argument");
    EXPECT_EQ(st.failure().field, "timeout");
    EXPECT_TRUE(Contains(st.failure().message, "timeout"));
  }
}

// T-084/T-096: budgets are finite; negative only where it means "clear" (update).
TEST(AgentProfileTest, T084Budget) {
  EXPECT_TRUE(ValidateBudget(0));
  EXPECT_TRUE(ValidateBudget(2.5));
  EXPECT_EQ(ValidateBudget(-1).failure().field, "max_budget_usd");
  EXPECT_TRUE(ValidateBudget(-1, /*negative_allowed=*/true));
  EXPECT_FALSE(ValidateBudget(std::nan(""), true));
  EXPECT_FALSE(ValidateBudget(std::numeric_limits<double>::infinity(), true));
  EXPECT_EQ(ValidateBudget(-std::numeric_limits<double>::infinity()).failure().field,
            "max_budget_usd");
}

// T-087: flag-like values name the field and the word "flag".
TEST(AgentProfileTest, T087FlagLikeValues) {
  auto model = CheckNotFlag("model", "--dangerously-skip-permissions");
  ASSERT_FALSE(model);
  EXPECT_EQ(model.failure().code, "invalid_argument");
  EXPECT_EQ(model.failure().field, "model");
  EXPECT_TRUE(Contains(model.failure().message, "flag"));
  EXPECT_TRUE(CheckNotFlag("model", "sonnet"));
  auto tools = CheckToolList("allowed_tools", {"Read", "--resume"});
  ASSERT_FALSE(tools);
  EXPECT_EQ(tools.failure().field, "allowed_tools");
  EXPECT_TRUE(Contains(tools.failure().message, "flag"));
  EXPECT_TRUE(Contains(tools.failure().message, "--resume"));
  auto mode = NormalizePermissionMode("-x", nullptr);
  ASSERT_FALSE(mode);
  EXPECT_EQ(mode.failure().field, "permission_mode");
  EXPECT_TRUE(Contains(mode.failure().message, "flag"));
}

// T-086: an unknown mode is kept, with one warning naming it and listing the known modes.
TEST(AgentProfileTest, T086PermissionModes) {
  std::vector<std::string> warnings;
  auto known = NormalizePermissionMode("  bypassPermissions ", &warnings);
  ASSERT_TRUE(known);
  EXPECT_EQ(*known, "bypassPermissions");
  EXPECT_TRUE(warnings.empty());
  auto unknown = NormalizePermissionMode("bypasPermissions", &warnings);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(*unknown, "bypasPermissions");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(Contains(warnings[0], "bypasPermissions"));
  for (auto mode : kKnownPermissionModes) {
    EXPECT_TRUE(Contains(warnings[0], std::string(mode))) << mode;
    EXPECT_TRUE(IsKnownPermissionMode(mode));
  }
}

// T-089: the runner must be configured; the error lists the available ones.
TEST(AgentProfileTest, T089Runner) {
  std::vector<std::string> runners = {"exec-runner", "claude-runner"};
  EXPECT_TRUE(ValidateRunner("claude-runner", runners));
  auto st = ValidateRunner("no-such-runner", runners);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.failure().code, "invalid_argument");
  EXPECT_EQ(st.failure().field, "runner");
  EXPECT_TRUE(Contains(st.failure().message, "no-such-runner"));
  EXPECT_TRUE(Contains(st.failure().message, "claude-runner, exec-runner"));
}

// The whole-config check used before every rewrite.
TEST(AgentProfileTest, ValidateWholeConfig) {
  AgentsConfig config;
  AgentProfile agent;
  agent.name = "infra";
  agent.directory = "/srv/infra";
  config.agents["infra"] = agent;
  EXPECT_TRUE(ValidateAgentsConfig(config));

  config.agents["infra"].timeout = -1;
  auto timeout = ValidateAgentsConfig(config);
  ASSERT_FALSE(timeout);
  EXPECT_EQ(timeout.failure().field, "agents.infra.timeout");
  config.agents["infra"].timeout = 0;

  config.agents["infra"].directory = "relative";
  EXPECT_EQ(ValidateAgentsConfig(config).failure().field, "agents.infra.directory");
  config.agents["infra"].directory = "/srv/infra";

  config.agents["infra"].allowed_tools = std::vector<std::string>{"-x"};
  EXPECT_EQ(ValidateAgentsConfig(config).failure().field, "agents.infra.allowed_tools");
  config.agents["infra"].allowed_tools.reset();

  Group group;
  group.name = "shop";
  group.members.push_back({"-bad", "", ""});
  config.groups["shop"] = group;
  auto member = ValidateAgentsConfig(config);
  ASSERT_FALSE(member);
  EXPECT_EQ(member.failure().field, "groups.shop.members[0].agent");

  config.groups.clear();
  config.agents["other"] = agent;  // key and name disagree
  EXPECT_FALSE(ValidateAgentsConfig(config));
}

}  // namespace
}  // namespace sb
