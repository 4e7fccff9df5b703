// Tests of the live agents.toml: reloads and locked, atomic writes (TOOLS §2.4, §2.5; cases
// T-020, T-023…T-029, T-084, T-085).
#include "agents/agents_repository.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "temp_path.h"
#include "testing/faults.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

unsigned Mode(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

std::vector<std::string> TempFiles(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".tmp") names.push_back(name);
  }
  return names;
}

// Adds an agent named `name` working in `dir`; already_exists when present.
AgentsRepository::Mutation AddAgent(std::string name, std::string dir) {
  return [name = std::move(name), dir = std::move(dir)](AgentsConfig& config) -> Status {
    if (config.agents.count(name) != 0) {
      return MakeFailure("already_exists", "agent '" + name + "' already exists");
    }
    AgentProfile agent;
    agent.name = name;
    agent.directory = dir;
    config.agents[name] = agent;
    return {};
  };
}

AgentsRepository::Mutation SetDescription(std::string name, std::string description) {
  return [name = std::move(name), description = std::move(description)](AgentsConfig& config) {
    config.agents.at(name).description = description;
    return Status();
  };
}

// Sets SWITCHBOARD_TEST_FAULTS for one scope.
class ScopedFaults {
 public:
  explicit ScopedFaults(const char* faults) {
    ::setenv("SWITCHBOARD_TEST_FAULTS", faults, 1);
#ifdef SWITCHBOARD_TEST_HOOKS
    ReloadFaultsForTesting();
#endif
  }
  ~ScopedFaults() {
    ::unsetenv("SWITCHBOARD_TEST_FAULTS");
#ifdef SWITCHBOARD_TEST_HOOKS
    ReloadFaultsForTesting();
#endif
  }
};

class AgentsRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test::TempPath("sb-agents-repo");
    fs::remove_all(root_);
    dir_ = root_ / "config";
    fs::create_directories(dir_);
    fs::create_directories(root_ / "work");
    file_ = dir_ / "agents.toml";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Agent(const std::string& name, const std::string& extra = "") const {
    return "[agents." + name + "]\ndirectory = \"" + (root_ / "work").string() + "\"\n" + extra;
  }

  fs::path root_;
  fs::path dir_;
  fs::path file_;
};

// T-020: no file (and an empty file) is an empty configuration.
TEST_F(AgentsRepositoryTest, T020MissingFileIsEmpty) {
  AgentsRepository repo(dir_);
  auto snapshot = repo.Current();
  ASSERT_TRUE(snapshot.ok()) << snapshot.failure().message;
  EXPECT_TRUE((*snapshot)->config.agents.empty());
  EXPECT_EQ((*snapshot)->generation, 1u);
  WriteText(file_, "");
  auto empty = repo.Current();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->get(), snapshot->get()) << "the same (empty) content is the same snapshot";
  EXPECT_EQ(repo.ParseCount(), 1u);
}

// T-023: an appended agent is seen by the next call; unchanged content is never re-parsed.
TEST_F(AgentsRepositoryTest, T023ExternalEditIsSeen) {
  WriteText(file_, Agent("infra"));
  AgentsRepository repo(dir_);
  auto first = repo.Current();
  ASSERT_TRUE(first.ok()) << first.failure().message;
  EXPECT_EQ((*first)->config.agents.size(), 1u);
  auto again = repo.Current();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get());
  EXPECT_EQ(repo.ParseCount(), 1u);

  std::ofstream(file_, std::ios::app) << "\n" << Agent("late");
  auto second = repo.Current();
  ASSERT_TRUE(second.ok()) << second.failure().message;
  EXPECT_EQ((*second)->config.agents.count("late"), 1u);
  EXPECT_EQ((*second)->generation, 2u);
  EXPECT_EQ(repo.Generation(), 2u);
}

