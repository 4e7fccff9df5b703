#include "agents/agents_repository.h"

#include <atomic>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <random>
#include <system_error>
#include <thread>
#include <utility>

#include "agents/agents_toml.h"
#include "config/agents_file.h"
#include "testing/faults.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

using SnapshotPtr = std::shared_ptr<const AgentsSnapshot>;

constexpr const char* kDoctorHint = "fix the file by hand, then check it with `switchboard doctor`";

// The errno an injected fault stands for, or 0 (always 0 in builds without test hooks).
int InjectedError([[maybe_unused]] const char* fault, [[maybe_unused]] int error) {
#ifdef SWITCHBOARD_TEST_HOOKS
  if (FaultActive(fault)) return error;
#endif
  return 0;
}

std::string ErrorText(int error) { return std::generic_category().message(error); }

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

FileStamp StampOf(const struct stat& st) {
  FileStamp stamp;
  stamp.exists = true;
  stamp.device = static_cast<uint64_t>(st.st_dev);
  stamp.inode = static_cast<uint64_t>(st.st_ino);
  stamp.size = static_cast<int64_t>(st.st_size);
  stamp.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return stamp;
}

// Closes a descriptor when it goes out of scope (which also releases a flock held on it).
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor() { Close(); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  // Returns 0 or the errno of close(2).
  int Close() {
    if (fd_ < 0) return 0;
    int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

struct FileRead {
  FileStamp stamp;  // exists == false for an absent file
  std::string bytes;
};

Failure ReadFailure(const fs::path& path, int error) {
  return MakeFailure("config_unreadable",
                     fmt::format("could not read {}: {}", path.string(), ErrorText(error)),
                     "check the file and its permissions, then run `switchboard doctor`");
}

// Reads the file (following a symlink). An absent file reads as empty.
Result<FileRead> ReadBytes(const fs::path& path, const AgentsRepositoryOptions& options) {
  FileRead read;
  if (int injected = InjectedError("agents_read_eacces", EACCES)) {
    return ReadFailure(path, injected);
  }
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      if (options.stat_for_testing) read.stamp = options.stat_for_testing(path);
      return read;
    }
    return ReadFailure(path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ReadFailure(path, errno);
  if (S_ISDIR(st.st_mode)) return ReadFailure(path, EISDIR);
  read.stamp = options.stat_for_testing ? options.stat_for_testing(path) : StampOf(st);
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ReadFailure(path, errno);
    }
    if (n == 0) break;
    read.bytes.append(buffer, static_cast<size_t>(n));
  }
  return read;
}

FileStamp StatPath(const fs::path& path, const AgentsRepositoryOptions& options) {
  if (options.stat_for_testing) return options.stat_for_testing(path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileStamp{};
  return StampOf(st);
}

// `what` overrides the path named (e.g. the lock file); by default agents.toml and its target.
Failure WriteFailure(const AgentsFileLocation& location, int error, const fs::path& what = {}) {
  std::string shown = location.path.string();
  if (!what.empty()) {
    shown = what.string();
  } else if (location.target != location.path) {
    shown += " (" + location.target.string() + ")";
  }
  return MakeFailure("config_write_failed",
                     fmt::format("could not write {}: {}; the previous file is unchanged", shown,
                                 ErrorText(error)),
                     fmt::format("free disk space or fix the permissions of {}, then retry",
                                 location.target.parent_path().string()));
}

// Creates `dir` (and missing parents) with mode 0700 when it does not exist. Returns 0 or errno.
int EnsureDirectory(const fs::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  if (errno != ENOENT) return errno;
  fs::path parent = dir.parent_path();
  if (!parent.empty() && parent != dir) {
    if (int error = EnsureDirectory(parent)) return error;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return errno;
  ::chmod(dir.c_str(), 0700);  // the umask may have taken bits away; 0700 is the contract
  return 0;
}

std::string RandomHex16() {
  std::random_device device;
  uint64_t value = (static_cast<uint64_t>(device()) << 32) ^ device();
  return fmt::format("{:016x}", value);
}

// §2.5 steps 6–7: temp file beside the final target, fsync, rename. On failure the temp file is
// gone and the target untouched; returns 0 or errno.
int WriteAtomically(const fs::path& target, std::string_view text) {
  const fs::path dir = target.parent_path();
  fs::path temp;
  FileDescriptor fd;
  for (int attempt = 0; attempt < 16 && fd.get() < 0; ++attempt) {
    temp = dir / ("agents.toml." + RandomHex16() + ".tmp");
    fd.Reset(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0 && errno != EEXIST) return errno;
  }
  if (fd.get() < 0) return EEXIST;
  auto fail = [&](int error) {
    fd.Close();
    ::unlink(temp.c_str());
    return error;
  };
  if (::fchmod(fd.get(), 0600) != 0) return fail(errno);
  size_t written = 0;
  while (written < text.size()) {
    if (int injected = InjectedError("agents_write_enospc", ENOSPC)) return fail(injected);
    ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    written += static_cast<size_t>(n);
  }
  if (int injected = InjectedError("agents_fsync_eio", EIO)) return fail(injected);
  if (::fsync(fd.get()) != 0) return fail(errno);
  if (int error = fd.Close()) return fail(error);
  if (int injected = InjectedError("agents_rename_eacces", EACCES)) return fail(injected);
  if (::rename(temp.c_str(), target.c_str()) != 0) return fail(errno);
  // Make the rename itself durable; a failure here no longer affects the file's content.
  FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return 0;
}

// §2.5 step 2. Returns config_locked when the lock stays taken for `timeout`.
Status AcquireLock(int fd, const fs::path& lock_path, const AgentsFileLocation& location,
                   const AgentsRepositoryOptions& options) {
  const auto deadline = std::chrono::steady_clock::now() + options.lock_timeout;
  while (true) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return {};
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return WriteFailure(location, errno, lock_path);
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return MakeFailure(
          "config_locked",
          fmt::format("{} is locked by another writer ({} was held for {} ms); nothing was "
                      "written",
                      location.path.string(), lock_path.string(), options.lock_timeout.count()),
          "retry in a moment; another switchboard process is changing agents.toml");
    }
    auto wait = std::min<std::chrono::steady_clock::duration>(options.lock_retry, deadline - now);
    std::this_thread::sleep_for(wait);
  }
}

}  // namespace

