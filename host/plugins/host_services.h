// host_services.h — the host services table (sb_host_api) handed to every plugin.
//
// Purpose: logging into the host's spdlog logger (stderr), the wall clock, and a monotonic clock.
// The wall clock can be replaced by tests (a fake clock), which is how time reaches plugins.
// Threads: the table is immutable and valid for the life of the process; every slot is safe from
// any thread; SetClockForTesting must be called before plugins run.
#pragma once

#include <switchboard/abi.h>

namespace sb {

// The process-wide host services table.
const sb_host_api* HostServices();

// Replaces the wall clock (nullptr restores the system clock).
void SetClockForTesting(double (*now)(void* ctx), void* ctx);

}  // namespace sb
