// tool_support.h — small pieces every tool file shares: an input-schema builder, argument
// readers that apply the tool-level "empty string means not given" rule (TOOLS.md §1.3), the
// name-list wording of envelopes, and the agents.toml snapshot a call works on.
//
// Threads: pure helpers; Snapshot() goes through the thread-safe repository.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/agents_repository.h"
#include "agents/detection.h"
#include "mcp/tool.h"

namespace sb::tools {

using mcp::Json;

// Builds {"type":"object","properties":{…},"required":[…],"additionalProperties":false}.
class SchemaBuilder {
 public:
  SchemaBuilder& String(const std::string& name, const std::string& description,
                        std::optional<std::string> default_value = std::nullopt);
  SchemaBuilder& Integer(const std::string& name, const std::string& description,
                         std::optional<int64_t> default_value = std::nullopt);
  SchemaBuilder& Number(const std::string& name, const std::string& description,
                        std::optional<double> default_value = std::nullopt);
  SchemaBuilder& Boolean(const std::string& name, const std::string& description,
                         std::optional<bool> default_value = std::nullopt);
  SchemaBuilder& Required(const std::string& name);
  Json Build() const;

 private:
  Json properties_ = Json::object();
  Json required_ = Json::array();
};

// A string argument; "" and absent are both "not given".
std::optional<std::string> OptionalText(const Json& arguments, const std::string& name);
std::string Text(const Json& arguments, const std::string& name);
int64_t Integer(const Json& arguments, const std::string& name, int64_t default_value);
double Number(const Json& arguments, const std::string& name, double default_value);

// "a, b, c", or `none` when empty.
std::string JoinNames(const std::vector<std::string>& names, const std::string& none);

// The current agents.toml snapshot, or the config_unreadable failure (hint: switchboard doctor),
// which is also sent to the client as a warning log message (MCP.md §8.2).
Result<std::shared_ptr<const AgentsSnapshot>> Snapshot(AgentsRepository& repository,
                                                       mcp::ToolCall& call);

// Names of the configured agents, sorted.
std::vector<std::string> AgentNames(const AgentsConfig& config);

// The unknown_agent envelope for `name`.
mcp::ToolOutcome UnknownAgent(const std::string& name, const AgentsConfig& config);

// The file system agent detection uses: the real one, or — in builds with test hooks and the fault
// `detection_eacces` — one where a directory named `*-unreadable` fails with EACCES (T-044).
DetectionFileSystem& DetectionFs();

// A Failure as a tool outcome, adding the doctor hint to config errors without one.
mcp::ToolOutcome FailureOutcome(Failure failure);

}  // namespace sb::tools
