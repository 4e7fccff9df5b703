// Compile-only check: routing_predicate.hpp builds as plain C++17 with every function used, under
// g++ (libstdc++) and clang++-14 (libc++). Registered as ctest cases in CMakeLists.txt; never
// linked.
#include "switchboard/routing_predicate.hpp"

namespace {

[[maybe_unused]] bool UseEverything() {
  using namespace sb::routing;
  std::vector<JobView> jobs(2);
  jobs[0].status = "pending";
  jobs[1].target_agent_name = "alpha";
  IdentityView identity;
  identity.name = "alpha";
  const Policy policy = ParsePolicy("targeted_first").value_or(Policy::kStrictPriority);
  const ClaimCheck check = CheckClaim(jobs[1], identity, 0.0);
  return PolicyName(policy)[0] != '\0' && ClaimCheckName(check)[0] != '\0' &&
         Claimable(jobs[0], identity, 0.0) && MatchesTarget(jobs[0], identity) &&
         HasAllCapabilities({}, identity.capabilities) && BeforeDeadline(jobs[0], 0.0) &&
         ClaimsBefore(jobs[1], jobs[0], policy) &&
         PickNext(jobs, identity, 0.0, policy).has_value();
}

}  // namespace
