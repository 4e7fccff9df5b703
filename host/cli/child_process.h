// child_process.h — runs a child process (argv only, never a shell) and collects its stdout, with a
// deadline after which the child is killed. Used by `plugins check` to isolate a plugin.
// Threads: blocking; call from one thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "errors/result.h"

namespace sb::cli {

struct ChildOutcome {
  std::string stdout_text;
  bool exited = false;  // exited normally, with exit_code
  int exit_code = 0;
  int signal = 0;          // the signal that ended it, when !exited
  bool timed_out = false;  // killed because the deadline passed
};

// Runs `argv` (argv[0] is the executable path) with stdin from /dev/null and stderr inherited.
Result<ChildOutcome> RunChild(const std::vector<std::string>& argv,
                              std::chrono::milliseconds timeout);

// "SIGSEGV", "SIGABRT", … or "signal <n>".
std::string SignalName(int signal);

}  // namespace sb::cli
