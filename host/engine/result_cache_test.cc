// Tests of the result cache, its key and the canonical JSON (TOOLS.md §7, §12.1, §12.2). Test names
// carry the §13.12 case ids they check at the cache level; the tool-level parts (runs counted
// through fake claude, MCP payload checks) belong to the tool tests.
#include "engine/result_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "crypto/sha256.h"

namespace sb {
namespace {

using Json = nlohmann::json;
using std::chrono::seconds;
using TimePoint = std::chrono::steady_clock::time_point;

// A clock the test moves by hand.
struct FakeClock {
  TimePoint now{};
  ResultCache::Clock Function() {
    return [this] { return now; };
  }
};

Json Success(const std::string& agent, const std::string& text = "") {
  return Json{{"agent", agent},
              {"success", true},
              {"result", text.empty() ? "result-from-" + agent : text},
              {"session_id", "sess-1"},
              {"cost_usd", 0.01},
              {"duration_ms", 1000},
              {"num_turns", 1}};
}

CacheSettings Settings(bool enabled = true, int64_t ttl = 300, int64_t max_size = 1000) {
  CacheSettings settings;
  settings.enabled = enabled;
  settings.ttl = ttl;
  settings.max_size = max_size;
  return settings;
}

// --- canonical JSON and keys ---------------------------------------------------------------------

TEST(CanonicalJson, SortedKeysNoSpacesRawUtf8) {
  const Json value = Json::parse(R"({"b": 1, "a": {"z": [1, 2], "y": "caf\u00e9"}, "A": null})");
  EXPECT_EQ(CanonicalJson(value), "{\"A\":null,\"a\":{\"y\":\"caf\xC3\xA9\",\"z\":[1,2]},\"b\":1}");
  // Only the escapes JSON requires.
  EXPECT_EQ(CanonicalJson(Json("q\"\\\n\x01/")), "\"q\\\"\\\\\\n\\u0001/\"");
}

TEST(CanonicalJson, KeysSortByBytesAndInsertionOrderDoesNotMatter) {
  Json first;
  first["b"] = 1;
  first["a"] = 2;
  first["\xC3\xA9"] = 3;  // é sorts after ASCII
  first["B"] = 4;
  Json second;
  second["\xC3\xA9"] = 3;
  second["B"] = 4;
  second["a"] = 2;
  second["b"] = 1;
  EXPECT_EQ(CanonicalJson(first), CanonicalJson(second));
  EXPECT_EQ(CanonicalJson(first), "{\"B\":4,\"a\":2,\"b\":1,\"\xC3\xA9\":3}");
}

TEST(CanonicalJson, InvalidUtf8NeverThrows) {
  EXPECT_EQ(CanonicalJson(Json("a\xFF")), "\"a\xEF\xBF\xBD\"");
}

TEST(CacheKey, IsSha256OfTheCanonicalFields) {
  const std::string expected =
      Sha256Hex(R"({"agent":"infra","caller":"","context":"ctx","goal":"","profile":"p1",)"
                R"("response_format":"json","task":"deploy"})");
  EXPECT_EQ(CacheKey("infra", "deploy", "ctx", "", "", "json", "p1"), expected);
  EXPECT_EQ(expected.size(), 64u);
}

TEST(CacheKey, EveryFieldMatters) {
  const std::string base = CacheKey("a", "t", "c", "r", "g", "", "p");
  EXPECT_NE(CacheKey("b", "t", "c", "r", "g", "", "p"), base);
  EXPECT_NE(CacheKey("a", "u", "c", "r", "g", "", "p"), base);
  EXPECT_NE(CacheKey("a", "t", "d", "r", "g", "", "p"), base);
  EXPECT_NE(CacheKey("a", "t", "c", "s", "g", "", "p"), base);
  EXPECT_NE(CacheKey("a", "t", "c", "r", "h", "", "p"), base);
  EXPECT_NE(CacheKey("a", "t", "c", "r", "g", "json", "p"), base);
  EXPECT_NE(CacheKey("a", "t", "c", "r", "g", "", "q"), base);
  // Fields cannot bleed into each other.
  EXPECT_NE(CacheKey("ab", "", "", "", "", "", ""), CacheKey("a", "b", "", "", "", "", ""));
}

TEST(ProfileFingerprint, EveryKeyCountsAndOrderDoesNot) {
  const Json table = Json::parse(R"({"directory": "/x", "timeout": 0, "unknown_key": [1]})");
  const Json reordered = Json::parse(R"({"unknown_key": [1], "timeout": 0, "directory": "/x"})");
  EXPECT_EQ(ProfileFingerprint(table), ProfileFingerprint(reordered));
  EXPECT_EQ(ProfileFingerprint(table), Sha256Hex(CanonicalJson(table)));
  Json edited = table;
  edited["model"] = "haiku";  // T-247's edit
  EXPECT_NE(ProfileFingerprint(edited), ProfileFingerprint(table));
  edited = table;
  edited["instructions"] = "x";  // T-248's edit
  EXPECT_NE(ProfileFingerprint(edited), ProfileFingerprint(table));
  EXPECT_EQ(RemoteProfile("infra"), "remote:infra");
}

// --- §12.1 stats ---------------------------------------------------------------------------------

TEST(ResultCache, T240FreshStats) {
  ResultCache cache(CacheSettings{});
  EXPECT_EQ(cache.StatsJson(), Json::parse(R"({"size": 0, "max_size": 1000, "hits": 0,
      "misses": 0, "evictions": 0, "hit_rate": 0.0, "ttl": 300})"));
  const Json stats = cache.StatsJson();
  EXPECT_TRUE(stats["hit_rate"].is_number_float());
  EXPECT_NE(stats.dump().find("\"hit_rate\":0.0"), std::string::npos) << stats.dump();
}

TEST(ResultCache, T241OneMissThenTwoHits) {
  ResultCache cache(CacheSettings{});
  const std::string key = CacheKey("infra", "deploy", "", "", "", "", "p");
  EXPECT_FALSE(cache.Lookup(key).has_value());
  ASSERT_TRUE(cache.Store(key, "infra", "p", Success("infra")));
  EXPECT_EQ(cache.Lookup(key), Success("infra"));
  EXPECT_EQ(cache.Lookup(key), Success("infra"));
  const Json stats = cache.StatsJson();
  EXPECT_EQ(stats["hits"], 2);
  EXPECT_EQ(stats["misses"], 1);
  EXPECT_EQ(stats["size"], 1);
  EXPECT_EQ(stats["hit_rate"], 0.667);
  EXPECT_NE(stats.dump().find("\"hit_rate\":0.667"), std::string::npos) << stats.dump();
}

TEST(ResultCache, HitRateRoundsToThreeDecimalsHalfToEven) {
  ResultCache cache(CacheSettings{});
  ASSERT_TRUE(cache.Store("k", "a", "p", Success("a")));
  // 1 hit of 16 lookups = 0.0625 exactly: Python's round(0.0625, 3) is 0.062.
  ASSERT_TRUE(cache.Lookup("k"));
  for (int i = 0; i < 15; ++i) ASSERT_FALSE(cache.Lookup("missing"));
  EXPECT_EQ(cache.StatsJson()["hit_rate"], 0.062);
  // 2 of 17 = 0.11764... → 0.118.
  ASSERT_TRUE(cache.Lookup("k"));
  EXPECT_EQ(cache.StatsJson()["hit_rate"], 0.118);
  // All hits → 1.0.
  cache.Clear();
  ASSERT_TRUE(cache.Store("k", "a", "p", Success("a")));
  ASSERT_TRUE(cache.Lookup("k"));
  EXPECT_EQ(cache.StatsJson()["hit_rate"], 1.0);
  EXPECT_NE(cache.StatsJson().dump().find("\"hit_rate\":1.0"), std::string::npos);
}

// --- §7 store, eviction, expiry ------------------------------------------------------------------

TEST(ResultCache, T242FifoEvictionAtMaxSize) {
  ResultCache cache(Settings(true, 300, 3));
  for (const char* key : {"k1", "k2", "k3", "k4"}) {
    EXPECT_FALSE(cache.Lookup(key).has_value());
    ASSERT_TRUE(cache.Store(key, "infra", "p", Success("infra", key)));
  }
  Json stats = cache.StatsJson();
  EXPECT_EQ(stats["size"], 3);
  EXPECT_EQ(stats["evictions"], 1);
  EXPECT_FALSE(cache.Lookup("k1").has_value());  // the first request misses again
  ASSERT_TRUE(cache.Lookup("k4").has_value());   // while the fourth hits
  EXPECT_EQ((*cache.Lookup("k4"))["result"], "k4");
}

TEST(ResultCache, ReplacingAKeyDoesNotEvictAndRestartsAge) {
  FakeClock clock;
  ResultCache cache(Settings(true, 10, 2), clock.Function());
  ASSERT_TRUE(cache.Store("a", "x", "p", Success("x", "old")));
  ASSERT_TRUE(cache.Store("b", "x", "p", Success("x")));
  clock.now += seconds(8);
  ASSERT_TRUE(cache.Store("a", "x", "p", Success("x", "new")));  // at capacity, but a replacement
  EXPECT_EQ(cache.StatsJson()["evictions"], 0);
  EXPECT_EQ(cache.StatsJson()["size"], 2);
  clock.now += seconds(5);  // a is 5 s old, b is 13 s old
  EXPECT_FALSE(cache.Lookup("b").has_value());
  ASSERT_TRUE(cache.Lookup("a").has_value());
  EXPECT_EQ((*cache.Lookup("a"))["result"], "new");
}

TEST(ResultCache, ReplacedKeyBecomesTheNewestForEviction) {
  ResultCache cache(Settings(true, 300, 2));
  ASSERT_TRUE(cache.Store("a", "x", "p", Success("x")));
  ASSERT_TRUE(cache.Store("b", "x", "p", Success("x")));
  ASSERT_TRUE(cache.Store("a", "x", "p", Success("x")));  // a is now stored latest
  ASSERT_TRUE(cache.Store("c", "x", "p", Success("x")));  // evicts b
  EXPECT_TRUE(cache.Lookup("a").has_value());
  EXPECT_FALSE(cache.Lookup("b").has_value());
  EXPECT_EQ(cache.StatsJson()["evictions"], 1);
}

TEST(ResultCache, T243TtlWithInjectedClock) {
  FakeClock clock;
  ResultCache cache(Settings(true, 1), clock.Function());
  ASSERT_TRUE(cache.Store("k", "infra", "p", Success("infra")));
  clock.now += seconds(1);  // age 1 is not greater than ttl 1
  EXPECT_TRUE(cache.Lookup("k").has_value());
  clock.now += seconds(1);  // age 2 > 1: removed, a miss, and a new run follows
  EXPECT_FALSE(cache.Lookup("k").has_value());
  Json stats = cache.StatsJson();
  EXPECT_EQ(stats["size"], 0);
  EXPECT_EQ(stats["hits"], 1);
  EXPECT_EQ(stats["misses"], 1);
  EXPECT_EQ(stats["evictions"], 0);  // expiry is not an eviction
}

TEST(ResultCache, T243TtlZeroServesNothing) {
  ResultCache cache(Settings(true, 0));
  EXPECT_FALSE(cache.Store("k", "infra", "p", Success("infra")));
  EXPECT_FALSE(cache.Lookup("k").has_value());
  EXPECT_FALSE(cache.Store("k", "infra", "p", Success("infra")));
  EXPECT_FALSE(cache.Lookup("k").has_value());
  const Json stats = cache.StatsJson();
  EXPECT_EQ(stats["size"], 0);
  EXPECT_EQ(stats["misses"], 2);
  EXPECT_EQ(stats["hits"], 0);
  EXPECT_EQ(stats["ttl"], 0);
}

TEST(ResultCache, StatsDropExpiredEntriesFirst) {
  FakeClock clock;
  ResultCache cache(Settings(true, 10), clock.Function());
  ASSERT_TRUE(cache.Store("old", "x", "p", Success("x")));
  clock.now += seconds(6);
  ASSERT_TRUE(cache.Store("new", "x", "p", Success("x")));
  EXPECT_EQ(cache.StatsJson()["size"], 2);
  clock.now += seconds(5);  // old is 11 s old
  const Json stats = cache.StatsJson();
  EXPECT_EQ(stats["size"], 1);
  EXPECT_EQ(stats["misses"], 0);  // dropping is not a lookup
  EXPECT_EQ(stats["evictions"], 0);
}

TEST(ResultCache, StoreAtCapacityDropsExpiredBeforeEvicting) {
  FakeClock clock;
  ResultCache cache(Settings(true, 10, 1), clock.Function());
  ASSERT_TRUE(cache.Store("a", "x", "p", Success("x")));
  clock.now += seconds(11);
  ASSERT_TRUE(cache.Store("b", "x", "p", Success("x")));
  EXPECT_EQ(cache.StatsJson()["evictions"], 0);
}

TEST(ResultCache, ReadsNeverRefreshAge) {
  FakeClock clock;
  ResultCache cache(Settings(true, 10), clock.Function());
  ASSERT_TRUE(cache.Store("k", "x", "p", Success("x")));
  for (int i = 0; i < 5; ++i) {
    clock.now += seconds(2);
    EXPECT_TRUE(cache.Lookup("k").has_value());
  }
  clock.now += seconds(1);  // 11 s after the store
  EXPECT_FALSE(cache.Lookup("k").has_value());
}

TEST(ResultCache, NeverStoredResults) {
  ResultCache cache(CacheSettings{});
  Json failed = Success("a");
  failed["success"] = false;
  Json denied = Success("a");
  denied["denied_tools"] = {"Bash"};
  Json budget = Success("a");
  budget["budget_exceeded"] = true;
  Json partial = Success("a");
  partial["outcome"] = "partial";
  Json blocked = Success("a");
  blocked["outcome"] = "blocked";
  Json no_success = Success("a");
  no_success.erase("success");
  for (const Json& result : {failed, denied, budget, partial, blocked, no_success, Json("text")}) {
    EXPECT_FALSE(ResultCache::IsCacheable(result)) << result.dump();
    EXPECT_FALSE(cache.Store("k", "a", "p", result)) << result.dump();
  }
  EXPECT_EQ(cache.StatsJson()["size"], 0);

  Json done = Success("a");
  done["outcome"] = "done";
  done["denied_tools"] = Json::array();
  done["budget_exceeded"] = false;
  EXPECT_TRUE(ResultCache::IsCacheable(done));
  EXPECT_TRUE(cache.Store("k", "a", "p", done));
}

TEST(ResultCache, UncacheableResultDoesNotReplaceAnEntry) {
  ResultCache cache(CacheSettings{});
  ASSERT_TRUE(cache.Store("k", "a", "p", Success("a", "good")));
  Json failed = Success("a");
  failed["success"] = false;
  EXPECT_FALSE(cache.Store("k", "a", "p", failed));
  EXPECT_EQ((*cache.Lookup("k"))["result"], "good");
}

// --- §12.2 clear, disabled -----------------------------------------------------------------------

TEST(ResultCache, T244ClearCountsAndResets) {
  ResultCache cache(CacheSettings{});
  EXPECT_FALSE(cache.Lookup("k").has_value());
  ASSERT_TRUE(cache.Store("k", "infra", "p", Success("infra")));
  ASSERT_TRUE(cache.Lookup("k").has_value());
  EXPECT_EQ(cache.ClearJson(), Json::parse(R"({"cleared": 1})"));
  const Json stats = cache.StatsJson();
  EXPECT_EQ(stats["size"], 0);
  EXPECT_EQ(stats["hits"], 0);
  EXPECT_EQ(stats["misses"], 0);
  EXPECT_EQ(stats["evictions"], 0);
  EXPECT_EQ(cache.ClearJson(), Json::parse(R"({"cleared": 0})"));
}

TEST(ResultCache, T245DisabledCacheNeitherServesNorCounts) {
  ResultCache cache(Settings(false));
  EXPECT_FALSE(cache.enabled());
  EXPECT_FALSE(cache.Store("k", "infra", "p", Success("infra")));
  EXPECT_FALSE(cache.Lookup("k").has_value());  // so two identical dispatches both run
  const Json stats = cache.StatsJson();
  EXPECT_EQ(stats, cache.ClearJson());
  EXPECT_EQ(stats, ResultCache::DisabledJson());
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats["enabled"], false);
  ASSERT_TRUE(stats["message"].is_string());
  const auto message = stats["message"].get<std::string>();
  EXPECT_NE(message.find("[host.cache]"), std::string::npos);
  EXPECT_NE(message.find("plugins.toml"), std::string::npos);
}

// --- §7 invalidation -----------------------------------------------------------------------------

TEST(ResultCache, T246InvalidateAgentDropsOnlyThatAgent) {
  ResultCache cache(CacheSettings{});
  const std::string infra_key = CacheKey("infra", "t", "", "", "", "", "pi");
  const std::string db_key = CacheKey("db", "t", "", "", "", "", "pd");
  ASSERT_TRUE(cache.Store(infra_key, "infra", "pi", Success("infra")));
  ASSERT_TRUE(
      cache.Store(CacheKey("infra", "u", "", "", "", "", "pi"), "infra", "pi", Success("infra")));
  ASSERT_TRUE(cache.Store(db_key, "db", "pd", Success("db")));
  EXPECT_EQ(cache.InvalidateAgent("infra"), 2u);
  EXPECT_FALSE(cache.Lookup(infra_key).has_value());  // the next infra dispatch runs fresh
  EXPECT_TRUE(cache.Lookup(db_key).has_value());      // db is still a hit
  EXPECT_EQ(cache.InvalidateAgent("nobody"), 0u);
  EXPECT_EQ(cache.StatsJson()["evictions"], 0);  // invalidation is not an eviction
}

TEST(ResultCache, InvalidateWhereForReloads) {
  // A reload drops entries of removed agents and of agents whose profile changed (T-247).
  ResultCache cache(CacheSettings{});
  ASSERT_TRUE(cache.Store("i", "infra", "old", Success("infra")));
  ASSERT_TRUE(cache.Store("d", "db", "pd", Success("db")));
  ASSERT_TRUE(cache.Store("w", "web", "pw", Success("web")));
  const std::map<std::string, std::string> profiles = {{"infra", "new"}, {"db", "pd"}};
  const std::size_t dropped =
      cache.InvalidateWhere([&](const std::string& agent, const std::string& profile) {
        const auto it = profiles.find(agent);
        return it == profiles.end() || it->second != profile;
      });
  EXPECT_EQ(dropped, 2u);
  EXPECT_FALSE(cache.Lookup("i").has_value());
  EXPECT_TRUE(cache.Lookup("d").has_value());
  EXPECT_FALSE(cache.Lookup("w").has_value());
}

// --- T-250 deep copies ---------------------------------------------------------------------------

TEST(ResultCache, T250ReturnedValueIsADeepCopy) {
  ResultCache cache(CacheSettings{});
  Json original = Success("infra");
  original["parsed_result"] = {{"nested", {1, 2, 3}}};
  ASSERT_TRUE(cache.Store("k", "infra", "p", original));
  original["result"] = "changed after store";  // the caller's value is not shared either

  auto first = cache.Lookup("k");
  ASSERT_TRUE(first.has_value());
  (*first)["result"] = "mutated";
  (*first)["parsed_result"]["nested"].push_back(4);
  (*first)["cached"] = true;

  const auto second = cache.Lookup("k");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ((*second)["result"], "result-from-infra");
  EXPECT_EQ((*second)["parsed_result"]["nested"], Json({1, 2, 3}));
  EXPECT_FALSE(second->contains("cached"));
}

// --- threads -------------------------------------------------------------------------------------

TEST(ResultCache, ConcurrentUseKeepsCountersConsistent) {
  ResultCache cache(Settings(true, 300, 50));
  constexpr int kThreads = 4;
  constexpr int kOps = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < kOps; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 80);
        if (!cache.Lookup(key)) cache.Store(key, "a" + std::to_string(t % 2), "p", Success("a"));
        if (i % 100 == 0) cache.InvalidateAgent("a1");
        if (i % 50 == 0) (void)cache.StatsJson();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const Json stats = cache.StatsJson();
  EXPECT_EQ(stats["hits"].get<int>() + stats["misses"].get<int>(), kThreads * kOps);
  EXPECT_LE(stats["size"].get<int>(), 50);
}

}  // namespace
}  // namespace sb
