// agents_file.h — locating `agents.toml` and reading it as TOML (ARCHITECTURE §6, §12.7).
//
// Purpose: the foundation's share of agents.toml: where it is (`<config dir>/agents.toml`, with a
// symlink resolved to its target, beside which the lock file lives) and whether it parses. A
// syntax error is a Failure with code "config_unreadable" and the message
// `<path>:<line>:<column>: <problem>`; invalid UTF-8 says to re-save the file as UTF-8. Its schema,
// validation and management belong to the agent tools.
//
// Threads: reads the file system; no shared state.
#pragma once

#include <filesystem>
#include <string>

#include "errors/result.h"

namespace sb {

struct AgentsFileLocation {
  std::filesystem::path path;       // <config dir>/agents.toml, as named
  std::filesystem::path target;     // the file really written (symlink resolved)
  std::filesystem::path lock_path;  // <target>.lock
};

AgentsFileLocation LocateAgentsFile(const std::filesystem::path& config_dir);

// Parses the file; an absent file is an empty table. Returns the TOML text on success (the caller
// parses it again with its own schema) — kept as text so toml++ stays inside the config loader.
Result<std::string> ReadAgentsFile(const AgentsFileLocation& location);

// Checks that `text` is valid TOML; `name` is the path shown in errors.
Status CheckTomlSyntax(const std::string& text, const std::string& name);

}  // namespace sb
