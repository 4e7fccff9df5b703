// log.h — the host's logging setup: spdlog to stderr (never stdout, which belongs to the MCP
// protocol in `serve`), optionally also to a file.
//
// Purpose: SetupLogging installs the default logger before anything logs. Levels are the names of
// ARCHITECTURE §6 (`trace` … `off`). Threads: call SetupLogging once from main before starting
// threads; logging itself is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb {

// True when `name` is one of trace, debug, info, warn, error, off.
bool IsLogLevelName(std::string_view name);

// Installs a stderr logger at `level` (an IsLogLevelName value; unknown names mean "info"), plus a
// file sink when `file` is given (created with mode 0600). With `async`, lines go through a
// background thread whose queue drops the oldest lines when stderr is not read, so logging never
// blocks the caller (`serve`, MCP.md §1).
void SetupLogging(std::string_view level, const std::optional<std::string>& file = std::nullopt,
                  bool async = false);

// Waits until every line logged before the call has been written (stderr and file), at most
// `timeout_ms`: an exit path must neither lose its last lines nor hang on a stderr nobody reads.
void FlushLogs(int timeout_ms);

// Changes the level of the installed logger.
void SetLogLevel(std::string_view level);

}  // namespace sb
