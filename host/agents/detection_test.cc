// Tests of agent detection (TOOLS.md §4; ARCHITECTURE §12.6). Test names carry the TOOLS.md §13.3
// case ids they check at this level (the tool-level parts of those cases belong to the tools).
#include "agents/detection.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "temp_path.h"
#include "text/utf8.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// A fresh directory per test, removed afterwards.
class DetectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test::TempPath("sb-detect");
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Creates `root_/rel` (and its parents) holding `content`.
  fs::path Write(const fs::path& rel, const std::string& content) {
    const fs::path path = root_ / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  fs::path MakeDir(const fs::path& rel) {
    fs::create_directories(root_ / rel);
    return root_ / rel;
  }

  fs::path root_;
};

// Passes through to the real file system, except for the injected stat errors.
class FaultyFileSystem final : public DetectionFileSystem {
 public:
  std::map<fs::path, int> stat_errors;
  std::size_t largest_read = 0;

  StatResult Stat(const fs::path& path) override {
    if (auto it = stat_errors.find(path); it != stat_errors.end()) {
      return {Type::kError, it->second};
    }
    return RealDetectionFileSystem().Stat(path);
  }
  std::optional<Prefix> ReadPrefix(const fs::path& path, std::size_t max_bytes) override {
    largest_read = std::max(largest_read, max_bytes);
    return RealDetectionFileSystem().ReadPrefix(path, max_bytes);
  }
};

std::string Lines(int count, const std::string& stem = "line ") {
  std::string text;
  for (int i = 1; i <= count; ++i) text += stem + std::to_string(i) + "\n";
  return text;
}

// The `infra` agent of the §13 fixture.
fs::path MakeInfra(const fs::path& root) {
  const fs::path dir = root / "infra";
  fs::create_directories(dir);
  std::ofstream(dir / "CLAUDE.md") << "# Infra\nCluster gateway for the shop.\nMore text.\n";
  std::ofstream(dir / "README.md") << Lines(50);
  std::ofstream(dir / ".mcp.json") << R"({"mcpServers": {"portainer": {}, "postgres": {}}})";
  std::ofstream(dir / "pyproject.toml") << "[project]\nname = \"infra\"\n";
  std::ofstream(dir / "Dockerfile") << "FROM debian\n";
  std::ofstream(dir / "alembic.ini") << "[alembic]\n";
  return dir;
}

// --- §4.1 health and the flags -------------------------------------------------------------------

TEST_F(DetectionTest, T040InfraFixture) {
  const Detection d = Detect(MakeInfra(root_));
  EXPECT_EQ(d.health, Health::kHealthy);
  EXPECT_EQ(HealthToJson(d.health), nlohmann::json(true));
  EXPECT_TRUE(d.has_claude_md);
  EXPECT_TRUE(d.has_readme);
  EXPECT_TRUE(d.has_mcp_config);
  EXPECT_EQ(d.mcp_servers, (Strings{"portainer", "postgres"}));
  EXPECT_EQ(d.stacks, (Strings{"Docker", "Python"}));
  EXPECT_EQ(d.dbs, (Strings{"Alembic"}));
}

TEST_F(DetectionTest, T041EmptyDirectoryIsHealthyWithNothingDetected) {
  const Detection d = Detect(root_);
  EXPECT_EQ(d.health, Health::kHealthy);
  EXPECT_FALSE(d.has_claude_md);
  EXPECT_FALSE(d.has_readme);
  EXPECT_FALSE(d.has_mcp_config);
  EXPECT_TRUE(d.mcp_servers.empty());
  EXPECT_TRUE(d.stacks.empty());
  EXPECT_TRUE(d.dbs.empty());
}

TEST_F(DetectionTest, T043MissingDirectoryIsUnhealthyWithFlagsFalse) {
  const fs::path dir = MakeInfra(root_);
  fs::remove_all(dir);
  const Detection d = Detect(dir);
  EXPECT_EQ(d.health, Health::kMissing);
  EXPECT_EQ(HealthToJson(d.health), nlohmann::json(false));
  EXPECT_FALSE(d.has_claude_md);
  EXPECT_FALSE(d.has_readme);
  EXPECT_FALSE(d.has_mcp_config);
  EXPECT_TRUE(d.mcp_servers.empty() && d.stacks.empty() && d.dbs.empty());
}