AgentsRepository::AgentsRepository(fs::path config_dir, AgentsRepositoryOptions options)
    : config_dir_(std::move(config_dir)), options_(std::move(options)) {}

fs::path AgentsRepository::FilePath() const { return config_dir_ / "agents.toml"; }

uint64_t AgentsRepository::Generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

uint64_t AgentsRepository::ParseCount() const {
  std::lock_guard lock(mutex_);
  return parse_count_;
}

void AgentsRepository::SetReloadListener(ReloadListener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

std::optional<std::pair<SnapshotPtr, SnapshotPtr>> AgentsRepository::InstallLocked(
    AgentsConfig config, const FileStamp& stamp, uint64_t hash) {
  const bool same = checked_ && !broken_ && snapshot_ && hash == hash_;
  checked_ = true;
  stamp_ = stamp;
  hash_ = hash;
  broken_.reset();
  if (same) return std::nullopt;
  auto next = std::make_shared<AgentsSnapshot>();
  next->config = std::move(config);
  next->generation = ++generation_;
  next->content_hash = hash;
  SnapshotPtr previous = std::move(snapshot_);
  snapshot_ = next;
  return std::make_pair(std::move(previous), SnapshotPtr(std::move(next)));
}

void AgentsRepository::Notify(const SnapshotPtr& previous, const SnapshotPtr& next) {
  ReloadListener listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(previous, next);
}

Result<SnapshotPtr> AgentsRepository::Current() {
  std::optional<std::pair<SnapshotPtr, SnapshotPtr>> reload;
  SnapshotPtr result;
  {
    std::lock_guard lock(mutex_);
    const fs::path path = FilePath();
    auto read = ReadBytes(path, options_);
    if (!read) return read.failure();
    const uint64_t hash = Fnv1a64(read->bytes);
    // Same bytes as last time (whatever the stat says): no re-parse.
    if (checked_ && hash == hash_) {
      stamp_ = read->stamp;
      if (broken_) return *broken_;
      return snapshot_;
    }
    ++parse_count_;
    auto parsed = ParseAgentsToml(read->bytes, path);
    if (!parsed) {
      checked_ = true;
      stamp_ = read->stamp;
      hash_ = hash;
      broken_ = parsed.failure();
      return parsed.failure();
    }
    reload = InstallLocked(std::move(parsed.value()), read->stamp, hash);
    result = snapshot_;
  }
  if (reload) Notify(reload->first, reload->second);
  return result;
}

namespace {
std::atomic<int> g_writes_in_progress{0};
std::atomic<bool> g_writes_stopped{false};
}  // namespace

bool AgentsRepository::StopWritesAndWait(std::chrono::milliseconds timeout) {
  g_writes_stopped.store(true);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (g_writes_in_progress.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

Result<SnapshotPtr> AgentsRepository::Mutate(const Mutation& mutation) {
  g_writes_in_progress.fetch_add(1);
  struct Done {
    ~Done() { g_writes_in_progress.fetch_sub(1); }
  } done;
  if (g_writes_stopped.load()) {
    return MakeFailure("config_write_failed",
                       "could not write agents.toml: the process is shutting down",
                       "retry with a running server");
  }
  const AgentsFileLocation location = LocateAgentsFile(config_dir_);
  if (int error = EnsureDirectory(config_dir_)) {
    return WriteFailure(location, error, config_dir_);
  }

  FileDescriptor lock_fd(::open(location.lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock_fd.get() < 0) return WriteFailure(location, errno, location.lock_path);
  if (auto st = AcquireLock(lock_fd.get(), location.lock_path, location, options_); !st) {
    return st.failure();
  }

  // Step 3: the file as it is on disk now, not the cached snapshot.
  auto read = ReadBytes(location.path, options_);
  if (!read) return read.failure();
  auto parsed = ParseAgentsToml(read->bytes, location.path);
  if (!parsed) return parsed.failure();
  AgentsConfig config = std::move(parsed.value());

  // Step 4.
  if (auto st = mutation(config); !st) return st.failure();
  if (auto st = ValidateAgentsConfig(config); !st) return st.failure();

  // Step 5, checked by parsing it back before anything touches the disk.
  const std::string text = SerializeAgentsToml(config);
  auto written = ParseAgentsToml(text, location.path);
  if (!written) {
    return MakeFailure("internal_error",
                       fmt::format("the rewritten {} would not parse ({}); nothing was written",
                                   location.path.string(), written.failure().message),
                       "the server log has the details");
  }

  // Steps 6–7.
  if (int error = WriteAtomically(location.target, text)) return WriteFailure(location, error);

  // Step 8: the new snapshot is installed before the flock is released, so a concurrent writer
  // in this process can never install an older one after it.
  std::optional<std::pair<SnapshotPtr, SnapshotPtr>> reload;
  SnapshotPtr result;
  {
    std::lock_guard lock(mutex_);
    reload =
        InstallLocked(std::move(written.value()), StatPath(location.path, options_), Fnv1a64(text));
    result = snapshot_;
  }
  lock_fd.Close();
  if (reload) Notify(reload->first, reload->second);
  return result;
}

}  // namespace sb
