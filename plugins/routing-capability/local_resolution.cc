#include "local_resolution.h"

#include <nlohmann/json.hpp>

#include "normalize.h"
#include "switchboard/plugin.hpp"
#include "switchboard/routing_predicate.hpp"

namespace sb::routing_capability {

using nlohmann::json;

std::vector<LocalAgent> ParseLocalAgents(const json& value) {
  if (value.is_null()) return {};
  constexpr const char* kField = "context.local_agents";
  if (!value.is_array()) {
    throw Error(SB_INVALID_ARGUMENT, kField,
                std::string(kField) + " must be an array of {name, capabilities} objects; got " +
                    DescribeValue(value) + ".");
  }
  std::vector<LocalAgent> agents;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& entry = value[i];
    const std::string where = std::string(kField) + "[" + std::to_string(i) + "]";
    const json& name = entry.is_object() ? Member(entry, "name") : entry;
    if (!entry.is_object() || !name.is_string() ||
        !IsRoutingName(name.get_ref<const std::string&>())) {
      throw Error(SB_INVALID_ARGUMENT, kField,
                  where + " must be an object whose name is an agent name matching " +
                      std::string(kNamePattern) + "; got " + DescribeValue(entry) + ".");
    }
    try {
      agents.push_back(
          {name.get<std::string>(),
           NormalizeCapabilities(Member(entry, "capabilities"), where + ".capabilities", {})});
    } catch (const Error& e) {
      throw Error(SB_INVALID_ARGUMENT, kField, e.what());
    }
  }
  return agents;
}

std::optional<std::string> ResolveLocalAgent(const std::vector<std::string>& required,
                                             const std::vector<LocalAgent>& agents) {
  const LocalAgent* best = nullptr;
  for (const LocalAgent& agent : agents) {
    if (!routing::HasAllCapabilities(required, agent.capabilities)) continue;
    // std::string compares as unsigned bytes (char_traits<char>::lt): byte-wise name order.
    if (best == nullptr || agent.name < best->name) best = &agent;
  }
  if (best == nullptr) return std::nullopt;
  return best->name;
}

}  // namespace sb::routing_capability