TEST_F(DetectionTest, NotADirectoryIsUnhealthy) {
  const fs::path file = Write("plain", "x");
  EXPECT_EQ(Detect(file).health, Health::kMissing);
  // A path through a regular file fails with ENOTDIR: it names nothing, so it is missing too.
  EXPECT_EQ(Detect(file / "sub").health, Health::kMissing);
}

TEST_F(DetectionTest, T044InjectedEaccesIsUnreadableAndOthersStillDetect) {
  const fs::path infra = MakeInfra(root_);
  const fs::path db = MakeDir("db");
  const fs::path web = Write("web/package.json", R"({"description": "Storefront"})").parent_path();
  FaultyFileSystem faulty;
  faulty.stat_errors[db] = EACCES;

  const Detection bad = Detect(db, faulty);
  EXPECT_EQ(bad.health, Health::kUnreadable);
  EXPECT_EQ(bad.os_error, EACCES);
  EXPECT_EQ(HealthToJson(bad.health), nlohmann::json("UNREADABLE"));
  EXPECT_FALSE(bad.has_claude_md || bad.has_readme || bad.has_mcp_config);

  EXPECT_EQ(Detect(infra, faulty).health, Health::kHealthy);
  EXPECT_EQ(Detect(infra, faulty).mcp_servers, (Strings{"portainer", "postgres"}));
  EXPECT_EQ(Detect(web, faulty).stacks, (Strings{"Node.js"}));
}

TEST_F(DetectionTest, T044ErrorInsideTheDirectoryIsUnreadableWithFlagsFalse) {
  // A directory that can be stat'ed but not searched: its entries fail with EACCES.
  const fs::path infra = MakeInfra(root_);
  FaultyFileSystem faulty;
  faulty.stat_errors[infra / "CLAUDE.md"] = EACCES;
  const Detection d = Detect(infra, faulty);
  EXPECT_EQ(d.health, Health::kUnreadable);
  EXPECT_FALSE(d.has_claude_md || d.has_readme || d.has_mcp_config);
  EXPECT_TRUE(d.mcp_servers.empty() && d.stacks.empty() && d.dbs.empty());
}

TEST_F(DetectionTest, SymlinkLoopIsUnreadable) {
  // A real OS error that root gets too: ELOOP.
  fs::create_symlink(root_ / "loop-b", root_ / "loop-a");
  fs::create_symlink(root_ / "loop-a", root_ / "loop-b");
  const Detection d = Detect(root_ / "loop-a");
  EXPECT_EQ(d.health, Health::kUnreadable);
  EXPECT_EQ(d.os_error, ELOOP);
}

TEST_F(DetectionTest, FlagsNeedRegularFiles) {
  MakeDir("CLAUDE.md");
  Write("real-readme", "hi");
  fs::create_symlink(root_ / "real-readme", root_ / "README.md");
  const Detection d = Detect(root_);
  EXPECT_FALSE(d.has_claude_md);  // a directory
  EXPECT_TRUE(d.has_readme);      // a symlink to a regular file
}

TEST_F(DetectionTest, McpConfigFlagIgnoresContent) {
  Write(".mcp.json", "not json at all");
  const Detection d = Detect(root_);
  EXPECT_TRUE(d.has_mcp_config);
  EXPECT_TRUE(d.mcp_servers.empty());
}

TEST_F(DetectionTest, SymlinkedAgentDirectoryIsFollowed) {
  MakeInfra(root_);
  fs::create_symlink(root_ / "infra", root_ / "link");
  EXPECT_EQ(Detect(root_ / "link").health, Health::kHealthy);
  EXPECT_TRUE(Detect(root_ / "link").has_claude_md);
}

// --- §4.2 mcp_servers ----------------------------------------------------------------------------

TEST_F(DetectionTest, T048ServersFromBothFilesDeduplicatedInOrder) {
  Write(".mcp.json", R"({"mcpServers": {"portainer": {"command": "x"}}})");
  Write(".claude/settings.local.json", R"({"mcpServers": {"portainer": {}, "extra": {}}})");
  EXPECT_EQ(Detect(root_).mcp_servers, (Strings{"portainer", "extra"}));
}

