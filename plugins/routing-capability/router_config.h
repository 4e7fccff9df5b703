// router_config.h — the configuration of routing-capability (ROUTING.md §4.2).
//
// Purpose: reads the component's `[plugin.config]` table (as JSON) at create time. Keys: `order`
// ("targeted_first" | "strict_priority", default "targeted_first") and `resolve_local` (bool,
// default true). Unknown keys and bad values are refused with SB_INVALID_ARGUMENT naming the key.
//
// Ownership: the text is borrowed for the call; the result is a plain value.
//
// Threads: pure; safe from any thread at once.
#ifndef SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_ROUTER_CONFIG_H
#define SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_ROUTER_CONFIG_H

#include <string_view>

#include "switchboard/routing_predicate.hpp"

namespace sb::routing_capability {

struct RouterConfig {
  routing::Policy order = routing::Policy::kTargetedFirst;
  bool resolve_local = true;
};

// Parses `config_json` (a JSON object; empty text counts as {}). Throws
// sb::Error(SB_INVALID_ARGUMENT, <key>, <message>) for an unknown key (named), an `order` other
// than the two policies (the message names `order`, the value and both allowed values), or a
// non-boolean `resolve_local`.
RouterConfig ParseRouterConfig(std::string_view config_json);

}  // namespace sb::routing_capability

#endif  // SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_ROUTER_CONFIG_H
