#include "tools/tool_support.h"

#include <fmt/format.h>

#include <cerrno>

#include "testing/faults.h"

namespace sb::tools {

namespace {

#ifdef SWITCHBOARD_TEST_HOOKS
// TOOLS.md T-044: with the fault `detection_eacces`, checking a directory whose name ends in
// "-unreadable" fails with EACCES, as a parent without search permission would for a non-root user.
class FaultyFileSystem : public DetectionFileSystem {
 public:
  StatResult Stat(const std::filesystem::path& path) override {
    for (auto p = path; !p.empty() && p != p.root_path(); p = p.parent_path()) {
      const std::string name = p.filename().string();
      if (name.size() >= 11 && name.compare(name.size() - 11, 11, "-unreadable") == 0) {
        return StatResult{Type::kError, EACCES};
      }
    }
    return RealDetectionFileSystem().Stat(path);
  }
  std::optional<Prefix> ReadPrefix(const std::filesystem::path& path,
                                   std::size_t max_bytes) override {
    return RealDetectionFileSystem().ReadPrefix(path, max_bytes);
  }
};
#endif

Json Property(const std::string& type, const std::string& description) {
  Json p = Json::object();
  p["type"] = type;
  p["description"] = description;
  return p;
}

}  // namespace

SchemaBuilder& SchemaBuilder::String(const std::string& name, const std::string& description,
                                     std::optional<std::string> default_value) {
  Json p = Property("string", description);
  if (default_value) p["default"] = *default_value;
  properties_[name] = std::move(p);
  return *this;
}

SchemaBuilder& SchemaBuilder::Integer(const std::string& name, const std::string& description,
                                      std::optional<int64_t> default_value) {
  Json p = Property("integer", description);
  if (default_value) p["default"] = *default_value;
  properties_[name] = std::move(p);
  return *this;
}

SchemaBuilder& SchemaBuilder::Number(const std::string& name, const std::string& description,
                                     std::optional<double> default_value) {
  Json p = Property("number", description);
  if (default_value) p["default"] = *default_value;
  properties_[name] = std::move(p);
  return *this;
}

SchemaBuilder& SchemaBuilder::Boolean(const std::string& name, const std::string& description,
                                      std::optional<bool> default_value) {
  Json p = Property("boolean", description);
  if (default_value) p["default"] = *default_value;
  properties_[name] = std::move(p);
  return *this;
}

SchemaBuilder& SchemaBuilder::Required(const std::string& name) {
  required_.push_back(name);
  return *this;
}

Json SchemaBuilder::Build() const {
  Json schema = Json::object();
  schema["type"] = "object";
  schema["properties"] = properties_;
  if (!required_.empty()) schema["required"] = required_;
  schema["additionalProperties"] = false;
  return schema;
}

std::optional<std::string> OptionalText(const Json& arguments, const std::string& name) {
  auto it = arguments.find(name);
  if (it == arguments.end() || !it->is_string()) return std::nullopt;
  std::string value = it->get<std::string>();
  if (value.empty()) return std::nullopt;
  return value;
}

std::string Text(const Json& arguments, const std::string& name) {
  return OptionalText(arguments, name).value_or("");
}

int64_t Integer(const Json& arguments, const std::string& name, int64_t default_value) {
  auto it = arguments.find(name);
  return it != arguments.end() && it->is_number_integer() ? it->get<int64_t>() : default_value;
}

double Number(const Json& arguments, const std::string& name, double default_value) {
  auto it = arguments.find(name);
  return it != arguments.end() && it->is_number() ? it->get<double>() : default_value;
}

std::string JoinNames(const std::vector<std::string>& names, const std::string& none) {
  if (names.empty()) return none;
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Result<std::shared_ptr<const AgentsSnapshot>> Snapshot(AgentsRepository& repository,
                                                       mcp::ToolCall& call) {
  auto snapshot = repository.Current();
  if (!snapshot) {
    Failure f = snapshot.failure();
    if (f.hint.empty()) f.hint = "fix the file (switchboard doctor checks it), then call again";
    call.Log(mcp::LogLevel::kWarning, f.message);
    return f;
  }
  return snapshot;
}

std::vector<std::string> AgentNames(const AgentsConfig& config) {
  std::vector<std::string> names;
  for (const auto& [name, agent] : config.agents) names.push_back(name);
  return names;
}

mcp::ToolOutcome UnknownAgent(const std::string& name, const AgentsConfig& config) {
  return mcp::ToolOutcome::Error(
      "unknown_agent",
      fmt::format("Unknown agent '{}'. Configured agents: {}.", mcp::Echo(name, 128),
                  JoinNames(AgentNames(config), "none configured")),
      "Call list_agents to see the names, or add the agent with switchboard add or add_agent.");
}

mcp::ToolOutcome FailureOutcome(Failure failure) {
  if (failure.hint.empty() && failure.code == "config_unreadable") {
    failure.hint = "fix the file (switchboard doctor checks it), then call again";
  }
  return mcp::ToolOutcome::Error(failure);
}

DetectionFileSystem& DetectionFs() {
#ifdef SWITCHBOARD_TEST_HOOKS
  static FaultyFileSystem faulty;
  if (FaultActive("detection_eacces")) return faulty;
#endif
  return RealDetectionFileSystem();
}

}  // namespace sb::tools
