#include "engine/result_cache.h"

#include <utility>

#include "crypto/sha256.h"

namespace sb {

std::string CanonicalJson(const nlohmann::json& value) {
  // nlohmann::json keeps objects in a std::map, so dump() already writes keys sorted by byte order.
  return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

std::string CacheKey(std::string_view agent, std::string_view task, std::string_view context,
                     std::string_view caller, std::string_view goal,
                     std::string_view response_format, std::string_view profile) {
  const nlohmann::json fields = {
      {"agent", agent},     {"task", task}, {"context", context},
      {"caller", caller},   {"goal", goal}, {"response_format", response_format},
      {"profile", profile},
  };
  return Sha256Hex(CanonicalJson(fields));
}

std::string ProfileFingerprint(const nlohmann::json& agent_table) {
  return Sha256Hex(CanonicalJson(agent_table));
}

std::string RemoteProfile(std::string_view agent) { return "remote:" + std::string(agent); }

ResultCache::ResultCache(const CacheSettings& settings, Clock clock)
    : settings_(settings),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

bool ResultCache::IsCacheable(const nlohmann::json& result) {
  if (!result.is_object()) return false;
  const auto success = result.find("success");
  if (success == result.end() || *success != true) return false;
  const auto denied = result.find("denied_tools");
  if (denied != result.end() && !denied->is_null() && !(denied->is_array() && denied->empty())) {
    return false;
  }
  const auto budget = result.find("budget_exceeded");
  if (budget != result.end() && *budget == true) return false;
  const auto outcome = result.find("outcome");
  if (outcome != result.end() && (*outcome == "partial" || *outcome == "blocked")) return false;
  return true;
}

bool ResultCache::ExpiredLocked(const Entry& entry, TimePoint now) const {
  return settings_.ttl == 0 || now - entry.stored_at > std::chrono::seconds(settings_.ttl);
}

void ResultCache::DropExpiredLocked(TimePoint now) {
  // Entries sit in store order and the clock is monotonic, so the expired ones are a prefix.
  while (!entries_.empty() && ExpiredLocked(entries_.front(), now)) EraseLocked(entries_.begin());
}

void ResultCache::EraseLocked(Entries::iterator it) {
  index_.erase(it->key);
  entries_.erase(it);
}

std::optional<nlohmann::json> ResultCache::Lookup(const std::string& key) {
  if (!settings_.enabled) return std::nullopt;
  std::shared_ptr<const nlohmann::json> found;
  {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) {
      ++misses_;
      return std::nullopt;
    }
    if (ExpiredLocked(*it->second, clock_())) {
      EraseLocked(it->second);
      ++misses_;
      return std::nullopt;
    }
    ++hits_;
    found = it->second->result;
  }
  return nlohmann::json(*found);  // the deep copy, made outside the lock
}

bool ResultCache::Store(const std::string& key, std::string_view agent, std::string_view profile,
                        const nlohmann::json& result) {
  if (!settings_.enabled || settings_.ttl == 0 || !IsCacheable(result)) return false;
  auto copy = std::make_shared<const nlohmann::json>(result);
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_();
  DropExpiredLocked(now);
  if (const auto it = index_.find(key); it != index_.end()) {
    EraseLocked(it->second);  // a replacement: no eviction
  } else if (entries_.size() >= static_cast<std::size_t>(settings_.max_size)) {
    EraseLocked(entries_.begin());
    ++evictions_;
  }
  entries_.push_back(Entry{key, std::string(agent), std::string(profile), now, std::move(copy)});
  index_[key] = std::prev(entries_.end());
  return true;
}

std::size_t ResultCache::InvalidateAgent(std::string_view agent) {
  return InvalidateWhere(
      [agent](const std::string& entry_agent, const std::string&) { return entry_agent == agent; });
}

std::size_t ResultCache::InvalidateWhere(
    const std::function<bool(const std::string& agent, const std::string& profile)>& drop) {
  std::lock_guard lock(mutex_);
  std::size_t dropped = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto next = std::next(it);
    if (drop(it->agent, it->profile)) {
      EraseLocked(it);
      ++dropped;
    }
    it = next;
  }
  return dropped;
}

std::size_t ResultCache::Clear() {
  std::lock_guard lock(mutex_);
  const std::size_t cleared = entries_.size();
  entries_.clear();
  index_.clear();
  hits_ = misses_ = evictions_ = 0;
  return cleared;
}

nlohmann::json ResultCache::StatsJson() {
  if (!settings_.enabled) return DisabledJson();
  std::lock_guard lock(mutex_);
  DropExpiredLocked(clock_());
  // round(hits / lookups, 3) in exact integer arithmetic, ties to even as Python's round() does.
  double hit_rate = 0.0;
  if (const std::uint64_t lookups = hits_ + misses_; lookups > 0) {
    std::uint64_t thousandths = hits_ * 1000 / lookups;
    const std::uint64_t remainder = hits_ * 1000 % lookups;
    if (2 * remainder > lookups || (2 * remainder == lookups && thousandths % 2 == 1)) {
      ++thousandths;
    }
    hit_rate = static_cast<double>(thousandths) / 1000.0;
  }
  return {
      {"size", entries_.size()}, {"max_size", settings_.max_size}, {"hits", hits_},
      {"misses", misses_},       {"evictions", evictions_},        {"hit_rate", hit_rate},
      {"ttl", settings_.ttl},
  };
}

nlohmann::json ResultCache::ClearJson() {
  if (!settings_.enabled) return DisabledJson();
  return {{"cleared", Clear()}};
}

nlohmann::json ResultCache::DisabledJson() {
  return {{"enabled", false},
          {"message",
           "The result cache is turned off ([host.cache] enabled = false in plugins.toml); set it "
           "to true and restart the server to cache dispatch results."}};
}

}  // namespace sb
