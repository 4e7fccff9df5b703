#include "tools/serve_tools.h"

#include "tools/agent_tools.h"
#include "tools/cache_tools.h"
#include "tools/group_tools.h"

namespace sb::tools {

void RegisterServeTools(mcp::ToolRegistry& registry, ServeContext& context) {
  RegisterAgentTools(registry, context);
  RegisterGroupTools(registry, context);
  RegisterCacheTools(registry, context.cache());
}

}  // namespace sb::tools
