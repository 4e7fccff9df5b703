// switchboard/routing_predicate.hpp — the standard claim predicate and claim order of ROUTING.md.
//
// Purpose: the one definition of "may this worker identity claim this job now" (ROUTING.md §5.1),
// of the claim_by_id refusal reasons (§5.4) and of the two claim orders (§5.2). In-process stores
// (store-fs) use it for `claim` and `claim_by_id`; the host uses it for wake-ups, notifications and
// `target_online`; the router uses its capability rule for local resolution (§4.3). SQL stores
// compile the same rules into SQL, and the conformance suite checks that they agree (JOBS.md
// J-082). A router may not change these rules.
//
// Ownership: every function takes plain structs by const reference and keeps nothing; the structs
// own their strings. Nothing here allocates or throws.
//
// Threads: all functions are pure and deterministic (no clock: `now` is a parameter), so they may
// be called from any thread at once.
//
// Inputs are expected to be normalized already (capabilities trimmed and de-duplicated by the
// router's `normalize` / `normalize_identity`). Comparison is exact and case-sensitive, byte for
// byte: no trimming, case folding or pattern matching happens here.
//
// Requirements: C++17 and the standard library only (g++ 12 / libstdc++, clang 14 / libc++).
#ifndef SWITCHBOARD_ROUTING_PREDICATE_HPP
#define SWITCHBOARD_ROUTING_PREDICATE_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {
namespace routing {

// The routing-relevant part of a job record (ROUTING.md §2, JOBS.md §2.1).
struct JobView {
  std::string status;                            // "pending", "running", "done", "failed", ...
  std::optional<std::string> target_agent_name;  // routing.target_agent_name; nullopt = untargeted
  std::vector<std::string> required_capabilities;  // routing.required_capabilities
  int64_t priority = 0;                            // routing.priority; higher is more urgent
  std::optional<double> deadline_at;  // routing.deadline_at (Unix seconds); nullopt = none
  double created_at = 0;              // Unix seconds
  int64_t enqueue_seq = 0;            // strictly increasing per store
};

// A worker identity W (ROUTING.md §5.1, §10.1). The worker_id plays no part in matching.
struct IdentityView {
  std::optional<std::string> name;  // nullopt never matches a target
  std::vector<std::string> capabilities;
  bool accepts_untargeted = true;
};

// ---- Policy (ROUTING.md §5.2) -----------------------------------------------------------------

enum class Policy {
  kTargetedFirst,   // "targeted_first" (default): targeted jobs before untargeted ones
  kStrictPriority,  // "strict_priority": priority alone decides first
};

// "targeted_first" -> kTargetedFirst, "strict_priority" -> kStrictPriority; anything else
// (other case, surrounding spaces included) -> nullopt.
inline std::optional<Policy> ParsePolicy(std::string_view text) {
  if (text == "targeted_first") return Policy::kTargetedFirst;
  if (text == "strict_priority") return Policy::kStrictPriority;
  return std::nullopt;
}

// The configuration / wire name of a policy (a string literal with static storage).
inline const char* PolicyName(Policy policy) {
  return policy == Policy::kStrictPriority ? "strict_priority" : "targeted_first";
}

// ---- Predicate (ROUTING.md §5.1, §5.4) ----------------------------------------------------------

// The answer of CheckClaim. The refusals carry the names (and meaning) of the claim_by_id outcomes
// of §5.4 and of SB_NOT_PENDING / SB_NOT_CLAIMABLE / SB_DEADLINE_PASSED in abi.h.
enum class ClaimCheck {
  kClaimable,       // every rule of §5.1 holds
  kNotPending,      // rule 1: the job is running or terminal
  kNotClaimable,    // rules 2-3: target, capabilities or accepts_untargeted do not match
  kDeadlinePassed,  // rule 4: deadline_at <= now
};

// "claimable", "not_pending", "not_claimable" or "deadline_passed".
inline const char* ClaimCheckName(ClaimCheck check) {
  switch (check) {
    case ClaimCheck::kClaimable:
      return "claimable";
    case ClaimCheck::kNotPending:
      return "not_pending";
    case ClaimCheck::kNotClaimable:
      return "not_claimable";
    case ClaimCheck::kDeadlinePassed:
      return "deadline_passed";
  }
  return "not_claimable";
}

// Rule 2: a targeted job needs identity.name == target (exact bytes; a nullopt name never matches);
// an untargeted job needs identity.accepts_untargeted.
inline bool MatchesTarget(const JobView& job, const IdentityView& identity) {
  if (job.target_agent_name.has_value()) {
    return identity.name.has_value() && *identity.name == *job.target_agent_name;
  }
  return identity.accepts_untargeted;
}

// Rule 3 (also the resolution rule of §4.3): every string of `required` occurs in `offered` (set
// superset, exact and case-sensitive). An empty `required` always holds.
inline bool HasAllCapabilities(const std::vector<std::string>& required,
                               const std::vector<std::string>& offered) {
  for (const std::string& capability : required) {
    if (std::find(offered.begin(), offered.end(), capability) == offered.end()) return false;
  }
  return true;
}

// Rule 4: no deadline, or now < deadline_at. A deadline equal to `now` has passed (§8.1).
inline bool BeforeDeadline(const JobView& job, double now) {
  return !job.deadline_at.has_value() || now < *job.deadline_at;
}

// Evaluates the predicate of §5.1 for `job`, `identity` and `now`, reporting the first rule that
// fails. Order: status first (a running or terminal job is "not_pending" whoever asks), then the
// identity rules (target, capabilities, accepts_untargeted -> "not_claimable"), then the deadline
// ("deadline_passed"). So an identity that could never claim the job is told "not_claimable" even
// when the deadline has also passed; "deadline_passed" is reported only to an identity that would
// otherwise have got the job.
inline ClaimCheck CheckClaim(const JobView& job, const IdentityView& identity, double now) {
  if (job.status != "pending") return ClaimCheck::kNotPending;
  if (!MatchesTarget(job, identity)) return ClaimCheck::kNotClaimable;
  if (!HasAllCapabilities(job.required_capabilities, identity.capabilities)) {
    return ClaimCheck::kNotClaimable;
  }
  if (!BeforeDeadline(job, now)) return ClaimCheck::kDeadlinePassed;
  return ClaimCheck::kClaimable;
}

// True when `identity` may claim `job` at `now` (CheckClaim(...) == kClaimable).
inline bool Claimable(const JobView& job, const IdentityView& identity, double now) {
  return CheckClaim(job, identity, now) == ClaimCheck::kClaimable;
}

// ---- Order (ROUTING.md §5.2) --------------------------------------------------------------------

// True when `a` is claimed before `b` under `policy`. A strict weak ordering, usable with
// std::sort:
//   targeted_first:  targeted before untargeted, then priority DESC, created_at ASC, enqueue_seq
//   ASC strict_priority: priority DESC, created_at ASC, enqueue_seq ASC
// Whether a job is targeted depends only on target_agent_name being set, not on who asks.
// REQUIRES: created_at is not NaN.
inline bool ClaimsBefore(const JobView& a, const JobView& b, Policy policy) {
  if (policy == Policy::kTargetedFirst) {
    const bool a_targeted = a.target_agent_name.has_value();
    const bool b_targeted = b.target_agent_name.has_value();
    if (a_targeted != b_targeted) return a_targeted;
  }
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.created_at != b.created_at) return a.created_at < b.created_at;
  return a.enqueue_seq < b.enqueue_seq;
}

// The index of the job `identity` claims from `jobs` at `now` under `policy`: the first by
// ClaimsBefore among the claimable ones (jobs equal under the order: the lowest index), or nullopt
// (NONE) when no job is claimable. `jobs` may hold jobs of any status; only pending ones count.
inline std::optional<std::size_t> PickNext(const std::vector<JobView>& jobs,
                                           const IdentityView& identity, double now,
                                           Policy policy) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!Claimable(jobs[i], identity, now)) continue;
    if (!best.has_value() || ClaimsBefore(jobs[i], jobs[*best], policy)) best = i;
  }
  return best;
}

}  // namespace routing
}  // namespace sb

#endif  // SWITCHBOARD_ROUTING_PREDICATE_HPP
