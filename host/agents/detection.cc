#include "agents/detection.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "text/utf8.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
using Type = DetectionFileSystem::Type;

class RealFileSystem final : public DetectionFileSystem {
 public:
  StatResult Stat(const fs::path& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return {Type::kMissing, 0};
      return {Type::kError, errno};
    }
    if (S_ISREG(st.st_mode)) return {Type::kRegular, 0};
    if (S_ISDIR(st.st_mode)) return {Type::kDirectory, 0};
    return {Type::kOther, 0};
  }

  std::optional<Prefix> ReadPrefix(const fs::path& path, std::size_t max_bytes) override {
    // O_NONBLOCK so that opening a FIFO never waits for a writer; fstat then rejects it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    std::optional<Prefix> result;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      result = ReadFd(fd, static_cast<std::size_t>(st.st_size), max_bytes);
    }
    ::close(fd);
    return result;
  }

 private:
  // Reads up to max_bytes + 1 bytes (the extra one tells whether the file holds more), sizing the
  // buffer by the file's size so that small files do not cost a 1 MiB buffer.
  static std::optional<Prefix> ReadFd(int fd, std::size_t size_hint, std::size_t max_bytes) {
    const std::size_t limit = max_bytes + 1;
    Prefix prefix;
    prefix.bytes.resize(std::min(size_hint + 1, limit));
    std::size_t got = 0;
    for (;;) {
      if (got == prefix.bytes.size()) {
        if (got == limit) break;
        prefix.bytes.resize(std::min(got * 2, limit));  // the file grew since fstat
      }
      const ssize_t n = ::read(fd, prefix.bytes.data() + got, prefix.bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return std::nullopt;
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    prefix.complete = got <= max_bytes;
    prefix.bytes.resize(std::min(got, max_bytes));
    return prefix;
  }
};

// One row of the stacks and dbs tables: the label and the entries that give it.
struct Marker {
  std::string_view label;
  std::vector<std::string_view> files;
  std::vector<std::string_view> directories;
};

const std::vector<Marker>& StackMarkers() {
  static const std::vector<Marker> markers = {
      {"Docker", {"Dockerfile"}, {}},
      {"Docker Compose", {"docker-compose.yaml", "docker-compose.yml"}, {}},
      {"Rust", {"Cargo.toml"}, {}},
      {"Go", {"go.mod"}, {}},
      {"Python", {"requirements.txt", "pyproject.toml"}, {}},
      {"Node.js", {"package.json"}, {}},
      // [beyond]
      {"CMake", {"CMakeLists.txt"}, {}},
      {"JVM", {"pom.xml", "build.gradle", "build.gradle.kts"}, {}},
  };
  return markers;
}

const std::vector<Marker>& DbMarkers() {
  static const std::vector<Marker> markers = {
      {"Prisma", {"schema.prisma"}, {"prisma"}},
      {"Alembic", {"alembic.ini"}, {"alembic"}},
      {"migrations", {}, {"migrations"}},
  };
  return markers;
}

// Stats entries of one directory and remembers the first OS error.
class Prober {
 public:
  Prober(const fs::path& dir, DetectionFileSystem& fs) : dir_(dir), fs_(fs) {}

  Type TypeOf(std::string_view name) {
    const auto st = fs_.Stat(dir_ / name);
    if (st.type == Type::kError && error_ == 0) error_ = st.error != 0 ? st.error : EIO;
    return st.type;
  }

  // The labels of `markers` whose entries are present, in table order.
  std::vector<std::string> Labels(const std::vector<Marker>& markers) {
    std::vector<std::string> labels;
    for (const Marker& marker : markers) {
      bool present = false;
      for (auto name : marker.directories) present = present || TypeOf(name) == Type::kDirectory;
      for (auto name : marker.files) present = present || TypeOf(name) == Type::kRegular;
      if (present) labels.emplace_back(marker.label);
    }
    return labels;
  }

  int error() const { return error_; }

 private:
  const fs::path& dir_;
  DetectionFileSystem& fs_;
  int error_ = 0;
};

// The file's first kDetectionReadLimit bytes, with an incomplete sequence cut off at the limit
// dropped. nullopt when the file cannot be read.
std::optional<std::string> ReadBytes(const fs::path& file, DetectionFileSystem& fs) {
  auto prefix = fs.ReadPrefix(file, kDetectionReadLimit);
  if (!prefix) return std::nullopt;
  if (!prefix->complete) {
    prefix->bytes.resize(prefix->bytes.size() - IncompleteUtf8Tail(prefix->bytes));
  }
  return std::move(prefix->bytes);
}

// The file as text; nullopt on a read error or when it is not valid UTF-8 (§4.4 "decode error").
std::optional<std::string> ReadStrictText(const fs::path& file, DetectionFileSystem& fs) {
  auto bytes = ReadBytes(file, fs);
  if (!bytes || !IsValidUtf8(*bytes)) return std::nullopt;
  return bytes;
}

// Splits at "\n", "\r\n" and "\r"; a final line break does not start another line. Stops after
// `max_lines` lines and then sets `*more` when text remains.
std::vector<std::string_view> SplitLines(std::string_view text, std::size_t max_lines,
                                         bool* more = nullptr) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (lines.size() == max_lines) {
      if (more != nullptr) *more = true;
      break;
    }
    const std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, end - pos));
    pos = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return lines;
}

