// tool_registry.h — the tools `switchboard serve` offers, and their `tools/list` views.
//
// Purpose: tools are added once at start; lookups by exact name; the `tools/list` result for each
// negotiated protocol version is built once and cached as serialized text (MCP.md §3.3, §5):
// 2024-11-05 shows name, description and inputSchema; 2025-03-26 adds annotations (with title);
// 2025-06-18 and later add the top-level title and outputSchema. Tools are listed in the fixed
// order of ARCHITECTURE §9 (the order of kToolOrder); tools outside that list (test-only tools)
// follow, in the order they were added.
//
// Threads: Add before serving; afterwards every member is safe from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mcp/tool.h"

namespace sb::mcp {

// The fixed order of the 31 tools (MCP.md §5.1).
extern const std::vector<std::string> kToolOrder;

class ToolRegistry {
 public:
  void Add(ToolDefinition tool);
  const ToolDefinition* Find(const std::string& name) const;
  std::vector<std::string> Names() const;  // in listing order
  // The serialized `{"tools":[…]}` result for a negotiated protocol version.
  const std::string& ListResultText(const std::string& protocol_version) const;

 private:
  std::vector<std::unique_ptr<ToolDefinition>> ordered_;
  std::map<std::string, const ToolDefinition*> by_name_;
  mutable std::mutex cache_mutex_;
  mutable std::map<int, std::string> cache_;  // by variant
};

}  // namespace sb::mcp