// T-023: an in-place edit of equal length with the old mtime restored is still seen.
TEST_F(AgentsRepositoryTest, T023SameSizeSameMtimeEditIsSeen) {
  WriteText(file_, Agent("infra", "description = \"aaaa\"\n"));
  struct stat before {};
  ASSERT_EQ(::stat(file_.c_str(), &before), 0);
  AgentsRepository repo(dir_);
  ASSERT_EQ(repo.Current().value()->config.agents.at("infra").description, "aaaa");

  {
    // Rewrite in place (same inode), same size, then put the timestamps back.
    int fd = ::open(file_.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    std::string text = Agent("infra", "description = \"bbbb\"\n");
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    ASSERT_EQ(::futimens(fd, times), 0);
    ::close(fd);
  }
  struct stat after {};
  ASSERT_EQ(::stat(file_.c_str(), &after), 0);
  ASSERT_EQ(after.st_size, before.st_size);
  ASSERT_EQ(after.st_ino, before.st_ino);
  ASSERT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  ASSERT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  auto snapshot = repo.Current();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ((*snapshot)->config.agents.at("infra").description, "bbbb");
}

// T-023 unit case: the stat seam reports identical size, inode, mtime and ctime; a one-byte
// difference is re-parsed (content hash) and the same bytes twice are not.
TEST_F(AgentsRepositoryTest, T023StatSeamContentHash) {
  AgentsRepositoryOptions options;
  options.stat_for_testing = [](const fs::path&) {
    FileStamp stamp;
    stamp.exists = true;
    stamp.device = 1;
    stamp.inode = 42;
    stamp.size = 100;
    stamp.mtime_ns = 1'700'000'000'000'000'000;
    stamp.ctime_ns = 1'700'000'000'000'000'000;
    return stamp;
  };
  AgentsRepository repo(dir_, options);
  WriteText(file_, Agent("infra", "description = \"a\"\n"));
  ASSERT_EQ(repo.Current().value()->config.agents.at("infra").description, "a");
  EXPECT_EQ(repo.ParseCount(), 1u);
  WriteText(file_, Agent("infra", "description = \"b\"\n"));
  ASSERT_EQ(repo.Current().value()->config.agents.at("infra").description, "b");
  EXPECT_EQ(repo.ParseCount(), 2u);
  WriteText(file_, Agent("infra", "description = \"b\"\n"));  // the same bytes again
  ASSERT_EQ(repo.Current().value()->config.agents.at("infra").description, "b");
  EXPECT_EQ(repo.ParseCount(), 2u);
  EXPECT_EQ(repo.Generation(), 2u);
}

// §2.4: while the file is broken there is no fallback; fixing it reloads, and the listener sees
// the last good snapshot as `previous`.
TEST_F(AgentsRepositoryTest, BrokenFileNoFallbackThenReload) {
  WriteText(file_, Agent("infra"));
  AgentsRepository repo(dir_);
  std::vector<std::pair<uint64_t, uint64_t>> reloads;
  repo.SetReloadListener([&](const std::shared_ptr<const AgentsSnapshot>& previous,
                             const std::shared_ptr<const AgentsSnapshot>& next) {
    reloads.emplace_back(previous ? previous->generation : 0, next->generation);
  });
  auto good = repo.Current();
  ASSERT_TRUE(good.ok());
  WriteText(file_, "[agents.x]\ndirectory = 123\n");
  for (int i = 0; i < 2; ++i) {
    auto broken = repo.Current();
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.failure().code, "config_unreadable");
    EXPECT_TRUE(Contains(broken.failure().message, "agents.x.directory"));
    EXPECT_TRUE(Contains(broken.failure().message, file_.string() + ":2:13:"));
  }
  EXPECT_EQ(repo.ParseCount(), 2u) << "a broken file is not re-parsed while it stays the same";
  WriteText(file_, Agent("infra") + Agent("web"));
  auto fixed = repo.Current();
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ((*fixed)->config.agents.size(), 2u);
  EXPECT_EQ(reloads, (std::vector<std::pair<uint64_t, uint64_t>>{{0, 1}, {1, 2}}));
}

