// worker_identity.h — the router's `normalize_identity` operation (ROUTING.md §10.1).
//
// Purpose: checks a worker identity as gathered from its flags, environment or profile and returns
// it normalized: {"name": <string|null>, "capabilities": [...], "accepts_untargeted": bool}.
// Capabilities go through the same trim-and-dedupe rules as a job's required_capabilities, so equal
// strings on both sides stay equal (§4.1). Splitting a comma-separated flag value is the worker
// CLI's job (§10.3); the router takes an array (or an array as JSON text).
//
// Ownership: the text is borrowed for the call; the result is returned by value.
//
// Threads: pure; safe from any thread at once.
#ifndef SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_WORKER_IDENTITY_H
#define SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_WORKER_IDENTITY_H

#include <string>
#include <string_view>

namespace sb::routing_capability {

// `identity`: {name?, capabilities?, accepts_untargeted?, worker_id?}. Checked in that order:
// name (null/absent -> null; otherwise the routing name rule as given), capabilities (null/absent
// -> []; no item limit, since the 32-item limit bounds what a job may require), accepts_untargeted
// (null/absent -> true; otherwise a JSON boolean). worker_id is accepted and ignored (ids belong
// to the store); any other key is refused, naming it.
// Returns the normalized identity as compact JSON, or throws sb::Error(SB_INVALID_ARGUMENT, …).
std::string NormalizeIdentity(std::string_view identity);

}  // namespace sb::routing_capability

#endif  // SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_WORKER_IDENTITY_H
