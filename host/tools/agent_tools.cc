#include "tools/agent_tools.h"
#include "plugins/string_sink.h"

#include <switchboard/runner.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "agents/comma_list.h"
#include "agents/detection.h"
#include "tools/tool_support.h"

namespace sb::tools {
namespace {

// claude-runner's documented default_timeout (CLAUDE-RUNNER.md §2), used for effective_timeout
// while the agent's runner plugin is not loaded.
constexpr int64_t kFallbackRunnerTimeout = 300;

Json Strings(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const auto& i : items) out.push_back(i);
  return out;
}

// Whether the agent's runner is loaded, and why not when it is not.
struct RunnerState {
  bool available = false;
  std::string reason;
  const PluginRow* row = nullptr;
};

RunnerState StateOfRunner(ServeContext& context, const std::string& runner) {
  RunnerState state;
  auto plugins = context.WaitForPlugins();
  if (!plugins) {
    state.reason = plugins.failure().message;
    return state;
  }
  for (const auto& row : (*plugins)->rows()) {
    if (row.entry.name != runner || row.entry.kind != "runner") continue;
    state.row = &row;
    state.available = row.loaded;
    if (!row.loaded) state.reason = row.error;
    return state;
  }
  state.reason = fmt::format("the runner plugin '{}' is not configured in plugins.toml", runner);
  return state;
}

// The profile with the runner's defaults applied, through the runner's check_agent (ARCHITECTURE
// §12.5), or a Failure when the runner refuses the profile.
Result<nlohmann::json> EffectiveProfile(const AgentProfile& agent, const RunnerState& runner) {
  nlohmann::json profile = agent.raw_table;
  profile["name"] = agent.name;
  profile["directory"] = agent.directory;
  if (!runner.available || runner.row == nullptr) return profile;
  const auto* table = static_cast<const sb_runner_v1*>(runner.row->instance.table());
  std::string in = profile.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  sb_sink sink = StringSink(&out);
  sb_error err;
  sb_error_init(&err);
  sb_status status =
      table->check_agent(runner.row->instance.self(), in.data(), in.size(), &sink, &err);
  if (status != SB_OK) {
    return MakeFailure(
        "config_unreadable",
        fmt::format(
            "agents.toml: the runner {} refused agent '{}': {}{}", runner.row->entry.name,
            agent.name, err.message,
            err.field[0] != '\0' ? fmt::format(" (key agents.{}.{})", agent.name, err.field) : ""),
        "fix the agent's settings (switchboard doctor lists the problem)");
  }
  auto effective = nlohmann::json::parse(out, nullptr, false);
  if (effective.is_discarded() || !effective.is_object()) return profile;
  return effective;
}

void AddOptionalList(Json& doc, const char* key,
                     const std::optional<std::vector<std::string>>& list) {
  if (list) doc[key] = Strings(*list);
}

void AddNonEmpty(Json& doc, const char* key, const std::vector<std::string>& list) {
  if (!list.empty()) doc[key] = Strings(list);
}

// One list_agents entry (TOOLS.md §9.1).
Json ListEntry(const AgentProfile& agent, const RunnerState& runner) {
  Detection d = Detect(agent.directory, DetectionFs());
  Json e = Json::object();
  e["name"] = agent.name;
  e["directory"] = agent.directory;
  e["description"] = agent.description;
  e["runner"] = agent.runner;
  if (!runner.available) e["runner_available"] = false;
  e["healthy"] = HealthToJson(d.health);
  e["has_claude_md"] = d.has_claude_md;
  e["has_mcp_config"] = d.has_mcp_config;
  AddNonEmpty(e, "mcp_servers", d.mcp_servers);
  AddNonEmpty(e, "stacks", d.stacks);
  AddNonEmpty(e, "dbs", d.dbs);
  AddNonEmpty(e, "capabilities", agent.capabilities);
  AddNonEmpty(e, "risky_capabilities", agent.risky_capabilities);
  if (agent.permission_mode) e["permission_mode"] = *agent.permission_mode;
  AddOptionalList(e, "allowed_tools", agent.allowed_tools);
  AddOptionalList(e, "disallowed_tools", agent.disallowed_tools);
  return e;
}

mcp::ToolOutcome ListAgents(ServeContext& context, mcp::ToolCall& call) {
  auto snapshot = Snapshot(context.agents(), call);
  if (!snapshot) return FailureOutcome(snapshot.failure());
  const AgentsConfig& config = (*snapshot)->config;
  if (config.agents.empty()) {
    return mcp::ToolOutcome::Error(
        "no_agents", "No agents are configured yet.",
        "Add one with switchboard add <name> <directory>, or with the add_agent tool.");
  }
  Json list = Json::array();
  for (const auto& [name, agent] : config.agents)
    list.push_back(ListEntry(agent, StateOfRunner(context, agent.runner)));
  return mcp::ToolOutcome::Success(std::move(list));
}

mcp::ToolOutcome InspectAgent(ServeContext& context, mcp::ToolCall& call) {
  const Json& args = call.arguments();
  auto snapshot = Snapshot(context.agents(), call);
  if (!snapshot) return FailureOutcome(snapshot.failure());
  const AgentsConfig& config = (*snapshot)->config;
  const std::string name = Text(args, "name");
  auto it = config.agents.find(name);
  if (it == config.agents.end()) return UnknownAgent(name, config);
  const AgentProfile& agent = it->second;
  const int64_t lines = std::clamp<int64_t>(Integer(args, "preview_lines", 40), 0, 200);

  RunnerState runner = StateOfRunner(context, agent.runner);
  auto effective = EffectiveProfile(agent, runner);
  if (!effective) return FailureOutcome(effective.failure());
  int64_t effective_timeout = agent.timeout > 0 ? agent.timeout : kFallbackRunnerTimeout;
  if (runner.available && effective->contains("timeout") &&
      (*effective)["timeout"].is_number_integer()) {
    effective_timeout = (*effective)["timeout"].get<int64_t>();
  }

  Json doc = Json::object();
  doc["name"] = agent.name;
  doc["directory"] = agent.directory;
  doc["description"] = agent.description;
  doc["runner"] = agent.runner;
  doc["timeout"] = agent.timeout;
  doc["effective_timeout"] = effective_timeout;
  if (agent.model) doc["model"] = *agent.model;
  if (agent.max_budget_usd) doc["max_budget_usd"] = *agent.max_budget_usd;
  if (agent.permission_mode) doc["permission_mode"] = *agent.permission_mode;
  AddOptionalList(doc, "allowed_tools", agent.allowed_tools);
  AddOptionalList(doc, "disallowed_tools", agent.disallowed_tools);
  AddNonEmpty(doc, "capabilities", agent.capabilities);
  AddNonEmpty(doc, "risky_capabilities", agent.risky_capabilities);
  if (agent.instructions) doc["instructions"] = *agent.instructions;
  std::vector<std::string> groups;
  for (const auto& [group_name, group] : config.groups) {
    for (const auto& member : group.members) {
      if (member.agent == agent.name) {
        groups.push_back(group_name);
        break;
      }
    }
  }
  AddNonEmpty(doc, "groups", groups);
  if (!runner.available) {
    doc["runner_available"] = false;
    doc["runner_error"] = fmt::format("plugin_unavailable: {}", runner.reason);
  }
  Detection d = Detect(agent.directory, DetectionFs());
  doc["healthy"] = HealthToJson(d.health);
  if (d.health != Health::kHealthy) return mcp::ToolOutcome::Success(std::move(doc));
  doc["mcp_servers"] = Strings(d.mcp_servers);
  doc["stacks"] = Strings(d.stacks);
  doc["dbs"] = Strings(d.dbs);
  doc["has_claude_md"] = d.has_claude_md;
  doc["has_readme"] = d.has_readme;
  doc["has_mcp_config"] = d.has_mcp_config;
  if (lines > 0) {
    const std::filesystem::path dir(agent.directory);
    if (auto claude = MakePreview(dir / "CLAUDE.md", lines, DetectionFs())) {
      doc["claude_md_preview"] = claude->text;
      if (claude->truncated) doc["claude_md_truncated"] = true;
    }
    if (auto readme = MakePreview(dir / "README.md", lines, DetectionFs())) {
      doc["readme_preview"] = readme->text;
      if (readme->truncated) doc["readme_truncated"] = true;
    }
  }
  return mcp::ToolOutcome::Success(std::move(doc));
}

// A comma-list argument (TOOLS.md §2.3); capabilities are also de-duplicated.
std::optional<std::vector<std::string>> ListArgument(const Json& args, const std::string& name,
                                                     bool dedupe) {
  auto text = OptionalText(args, name);
  if (!text) return std::nullopt;
  auto list = ParseListArgument(*text);
  if (list && dedupe) list = DedupeKeepFirst(std::move(*list));
  return list;
}

void SendWarnings(mcp::ToolCall& call, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) call.Log(mcp::LogLevel::kWarning, w);
}

