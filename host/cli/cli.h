// cli.h — the `switchboard` command line (CLI.md): global options, help, version and the commands
// that exist so far, with the exit codes of CLI.md §1.4 (0 success, 1 operation failed, 2 usage).
// Threads: runs on the main thread.
#pragma once

#include <optional>
#include <string>

#include "cli/style.h"

namespace sb::cli {

struct GlobalOptions {
  std::optional<std::string> config_dir;
  std::optional<std::string> state_dir;
  ColorMode color = ColorMode::kAuto;
};

// Runs the command line; returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace sb::cli
