#include "agents/agent_profile.h"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include "agents/comma_list.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

Failure Invalid(std::string_view field, std::string message, std::string hint = {}) {
  return MakeFailure("invalid_argument", std::move(message), std::move(hint), std::string(field));
}

bool IsNameChar(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return !first && (c == '_' || c == '-');
}

// Home directory of `user` ("" = the current user) from the password database.
std::optional<std::string> HomeOf(const std::string& user) {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
  struct passwd entry {};
  struct passwd* found = nullptr;
  int rc = user.empty() ? ::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found)
                        : ::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0 || found == nullptr || found->pw_dir == nullptr) return std::nullopt;
  return std::string(found->pw_dir);
}

std::string Quoted(std::string_view text) { return fmt::format("\"{}\"", text); }

}  // namespace

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0)) return false;
  }
  return true;
}

std::string NameRuleText() {
  return fmt::format("names match ^[A-Za-z0-9][A-Za-z0-9_-]*$ and are 1-{} characters long",
                     kMaxNameLength);
}

Status ValidateName(std::string_view name, std::string_view field, std::string_view what) {
  if (IsValidName(name)) return {};
  std::string shown =
      name.size() > 80 ? std::string(name.substr(0, 80)) + "..." : std::string(name);
  std::string reason = name.empty() ? "it is empty"
                       : name.size() > kMaxNameLength
                           ? fmt::format("it is {} characters long", name.size())
                           : "it has a character the rule forbids";
  return Invalid(field,
                 fmt::format("{}: {} name {} is invalid ({}); {}", field, what, Quoted(shown),
                             reason, NameRuleText()),
                 "use letters, digits, '_' and '-', starting with a letter or digit");
}

Result<std::string> ExpandHome(std::string_view path, std::string_view field) {
  if (path.empty() || path.front() != '~') return std::string(path);
  size_t slash = path.find('/');
  std::string user(path.substr(1, slash == std::string_view::npos ? path.npos : slash - 1));
  std::string_view rest = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  std::optional<std::string> home;
  if (user.empty()) {
    const char* env = std::getenv("HOME");
    if (env != nullptr && *env != '\0') home = env;
    if (!home) home = HomeOf("");
    if (!home) {
      return Invalid(field, fmt::format("{} {}: cannot expand ~: HOME is not set and the current "
                                        "user has no home directory",
                                        field, Quoted(path)));
    }
  } else {
    home = HomeOf(user);
    if (!home) {
      return Invalid(field,
                     fmt::format("{} {}: cannot expand ~{}: there is no user named {}", field,
                                 Quoted(path), user, Quoted(user)),
                     "write the path without ~user, or as an absolute path");
    }
  }
  return *home + std::string(rest);
}

Result<std::string> ResolveAgentDirectory(std::string_view input, const fs::path& base) {
  if (TrimAscii(input).empty()) return Invalid("directory", "directory must not be empty");
  auto expanded = ExpandHome(input, "directory");
  if (!expanded) return expanded.failure();
  fs::path path(*expanded);
  if (!path.is_absolute()) path = base / path;
  path = path.lexically_normal();
  std::error_code ec;
  fs::path canonical = fs::canonical(path, ec);
  if (ec) {
    return Invalid(
        "directory",
        fmt::format("directory {} does not exist ({})", Quoted(path.string()), ec.message()),
        "create the directory first, or pass the path of an existing one");
  }
  if (!fs::is_directory(canonical, ec)) {
    return Invalid("directory",
                   fmt::format("directory {} is not a directory", Quoted(canonical.string())),
                   "pass the project's directory, not a file in it");
  }
  return canonical.string();
}

Result<std::string> ResolveAgentDirectory(std::string_view input) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) {
    return Invalid("directory", fmt::format("directory {}: the working directory is unknown ({})",
                                            Quoted(input), ec.message()));
  }
  return ResolveAgentDirectory(input, cwd);
}

Status ValidateTimeout(int64_t seconds) {
  if (seconds >= 0 && seconds <= kMaxAgentTimeoutSeconds) return {};
  return Invalid("timeout",
                 fmt::format("timeout must be from 0 to {} seconds (got {})",
                             kMaxAgentTimeoutSeconds, seconds),
                 "0 means the runner's default timeout");
}

Status ValidateBudget(double usd, bool negative_allowed) {
  if (!std::isfinite(usd)) {
    return Invalid("max_budget_usd",
                   fmt::format("max_budget_usd must be a finite number (got {})", usd));
  }
  if (usd < 0 && !negative_allowed) {
    return Invalid("max_budget_usd",
                   fmt::format("max_budget_usd must not be negative (got {})", usd),
                   "0 means the runner's default budget");
  }
  return {};
}

Status CheckNotFlag(std::string_view field, std::string_view value) {
  if (value.empty() || value.front() != '-') return {};
  return Invalid(field,
                 fmt::format("{} {} starts with '-' and would be read as a command-line flag",
                             field, Quoted(value)),
                 fmt::format("give {} without a leading '-'", field));
}

