// agent_profile.h — the model of `agents.toml` and its validation rules (TOOLS §2.2, §2.3).
//
// Purpose: AgentsConfig is one parsed `agents.toml`: agents and groups keyed (and therefore
// sorted) by name, plus everything the schema does not know, kept so a rewrite loses nothing
// (§2.5). The validation functions are the ones the tools, the CLI and the loader share; each
// failure is an `invalid_argument` Failure whose `field` names the argument. Parsing and writing
// the TOML text live in agents_toml.h; locking, reloading and atomic writes in
// agents_repository.h.
//
// Ownership: plain values; copies are independent. Threads: no shared state; the functions that
// expand `~user` or look at a directory read the system user database and the file system.
#pragma once

#include "config/plugins_config.h"  // kDefaultRunner

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors/result.h"

namespace sb {

inline constexpr int64_t kMaxAgentTimeoutSeconds = 86400;
inline constexpr size_t kMaxNameLength = 128;

// The permission modes the current `claude` CLI accepts, sorted (§2.3).
inline constexpr std::string_view kKnownPermissionModes[] = {
    "acceptEdits", "auto", "bypassPermissions", "default", "dontAsk", "manual", "plan"};

// One `[agents.<name>]` table. An absent optional is "unset": the runner's default applies.
struct AgentProfile {
  std::string name;
  // Absolute. Written by the tools in canonical form; a relative path in a hand-written file
  // is resolved against the file's own directory. Need not exist (health reports it).
  std::string directory;
  std::string description;
  std::string runner = std::string(kDefaultRunner);
  int64_t timeout = 0;  // 0 = the runner's default; at most kMaxAgentTimeoutSeconds
  std::optional<std::string> model;
  std::optional<double> max_budget_usd;  // finite, > 0 (a stored 0 reads as unset)
  std::optional<std::string> permission_mode;
  // Tri-state: nullopt = inherit the runner's list; empty = explicitly none; else exactly these.
  std::optional<std::vector<std::string>> allowed_tools;
  std::optional<std::vector<std::string>> disallowed_tools;
  std::vector<std::string> capabilities;
  std::vector<std::string> risky_capabilities;
  std::optional<std::string> instructions;
  // The `exec` table (exec-runner's settings), opaque here: the runner's check_agent checks it.
  std::optional<nlohmann::json> exec;
  // Every key of the table as read from the file (unknown keys included), for the result
  // cache's profile fingerprint (§7). Filled by the parser; the repository re-parses after a
  // write, so a snapshot's value always matches the file.
  nlohmann::json raw_table = nlohmann::json::object();
  // Keys the schema does not know, as a TOML document (toml++'s formatting of those keys),
  // written back unchanged on rewrite. Empty when there are none.
  std::string extra_toml;

  bool operator==(const AgentProfile&) const = default;
};

// One `{agent = ..., use_for = ...}` entry of a group's `members`.
struct GroupMember {
  std::string agent;  // may name an agent that does not exist ("dangling")
  std::string use_for;
  std::string extra_toml;  // unknown keys of the entry, as in AgentProfile

  bool operator==(const GroupMember&) const = default;
};

// One `[groups.<name>]` table.
struct Group {
  std::string name;
  std::string description;
  std::string shared_context;
  std::vector<GroupMember> members;  // file order; a repeated agent is kept once (the first)
  std::string extra_toml;

  bool operator==(const Group&) const = default;
};

// One `agents.toml`. Equality compares the model (agents, groups, unknown top-level keys), not
// the diagnostics of the parse.
struct AgentsConfig {
  std::map<std::string, AgentProfile> agents;  // key == AgentProfile::name
  std::map<std::string, Group> groups;         // key == Group::name
  std::string extra_toml;                      // unknown top-level keys and tables

  // Diagnostics of the parse that produced this value (empty for a config built in code).
  std::string file;                       // the path shown in messages
  std::vector<std::string> unknown_keys;  // key paths, e.g. "agents.infra.color", "experimental"
  // One line each, "<file>:<line>:<column>: <message>": unknown keys, repeated group members,
  // unknown permission modes. The loader logs them once per load; doctor reports them.
  std::vector<std::string> warnings;

  bool operator==(const AgentsConfig& other) const {
    return agents == other.agents && groups == other.groups && extra_toml == other.extra_toml;
  }
};

// --- Validation (§2.3). Failures are code "invalid_argument" with `field` set. -------------

// The name rule: 1–128 characters, ^[A-Za-z0-9][A-Za-z0-9_-]*$ over the whole string.
bool IsValidName(std::string_view name);

// `field` names the argument ("name", "agent", "group", ...); `what` says what is named
// ("agent", "group") for the message.
Status ValidateName(std::string_view name, std::string_view field = "name",
                    std::string_view what = "agent");

// The rule's text for messages: "^[A-Za-z0-9][A-Za-z0-9_-]*$, 1-128 characters".
std::string NameRuleText();

// Expands a leading `~` ($HOME, else the password database) or `~user`. An unknown user is an
// error naming the `~user` part. Other paths come back unchanged.
Result<std::string> ExpandHome(std::string_view path, std::string_view field = "directory");

// The directory rule of add/update: `~` expanded, made absolute against `base`, canonical
// (symlinks resolved), and an existing directory now. The error names `directory` and the
// resolved path.
Result<std::string> ResolveAgentDirectory(std::string_view input,
                                          const std::filesystem::path& base);
// As above, against the current working directory.
Result<std::string> ResolveAgentDirectory(std::string_view input);

// 0..86400; names `timeout`.
Status ValidateTimeout(int64_t seconds);

// Finite and, unless `negative_allowed` (update_agent: negative clears), >= 0; names
// `max_budget_usd`.
Status ValidateBudget(double usd, bool negative_allowed = false);

// `value` must not start with '-' (it would read as a command-line flag). The message names
// `field` and contains the word "flag".
Status CheckNotFlag(std::string_view field, std::string_view value);

// Each item of a tool list must not start with '-'; names `field`.
Status CheckToolList(std::string_view field, const std::vector<std::string>& tools);

// A permission mode as stored: trimmed; must not be empty or flag-like (names
// `permission_mode`). An unknown mode is accepted and appends to `warnings` a sentence naming
// the value and listing the known modes.
Result<std::string> NormalizePermissionMode(std::string_view value,
                                            std::vector<std::string>* warnings);

// The sentence NormalizePermissionMode warns with.
std::string UnknownPermissionModeWarning(std::string_view mode);

bool IsKnownPermissionMode(std::string_view mode);

// `runner` must be one of `available` (the runner names configured in plugins.toml plus the
// embedded default). The error names `runner` and lists the available runners sorted.
Status ValidateRunner(std::string_view runner, const std::vector<std::string>& available);

// Checks a whole profile as a writer would store it: name, absolute directory, timeout,
// budget, flag-like values, a non-empty runner, `exec` an object. Does not look at the file
// system and does not check the runner against the configured ones. Fields are named
// "agents.<name>.<key>".
Status ValidateAgentProfile(const AgentProfile& agent);

// Checks every agent (ValidateAgentProfile), every group and member name, and that each map key
// equals the entry's name. Used before a rewrite so nothing unloadable is ever written.
Status ValidateAgentsConfig(const AgentsConfig& config);

}  // namespace sb
