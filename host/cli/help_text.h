// help_text.h — the help texts of the commands that exist (CLI.md §1.2, ARCHITECTURE §11.17).
//
// Purpose: one text per command path ("" is the overview, "plugins", "plugins list", …). Each
// starts with `Usage: switchboard <command> …`, has a one-paragraph description, every argument and
// option with its value name and default, and an example. Help reads no configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sb::cli {

// The help text for `path` (words of the command, e.g. {"plugins", "check"}), or nullopt when no
// such command exists.
std::optional<std::string> HelpText(const std::vector<std::string>& path);

// The short usage printed to stderr when no command is given.
std::string ShortUsage();

// The top-level commands that exist, for suggestions.
std::vector<std::string> TopLevelCommands();

// The subcommands of `command` (empty when it has none).
std::vector<std::string> Subcommands(const std::string& command);

}  // namespace sb::cli