Status CheckToolList(std::string_view field, const std::vector<std::string>& tools) {
  for (const auto& tool : tools) {
    if (!tool.empty() && tool.front() == '-') {
      return Invalid(field,
                     fmt::format("{} item {} starts with '-' and would be read as a command-line "
                                 "flag",
                                 field, Quoted(tool)),
                     "tool names look like Read, Bash or Bash(git status)");
    }
  }
  return {};
}

bool IsKnownPermissionMode(std::string_view mode) {
  return std::find(std::begin(kKnownPermissionModes), std::end(kKnownPermissionModes), mode) !=
         std::end(kKnownPermissionModes);
}

std::string UnknownPermissionModeWarning(std::string_view mode) {
  std::string known;
  for (auto m : kKnownPermissionModes) {
    if (!known.empty()) known += ", ";
    known += m;
  }
  return fmt::format("permission_mode {} is not a known mode (known: {}); it is stored anyway",
                     Quoted(mode), known);
}

Result<std::string> NormalizePermissionMode(std::string_view value,
                                            std::vector<std::string>* warnings) {
  std::string_view mode = TrimAscii(value);
  if (mode.empty()) return Invalid("permission_mode", "permission_mode must not be empty");
  if (auto st = CheckNotFlag("permission_mode", mode); !st) return st.failure();
  if (!IsKnownPermissionMode(mode) && warnings != nullptr) {
    warnings->push_back(UnknownPermissionModeWarning(mode));
  }
  return std::string(mode);
}

Status ValidateRunner(std::string_view runner, const std::vector<std::string>& available) {
  if (std::find(available.begin(), available.end(), runner) != available.end()) return {};
  std::vector<std::string> sorted = available;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string list;
  for (const auto& name : sorted) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return Invalid("runner",
                 fmt::format("runner {} is not configured; available runners: {}", Quoted(runner),
                             list.empty() ? "none" : list),
                 "add a [[plugin]] entry with kind = \"runner\" to plugins.toml, or use one of "
                 "the available runners");
}

Status ValidateAgentProfile(const AgentProfile& agent) {
  if (auto st = ValidateName(agent.name, "name", "agent"); !st) return st;
  const std::string prefix = "agents." + agent.name + ".";
  auto rename = [&](Status st, std::string_view key) -> Status {
    if (st) return st;
    Failure f = st.failure();
    f.field = prefix + std::string(key);
    return f;
  };
  if (agent.directory.empty() || !fs::path(agent.directory).is_absolute()) {
    return Invalid(prefix + "directory", fmt::format("{}directory {} must be an absolute path",
                                                     prefix, Quoted(agent.directory)));
  }
  if (agent.runner.empty()) {
    return Invalid(prefix + "runner", fmt::format("{}runner must not be empty", prefix));
  }
  if (auto st = rename(ValidateTimeout(agent.timeout), "timeout"); !st) return st;
  if (agent.max_budget_usd) {
    if (auto st = rename(ValidateBudget(*agent.max_budget_usd), "max_budget_usd"); !st) return st;
  }
  if (agent.model) {
    if (auto st = rename(CheckNotFlag("model", *agent.model), "model"); !st) return st;
  }
  if (agent.permission_mode) {
    if (auto st =
            rename(CheckNotFlag("permission_mode", *agent.permission_mode), "permission_mode");
        !st) {
      return st;
    }
  }
  if (agent.allowed_tools) {
    if (auto st = rename(CheckToolList("allowed_tools", *agent.allowed_tools), "allowed_tools");
        !st) {
      return st;
    }
  }
  if (agent.disallowed_tools) {
    if (auto st =
            rename(CheckToolList("disallowed_tools", *agent.disallowed_tools), "disallowed_tools");
        !st) {
      return st;
    }
  }
  if (agent.exec && !agent.exec->is_object()) {
    return Invalid(prefix + "exec", fmt::format("{}exec must be a table", prefix));
  }
  return {};
}

Status ValidateAgentsConfig(const AgentsConfig& config) {
  for (const auto& [name, agent] : config.agents) {
    if (name != agent.name) {
      return Invalid("name", fmt::format("agent entry {} holds the profile of {}", Quoted(name),
                                         Quoted(agent.name)));
    }
    if (auto st = ValidateAgentProfile(agent); !st) return st;
  }
  for (const auto& [name, group] : config.groups) {
    if (name != group.name) {
      return Invalid("group", fmt::format("group entry {} holds the group {}", Quoted(name),
                                          Quoted(group.name)));
    }
    if (auto st = ValidateName(group.name, "group", "group"); !st) return st;
    for (size_t i = 0; i < group.members.size(); ++i) {
      const std::string field = fmt::format("groups.{}.members[{}].agent", name, i);
      if (auto st = ValidateName(group.members[i].agent, field, "agent"); !st) return st;
    }
  }
  return {};
}

}  // namespace sb
