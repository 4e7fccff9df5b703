#include "routing_request.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "local_resolution.h"
#include "normalize.h"
#include "switchboard/plugin.hpp"

namespace sb::routing_capability {
namespace {

using nlohmann::json;

double ContextNow(const json& context) {
  const json& now = Member(context, "now");
  if (!now.is_number() || !std::isfinite(now.get<double>())) {
    throw Error(SB_INVALID_ARGUMENT, "context.now",
                "context.now must be the current time as a finite number of Unix seconds; got " +
                    DescribeValue(now) + ". The host passes its clock's time.");
  }
  return now.get<double>();
}

}  // namespace

std::string NormalizeRequest(std::string_view request_text, std::string_view context_text,
                             bool resolve_local) {
  const json request = ParseObject(request_text, "the routing request");
  RejectUnknownKeys(request,
                    {"target_agent_name", "required_capabilities", "priority", "deadline_seconds"},
                    "the routing request");
  const json context = ParseObject(context_text, "the routing context");

  std::optional<std::string> target = NormalizeTargetName(Member(request, "target_agent_name"));
  const std::vector<std::string> capabilities = NormalizeCapabilities(
      Member(request, "required_capabilities"), "required_capabilities", kMaxRequiredCapabilities);
  const int64_t priority = NormalizePriority(Member(request, "priority"));
  const std::optional<int64_t> deadline_seconds =
      NormalizeDeadlineSeconds(Member(request, "deadline_seconds"));

  std::optional<double> deadline_at;
  if (deadline_seconds.has_value()) {
    deadline_at = ContextNow(context) + static_cast<double>(*deadline_seconds);
  }

  bool resolved = false;
  if (resolve_local && !target.has_value() && !capabilities.empty()) {
    target = ResolveLocalAgent(capabilities, ParseLocalAgents(Member(context, "local_agents")));
    resolved = target.has_value();
  }

  // ordered_json keeps the field order of ROUTING.md §2.
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["target_agent_name"] = target.has_value() ? nlohmann::ordered_json(*target) : nullptr;
  out["required_capabilities"] = capabilities;
  out["priority"] = priority;
  out["deadline_at"] = deadline_at.has_value() ? nlohmann::ordered_json(*deadline_at) : nullptr;
  if (resolved) out["resolved_from"] = "capabilities";
  return out.dump();
}

}  // namespace sb::routing_capability
