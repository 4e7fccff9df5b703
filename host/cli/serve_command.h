// serve_command.h — `switchboard serve` (CLI.md §7.1, MCP.md): the MCP server on stdin/stdout.
// Threads: runs on the main thread and never returns normally (it leaves with _exit(0)).
#pragma once

#include <optional>
#include <string>

#include "cli/cli.h"

namespace sb::cli {

struct ServeOptions {
  std::optional<std::string> log_level;
  std::optional<std::string> log_file;
};

int RunServe(const GlobalOptions& globals, const ServeOptions& options);

}  // namespace sb::cli
