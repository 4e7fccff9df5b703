// Tests of switchboard/routing_predicate.hpp: the claim predicate (ROUTING.md §5.1), the
// claim_by_id refusal reasons (§5.4) and the claim orders (§5.2). Case ids refer to ROUTING.md §14
// (RT-…) and JOBS.md §11 (J-…).
#include "switchboard/routing_predicate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "switchboard/abi.h"

namespace sb::routing {
namespace {

constexpr double kNow = 1795000000.0;

JobView Pending() {
  JobView job;
  job.status = "pending";
  job.created_at = kNow - 10;
  return job;
}

JobView Targeted(const std::string& name, int64_t priority = 0) {
  JobView job = Pending();
  job.target_agent_name = name;
  job.priority = priority;
  return job;
}

JobView Untargeted(int64_t priority = 0) {
  JobView job = Pending();
  job.priority = priority;
  return job;
}

JobView Requiring(std::vector<std::string> capabilities) {
  JobView job = Pending();
  job.required_capabilities = std::move(capabilities);
  return job;
}

// W(name, caps) of ROUTING.md §14: accepts untargeted work unless stated.
IdentityView W(std::optional<std::string> name, std::vector<std::string> capabilities = {},
               bool accepts_untargeted = true) {
  IdentityView identity;
  identity.name = std::move(name);
  identity.capabilities = std::move(capabilities);
  identity.accepts_untargeted = accepts_untargeted;
  return identity;
}

const IdentityView kNobody = W(std::nullopt);  // W(null)

// ---- Policy names ------------------------------------------------------------------------------

TEST(RoutingPolicy, ParsesBothNames) {
  EXPECT_EQ(ParsePolicy("targeted_first"), Policy::kTargetedFirst);
  EXPECT_EQ(ParsePolicy("strict_priority"), Policy::kStrictPriority);
}

// RT-P10: any other value is not a policy (exact, case-sensitive, no trimming).
TEST(RoutingPolicy, RejectsOtherNames_RT_P10) {
  for (const char* text : {"fifo", "", "Targeted_first", "STRICT_PRIORITY", " targeted_first",
                           "strict_priority ", "targeted-first"}) {
    EXPECT_FALSE(ParsePolicy(text).has_value()) << text;
  }
}

TEST(RoutingPolicy, NameRoundTrips) {
  for (Policy policy : {Policy::kTargetedFirst, Policy::kStrictPriority}) {
    EXPECT_EQ(ParsePolicy(PolicyName(policy)), policy);
  }
  EXPECT_STREQ(PolicyName(Policy::kTargetedFirst), "targeted_first");
  EXPECT_STREQ(PolicyName(Policy::kStrictPriority), "strict_priority");
}

// ---- Rule 1: status ----------------------------------------------------------------------------

TEST(RoutingPredicate, OnlyPendingJobsAreClaimable) {
  JobView job = Untargeted();
  EXPECT_TRUE(Claimable(job, kNobody, kNow));
  for (const char* status : {"running", "done", "failed", "cancelled", "queued", "Pending", ""}) {
    job.status = status;
    EXPECT_EQ(CheckClaim(job, kNobody, kNow), ClaimCheck::kNotPending) << status;
    EXPECT_FALSE(Claimable(job, kNobody, kNow)) << status;
  }
}

// ---- Rule 2: target ----------------------------------------------------------------------------

// RT-R02 / J-044: only the exact name claims a targeted job.
TEST(RoutingPredicate, TargetedJobNeedsTheExactName_RT_R02) {
  const JobView job = Targeted("reviewer");
  EXPECT_EQ(CheckClaim(job, W("builder"), kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, kNobody, kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, W("reviewer"), kNow), ClaimCheck::kClaimable);
}

// RT-R03: names are compared byte for byte, case-sensitively, with no trimming or prefixes.
TEST(RoutingPredicate, NamesAreExactAndCaseSensitive_RT_R03) {
  const JobView job = Targeted("reviewer");
  for (const char* name : {"Reviewer", "REVIEWER", "reviewer ", " reviewer", "reviewer-2", "review",
                           "reviewers", ""}) {
    EXPECT_FALSE(Claimable(job, W(name), kNow)) << '"' << name << '"';
  }
}

// A null identity name never equals anything, not even an empty target.
TEST(RoutingPredicate, NullIdentityNameNeverMatches) {
  EXPECT_FALSE(Claimable(Targeted(""), kNobody, kNow));
  EXPECT_FALSE(Claimable(Targeted("reviewer"), kNobody, kNow));
  EXPECT_TRUE(Claimable(Targeted(""), W(""), kNow));  // plain byte equality, nothing special
}

// RT-R04: an untargeted job is open to every worker that accepts untargeted work, named or not.
TEST(RoutingPredicate, UntargetedJobIsOpenToAcceptingWorkers_RT_R04) {
  const JobView job = Untargeted();
  EXPECT_TRUE(Claimable(job, kNobody, kNow));
  EXPECT_TRUE(Claimable(job, W("anyone"), kNow));
}

// J-044 / RT-F10: accepts_untargeted = false refuses untargeted jobs but not jobs targeted at it.
TEST(RoutingPredicate, TargetedOnlyWorkerSkipsUntargetedJobs_RT_F10) {
  const IdentityView targeted_only = W("alpha", {}, false);
  EXPECT_EQ(CheckClaim(Untargeted(), targeted_only, kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(Targeted("alpha"), targeted_only, kNow), ClaimCheck::kClaimable);
}

// RT-F01 / RT-R07: no fallback to other workers for a targeted job.
TEST(RoutingPredicate, TargetedJobNeverFallsBack_RT_F01) {
  const JobView job = Targeted("x");
  for (const char* name : {"a", "b", "c", "y", "z"}) EXPECT_FALSE(Claimable(job, W(name), kNow));
}

// ---- Rule 3: capabilities ----------------------------------------------------------------------

// RT-C01 / J-045: the identity's capabilities must be a superset of the requirement.
TEST(RoutingPredicate, CapabilitiesMustBeASuperset_RT_C01) {
  const JobView job = Requiring({"python", "pytest"});
  EXPECT_EQ(CheckClaim(job, W(std::nullopt, {"python"}), kNow), ClaimCheck::kNotClaimable);
  EXPECT_TRUE(Claimable(job, W(std::nullopt, {"python", "pytest", "docker"}), kNow));
  EXPECT_TRUE(Claimable(job, W(std::nullopt, {"pytest", "python"}), kNow));  // order is irrelevant
  EXPECT_FALSE(Claimable(job, kNobody, kNow));
}

// RT-C02: an empty requirement always holds.
TEST(RoutingPredicate, EmptyRequirementAlwaysHolds_RT_C02) {
  const JobView job = Requiring({});
  EXPECT_TRUE(Claimable(job, W(std::nullopt, {}), kNow));
  EXPECT_TRUE(Claimable(job, W(std::nullopt, {"x"}), kNow));
  EXPECT_TRUE(HasAllCapabilities({}, {}));
}

// RT-C03: capabilities are case-sensitive and exact.
TEST(RoutingPredicate, CapabilitiesAreCaseSensitive_RT_C03) {
  const JobView job = Requiring({"Python"});
  EXPECT_FALSE(Claimable(job, W(std::nullopt, {"python"}), kNow));
  EXPECT_FALSE(Claimable(job, W(std::nullopt, {"Python "}), kNow));
  EXPECT_TRUE(Claimable(job, W(std::nullopt, {"Python"}), kNow));
}

// RT-F06: one missing capability is enough to refuse.
TEST(RoutingPredicate, OneMissingCapabilityRefuses_RT_F06) {
  EXPECT_FALSE(Claimable(Requiring({"a", "b", "c"}), W("w", {"a", "b"}), kNow));
  EXPECT_FALSE(HasAllCapabilities({"a", "b", "c"}, {"a", "b"}));
  EXPECT_TRUE(HasAllCapabilities({"a", "b"}, {"c", "b", "a"}));
}

// RT-C06: target and capabilities must both hold.
TEST(RoutingPredicate, TargetAndCapabilitiesBothApply_RT_C06) {
  JobView job = Targeted("alpha");
  job.required_capabilities = {"testing"};
  EXPECT_EQ(CheckClaim(job, W("alpha", {"coding"}), kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, W("beta", {"testing"}), kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, W("alpha", {"testing"}), kNow), ClaimCheck::kClaimable);
}

// ---- Rule 4: deadline --------------------------------------------------------------------------

// RT-D10: claimable strictly before the deadline; a deadline equal to now is not claimable.
TEST(RoutingPredicate, DeadlineBoundary_RT_D10) {
  JobView job = Untargeted();
  job.deadline_at = kNow + 2.0;
  EXPECT_TRUE(Claimable(job, kNobody, kNow + 2.0 - 0.001));
  EXPECT_EQ(CheckClaim(job, kNobody, kNow + 2.0), ClaimCheck::kDeadlinePassed);
  EXPECT_FALSE(Claimable(job, kNobody, kNow + 2.0));
  EXPECT_EQ(CheckClaim(job, kNobody, kNow + 2.001), ClaimCheck::kDeadlinePassed);  // RT-D03
}

TEST(RoutingPredicate, NoDeadlineWaitsIndefinitely) {
  const JobView job = Untargeted();
  EXPECT_TRUE(Claimable(job, kNobody, 1e15));
}

// ---- claim_by_id refusals and their order (§5.4) -----------------------------------------------

// RT-F03: wrong target -> not_claimable; after the deadline -> deadline_passed; running ->
// not_pending.
TEST(RoutingClaimById, RefusalReasons_RT_F03) {
  JobView job = Targeted("x");
  job.deadline_at = kNow + 5;
  EXPECT_EQ(CheckClaim(job, W("y"), kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, W("x"), kNow + 5), ClaimCheck::kDeadlinePassed);
  job.status = "running";
  EXPECT_EQ(CheckClaim(job, W("x"), kNow), ClaimCheck::kNotPending);
}

// The documented order: not_pending, then not_claimable, then deadline_passed.
TEST(RoutingClaimById, RefusalOrder) {
  JobView job = Targeted("x");
  job.required_capabilities = {"gpu"};
  job.deadline_at = kNow;
  job.status = "done";
  EXPECT_EQ(CheckClaim(job, W("y"), kNow), ClaimCheck::kNotPending);
  job.status = "pending";
  EXPECT_EQ(CheckClaim(job, W("y", {"gpu"}), kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, W("x", {}), kNow), ClaimCheck::kNotClaimable);
  EXPECT_EQ(CheckClaim(job, W("x", {"gpu"}), kNow), ClaimCheck::kDeadlinePassed);
  EXPECT_EQ(CheckClaim(job, W("x", {"gpu"}), kNow - 1), ClaimCheck::kClaimable);
}

// The refusal names are those of the ABI status codes.
TEST(RoutingClaimById, NamesMatchAbiStatusNames) {
  EXPECT_STREQ(ClaimCheckName(ClaimCheck::kClaimable), "claimable");
  EXPECT_STREQ(ClaimCheckName(ClaimCheck::kNotPending), sb_status_name(SB_NOT_PENDING));
  EXPECT_STREQ(ClaimCheckName(ClaimCheck::kNotClaimable), sb_status_name(SB_NOT_CLAIMABLE));
  EXPECT_STREQ(ClaimCheckName(ClaimCheck::kDeadlinePassed), sb_status_name(SB_DEADLINE_PASSED));
}

// ---- Order (§5.2) ------------------------------------------------------------------------------

// RT-P04 / J-042: under targeted_first a targeted −5 beats an untargeted 100.
TEST(RoutingOrder, TargetedFirstBeatsPriority_RT_P04) {
  const JobView targeted = Targeted("alpha", -5);
  const JobView untargeted = Untargeted(100);
  EXPECT_TRUE(ClaimsBefore(targeted, untargeted, Policy::kTargetedFirst));
  EXPECT_FALSE(ClaimsBefore(untargeted, targeted, Policy::kTargetedFirst));
  EXPECT_EQ(PickNext({untargeted, targeted}, W("alpha"), kNow, Policy::kTargetedFirst), 1u);
}

// RT-P05 / J-042: strict_priority drops the first key.
TEST(RoutingOrder, StrictPriorityIgnoresTargeting_RT_P05) {
  const JobView targeted = Targeted("alpha", -5);
  const JobView untargeted = Untargeted(100);
  EXPECT_TRUE(ClaimsBefore(untargeted, targeted, Policy::kStrictPriority));
  EXPECT_FALSE(ClaimsBefore(targeted, untargeted, Policy::kStrictPriority));
  EXPECT_EQ(PickNext({untargeted, targeted}, W("alpha"), kNow, Policy::kStrictPriority), 0u);
  // Equal priority under strict_priority: creation time decides, not the target.
  JobView late_targeted = Targeted("alpha", 100);
  late_targeted.created_at = untargeted.created_at + 1;
  EXPECT_TRUE(ClaimsBefore(untargeted, late_targeted, Policy::kStrictPriority));
  EXPECT_TRUE(ClaimsBefore(late_targeted, untargeted, Policy::kTargetedFirst));
}

// RT-P01 / J-043: priority DESC.
TEST(RoutingOrder, HigherPriorityFirst_RT_P01) {
  std::vector<JobView> jobs = {Untargeted(0), Untargeted(10), Untargeted(5)};
  for (int i = 0; i < 3; ++i) jobs[i].enqueue_seq = i + 1;
  std::vector<int64_t> claimed;
  for (Policy policy : {Policy::kTargetedFirst, Policy::kStrictPriority}) {
    std::vector<JobView> queue = jobs;
    claimed.clear();
    while (auto next = PickNext(queue, kNobody, kNow, policy)) {
      claimed.push_back(queue[*next].priority);
      queue[*next].status = "running";
    }
    EXPECT_EQ(claimed, (std::vector<int64_t>{10, 5, 0})) << PolicyName(policy);
  }
}

// RT-P03: −1 comes after 0.
TEST(RoutingOrder, NegativePriorityAfterZero_RT_P03) {
  EXPECT_TRUE(ClaimsBefore(Untargeted(0), Untargeted(-1), Policy::kTargetedFirst));
  EXPECT_EQ(PickNext({Untargeted(-1), Untargeted(0)}, kNobody, kNow, Policy::kStrictPriority), 1u);
}

// RT-P09: priority also orders within the targeted group.
TEST(RoutingOrder, PriorityWithinTargetedGroup_RT_P09) {
  EXPECT_EQ(PickNext({Targeted("alpha", 1), Targeted("alpha", 9)}, W("alpha"), kNow,
                     Policy::kTargetedFirst),
            1u);
}

// Ties: created_at ASC, then enqueue_seq ASC.
TEST(RoutingOrder, TieBreakersCreatedAtThenEnqueueSeq) {
  JobView older = Untargeted(3);
  JobView newer = Untargeted(3);
  older.created_at = 100.0;
  older.enqueue_seq = 9;  // created_at wins over enqueue_seq
  newer.created_at = 100.001;
  newer.enqueue_seq = 1;
  for (Policy policy : {Policy::kTargetedFirst, Policy::kStrictPriority}) {
    EXPECT_TRUE(ClaimsBefore(older, newer, policy));
    EXPECT_FALSE(ClaimsBefore(newer, older, policy));
  }
  newer.created_at = older.created_at;  // now enqueue_seq decides
  EXPECT_TRUE(ClaimsBefore(newer, older, Policy::kTargetedFirst));
  EXPECT_FALSE(ClaimsBefore(older, newer, Policy::kTargetedFirst));
}

// RT-P02 / J-043: equal priority and created_at -> enqueue order.
TEST(RoutingOrder, FrozenClockClaimsInEnqueueOrder_RT_P02) {
  std::vector<JobView> queue;
  for (int64_t seq : {5, 3, 1, 4, 2}) {
    JobView job = Untargeted();
    job.created_at = kNow;
    job.enqueue_seq = seq;
    queue.push_back(job);
  }
  std::vector<int64_t> claimed;
  while (auto next = PickNext(queue, kNobody, kNow, Policy::kTargetedFirst)) {
    claimed.push_back(queue[*next].enqueue_seq);
    queue[*next].status = "running";
  }
  EXPECT_EQ(claimed, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

// RT-P07: a requeued job keeps created_at and enqueue_seq, so it precedes later jobs.
TEST(RoutingOrder, RequeuedJobKeepsItsPlace_RT_P07) {
  JobView requeued = Untargeted(1);
  requeued.created_at = 10;
  requeued.enqueue_seq = 1;
  JobView later = Untargeted(1);
  later.created_at = 20;
  later.enqueue_seq = 2;
  EXPECT_EQ(PickNext({later, requeued}, kNobody, kNow, Policy::kTargetedFirst), 1u);
}

// ClaimsBefore is a strict weak ordering (irreflexive, asymmetric, transitive, transitive
// incomparability), checked exhaustively over a small random set.
TEST(RoutingOrder, IsAStrictWeakOrdering) {
  std::mt19937 rng(42);
  std::vector<JobView> jobs;
  for (int i = 0; i < 40; ++i) {
    JobView job = Pending();
    if (rng() % 2 == 0) job.target_agent_name = (rng() % 2 == 0) ? "a" : "b";
    job.priority = static_cast<int64_t>(rng() % 3) - 1;
    job.created_at = static_cast<double>(rng() % 3);
    job.enqueue_seq = static_cast<int64_t>(rng() % 3);
    jobs.push_back(job);
  }
  for (Policy policy : {Policy::kTargetedFirst, Policy::kStrictPriority}) {
    auto less = [policy](const JobView& x, const JobView& y) { return ClaimsBefore(x, y, policy); };
    auto equiv = [&](const JobView& x, const JobView& y) { return !less(x, y) && !less(y, x); };
    for (const JobView& a : jobs) {
      EXPECT_FALSE(less(a, a));
      for (const JobView& b : jobs) {
        EXPECT_FALSE(less(a, b) && less(b, a));  // asymmetric
        for (const JobView& c : jobs) {
          EXPECT_TRUE(!(less(a, b) && less(b, c)) || less(a, c));  // transitive
          EXPECT_TRUE(!(equiv(a, b) && equiv(b, c)) || equiv(a, c));
        }
      }
    }
  }
}

// ---- PickNext ----------------------------------------------------------------------------------

TEST(RoutingPickNext, NoneWhenNothingIsClaimable) {
  EXPECT_FALSE(PickNext({}, kNobody, kNow, Policy::kTargetedFirst).has_value());
  JobView expired = Untargeted(100);
  expired.deadline_at = kNow;
  JobView running = Untargeted(100);
  running.status = "running";
  EXPECT_FALSE(PickNext({Targeted("x"), expired, running, Requiring({"gpu"})}, W("y"), kNow,
                        Policy::kTargetedFirst)
                   .has_value());
}

// The best claimable job wins, even when a better-ranked job is not claimable by this identity.
TEST(RoutingPickNext, SkipsJobsTheIdentityCannotClaim) {
  JobView expired = Untargeted(100);
  expired.deadline_at = kNow;
  JobView running = Targeted("alpha", 50);
  running.status = "running";
  const std::vector<JobView> jobs = {Targeted("beta", 90), expired, running, Untargeted(1),
                                     Targeted("alpha", 0)};
  EXPECT_EQ(PickNext(jobs, W("alpha"), kNow, Policy::kTargetedFirst), 4u);
  EXPECT_EQ(PickNext(jobs, W("alpha"), kNow, Policy::kStrictPriority), 3u);
  EXPECT_EQ(PickNext(jobs, W("alpha", {}, false), kNow, Policy::kStrictPriority), 4u);
}

// RT-P06: while alpha's targeted jobs wait, another worker still gets every untargeted job.
TEST(RoutingPickNext, UntargetedWorkIsNeverBlocked_RT_P06) {
  std::vector<JobView> queue;
  for (int i = 0; i < 100; ++i) queue.push_back(Targeted("alpha", 1000));
  for (int i = 0; i < 3; ++i) queue.push_back(Untargeted(-1000));
  for (std::size_t i = 0; i < queue.size(); ++i) queue[i].enqueue_seq = static_cast<int64_t>(i);
  int claimed = 0;
  while (auto next = PickNext(queue, W("beta"), kNow, Policy::kTargetedFirst)) {
    EXPECT_FALSE(queue[*next].target_agent_name.has_value());
    queue[*next].status = "running";
    ++claimed;
  }
  EXPECT_EQ(claimed, 3);
}

// Jobs equal under the order: the lowest index wins.
TEST(RoutingPickNext, EqualJobsPickTheLowestIndex) {
  const std::vector<JobView> jobs = {Untargeted(1), Untargeted(2), Untargeted(2)};
  EXPECT_EQ(PickNext(jobs, kNobody, kNow, Policy::kTargetedFirst), 1u);
}

// PickNext agrees with sorting the claimable jobs by ClaimsBefore (J-082's second check, in
// miniature).
TEST(RoutingPickNext, AgreesWithSortedOrder) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<JobView> jobs;
    const int count = static_cast<int>(rng() % 12);
    for (int i = 0; i < count; ++i) {
      JobView job = Pending();
      if (rng() % 3 == 0) job.status = "running";
      if (rng() % 2 == 0) job.target_agent_name = (rng() % 2 == 0) ? "alpha" : "beta";
      if (rng() % 3 == 0) job.required_capabilities = {"gpu"};
      if (rng() % 4 == 0) job.deadline_at = kNow + static_cast<double>(rng() % 3) - 1;
      job.priority = static_cast<int64_t>(rng() % 5) - 2;
      job.created_at = static_cast<double>(rng() % 4);
      job.enqueue_seq = i;
      jobs.push_back(job);
    }
    const IdentityView identity =
        W("alpha", rng() % 2 == 0 ? std::vector<std::string>{"gpu"} : std::vector<std::string>{},
          rng() % 2 == 0);
    for (Policy policy : {Policy::kTargetedFirst, Policy::kStrictPriority}) {
      std::vector<std::size_t> claimable;
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (Claimable(jobs[i], identity, kNow)) claimable.push_back(i);
      }
      std::stable_sort(claimable.begin(), claimable.end(), [&](std::size_t x, std::size_t y) {
        return ClaimsBefore(jobs[x], jobs[y], policy);
      });
      const auto picked = PickNext(jobs, identity, kNow, policy);
      if (claimable.empty()) {
        EXPECT_FALSE(picked.has_value());
      } else {
        ASSERT_TRUE(picked.has_value());
        EXPECT_EQ(*picked, claimable.front());
      }
    }
  }
}

}  // namespace
}  // namespace sb::routing
