#include "tools/group_tools.h"

#include <fmt/format.h>

#include "agents/comma_list.h"
#include "agents/detection.h"
#include "text/utf8.h"
#include "tools/tool_support.h"

namespace sb::tools {
namespace {

std::vector<std::string> GroupNames(const AgentsConfig& config) {
  std::vector<std::string> names;
  for (const auto& [name, group] : config.groups) names.push_back(name);
  return names;
}

Json Member(const GroupMember& member, const AgentsConfig& config, bool detailed) {
  Json m = Json::object();
  m["agent"] = member.agent;
  if (!member.use_for.empty()) m["use_for"] = member.use_for;
  auto it = config.agents.find(member.agent);
  if (it == config.agents.end()) {
    m["unknown"] = true;
    return m;
  }
  if (detailed) {
    m["directory"] = it->second.directory;
    if (!it->second.description.empty()) m["description"] = it->second.description;
  }
  m["healthy"] = HealthToJson(Detect(it->second.directory, DetectionFs()).health);
  return m;
}

mcp::ToolOutcome ListGroups(ServeContext& context, mcp::ToolCall& call) {
  auto snapshot = Snapshot(context.agents(), call);
  if (!snapshot) return FailureOutcome(snapshot.failure());
  const AgentsConfig& config = (*snapshot)->config;
  if (config.groups.empty()) {
    return mcp::ToolOutcome::Error("no_groups", "No groups are configured yet.",
                                   "Create one with switchboard group add <name> --members a,b.");
  }
  Json list = Json::array();
  for (const auto& [name, group] : config.groups) {
    Json g = Json::object();
    g["name"] = name;
    g["description"] = group.description;
    g["shared_context_present"] = !TrimUnicodeSpace(group.shared_context).empty();
    g["member_count"] = group.members.size();
    Json members = Json::array();
    for (const auto& member : group.members) members.push_back(Member(member, config, false));
    g["members"] = std::move(members);
    list.push_back(std::move(g));
  }
  return mcp::ToolOutcome::Success(std::move(list));
}

mcp::ToolOutcome InspectGroup(ServeContext& context, mcp::ToolCall& call) {
  const Json& args = call.arguments();
  auto snapshot = Snapshot(context.agents(), call);
  if (!snapshot) return FailureOutcome(snapshot.failure());
  const AgentsConfig& config = (*snapshot)->config;
  const std::string name = Text(args, "name");
  auto it = config.groups.find(name);
  if (it == config.groups.end()) {
    return mcp::ToolOutcome::Error(
        "unknown_group",
        fmt::format("Unknown group '{}'. Configured groups: {}.", mcp::Echo(name, 128),
                    JoinNames(GroupNames(config), "none configured")),
        "Call list_groups to see the names.");
  }
  const Group& group = it->second;
  Json doc = Json::object();
  doc["name"] = group.name;
  doc["description"] = group.description;
  doc["shared_context"] = group.shared_context;
  doc["member_count"] = group.members.size();
  Json members = Json::array();
  for (const auto& member : group.members) members.push_back(Member(member, config, true));
  doc["members"] = std::move(members);
  return mcp::ToolOutcome::Success(std::move(doc));
}

}  // namespace

void RegisterGroupTools(mcp::ToolRegistry& registry, ServeContext& context) {
  registry.Add(mcp::ToolDefinition{
      "list_groups", "List groups",
      "Lists every group of agents with its description, whether it has a shared context, and its "
      "members with their health. A group's shared context is merged into dispatches that name the "
      "group. Returns an array sorted by name.",
      SchemaBuilder().Build(), std::nullopt, mcp::ToolAnnotations{true, false, false, false},
      [&context](mcp::ToolCall& call) { return ListGroups(context, call); }});
  registry.Add(mcp::ToolDefinition{
      "inspect_group", "Inspect group",
      "Shows one group: its description, its full shared context and each member with the agent's "
      "directory, description and health.",
      SchemaBuilder()
          .String("name", "The group's name, as list_groups shows it.")
          .Required("name")
          .Build(),
      std::nullopt, mcp::ToolAnnotations{true, false, false, false},
      [&context](mcp::ToolCall& call) { return InspectGroup(context, call); }});
}

}  // namespace sb::tools
