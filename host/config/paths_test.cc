// Tests of config and state directory precedence (CFG-030…): flag, environment, file, XDG, HOME.
#include "config/paths.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace sb {
namespace {

class PathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"SWITCHBOARD_CONFIG_DIR", "SWITCHBOARD_STATE_DIR", "XDG_CONFIG_HOME",
                             "XDG_STATE_HOME", "SWITCHBOARD_PLUGIN_PATH", "HOME"}) {
      const char* v = std::getenv(name);
      saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
      unsetenv(name);
    }
    setenv("HOME", "/home/u", 1);
  }
  void TearDown() override {
    for (auto& [name, value] : saved_) {
      if (value)
        setenv(name.c_str(), value->c_str(), 1);
      else
        unsetenv(name.c_str());
    }
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// CFG-030: config dir precedence.
TEST_F(PathsTest, Cfg030ConfigDirPrecedence) {
  EXPECT_EQ(ResolveConfigDir(std::nullopt), "/home/u/.config/switchboard");
  setenv("XDG_CONFIG_HOME", "/xdg", 1);
  EXPECT_EQ(ResolveConfigDir(std::nullopt), "/xdg/switchboard");
  setenv("SWITCHBOARD_CONFIG_DIR", "/env", 1);
  EXPECT_EQ(ResolveConfigDir(std::nullopt), "/env");
  EXPECT_EQ(ResolveConfigDir(std::string("/flag")), "/flag");
}

// CFG-031: state dir precedence: flag, environment, plugins.toml, XDG, HOME.
TEST_F(PathsTest, Cfg031StateDirPrecedence) {
  EXPECT_EQ(ResolveStateDir(std::nullopt, std::nullopt), "/home/u/.local/state/switchboard");
  setenv("XDG_STATE_HOME", "/xdg", 1);
  EXPECT_EQ(ResolveStateDir(std::nullopt, std::nullopt), "/xdg/switchboard");
  EXPECT_EQ(ResolveStateDir(std::nullopt, std::string("/file")), "/file");
  setenv("SWITCHBOARD_STATE_DIR", "/env", 1);
  EXPECT_EQ(ResolveStateDir(std::nullopt, std::string("/file")), "/env");
  EXPECT_EQ(ResolveStateDir(std::string("/flag"), std::string("/file")), "/flag");
}

// CFG-032: SWITCHBOARD_PLUGIN_PATH splits on ':' and drops empty entries.
TEST_F(PathsTest, Cfg032PluginPath) {
  setenv("SWITCHBOARD_PLUGIN_PATH", "/a::/b:", 1);
  auto dirs = PluginPathFromEnvironment();
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[0], "/a");
  EXPECT_EQ(dirs[1], "/b");
}

}  // namespace
}  // namespace sb
