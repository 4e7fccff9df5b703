// agents_toml.h — `agents.toml` text to AgentsConfig and back (TOOLS §2.2, §2.4, §2.5 step 5).
//
// Purpose: ParseAgentsToml checks the text against the schema of §2.2 and the loader's share of
// the rules of §2.3. Every failure is code "config_unreadable" with the message
// `<file>:<line>:<column>: <problem naming the key path, e.g. agents.infra.timeout>` and a hint
// naming `switchboard doctor`; bytes that are not UTF-8 say to re-save the file as UTF-8.
// Unknown keys and tables are kept (AgentsConfig::extra_toml and friends) and listed
// (unknown_keys, warnings) so the caller can warn once per load. SerializeAgentsToml writes the
// canonical form of §2.5 step 5; parse → serialize → parse gives an equal AgentsConfig.
//
// Threads: pure functions (ParseAgentsToml also reads the password database for `~user`).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "agents/agent_profile.h"
#include "errors/result.h"

namespace sb {

// The comment every rewrite starts with (§2.2), ending in a newline.
extern const std::string_view kAgentsTomlHeader;

// Parses `text`. `file_path` is the path shown in messages; a relative `directory` resolves
// against its parent directory (and need not exist). Empty text is an empty configuration.
Result<AgentsConfig> ParseAgentsToml(std::string_view text, const std::filesystem::path& file_path);

// The canonical text: header comment; unknown top-level keys; `[agents.*]` sorted by name;
// `[groups.*]` sorted by name (members in order); unknown top-level tables. Unset fields, a zero
// timeout, an empty description, the default runner and empty capabilities, risky_capabilities
// and members are left out; an explicit empty tool list is written as `[]`. Unknown keys are
// written back with their values.
// REQUIRES: ValidateAgentsConfig(config) succeeds (otherwise the text may not parse back).
std::string SerializeAgentsToml(const AgentsConfig& config);

}  // namespace sb
