// result_cache.h — the in-memory result cache in front of the job path, its key and the agent
// profile fingerprint (TOOLS.md §7, §12.1, §12.2).
//
// Purpose: `dispatch` and each `dispatch_parallel` item look a request up by CacheKey and store
// cacheable results (IsCacheable) after the run. Entries expire when their age on the monotonic
// clock exceeds `ttl`; with `ttl = 0` nothing is stored or served. A new key stored at capacity
// evicts the entry stored earliest (FIFO); storing an existing key replaces it, restarts its age
// and makes it the newest, without an eviction; reads never refresh age. Entries remember their
// agent and profile fingerprint so that agent edits and reloads can drop them. With
// `enabled = false` nothing is looked up, stored or counted.
//
// Ownership: one ResultCache per process, owned by the server. Results are copied in on Store and
// copied out on Lookup, so no caller ever shares a value with the cache (T-250).
//
// Threads: every member function may be called from any thread; one mutex guards the state and
// JSON copies are made outside it. The clock must be monotonic (never go backwards).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "config/plugins_config.h"

namespace sb {

// Canonical JSON: object keys sorted by byte order, no whitespace, non-ASCII written raw as UTF-8
// (invalid UTF-8 in strings becomes U+FFFD rather than failing).
std::string CanonicalJson(const nlohmann::json& value);

// The cache key (§7): SHA-256 hex of the canonical JSON of the request fields. An absent field is
// passed as "" (absent and "" are the same value); `response_format` is the normalized one of
// §6.1 and `profile` the agent's ProfileFingerprint (or RemoteProfile).
std::string CacheKey(std::string_view agent, std::string_view task, std::string_view context,
                     std::string_view caller, std::string_view goal,
                     std::string_view response_format, std::string_view profile);

// SHA-256 hex of the canonical JSON of the agent's stored `agents.toml` table (every key).
std::string ProfileFingerprint(const nlohmann::json& agent_table);

// The profile of an agent served only by a remote worker: "remote:<name>".
std::string RemoteProfile(std::string_view agent);

class ResultCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` defaults to std::chrono::steady_clock::now. REQUIRES: settings.ttl >= 0 and
  // settings.max_size >= 1 (plugins.toml loading checks both).
  explicit ResultCache(const CacheSettings& settings, Clock clock = {});

  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  bool enabled() const { return settings_.enabled; }

  // A deep copy of the result stored under `key`, or nullopt (a miss; an expired entry is removed
  // and counts a miss). Counts nothing while disabled.
  std::optional<nlohmann::json> Lookup(const std::string& key);

  // Stores a copy of `result` under `key` when the cache is enabled, ttl > 0 and the result is
  // cacheable. Returns whether it was stored.
  bool Store(const std::string& key, std::string_view agent, std::string_view profile,
             const nlohmann::json& result);

  // False for results that must go back uncached (§7 "Never stored"): anything but an object with
  // `success: true`, a non-empty `denied_tools`, `budget_exceeded: true`, or `outcome` "partial"
  // or "blocked".
  static bool IsCacheable(const nlohmann::json& result);

  // Drops every entry of `agent` (add_agent, update_agent, remove_agent). Returns how many.
  std::size_t InvalidateAgent(std::string_view agent);

  // Drops every entry for which `drop(agent, profile)` is true (a reload: removed agents and
  // changed profiles). `drop` runs under the cache's lock and must not call back into the cache.
  std::size_t InvalidateWhere(
      const std::function<bool(const std::string& agent, const std::string& profile)>& drop);

  // Removes every entry and resets hits, misses and evictions. Returns how many entries it
  // removed.
  std::size_t Clear();

  // The `cache_stats` payload (§12.1): expired entries are dropped first; the disabled notice
  // while disabled.
  nlohmann::json StatsJson();

  // The `cache_clear` payload (§12.2): {"cleared": n}, or the disabled notice.
  nlohmann::json ClearJson();

  // {"enabled": false, "message": ...}, the payload of both tools while the cache is off.
  static nlohmann::json DisabledJson();

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    std::string key;
    std::string agent;
    std::string profile;
    TimePoint stored_at;
    std::shared_ptr<const nlohmann::json> result;
  };
  using Entries = std::list<Entry>;  // stored earliest first

  bool ExpiredLocked(const Entry& entry, TimePoint now) const;
  void DropExpiredLocked(TimePoint now);
  void EraseLocked(Entries::iterator it);

  const CacheSettings settings_;
  const Clock clock_;

  std::mutex mutex_;
  Entries entries_;
  std::unordered_map<std::string, Entries::iterator> index_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t evictions_ = 0;
};

}  // namespace sb