// T-024: a mutation while the file is broken is config_unreadable; the file is untouched.
TEST_F(AgentsRepositoryTest, T024BrokenFileIsNeverOverwritten) {
  const std::string broken = "[agents.x\ndirectory = \"/tmp\"\n";
  WriteText(file_, broken);
  AgentsRepository repo(dir_);
  auto result = repo.Mutate(AddAgent("api", (root_ / "work").string()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().code, "config_unreadable");
  EXPECT_TRUE(Contains(result.failure().message, file_.string() + ":1:"));
  EXPECT_EQ(ReadText(file_), broken);
  EXPECT_TRUE(TempFiles(dir_).empty());
}

// T-025: a lock held elsewhere gives config_locked after the timeout; nothing is written.
TEST_F(AgentsRepositoryTest, T025LockTimeout) {
  WriteText(file_, Agent("infra"));
  const std::string before = ReadText(file_);
  int fd = ::open((dir_ / "agents.toml.lock").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  AgentsRepositoryOptions options;
  options.lock_timeout = 300ms;
  AgentsRepository repo(dir_, options);
  auto start = std::chrono::steady_clock::now();
  auto result = repo.Mutate(SetDescription("infra", "d"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(fd);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure().code, "config_locked");
  EXPECT_TRUE(Contains(result.failure().message, "locked"));
  EXPECT_TRUE(Contains(result.failure().hint, "retry"));
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 5s);
  EXPECT_EQ(ReadText(file_), before);
  // Released: the same call now succeeds.
  auto retried = repo.Mutate(SetDescription("infra", "d"));
  ASSERT_TRUE(retried.ok()) << retried.failure().message;
  EXPECT_EQ((*retried)->config.agents.at("infra").description, "d");
}

// T-026: concurrent writers (two repositories, as two processes would be, and two threads on one
// repository) lose no update.
TEST_F(AgentsRepositoryTest, T026ConcurrentMutationsAllApplied) {
  AgentsRepository shared(dir_);
  AgentsRepository other(dir_);
  const std::string work = (root_ / "work").string();
  constexpr int kPerThread = 8;
  std::atomic<int> failures{0};
  auto run = [&](AgentsRepository& repo, const std::string& prefix) {
    for (int i = 0; i < kPerThread; ++i) {
      auto result = repo.Mutate(AddAgent(prefix + std::to_string(i), work));
      if (!result.ok()) ++failures;
    }
  };
  std::thread a([&] { run(shared, "a"); });
  std::thread b([&] { run(shared, "b"); });
  std::thread c([&] { run(other, "c"); });
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(failures.load(), 0);
  auto snapshot = shared.Current();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ((*snapshot)->config.agents.size(), 3u * kPerThread);
  auto seen = other.Current();
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ((*seen)->config, (*snapshot)->config);
  EXPECT_TRUE(TempFiles(dir_).empty());
}

// T-027: a symlinked agents.toml keeps its link; the target is replaced with mode 0600; a missing
// config directory is created 0700.
TEST_F(AgentsRepositoryTest, T027SymlinkKeptAndModes) {
  fs::create_directories(root_ / "elsewhere");
  const fs::path real = root_ / "elsewhere" / "real.toml";
  WriteText(real, Agent("infra"));
  ::chmod(real.c_str(), 0644);
  fs::create_symlink(real, file_);
  AgentsRepository repo(dir_);
  auto result = repo.Mutate(SetDescription("infra", "changed"));
  ASSERT_TRUE(result.ok()) << result.failure().message;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(file_)));
  EXPECT_EQ(fs::read_symlink(file_), real);
  EXPECT_TRUE(Contains(ReadText(real), "description = \"changed\""));
  EXPECT_EQ(Mode(real), 0600u);
  EXPECT_TRUE(TempFiles(root_ / "elsewhere").empty());
  EXPECT_TRUE(TempFiles(dir_).empty());

  const fs::path fresh = root_ / "new" / "switchboard";
  AgentsRepository created(fresh);
  auto added = created.Mutate(AddAgent("api", (root_ / "work").string()));
  ASSERT_TRUE(added.ok()) << added.failure().message;
  EXPECT_EQ(Mode(fresh), 0700u);
  EXPECT_EQ(Mode(fresh / "agents.toml"), 0600u);
  const std::string text = ReadText(fresh / "agents.toml");
  EXPECT_EQ(text.rfind("# Switchboard agents and groups.", 0), 0u) << text;
  EXPECT_TRUE(Contains(text, "[agents.api]\ndirectory = \"" + (root_ / "work").string() + "\"\n"));
}

// T-028: an injected ENOSPC (and the other write faults) leave the file byte-identical and no
// temp file behind; the error says "could not write" and that the previous file is unchanged.
TEST_F(AgentsRepositoryTest, T028WriteFailureLeavesFileIntact) {
#ifndef SWITCHBOARD_TEST_HOOKS
  GTEST_SKIP() << "fault injection needs a build with SWITCHBOARD_TEST_HOOKS";
#else
  WriteText(file_, Agent("infra", "# a comment that a rewrite would drop\n"));
  const std::string before = ReadText(file_);
  AgentsRepository repo(dir_);
  struct Case {
    const char* fault;
    const char* os_text;
  };
  for (const Case& c : {Case{"agents_write_enospc", "No space left on device"},
                        Case{"agents_fsync_eio", "Input/output error"},
                        Case{"agents_rename_eacces", "Permission denied"}}) {
    ScopedFaults faults(c.fault);
    auto result = repo.Mutate(SetDescription("infra", "x"));
    ASSERT_FALSE(result.ok()) << c.fault;
    EXPECT_EQ(result.failure().code, "config_write_failed");
    EXPECT_TRUE(Contains(result.failure().message, "could not write")) << result.failure().message;
    EXPECT_TRUE(Contains(result.failure().message, file_.string()));
    EXPECT_TRUE(Contains(result.failure().message, c.os_text)) << result.failure().message;
    EXPECT_TRUE(Contains(result.failure().message, "previous file is unchanged"));
    EXPECT_EQ(ReadText(file_), before) << c.fault;
    EXPECT_TRUE(TempFiles(dir_).empty()) << c.fault;
  }
  auto ok = repo.Mutate(SetDescription("infra", "x"));
  ASSERT_TRUE(ok.ok()) << ok.failure().message;
#endif
}