TEST_F(DetectionTest, T048NonObjectServersContributeNothing) {
  Write(".mcp.json", R"({"mcpServers": []})");
  const Detection d = Detect(root_);
  EXPECT_TRUE(d.has_mcp_config);
  EXPECT_TRUE(d.mcp_servers.empty());
}

TEST_F(DetectionTest, ServersKeepFileOrder) {
  Write(".mcp.json", R"({"mcpServers": {"zeta": {}, "alpha": {}, "mid": {}}})");
  EXPECT_EQ(Detect(root_).mcp_servers, (Strings{"zeta", "alpha", "mid"}));
}

TEST_F(DetectionTest, BrokenServerFilesContributeNothing) {
  const std::string bad[] = {
      "{",                                 // not JSON
      "[]",                                // not an object
      R"({"mcpServers": "x"})",            // not an object value
      R"({"other": {"a": {}}})",           // no mcpServers
      "{\"mcpServers\": {\"\xFF\": {}}}",  // not UTF-8
  };
  for (const auto& text : bad) {
    Write(".mcp.json", text);
    Write(".claude/settings.local.json", R"({"mcpServers": {"ok": {}}})");
    EXPECT_EQ(Detect(root_).mcp_servers, (Strings{"ok"})) << text;
  }
  // Only the settings file, and a `.claude` that is a file.
  fs::remove(root_ / ".mcp.json");
  EXPECT_EQ(Detect(root_).mcp_servers, (Strings{"ok"}));
  fs::remove_all(root_ / ".claude");
  Write(".claude", "file");
  Write(".mcp.json", R"({"mcpServers": {"a": {}}})");
  const Detection d = Detect(root_);
  EXPECT_EQ(d.health, Health::kHealthy);
  EXPECT_EQ(d.mcp_servers, (Strings{"a"}));
}

TEST_F(DetectionTest, ServerFileOverTheReadLimitIsNotParsed) {
  std::string big = R"({"mcpServers": {"a": {}}, "pad": ")";
  big += std::string(kDetectionReadLimit, 'x');
  big += "\"}";
  Write(".mcp.json", big);
  FaultyFileSystem recorder;
  const Detection d = Detect(root_, recorder);
  EXPECT_TRUE(d.has_mcp_config);
  EXPECT_TRUE(d.mcp_servers.empty());
  EXPECT_LE(recorder.largest_read, kDetectionReadLimit);
}

TEST_F(DetectionTest, DeeplyNestedJsonIsHarmless) {
  const std::string nested = std::string(400000, '[') + std::string(400000, ']');
  Write(".mcp.json", nested);
  Write(".claude/settings.local.json", std::string(kDetectionReadLimit, '{'));
  Write("package.json", nested);
  const Detection d = Detect(root_);
  EXPECT_TRUE(d.mcp_servers.empty());
  EXPECT_EQ(AutoDescription(root_), "Stack: Node.js");
}

// --- §4.2 stacks and dbs -------------------------------------------------------------------------

TEST_F(DetectionTest, T053DockerAndGo) {
  Write("Dockerfile", "");
  Write("go.mod", "");
  EXPECT_EQ(Detect(root_).stacks, (Strings{"Docker", "Go"}));
}

TEST_F(DetectionTest, T053AlembicAndMigrations) {
  Write("alembic.ini", "");
  MakeDir("migrations");
  EXPECT_EQ(Detect(root_).dbs, (Strings{"Alembic", "migrations"}));
}

TEST_F(DetectionTest, T053PrismaDirectory) {
  MakeDir("prisma");
  EXPECT_EQ(Detect(root_).dbs, (Strings{"Prisma"}));
}

TEST_F(DetectionTest, EveryStackInTableOrder) {
  for (const char* name : {"package.json", "build.gradle", "CMakeLists.txt", "requirements.txt",
                           "pyproject.toml", "go.mod", "Cargo.toml", "docker-compose.yml",
                           "docker-compose.yaml", "Dockerfile", "pom.xml"}) {
    Write(name, "");
  }
  EXPECT_EQ(Detect(root_).stacks, (Strings{"Docker", "Docker Compose", "Rust", "Go", "Python",
                                           "Node.js", "CMake", "JVM"}));
}

