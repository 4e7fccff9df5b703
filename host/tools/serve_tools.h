// serve_tools.h — registers every tool `switchboard serve` offers (TOOLS.md, ROUTING.md §11,
// MESSAGES.md), in the fixed order of ARCHITECTURE §9. Only implemented tools are registered
// (ARCHITECTURE §12.1).
#pragma once

#include "mcp/tool_registry.h"
#include "serve/serve_context.h"

namespace sb::tools {

void RegisterServeTools(mcp::ToolRegistry& registry, ServeContext& context);

}  // namespace sb::tools
