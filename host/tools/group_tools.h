// group_tools.h — list_groups and inspect_group (TOOLS.md §9.3–§9.4, §5).
// Threads: handlers run on pool threads; the repository is thread-safe.
#pragma once

#include "mcp/tool_registry.h"
#include "serve/serve_context.h"

namespace sb::tools {

void RegisterGroupTools(mcp::ToolRegistry& registry, ServeContext& context);

}  // namespace sb::tools