mcp::ToolOutcome AddAgent(ServeContext& context, mcp::ToolCall& call) {
  const Json& args = call.arguments();
  const std::string name = Text(args, "name");
  if (auto st = ValidateName(name); !st) return FailureOutcome(st.failure());
  auto directory = ResolveAgentDirectory(Text(args, "directory"));
  if (!directory) return FailureOutcome(directory.failure());
  const int64_t timeout = Integer(args, "timeout", 0);
  if (auto st = ValidateTimeout(timeout); !st) return FailureOutcome(st.failure());
  const double budget = Number(args, "max_budget_usd", 0);
  if (auto st = ValidateBudget(budget); !st) return FailureOutcome(st.failure());

  AgentProfile agent;
  agent.name = name;
  agent.directory = *directory;
  agent.timeout = timeout;
  if (budget > 0) agent.max_budget_usd = budget;
  agent.model = OptionalText(args, "model");
  if (agent.model) {
    if (auto st = CheckNotFlag("model", *agent.model); !st) return FailureOutcome(st.failure());
  }
  std::vector<std::string> warnings;
  if (auto mode = OptionalText(args, "permission_mode"); mode && !TrimAscii(*mode).empty()) {
    if (auto st = CheckNotFlag("permission_mode", TrimAscii(*mode)); !st)
      return FailureOutcome(st.failure());
  }
  agent.allowed_tools = ListArgument(args, "allowed_tools", false);
  agent.disallowed_tools = ListArgument(args, "disallowed_tools", false);
  for (const auto& [field, list] :
       {std::pair<const char*, const std::optional<std::vector<std::string>>*>{
            "allowed_tools", &agent.allowed_tools},
        {"disallowed_tools", &agent.disallowed_tools}}) {
    if (*list) {
      if (auto st = CheckToolList(field, **list); !st) return FailureOutcome(st.failure());
    }
  }
  agent.capabilities =
      ListArgument(args, "capabilities", true).value_or(std::vector<std::string>{});
  agent.risky_capabilities =
      ListArgument(args, "risky_capabilities", true).value_or(std::vector<std::string>{});
  agent.instructions = OptionalText(args, "instructions");
  agent.runner = OptionalText(args, "runner").value_or(std::string(kDefaultRunner));
  if (auto st = ValidateRunner(agent.runner, context.ConfiguredRunners()); !st)
    return FailureOutcome(st.failure());
  if (auto mode = OptionalText(args, "permission_mode"); mode && !TrimAscii(*mode).empty()) {
    auto normalized = NormalizePermissionMode(*mode, &warnings);
    if (!normalized) return FailureOutcome(normalized.failure());
    agent.permission_mode = *normalized;
  }
  agent.description = Text(args, "description");
  if (agent.description.empty())
    agent.description = AutoDescription(agent.directory, DetectionFs());

  auto written = context.agents().Mutate([&](AgentsConfig& config) -> Status {
    if (config.agents.count(name) > 0) {
      return MakeFailure("already_exists", fmt::format("Agent '{}' already exists.", name),
                         "Choose another name, or change it with update_agent.", "name");
    }
    config.agents[name] = agent;
    return {};
  });
  if (!written) return FailureOutcome(written.failure());
  context.cache().InvalidateAgent(name);
  SendWarnings(call, warnings);

  Json doc = Json::object();
  doc["added"] = name;
  doc["directory"] = agent.directory;
  doc["description"] = agent.description;
  if (agent.model) doc["model"] = *agent.model;
  if (agent.permission_mode) doc["permission_mode"] = *agent.permission_mode;
  AddOptionalList(doc, "allowed_tools", agent.allowed_tools);
  AddOptionalList(doc, "disallowed_tools", agent.disallowed_tools);
  AddNonEmpty(doc, "capabilities", agent.capabilities);
  AddNonEmpty(doc, "risky_capabilities", agent.risky_capabilities);
  if (agent.runner != kDefaultRunner) doc["runner"] = agent.runner;
  if (agent.instructions) doc["has_instructions"] = true;
  AddNonEmpty(doc, "warnings", warnings);
  return mcp::ToolOutcome::Success(std::move(doc));
}

