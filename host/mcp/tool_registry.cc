#include "mcp/tool_registry.h"

#include <algorithm>

namespace sb::mcp {

const std::vector<std::string> kToolOrder = {
    "list_agents",
    "inspect_agent",
    "list_groups",
    "inspect_group",
    "dispatch",
    "dispatch_session",
    "dispatch_parallel",
    "dispatch_stream",
    "dispatch_dialogue",
    "add_agent",
    "remove_agent",
    "update_agent",
    "dispatch_async",
    "dispatch_status",
    "dispatch_wait",
    "dispatch_cancel",
    "dispatch_jobs",
    "fetch_result",
    "dispatch_gc",
    "cache_stats",
    "cache_clear",
    "send_to_agent",
    "send_message_async",
    "queue_stats",
    "list_workers",
    "thread_create",
    "thread_list",
    "msg_post",
    "msg_list",
    "msg_wait",
    "stats",
};

namespace {

// 0: 2024-11-05; 1: 2025-03-26; 2: 2025-06-18 and later.
int Variant(const std::string& version) {
  if (version == "2024-11-05") return 0;
  if (version == "2025-03-26") return 1;
  return 2;
}

size_t Rank(const std::string& name) {
  auto it = std::find(kToolOrder.begin(), kToolOrder.end(), name);
  return it == kToolOrder.end() ? kToolOrder.size() : static_cast<size_t>(it - kToolOrder.begin());
}

Json Annotations(const ToolDefinition& tool) {
  Json a = Json::object();
  a["title"] = tool.title;
  a["readOnlyHint"] = tool.annotations.read_only;
  if (!tool.annotations.read_only) {
    a["destructiveHint"] = tool.annotations.destructive;
    a["idempotentHint"] = tool.annotations.idempotent;
  }
  a["openWorldHint"] = tool.annotations.open_world;
  return a;
}

}  // namespace

void ToolRegistry::Add(ToolDefinition tool) {
  auto owned = std::make_unique<ToolDefinition>(std::move(tool));
  by_name_[owned->name] = owned.get();
  size_t rank = Rank(owned->name);
  auto pos = std::find_if(ordered_.begin(), ordered_.end(),
                          [&](const auto& t) { return Rank(t->name) > rank; });
  ordered_.insert(pos, std::move(owned));
  std::lock_guard<std::mutex> lock(cache_mutex_);
  cache_.clear();
}

const ToolDefinition* ToolRegistry::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> ToolRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& t : ordered_) names.push_back(t->name);
  return names;
}

const std::string& ToolRegistry::ListResultText(const std::string& protocol_version) const {
  const int variant = Variant(protocol_version);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto it = cache_.find(variant);
  if (it != cache_.end()) return it->second;
  Json tools = Json::array();
  for (const auto& t : ordered_) {
    Json def = Json::object();
    def["name"] = t->name;
    if (variant >= 2) def["title"] = t->title;
    def["description"] = t->description;
    def["inputSchema"] = t->input_schema;
    if (variant >= 2 && t->output_schema) def["outputSchema"] = *t->output_schema;
    if (variant >= 1) def["annotations"] = Annotations(*t);
    tools.push_back(std::move(def));
  }
  Json result = Json::object();
  result["tools"] = std::move(tools);
  return cache_[variant] = Dump(result);
}

}  // namespace sb::mcp
