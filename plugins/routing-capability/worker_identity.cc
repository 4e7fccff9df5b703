#include "worker_identity.h"

#include <nlohmann/json.hpp>

#include "normalize.h"

namespace sb::routing_capability {

std::string NormalizeIdentity(std::string_view identity_text) {
  const nlohmann::json identity = ParseObject(identity_text, "the worker identity");
  RejectUnknownKeys(identity, {"name", "capabilities", "accepts_untargeted", "worker_id"},
                    "the worker identity");
  const std::optional<std::string> name = NormalizeIdentityName(Member(identity, "name"));
  const std::vector<std::string> capabilities =
      NormalizeCapabilities(Member(identity, "capabilities"), "capabilities", std::nullopt);
  const bool accepts_untargeted =
      NormalizeAcceptsUntargeted(Member(identity, "accepts_untargeted"));

  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["name"] = name.has_value() ? nlohmann::ordered_json(*name) : nullptr;
  out["capabilities"] = capabilities;
  out["accepts_untargeted"] = accepts_untargeted;
  return out.dump();
}

}  // namespace sb::routing_capability
