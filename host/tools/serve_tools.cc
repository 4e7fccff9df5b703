#include "tools/serve_tools.h"

#include "tools/cache_tools.h"

namespace sb::tools {

void RegisterServeTools(mcp::ToolRegistry& registry, ServeContext& context) {
  RegisterCacheTools(registry, context.cache());
}

}  // namespace sb::tools