constexpr std::size_t kAllLines = static_cast<std::size_t>(-1);

// The keys of the `mcpServers` object of a JSON file, in file order.
void AppendMcpServers(const fs::path& file, DetectionFileSystem& fs,
                      std::vector<std::string>& servers) {
  const auto prefix = fs.ReadPrefix(file, kDetectionReadLimit);
  if (!prefix || !prefix->complete) return;  // a file over the limit is not parsed
  const auto doc =
      nlohmann::ordered_json::parse(prefix->bytes, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return;
  const auto it = doc.find("mcpServers");
  if (it == doc.end() || !it->is_object()) return;
  for (const auto& server : it->items()) {
    const std::string& name = server.key();
    if (std::find(servers.begin(), servers.end(), name) == servers.end()) servers.push_back(name);
  }
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(separator);
    out.append(parts[i]);
  }
  return out;
}

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return text.substr(0, p.size()) == p; });
}

// `text` without any run of `c` at either end (Python's str.strip(c)).
std::string_view StripChar(std::string_view text, char c) {
  const std::size_t begin = text.find_first_not_of(c);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(c) - begin + 1);
}

// Step 1 of §4.4: up to 2 lines of CLAUDE.md's first 40 that are not headings or comments.
std::string ClaudeMdPart(const fs::path& dir, DetectionFileSystem& fs) {
  const auto text = ReadStrictText(dir / "CLAUDE.md", fs);
  if (!text) return {};
  std::string part;
  int taken = 0;
  for (std::string_view line : SplitLines(TrimUnicodeSpace(*text), 40)) {
    line = TrimUnicodeSpace(line);
    if (line.empty() || StartsWithAny(line, {"#", "--"})) continue;
    if (taken++ > 0) part.push_back(' ');
    part.append(line);
    if (taken == 2) break;
  }
  return part;
}

// Step 2: the first line of README.md's first 20 that reads like a sentence.
std::string ReadmePart(const fs::path& dir, DetectionFileSystem& fs) {
  const auto text = ReadStrictText(dir / "README.md", fs);
  if (!text) return {};
  for (std::string_view line : SplitLines(*text, 20)) {
    line = TrimUnicodeSpace(line);
    if (line.empty() || StartsWithAny(line, {"#", "[", "!"})) continue;
    if (CountCodePoints(line) > 20) return std::string(line);
  }
  return {};
}

// Step 3: pyproject.toml's description, by a line scan.
std::string PyprojectPart(const fs::path& dir, DetectionFileSystem& fs) {
  const auto text = ReadStrictText(dir / "pyproject.toml", fs);
  if (!text) return {};
  for (std::string_view line : SplitLines(*text, kAllLines)) {
    line = TrimUnicodeSpace(line);
    const std::size_t equals = line.find('=');
    if (!line.starts_with("description") || equals == std::string_view::npos) continue;
    std::string_view value = TrimUnicodeSpace(line.substr(equals + 1));
    value = StripChar(StripChar(value, '"'), '\'');
    return std::string(value);
  }
  return {};
}

// Step 4: package.json's description when it is a non-blank string.
std::string PackageJsonPart(const fs::path& dir, DetectionFileSystem& fs) {
  const auto prefix = fs.ReadPrefix(dir / "package.json", kDetectionReadLimit);
  if (!prefix || !prefix->complete) return {};
  const auto doc = nlohmann::json::parse(prefix->bytes, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return {};
  const auto it = doc.find("description");
  if (it == doc.end() || !it->is_string()) return {};
  const auto& description = it->get_ref<const std::string&>();
  return TrimUnicodeSpace(description).empty() ? std::string() : description;
}

}  // namespace

