// agent_tools.h — list_agents, inspect_agent, add_agent, remove_agent and update_agent
// (TOOLS.md §9.1–§9.2, §9.5–§9.7), over agents.toml (§2) and agent detection (§4).
// Threads: handlers run on pool threads; the repository and the cache are thread-safe.
#pragma once

#include "mcp/tool_registry.h"
#include "serve/serve_context.h"

namespace sb::tools {

void RegisterAgentTools(mcp::ToolRegistry& registry, ServeContext& context);

}  // namespace sb::tools
