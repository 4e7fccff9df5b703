// cache_tools.h — the `cache_stats` and `cache_clear` tools (TOOLS.md §12.1–§12.2).
// Threads: the handlers run on pool threads; the cache is thread-safe.
#pragma once

#include "engine/result_cache.h"
#include "mcp/tool_registry.h"

namespace sb::tools {

void RegisterCacheTools(mcp::ToolRegistry& registry, ResultCache& cache);

}  // namespace sb::tools
