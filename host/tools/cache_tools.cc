#include "tools/cache_tools.h"

#include "tools/tool_support.h"

namespace sb::tools {
namespace {

using mcp::Json;

// The payload with the field order of TOOLS.md §12.1 (the cache builds a sorted object).
Json Ordered(const nlohmann::json& doc, std::initializer_list<const char*> order) {
  Json out = Json::object();
  for (const char* key : order) {
    if (doc.contains(key)) out[key] = doc[key];
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!out.contains(it.key())) out[it.key()] = it.value();
  }
  return out;
}

}  // namespace

void RegisterCacheTools(mcp::ToolRegistry& registry, ResultCache& cache) {
  registry.Add(mcp::ToolDefinition{
      "cache_stats", "Cache statistics",
      "Shows the result cache's counters: entries held, capacity, hits, misses, evictions, "
      "hit rate and time-to-live in seconds. Identical dispatch calls within the time-to-live "
      "are answered from this cache. Takes no arguments.",
      SchemaBuilder().Build(), std::nullopt, mcp::ToolAnnotations{true, false, false, false},
      [&cache](mcp::ToolCall&) {
        return mcp::ToolOutcome::Success(
            Ordered(cache.StatsJson(), {"enabled", "size", "max_size", "hits", "misses",
                                        "evictions", "hit_rate", "ttl", "message"}));
      }});
  registry.Add(mcp::ToolDefinition{
      "cache_clear", "Clear the cache",
      "Empties the result cache and resets its counters, so the next identical dispatch runs "
      "again. Returns how many entries were removed. Takes no arguments.",
      SchemaBuilder().Build(), std::nullopt, mcp::ToolAnnotations{false, true, true, false},
      [&cache](mcp::ToolCall&) {
        return mcp::ToolOutcome::Success(
            Ordered(cache.ClearJson(), {"enabled", "cleared", "message"}));
      }});
}

}  // namespace sb::tools
