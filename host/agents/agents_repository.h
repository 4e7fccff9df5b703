// agents_repository.h — the live `agents.toml`: snapshots, reloads and locked writes
// (TOOLS §2.4, §2.5; ARCHITECTURE §6, §10.10, §12.7, §12.8).
//
// Purpose: AgentsRepository owns the current parsed snapshot of `<config dir>/agents.toml`.
// Current() checks the file against the snapshot by content on every call (stat, then a 64-bit
// hash of the bytes) and re-parses only when the bytes changed; while the file is broken it
// returns that failure (config_unreadable), never an older snapshot. Mutate() runs one change
// under the `agents.toml.lock` flock: re-read from disk, apply, serialize, write a 0600 temp file
// beside the final target, fsync, rename; any failure leaves the old file byte-for-byte intact.
// Each new snapshot gets the next generation number and is reported to the reload listener with
// the one it replaces, so callers can drop cache entries of changed agents.
//
// Ownership: snapshots are immutable and shared (`std::shared_ptr<const AgentsSnapshot>`); a
// caller keeps the one it got for a whole call (§2.4 "one snapshot per call"). Threads: every
// method may be called from any thread. Writers in this and other processes are serialized by
// the flock; the reload listener runs on the calling thread, after all locks are released.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "agents/agent_profile.h"
#include "errors/result.h"

namespace sb {

// What the change check compares before it reads the bytes.
struct FileStamp {
  bool exists = false;
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;

  bool operator==(const FileStamp&) const = default;
};

// One parsed version of the file.
struct AgentsSnapshot {
  AgentsConfig config;
  uint64_t generation = 0;    // 1 for the first snapshot, +1 for each new content
  uint64_t content_hash = 0;  // FNV-1a of the bytes (an absent file hashes like an empty one)
};

struct AgentsRepositoryOptions {
  // How long Mutate waits for the flock (§2.5: 10 s), and how often it retries (20 ms).
  std::chrono::milliseconds lock_timeout{10000};
  std::chrono::milliseconds lock_retry{20};
  // Test seam: replaces fstat of the open file in the change check (T-023). Gets the path.
  std::function<FileStamp(const std::filesystem::path&)> stat_for_testing;
};

class AgentsRepository {
 public:
  // `previous` is null for the first snapshot. Called once per new snapshot; two reloads on
  // different threads may report out of order (the pair still names what changed).
  using ReloadListener = std::function<void(const std::shared_ptr<const AgentsSnapshot>& previous,
                                            const std::shared_ptr<const AgentsSnapshot>& next)>;
  // Changes the configuration re-read under the lock. A failure (e.g. already_exists) is
  // returned by Mutate and nothing is written.
  using Mutation = std::function<Status(AgentsConfig& config)>;

  explicit AgentsRepository(std::filesystem::path config_dir, AgentsRepositoryOptions options = {});

  AgentsRepository(const AgentsRepository&) = delete;
  AgentsRepository& operator=(const AgentsRepository&) = delete;

  // The snapshot matching the file now. Failures: config_unreadable (the file cannot be read,
  // parsed or validated; the message has file, line, column and key path).
  Result<std::shared_ptr<const AgentsSnapshot>> Current();

  // Runs §2.5 steps 2–8 with `mutation` as step 4 and returns the snapshot written. Failures:
  // config_locked (lock not obtained in time), config_unreadable (the file on disk is broken; it
  // is not touched), the mutation's own failure, invalid_argument (the result breaks a §2.3
  // rule), config_write_failed ("could not write <path>: <OS error>; the previous file is
  // unchanged").
  Result<std::shared_ptr<const AgentsSnapshot>> Mutate(const Mutation& mutation);

  // Replaces the listener (none by default).
  void SetReloadListener(ReloadListener listener);

  // The generation of the newest snapshot (0 before the first).
  uint64_t Generation() const;

  // How many times the file's text was parsed by Current() (tests check "no re-parse").
  uint64_t ParseCount() const;

  // Process-wide: refuses every Mutate that has not started yet and waits (at most `timeout`)
  // for the running ones to finish, so an exit never cuts a write between its temp file and its
  // rename. `serve` calls it on shutdown. Returns false when the wait timed out.
  static bool StopWritesAndWait(std::chrono::milliseconds timeout);

  // `<config dir>/agents.toml`.
  std::filesystem::path FilePath() const;

 private:
  // REQUIRES: mutex_ held. Installs `config` as the next snapshot unless its hash equals the
  // current one; returns the (previous, next) pair to report, if any.
  std::optional<
      std::pair<std::shared_ptr<const AgentsSnapshot>, std::shared_ptr<const AgentsSnapshot>>>
  InstallLocked(AgentsConfig config, const FileStamp& stamp, uint64_t hash);
  void Notify(const std::shared_ptr<const AgentsSnapshot>& previous,
              const std::shared_ptr<const AgentsSnapshot>& next);

  const std::filesystem::path config_dir_;
  const AgentsRepositoryOptions options_;

  mutable std::mutex mutex_;
  // What the last check saw: the stamp and hash of the bytes, and either the snapshot parsed
  // from them or the failure they gave.
  bool checked_ = false;
  FileStamp stamp_;
  uint64_t hash_ = 0;
  std::optional<Failure> broken_;
  std::shared_ptr<const AgentsSnapshot> snapshot_;  // newest good snapshot
  uint64_t generation_ = 0;
  uint64_t parse_count_ = 0;
  ReloadListener listener_;
};

}  // namespace sb