DetectionFileSystem& RealDetectionFileSystem() {
  static RealFileSystem fs;
  return fs;
}

nlohmann::json HealthToJson(Health health) {
  switch (health) {
    case Health::kHealthy:
      return true;
    case Health::kMissing:
      return false;
    case Health::kUnreadable:
      break;
  }
  return "UNREADABLE";
}

Detection Detect(const fs::path& dir, DetectionFileSystem& fs) {
  Detection detection;
  const auto st = fs.Stat(dir);
  if (st.type == Type::kError) {
    detection.health = Health::kUnreadable;
    detection.os_error = st.error != 0 ? st.error : EIO;
    return detection;
  }
  if (st.type != Type::kDirectory) return detection;  // kMissing

  Prober probe(dir, fs);
  detection.has_claude_md = probe.TypeOf("CLAUDE.md") == Type::kRegular;
  detection.has_readme = probe.TypeOf("README.md") == Type::kRegular;
  const Type mcp_json = probe.TypeOf(".mcp.json");
  detection.has_mcp_config = mcp_json != Type::kMissing && mcp_json != Type::kError;
  detection.stacks = probe.Labels(StackMarkers());
  detection.dbs = probe.Labels(DbMarkers());
  if (probe.error() != 0) {
    Detection unreadable;
    unreadable.health = Health::kUnreadable;
    unreadable.os_error = probe.error();
    return unreadable;
  }
  detection.health = Health::kHealthy;
  AppendMcpServers(dir / ".mcp.json", fs, detection.mcp_servers);
  AppendMcpServers(dir / ".claude" / "settings.local.json", fs, detection.mcp_servers);
  return detection;
}

std::optional<Preview> MakePreview(const fs::path& file, std::int64_t preview_lines,
                                   DetectionFileSystem& fs) {
  const auto lines = static_cast<std::size_t>(std::clamp<std::int64_t>(preview_lines, 0, 200));
  if (lines == 0) return std::nullopt;
  const std::size_t cap = std::max<std::size_t>(200, lines * 200);

  auto prefix = fs.ReadPrefix(file, kDetectionReadLimit);
  if (!prefix) return std::nullopt;
  Preview preview;
  preview.truncated = !prefix->complete;
  if (!prefix->complete) {
    prefix->bytes.resize(prefix->bytes.size() - IncompleteUtf8Tail(prefix->bytes));
  }
  const std::string text = RepairUtf8(prefix->bytes);

  bool more_lines = false;
  const auto kept = SplitLines(text, lines, &more_lines);
  preview.truncated = preview.truncated || more_lines;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) preview.text.push_back('\n');
    preview.text.append(kept[i]);
  }
  const std::string_view cut = CutToCodePoints(preview.text, cap);
  if (cut.size() < preview.text.size()) {
    preview.text.resize(cut.size());
    preview.truncated = true;
  }
  return preview;
}

std::string AutoDescription(const fs::path& dir, DetectionFileSystem& fs) {
  std::vector<std::string> parts;
  const Detection detection = Detect(dir, fs);
  if (detection.health == Health::kHealthy) {
    std::string text = ClaudeMdPart(dir, fs);
    if (text.empty()) text = ReadmePart(dir, fs);
    if (!text.empty()) parts.push_back(std::move(text));
    if (auto pyproject = PyprojectPart(dir, fs); !pyproject.empty()) parts.push_back(pyproject);
    if (auto package = PackageJsonPart(dir, fs); !package.empty()) parts.push_back(package);
  }
  if (!detection.mcp_servers.empty()) parts.push_back("MCP: " + Join(detection.mcp_servers, ", "));
  if (!detection.stacks.empty()) parts.push_back("Stack: " + Join(detection.stacks, ", "));
  if (!detection.dbs.empty()) parts.push_back("DB: " + Join(detection.dbs, ", "));
  if (!parts.empty()) return Join(parts, " | ");

  fs::path name = dir.lexically_normal();
  if (!name.has_filename()) name = name.parent_path();
  return "Agent in " + name.filename().string();
}

}  // namespace sb
