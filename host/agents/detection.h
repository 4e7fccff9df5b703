// detection.h — what an agent directory holds: health, flags, MCP servers, stacks, dbs, previews
// and the auto-description (TOOLS.md §4; ARCHITECTURE §12.6).
//
// Purpose: pure functions over a directory path, run on every `list_agents` / `inspect_agent`
// call and by `add_agent` with an empty description (no cache). They never spawn a process, never
// write, and read at most kDetectionReadLimit bytes of any file. Every file-system call goes
// through a DetectionFileSystem, so tests can inject OS errors that root would not get from file
// modes (T-044); the default is the real file system.
//
// Errors: a `stat` that fails with ENOENT or ENOTDIR means "not there"; any other errno (EACCES,
// ELOOP, ENAMETOOLONG, EIO, ...) while checking the directory or an entry inside it makes the agent
// UNREADABLE. A file that exists but cannot be opened or read simply contributes nothing.
//
// Threads: the functions keep no state; the real file system object is stateless and may be used
// from any thread. A DetectionFileSystem passed in must outlive the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sb {

// The most bytes detection reads from the start of any one file (1 MiB).
inline constexpr std::size_t kDetectionReadLimit = std::size_t{1} << 20;

// The file-system calls detection makes; abstract so tests can fake them.
class DetectionFileSystem {
 public:
  enum class Type { kMissing, kRegular, kDirectory, kOther, kError };
  struct StatResult {
    Type type = Type::kMissing;
    int error = 0;  // the errno when type is kError
  };
  struct Prefix {
    std::string bytes;      // at most the requested number of bytes from the start
    bool complete = false;  // false when the file holds more than that
  };

  virtual ~DetectionFileSystem() = default;

  // stat(2), following symlinks. ENOENT and ENOTDIR give kMissing, other failures kError.
  virtual StatResult Stat(const std::filesystem::path& path) = 0;

  // Reads up to `max_bytes` from the start of the regular file `path`; nullopt when it is not a
  // regular file or cannot be opened or read. Never blocks on a FIFO or device.
  virtual std::optional<Prefix> ReadPrefix(const std::filesystem::path& path,
                                           std::size_t max_bytes) = 0;
};

// The real file system (a process-wide stateless object).
DetectionFileSystem& RealDetectionFileSystem();

enum class Health { kHealthy, kMissing, kUnreadable };

// The JSON form of `healthy`: true, false or "UNREADABLE".
nlohmann::json HealthToJson(Health health);

struct Detection {
  Health health = Health::kMissing;
  int os_error = 0;  // the errno that made the agent UNREADABLE, for logs
  bool has_claude_md = false;
  bool has_readme = false;
  bool has_mcp_config = false;
  std::vector<std::string> mcp_servers;  // empty unless healthy
  std::vector<std::string> stacks;       // §4.2 order, then the [beyond] rows
  std::vector<std::string> dbs;
};

// Inspects `dir` (§4.1, §4.2). Unhealthy and unreadable agents get every flag false and empty
// lists.
Detection Detect(const std::filesystem::path& dir,
                 DetectionFileSystem& fs = RealDetectionFileSystem());

struct Preview {
  std::string text;  // valid UTF-8 (invalid input became U+FFFD)
  bool truncated = false;
};

// The `inspect_agent` preview of `file` (§4.3): lines = clamp(preview_lines, 0, 200), at most
// `lines` lines joined with "\n", then at most max(200, lines × 200) code points. nullopt when
// lines is 0 or `file` is not a readable regular file. Lines end at "\n", "\r\n" or "\r"; a final
// line break does not start another line. A file longer than kDetectionReadLimit is truncated.
std::optional<Preview> MakePreview(const std::filesystem::path& file, std::int64_t preview_lines,
                                   DetectionFileSystem& fs = RealDetectionFileSystem());

// The description `add_agent` uses when it is given none (§4.4), e.g. "Stack: Python, Node.js"
// or "Agent in proj".
std::string AutoDescription(const std::filesystem::path& dir,
                            DetectionFileSystem& fs = RealDetectionFileSystem());

}  // namespace sb
