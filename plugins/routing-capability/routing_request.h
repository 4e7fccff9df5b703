// routing_request.h — the router's `normalize` operation (ROUTING.md §3, §4.1, §4.3).
//
// Purpose: turns the routing intent of a new job, as received from the caller, into the concrete
// routing object the store records:
//   {"target_agent_name": <string|null>, "required_capabilities": [...], "priority": n,
//    "deadline_at": <number|null>, "resolved_from": "capabilities"?}
// The fields are checked in the order of §3's table (target_agent_name, required_capabilities,
// priority, deadline_seconds) and the first failing one is reported.
//
// Ownership: the texts are borrowed for the call; the result is returned by value.
//
// Threads: pure (no clock: `now` comes from the context); safe from any thread at once.
#ifndef SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_ROUTING_REQUEST_H
#define SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_ROUTING_REQUEST_H

#include <string>
#include <string_view>

namespace sb::routing_capability {

// `request`: {target_agent_name?, required_capabilities?, priority?, deadline_seconds?}; any other
// key is refused, naming it. Absent and null mean "not given": an absent target means an
// untargeted job, while a target that is "" or only whitespace is refused with "target_agent_name
// is required …" (send_to_agent's "agent_name is required" rule: the host checks presence, the
// router rejects empty values).
// `context`: {now, local_agents: [{name, capabilities}]}; other keys are ignored. `now` (Unix
// seconds) is needed only when deadline_seconds is given: deadline_at = now + deadline_seconds.
// When `resolve_local` is true, the request has no target and it requires capabilities, the first
// local agent (byte-wise name order) that has them all becomes the target and resolved_from is
// set; required_capabilities stays as requested.
// Returns the routing object as compact JSON, or throws sb::Error(SB_INVALID_ARGUMENT, field, …).
std::string NormalizeRequest(std::string_view request, std::string_view context,
                             bool resolve_local);

}  // namespace sb::routing_capability

#endif  // SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_ROUTING_REQUEST_H
