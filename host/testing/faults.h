// faults.h — the fault-injection seam for error paths tests cannot provoke (ARCHITECTURE §12.8).
//
// Purpose: tests run as root, where permissions never fail, and cannot fill a disk on demand. A
// seam asks `FaultActive("agents_write_enospc")` and, when it is on, fails as if the system call
// had returned that errno. Faults are named in `SWITCHBOARD_TEST_FAULTS` (comma-separated, e.g.
// `agents_write_enospc,agents_read_eacces`), read once on first use. All of it exists only when
// the build defines SWITCHBOARD_TEST_HOOKS (debug, asan-ubsan and tsan presets); in a release
// build FaultActive is a constant `false` and the seams compile away.
//
// Threads: FaultActive and ReloadFaultsForTesting may be called from any thread.
#pragma once

#include <string_view>

namespace sb {

#ifdef SWITCHBOARD_TEST_HOOKS

// True when `name` is listed in SWITCHBOARD_TEST_FAULTS.
bool FaultActive(std::string_view name);

// Reads SWITCHBOARD_TEST_FAULTS again (a test sets or clears it, then calls this).
void ReloadFaultsForTesting();

#else

constexpr bool FaultActive(std::string_view /*name*/) { return false; }

#endif

}  // namespace sb