Failure AgentNotFound(const std::string& name, const AgentsConfig& config) {
  return MakeFailure("agent_not_found",
                     fmt::format("Agent '{}' not found. Configured agents: {}.",
                                 mcp::Echo(name, 128), JoinNames(AgentNames(config), "none")),
                     "Call list_agents to see the names.", "name");
}

mcp::ToolOutcome RemoveAgent(ServeContext& context, const Json& args) {
  const std::string name = Text(args, "name");
  std::vector<std::string> dangling;
  auto written = context.agents().Mutate([&](AgentsConfig& config) -> Status {
    if (config.agents.erase(name) == 0) return AgentNotFound(name, config);
    for (const auto& [group_name, group] : config.groups) {
      for (const auto& member : group.members) {
        if (member.agent == name) {
          dangling.push_back(group_name);
          break;
        }
      }
    }
    return {};
  });
  if (!written) return FailureOutcome(written.failure());
  context.cache().InvalidateAgent(name);
  Json doc = Json::object();
  doc["removed"] = name;
  AddNonEmpty(doc, "dangling_in_groups", dangling);
  return mcp::ToolOutcome::Success(std::move(doc));
}

mcp::ToolOutcome UpdateAgent(ServeContext& context, mcp::ToolCall& call) {
  const Json& args = call.arguments();
  const std::string name = Text(args, "name");
  // Argument checks, in the order of TOOLS.md §9.7: timeout, budget, directory, runner, flags.
  const int64_t timeout = Integer(args, "timeout", 0);
  if (auto st = ValidateTimeout(timeout); !st) return FailureOutcome(st.failure());
  const double budget = Number(args, "max_budget_usd", 0);
  if (auto st = ValidateBudget(budget, /*negative_allowed=*/true); !st)
    return FailureOutcome(st.failure());
  std::optional<std::string> directory;
  if (auto dir = OptionalText(args, "directory")) {
    auto resolved = ResolveAgentDirectory(*dir);
    if (!resolved) return FailureOutcome(resolved.failure());
    directory = *resolved;
  }
  std::optional<std::string> runner;
  if (auto r = OptionalText(args, "runner")) {
    runner = IsNoneKeyword(*r) ? std::string(kDefaultRunner) : *r;
    if (auto st = ValidateRunner(*runner, context.ConfiguredRunners()); !st)
      return FailureOutcome(st.failure());
  }
  auto model = OptionalText(args, "model");
  if (model && !IsNoneKeyword(*model)) {
    if (auto st = CheckNotFlag("model", *model); !st) return FailureOutcome(st.failure());
  }
  auto mode = OptionalText(args, "permission_mode");
  if (mode && TrimAscii(*mode).empty()) mode.reset();
  std::vector<std::string> warnings;
  std::optional<std::string> normalized_mode;
  if (mode && !IsNoneKeyword(*mode)) {
    auto normalized = NormalizePermissionMode(*mode, &warnings);
    if (!normalized) return FailureOutcome(normalized.failure());
    normalized_mode = *normalized;
  }
  struct ToolListArg {
    const char* field;
    std::optional<std::string> text;
    std::optional<std::vector<std::string>> list;
  };
  ToolListArg allowed{"allowed_tools", OptionalText(args, "allowed_tools"), std::nullopt};
  ToolListArg disallowed{"disallowed_tools", OptionalText(args, "disallowed_tools"), std::nullopt};
  for (ToolListArg* t : {&allowed, &disallowed}) {
    if (t->text && TrimAscii(*t->text).empty()) t->text.reset();
    if (t->text && !IsNoneKeyword(*t->text)) {
      t->list = ParseListArgument(*t->text).value_or(std::vector<std::string>{});
      if (auto st = CheckToolList(t->field, *t->list); !st) return FailureOutcome(st.failure());
    }
  }
  auto caps_text = OptionalText(args, "capabilities");
  auto risky_text = OptionalText(args, "risky_capabilities");
  auto instructions = OptionalText(args, "instructions");
  auto description = OptionalText(args, "description");

  std::vector<std::string> fields;
  auto written = context.agents().Mutate([&](AgentsConfig& config) -> Status {
    auto it = config.agents.find(name);
    if (it == config.agents.end()) return AgentNotFound(name, config);
    AgentProfile& a = it->second;
    fields.clear();
    if (description) {
      a.description = *description;
      fields.push_back("description");
    }
    if (directory) {
      a.directory = *directory;
      fields.push_back("directory");
    }
    if (runner) {
      a.runner = *runner;
      fields.push_back("runner");
    }
    if (timeout > 0) {
      a.timeout = timeout;
      fields.push_back("timeout");
    }
    if (budget != 0) {
      if (budget > 0) {
        a.max_budget_usd = budget;
      } else {
        a.max_budget_usd.reset();
      }
      fields.push_back("max_budget_usd");
    }
    if (model) {
      if (IsNoneKeyword(*model)) {
        a.model.reset();
      } else {
        a.model = *model;
      }
      fields.push_back("model");
    }
    if (mode) {
      a.permission_mode = normalized_mode;
      fields.push_back("permission_mode");
    }
    if (allowed.text) {
      a.allowed_tools = allowed.list;
      fields.push_back("allowed_tools");
    }
    if (disallowed.text) {
      a.disallowed_tools = disallowed.list;
      fields.push_back("disallowed_tools");
    }
    if (caps_text && !TrimAscii(*caps_text).empty()) {
      a.capabilities = IsNoneKeyword(*caps_text) ? std::vector<std::string>{}
                                                 : DedupeKeepFirst(SplitCommaList(*caps_text));
      fields.push_back("capabilities");
    }
    if (risky_text && !TrimAscii(*risky_text).empty()) {
      a.risky_capabilities = IsNoneKeyword(*risky_text)
                                 ? std::vector<std::string>{}
                                 : DedupeKeepFirst(SplitCommaList(*risky_text));
      fields.push_back("risky_capabilities");
    }
    if (instructions) {
      if (IsNoneKeyword(*instructions)) {
        a.instructions.reset();
      } else {
        a.instructions = *instructions;
      }
      fields.push_back("instructions");
    }
    if (fields.empty()) {
      return MakeFailure("nothing_to_update",
                         fmt::format("Nothing to update for agent '{}': no field was given.", name),
                         "Pass at least one field, e.g. description or timeout.");
    }
    return {};
  });
  if (!written) return FailureOutcome(written.failure());
  context.cache().InvalidateAgent(name);
  SendWarnings(call, warnings);
  Json doc = Json::object();
  doc["updated"] = name;
  doc["fields"] = Strings(fields);
  AddNonEmpty(doc, "warnings", warnings);
  return mcp::ToolOutcome::Success(std::move(doc));
}

