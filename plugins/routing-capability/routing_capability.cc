// routing-capability: the default router plugin (ROUTING.md §4). It validates and normalizes the
// routing fields of new jobs, resolves capability-only requests to local agents, normalizes worker
// identities and names the claim order. The class is immutable after construction, so every
// operation may run on any thread at once, as router.h requires.
#include <string>
#include <string_view>

#include "router_config.h"
#include "routing_request.h"
#include "switchboard/plugin.hpp"
#include "switchboard/routing_predicate.hpp"
#include "worker_identity.h"

namespace sb::routing_capability {
namespace {

class RoutingCapability final : public Router {
 public:
  explicit RoutingCapability(const CreateArgs& args)
      : config_(ParseRouterConfig(args.config_json)) {}

  std::string Normalize(std::string_view request, std::string_view context) override {
    return NormalizeRequest(request, context, config_.resolve_local);
  }

  std::string NormalizeIdentity(std::string_view identity) override {
    return routing_capability::NormalizeIdentity(identity);
  }

  std::string Policy() override { return routing::PolicyName(config_.order); }

 private:
  const RouterConfig config_;
};

}  // namespace
}  // namespace sb::routing_capability

SB_ROUTER_PLUGIN(sb::routing_capability::RoutingCapability, "routing-capability", "0.1.0",
                 "Apache-2.0",
                 "Validates and normalizes job routing, resolves capability requests to local "
                 "agents, and names the claim order.")
