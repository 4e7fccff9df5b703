#include "router_config.h"

#include <nlohmann/json.hpp>

#include "normalize.h"
#include "switchboard/plugin.hpp"

namespace sb::routing_capability {

RouterConfig ParseRouterConfig(std::string_view config_json) {
  constexpr std::string_view kWhat = "the routing-capability configuration";
  const nlohmann::json config = ParseObject(config_json, kWhat);
  RejectUnknownKeys(config, {"order", "resolve_local"}, kWhat);

  RouterConfig out;
  if (config.contains("order")) {
    const nlohmann::json& order = config["order"];
    const std::optional<routing::Policy> policy =
        order.is_string() ? routing::ParsePolicy(order.get_ref<const std::string&>())
                          : std::nullopt;
    if (!policy.has_value()) {
      throw Error(SB_INVALID_ARGUMENT, "order",
                  "order must be \"targeted_first\" or \"strict_priority\"; got " +
                      DescribeValue(order) + ". Fix `order` in the router's [plugin.config].");
    }
    out.order = *policy;
  }
  if (config.contains("resolve_local")) {
    const nlohmann::json& resolve_local = config["resolve_local"];
    if (!resolve_local.is_boolean()) {
      throw Error(SB_INVALID_ARGUMENT, "resolve_local",
                  "resolve_local must be a boolean (true or false); got " +
                      DescribeValue(resolve_local) + ". Fix it in the router's [plugin.config].");
    }
    out.resolve_local = resolve_local.get<bool>();
  }
  return out;
}

}  // namespace sb::routing_capability