const char* kListText = "a comma-separated list; \",\" means an explicit empty list";

}  // namespace

void RegisterAgentTools(mcp::ToolRegistry& registry, ServeContext& context) {
  registry.Add(mcp::ToolDefinition{
      "list_agents", "List agents",
      "Lists every configured agent with its directory, description, runner, health and what was "
      "detected in its directory (CLAUDE.md, MCP servers, stacks, databases, capabilities). Call "
      "it first to choose an agent for dispatch. Returns an array sorted by name.",
      SchemaBuilder().Build(), std::nullopt, mcp::ToolAnnotations{true, false, false, false},
      [&context](mcp::ToolCall& call) { return ListAgents(context, call); }});
  registry.Add(mcp::ToolDefinition{
      "inspect_agent", "Inspect agent",
      "Shows one agent in depth without starting it: its whole configuration, the timeout a "
      "dispatch would use, the groups it belongs to, detection results and the first lines of its "
      "CLAUDE.md and README.md.",
      SchemaBuilder()
          .String("name", "The agent's name, as list_agents shows it.")
          .Integer("preview_lines",
                   "Lines of CLAUDE.md and README.md to include (0 to 200; 0 for none).", 40)
          .Required("name")
          .Build(),
      std::nullopt, mcp::ToolAnnotations{true, false, false, false},
      [&context](mcp::ToolCall& call) { return InspectAgent(context, call); }});
  registry.Add(mcp::ToolDefinition{
      "add_agent", "Add agent",
      "Registers a project directory as a named agent in agents.toml. Without a description one is "
      "derived from the directory (CLAUDE.md, README.md, package files). Returns what was stored.",
      SchemaBuilder()
          .String("name",
                  "The new agent's name: letters, digits, '_' and '-', starting with a letter or "
                  "digit.")
          .String("directory", "The agent's project directory; must exist. '~' is expanded.")
          .String("description", "What the agent is good at; empty derives one from the directory.",
                  "")
          .Integer("timeout",
                   "Seconds a dispatch may run (0 = the runner's default; at most 86400).", 0)
          .Number("max_budget_usd", "Spending cap per dispatch in USD (0 = the runner's default).",
                  0)
          .String("model", "Model alias or name for this agent; empty for the default.", "")
          .String("permission_mode",
                  "Permission mode of the agent's runs, e.g. acceptEdits or plan; empty for the "
                  "default.",
                  "")
          .String("allowed_tools",
                  std::string("Tools the agent may use: ") + kListText + "; empty inherits.", "")
          .String("disallowed_tools",
                  std::string("Tools the agent may not use: ") + kListText + "; empty inherits.",
                  "")
          .String("capabilities",
                  "Labels of what the agent can do, comma-separated; also its routing identity.",
                  "")
          .String("risky_capabilities", "Labels that call for extra care, comma-separated.", "")
          .String("instructions",
                  "Standing orders added to the agent's system prompt on every dispatch.", "")
          .String("runner", "The runner plugin that runs this agent; empty means claude-runner.",
                  "")
          .Required("name")
          .Required("directory")
          .Build(),
      std::nullopt, mcp::ToolAnnotations{false, false, false, false},
      [&context](mcp::ToolCall& call) { return AddAgent(context, call); }});
  registry.Add(mcp::ToolDefinition{
      "remove_agent", "Remove agent",
      "Deletes an agent from agents.toml. Its jobs are kept; groups that list it keep the entry, "
      "which then shows as unknown. Returns the removed name and those groups.",
      SchemaBuilder().String("name", "The agent to remove.").Required("name").Build(), std::nullopt,
      mcp::ToolAnnotations{false, true, true, false},
      [&context](mcp::ToolCall& call) { return RemoveAgent(context, call.arguments()); }});
  registry.Add(mcp::ToolDefinition{
      "update_agent", "Update agent",
      "Changes fields of an agent in agents.toml. Only the fields given change; \"none\" clears a "
      "field (for tool lists: back to inheriting the runner's default). Returns the changed "
      "fields.",
      SchemaBuilder()
          .String("name", "The agent to change.")
          .String("description", "New description.", "")
          .String("directory", "New project directory; must exist.", "")
          .String("runner", "New runner plugin; \"none\" resets it to claude-runner.", "")
          .Integer("timeout", "New timeout in seconds (0 leaves it unchanged; at most 86400).", 0)
          .Number("max_budget_usd",
                  "New spending cap in USD (0 leaves it; a negative value clears it).", 0)
          .String("model", "New model; \"none\" clears it.", "")
          .String("permission_mode", "New permission mode; \"none\" clears it.", "")
          .String("allowed_tools",
                  std::string("New allowed tools: ") + kListText + "; \"none\" inherits again.", "")
          .String("disallowed_tools",
                  std::string("New disallowed tools: ") + kListText + "; \"none\" inherits again.",
                  "")
          .String("capabilities", "New capabilities, comma-separated; \"none\" clears them.", "")
          .String("risky_capabilities",
                  "New risky capabilities, comma-separated; \"none\" clears them.", "")
          .String("instructions", "New standing instructions; \"none\" clears them.", "")
          .Required("name")
          .Build(),
      std::nullopt, mcp::ToolAnnotations{false, true, true, false},
      [&context](mcp::ToolCall& call) { return UpdateAgent(context, call); }});
}

}  // namespace sb::tools