// T-028 (read side): an unreadable file is config_unreadable for readers and writers alike.
TEST_F(AgentsRepositoryTest, T028ReadFailure) {
#ifndef SWITCHBOARD_TEST_HOOKS
  GTEST_SKIP() << "fault injection needs a build with SWITCHBOARD_TEST_HOOKS";
#else
  WriteText(file_, Agent("infra"));
  const std::string before = ReadText(file_);
  AgentsRepository repo(dir_);
  ASSERT_TRUE(repo.Current().ok());
  ScopedFaults faults("agents_read_eacces");
  auto current = repo.Current();
  ASSERT_FALSE(current.ok());
  EXPECT_EQ(current.failure().code, "config_unreadable");
  EXPECT_TRUE(Contains(current.failure().message, "Permission denied"));
  EXPECT_TRUE(Contains(current.failure().message, file_.string()));
  auto mutate = repo.Mutate(SetDescription("infra", "x"));
  ASSERT_FALSE(mutate.ok());
  EXPECT_EQ(mutate.failure().code, "config_unreadable");
  EXPECT_EQ(ReadText(file_), before);
#endif
}

// T-029: unknown keys and tables survive an update.
TEST_F(AgentsRepositoryTest, T029UnknownKeysSurviveUpdate) {
  WriteText(file_, Agent("infra", "color = \"blue\"\n") + "\n[experimental]\nmode = \"x\"\n");
  AgentsRepository repo(dir_);
  auto current = repo.Current();
  ASSERT_TRUE(current.ok());
  EXPECT_EQ((*current)->config.unknown_keys,
            (std::vector<std::string>{"agents.infra.color", "experimental"}));
  auto result = repo.Mutate(SetDescription("infra", "x"));
  ASSERT_TRUE(result.ok()) << result.failure().message;
  const std::string text = ReadText(file_);
  EXPECT_TRUE(Contains(text, "description = \"x\"\ncolor = \"blue\"\n")) << text;
  EXPECT_TRUE(Contains(text, "\n[experimental]\nmode = \"x\"\n")) << text;
}

// T-085 and §2.5 step 4: a failing mutation writes nothing (not even a new file).
TEST_F(AgentsRepositoryTest, T085FailedMutationWritesNothing) {
  AgentsRepository repo(dir_);
  const std::string work = (root_ / "work").string();
  ASSERT_TRUE(repo.Mutate(AddAgent("api", work)).ok());
  const std::string before = ReadText(file_);
  auto again = repo.Mutate(AddAgent("api", work));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure().code, "already_exists");
  EXPECT_EQ(ReadText(file_), before);

  AgentsRepository fresh(root_ / "none");
  auto refused = fresh.Mutate([](AgentsConfig&) {
    return Status(
        MakeFailure("invalid_argument", "timeout must be from 0 to 86400", "", "timeout"));
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(fs::exists(root_ / "none" / "agents.toml"));

  // A result that breaks a §2.3 rule is refused before the write.
  auto invalid = repo.Mutate([](AgentsConfig& config) {
    config.agents.at("api").timeout = -1;
    return Status();
  });
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.failure().code, "invalid_argument");
  EXPECT_EQ(invalid.failure().field, "agents.api.timeout");
  EXPECT_EQ(ReadText(file_), before);
}

// §2.5 step 8: a write installs the new snapshot (next generation) and reports the reload with the
// one it replaced; the snapshot's raw table matches what was written.
TEST_F(AgentsRepositoryTest, MutateInstallsSnapshotAndNotifies) {
  WriteText(file_, Agent("infra"));
  AgentsRepository repo(dir_);
  ASSERT_TRUE(repo.Current().ok());
  std::shared_ptr<const AgentsSnapshot> seen_previous;
  std::shared_ptr<const AgentsSnapshot> seen_next;
  repo.SetReloadListener([&](const auto& previous, const auto& next) {
    seen_previous = previous;
    seen_next = next;
  });
  auto result = repo.Mutate(SetDescription("infra", "new"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)->generation, 2u);
  ASSERT_TRUE(seen_next);
  EXPECT_EQ(seen_next.get(), result->get());
  ASSERT_TRUE(seen_previous);
  EXPECT_EQ(seen_previous->config.agents.at("infra").description, "");
  EXPECT_EQ((*result)->config.agents.at("infra").raw_table["description"], "new");
  // The file now matches the snapshot: no re-parse, same snapshot.
  const uint64_t parses = repo.ParseCount();
  auto current = repo.Current();
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->get(), result->get());
  EXPECT_EQ(repo.ParseCount(), parses);
}

}  // namespace
}  // namespace sb