TEST_F(DetectionTest, EachAlternativeMarkerAlone) {
  const std::pair<const char*, const char*> cases[] = {
      {"docker-compose.yaml", "Docker Compose"},
      {"docker-compose.yml", "Docker Compose"},
      {"Cargo.toml", "Rust"},
      {"requirements.txt", "Python"},
      {"pyproject.toml", "Python"},
      {"package.json", "Node.js"},
      {"CMakeLists.txt", "CMake"},
      {"pom.xml", "JVM"},
      {"build.gradle", "JVM"},
      {"build.gradle.kts", "JVM"},
  };
  for (const auto& [file, stack] : cases) {
    const fs::path path = Write(file, "");
    EXPECT_EQ(Detect(root_).stacks, (Strings{stack})) << file;
    fs::remove(path);
  }
}

TEST_F(DetectionTest, DbMarkersNeedTheRightKind) {
  Write("migrations", "a file, not a directory");
  Write("prisma", "a file");
  MakeDir("alembic.ini");  // a directory, not a file
  EXPECT_TRUE(Detect(root_).dbs.empty());
  fs::remove_all(root_ / "prisma");
  fs::remove_all(root_ / "alembic.ini");
  fs::remove_all(root_ / "migrations");
  Write("schema.prisma", "");
  MakeDir("alembic");
  MakeDir("migrations");
  EXPECT_EQ(Detect(root_).dbs, (Strings{"Prisma", "Alembic", "migrations"}));
}

TEST_F(DetectionTest, StackMarkerThatIsADirectoryDoesNotCount) {
  MakeDir("Dockerfile");
  EXPECT_TRUE(Detect(root_).stacks.empty());
}

// --- §4.3 previews -------------------------------------------------------------------------------

TEST_F(DetectionTest, T045ClaudeMdPreviewAndTruncatedReadme) {
  const fs::path dir = MakeInfra(root_);
  const auto claude = MakePreview(dir / "CLAUDE.md", 40);
  ASSERT_TRUE(claude.has_value());
  EXPECT_NE(claude->text.find("Cluster gateway for the shop."), std::string::npos);
  EXPECT_FALSE(claude->truncated);
  EXPECT_EQ(claude->text, "# Infra\nCluster gateway for the shop.\nMore text.");

  const auto readme = MakePreview(dir / "README.md", 40);
  ASSERT_TRUE(readme.has_value());
  EXPECT_TRUE(readme->truncated);  // 50 lines > 40
  std::string expected = Lines(40);
  expected.pop_back();
  EXPECT_EQ(readme->text, expected);
}

TEST_F(DetectionTest, T046ZeroLinesGivesNoPreview) {
  const fs::path file = Write("README.md", Lines(5));
  EXPECT_FALSE(MakePreview(file, 0).has_value());
  EXPECT_FALSE(MakePreview(file, -3).has_value());
}

TEST_F(DetectionTest, T046FiveHundredLinesBehavesLikeTwoHundred) {
  const fs::path file = Write("README.md", Lines(300));
  const auto at500 = MakePreview(file, 500);
  const auto at200 = MakePreview(file, 200);
  ASSERT_TRUE(at500 && at200);
  EXPECT_EQ(at500->text, at200->text);
  EXPECT_TRUE(at500->truncated);
  std::string expected = Lines(200);
  expected.pop_back();
  EXPECT_EQ(at500->text, expected);
}

TEST_F(DetectionTest, T046LongLineIsCutToTwoHundredCodePoints) {
  const fs::path file = Write("README.md", std::string(50000, 'x'));
  const auto preview = MakePreview(file, 1);
  ASSERT_TRUE(preview.has_value());
  EXPECT_EQ(preview->text, std::string(200, 'x'));
  EXPECT_TRUE(preview->truncated);
}

TEST_F(DetectionTest, PreviewCapCountsCodePointsAndKeepsSequencesWhole) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "\xE2\x82\xAC";  // €
  const fs::path file = Write("README.md", text);
  const auto one = MakePreview(file, 1);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(CountCodePoints(one->text), 200u);
  EXPECT_EQ(one->text.size(), 600u);
  EXPECT_TRUE(IsValidUtf8(one->text));
  EXPECT_TRUE(one->truncated);
  // lines × 200 is the cap once it exceeds 200.
  const auto two = MakePreview(file, 2);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(CountCodePoints(two->text), 300u);
  EXPECT_FALSE(two->truncated);
}

