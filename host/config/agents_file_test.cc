// Tests of locating agents.toml and reporting its syntax errors (CFG-020…).
#include "config/agents_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

class AgentsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::TempPath("sb-agents-file");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// CFG-020: an absent agents.toml reads as empty.
TEST_F(AgentsFileTest, Cfg020AbsentIsEmpty) {
  auto text = ReadAgentsFile(LocateAgentsFile(dir_));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "");
}

// CFG-021: a syntax error names path:line:column.
TEST_F(AgentsFileTest, Cfg021SyntaxErrorLineColumn) {
  std::ofstream(dir_ / "agents.toml") << "[agents.ok]\ndirectory = \"/tmp\"\n[agents.x\n";
  auto text = ReadAgentsFile(LocateAgentsFile(dir_));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.failure().code, "config_unreadable");
  EXPECT_EQ(text.failure().message.rfind((dir_ / "agents.toml").string() + ":3:", 0), 0u)
      << text.failure().message;
}

// CFG-022: a file that is not UTF-8 says to re-save it as UTF-8.
TEST_F(AgentsFileTest, Cfg022NotUtf8) {
  std::ofstream(dir_ / "agents.toml", std::ios::binary)
      << "[agents.x]\ndescription = \"\xc4\xe5\xef\xeb\xee\xe9\"\n";
  auto text = ReadAgentsFile(LocateAgentsFile(dir_));
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.failure().message.find("UTF-8"), std::string::npos) << text.failure().message;
}

// CFG-023: a symlinked agents.toml keeps its lock beside the resolved target.
TEST_F(AgentsFileTest, Cfg023SymlinkLockBesideTarget) {
  fs::create_directories(dir_ / "real");
  std::ofstream(dir_ / "real" / "agents.toml") << "";
  fs::create_symlink(dir_ / "real" / "agents.toml", dir_ / "agents.toml");
  auto loc = LocateAgentsFile(dir_);
  EXPECT_EQ(loc.path, dir_ / "agents.toml");
  EXPECT_EQ(loc.target, fs::canonical(dir_ / "real" / "agents.toml"));
  EXPECT_EQ(loc.lock_path.parent_path(), fs::canonical(dir_ / "real"));
}

}  // namespace
}  // namespace sb
