// local_resolution.h — capability resolution to a local agent (ROUTING.md §4.3).
//
// Purpose: turns a capability-only request into a job targeted at one of this host's local agents
// (those of `context.local_agents`): the first agent, in byte-wise name order, whose capabilities
// include every required one (the SDK predicate's superset rule, sb::routing::HasAllCapabilities).
//
// Ownership: arguments are borrowed for the call; results are returned by value.
//
// Threads: pure functions with no state; safe from any thread at once.
#ifndef SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_LOCAL_RESOLUTION_H
#define SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_LOCAL_RESOLUTION_H

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sb::routing_capability {

// One entry of `context.local_agents`.
struct LocalAgent {
  std::string name;
  std::vector<std::string> capabilities;  // normalized like an identity's capabilities
};

// Reads `context.local_agents`: null -> []; otherwise an array of objects {name, capabilities}
// whose name satisfies the routing name rule and whose capabilities are normalized like an
// identity's (other keys are ignored). A malformed entry throws SB_INVALID_ARGUMENT with field
// "context.local_agents" (a host bug, not a caller error).
std::vector<LocalAgent> ParseLocalAgents(const nlohmann::json& value);

// The agent a request requiring `required` resolves to, or nullopt when none qualifies.
// REQUIRES: `required` is non-empty and normalized (a request without capabilities is never
// resolved; the caller checks that, and that resolve_local is on and the request has no target).
std::optional<std::string> ResolveLocalAgent(const std::vector<std::string>& required,
                                             const std::vector<LocalAgent>& agents);

}  // namespace sb::routing_capability

#endif  // SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_LOCAL_RESOLUTION_H