TEST_F(DetectionTest, PreviewRepairsInvalidUtf8) {
  const fs::path file = Write("CLAUDE.md", "ok\xFF\xFE\nnext");
  const auto preview = MakePreview(file, 40);
  ASSERT_TRUE(preview.has_value());
  EXPECT_EQ(preview->text,
            "ok" + std::string(kReplacementUtf8) + std::string(kReplacementUtf8) + "\nnext");
  EXPECT_FALSE(preview->truncated);
}

TEST_F(DetectionTest, PreviewLineBreaks) {
  const fs::path file = Write("README.md", "a\r\nb\rc\n");
  const auto all = MakePreview(file, 3);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->text, "a\nb\nc");
  EXPECT_FALSE(all->truncated);  // exactly 3 lines; the final break starts no fourth
  const auto two = MakePreview(file, 2);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->text, "a\nb");
  EXPECT_TRUE(two->truncated);
  const auto empty = MakePreview(Write("empty.md", ""), 5);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->text, "");
  EXPECT_FALSE(empty->truncated);
}

TEST_F(DetectionTest, PreviewOfMissingOrNonRegularFileIsAbsent) {
  EXPECT_FALSE(MakePreview(root_ / "README.md", 40).has_value());
  EXPECT_FALSE(MakePreview(MakeDir("dir.md"), 40).has_value());
  ASSERT_EQ(::mkfifo((root_ / "fifo.md").c_str(), 0600), 0);
  EXPECT_FALSE(MakePreview(root_ / "fifo.md", 40).has_value());  // and does not block
}

TEST_F(DetectionTest, PreviewReadsAtMostOneMebibyte) {
  // One long line of two-byte characters: the read stops inside one; the preview stays valid.
  std::string text = "a";
  for (std::size_t i = 0; i < kDetectionReadLimit; ++i) text += "\xC3\xA9";
  const fs::path file = Write("README.md", text);
  FaultyFileSystem recorder;
  const auto preview = MakePreview(file, 200, recorder);
  ASSERT_TRUE(preview.has_value());
  EXPECT_LE(recorder.largest_read, kDetectionReadLimit);
  EXPECT_TRUE(preview->truncated);
  EXPECT_TRUE(IsValidUtf8(preview->text));
  EXPECT_EQ(CountCodePoints(preview->text), 40000u);

  const auto prefix = RealDetectionFileSystem().ReadPrefix(file, kDetectionReadLimit);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(prefix->bytes.size(), kDetectionReadLimit);
  EXPECT_FALSE(prefix->complete);
}

TEST_F(DetectionTest, RealReadPrefixLimits) {
  auto& real = RealDetectionFileSystem();
  const auto exact = real.ReadPrefix(Write("five", "hello"), 5);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->bytes, "hello");
  EXPECT_TRUE(exact->complete);
  const auto longer = real.ReadPrefix(Write("six", "hello!"), 5);
  ASSERT_TRUE(longer.has_value());
  EXPECT_EQ(longer->bytes, "hello");
  EXPECT_FALSE(longer->complete);
  const auto empty = real.ReadPrefix(Write("empty", ""), 5);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->bytes, "");
  EXPECT_TRUE(empty->complete);
  EXPECT_FALSE(real.ReadPrefix(root_ / "absent", 5).has_value());
  EXPECT_FALSE(real.ReadPrefix(root_, 5).has_value());
  // Files whose size stat reports as 0 are still read in full.
  const auto proc = real.ReadPrefix("/proc/self/status", kDetectionReadLimit);
  ASSERT_TRUE(proc.has_value());
  EXPECT_NE(proc->bytes.find("Name:"), std::string::npos);
  EXPECT_TRUE(proc->complete);
}

// --- §4.4 auto-description -----------------------------------------------------------------------

TEST_F(DetectionTest, T049ClaudeMdLines) {
  Write("CLAUDE.md", "# T\n-- note\nAn API server for orders.\nHandles refunds.\nThird line");
  EXPECT_EQ(AutoDescription(root_), "An API server for orders. Handles refunds.");
}

TEST_F(DetectionTest, T050MalformedDirectory) {
  // The example at the end of §4.4.
  Write("CLAUDE.md", "\xFF\xFE");
  Write("README.md", "\xFF\xFE");
  Write("pyproject.toml", "description");
  Write("package.json", "[]");
  Write(".mcp.json", R"({"mcpServers": []})");
  EXPECT_EQ(AutoDescription(root_), "Stack: Python, Node.js");
}

TEST_F(DetectionTest, T051BlankPackageDescriptionAndEmptyDirectory) {
  const fs::path web = Write("web/package.json", R"({"description": ""})").parent_path();
  EXPECT_EQ(AutoDescription(web), "Stack: Node.js");
  const fs::path proj = MakeDir("proj");
  EXPECT_EQ(AutoDescription(proj), "Agent in proj");
  EXPECT_EQ(AutoDescription(proj.string() + "/"), "Agent in proj");
}

TEST_F(DetectionTest, T052ReadmeSentenceLine) {
  Write("README.md", "# Title\n[![badge]]\nshort\nThis repository holds the billing service.\n");
  EXPECT_EQ(AutoDescription(root_), "This repository holds the billing service.");
  Write("CLAUDE.md", "Billing agent.\n");
  EXPECT_EQ(AutoDescription(root_), "Billing agent.");  // the README is not used
}

TEST_F(DetectionTest, ClaudeMdRules) {
  // Trimmed file, first 40 lines only, trimmed lines, at most two.
  Write("CLAUDE.md", "\n\n   \n  # Heading\n   first line  \n\n--x\n#y\n  second  \nthird\n");
  EXPECT_EQ(AutoDescription(root_), "first line second");
  std::string late = "# h\n";
  for (int i = 0; i < 45; ++i) late += "#\n";
  Write("CLAUDE.md", late + "too late\n");
  Write("README.md", "A readme line that is long enough.\n");
  EXPECT_EQ(AutoDescription(root_), "A readme line that is long enough.");
}

TEST_F(DetectionTest, ReadmeRules) {
  // Exactly 20 code points is not enough; "!" lines are skipped; only the first 20 lines count.
  Write("README.md", "12345678901234567890\n!image line that is long enough\n");
  EXPECT_EQ(AutoDescription(root_), "Agent in " + root_.filename().string());
  Write("README.md", "\xC3\xA9" + std::string(20, 'e') + "\n");  // 21 code points, 22 bytes
  EXPECT_EQ(AutoDescription(root_), "\xC3\xA9" + std::string(20, 'e'));
  Write("README.md", Lines(20, "x") + "A sentence beyond line twenty, long.\n");
  EXPECT_EQ(AutoDescription(root_), "Agent in " + root_.filename().string());
}

TEST_F(DetectionTest, PyprojectDescriptionLineScan) {
  Write("pyproject.toml", "[project]\nname = \"x\"\n  description = \"A tool\"  \n");
  EXPECT_EQ(AutoDescription(root_), "A tool | Stack: Python");
  Write("pyproject.toml", "description = 'single'\n");
  EXPECT_EQ(AutoDescription(root_), "single | Stack: Python");
  Write("pyproject.toml", "description = \"'mixed'\"\ndescription = \"second\"\n");
  EXPECT_EQ(AutoDescription(root_), "mixed | Stack: Python");
  Write("pyproject.toml", "description = \"\"\ndescription = \"second\"\n");
  EXPECT_EQ(AutoDescription(root_), "Stack: Python");  // the first such line decides
}

TEST_F(DetectionTest, AllPartsInOrder) {
  Write("CLAUDE.md", "Orders agent.\n");
  Write("pyproject.toml", "description = \"py desc\"\n");
  Write("package.json", R"({"description": "  node desc "})");
  Write(".mcp.json", R"({"mcpServers": {"pg": {}, "gh": {}}})");
  Write("alembic.ini", "");
  MakeDir("migrations");
  EXPECT_EQ(AutoDescription(root_),
            "Orders agent. | py desc |   node desc  | MCP: pg, gh | Stack: Python, Node.js | "
            "DB: Alembic, migrations");
}

TEST_F(DetectionTest, MissingDirectoryDescribesByName) {
  EXPECT_EQ(AutoDescription(root_ / "gone"), "Agent in gone");
}

}  // namespace
}  // namespace sb
