// Tests of reading and writing agents.toml text (TOOLS §2.2, §2.4, §2.5 step 5; cases T-020,
// T-021, T-022, T-029, T-030, T-031, T-080, T-081, T-084, T-093).
#include "agents/agents_toml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace sb {
namespace {

const std::filesystem::path kFile = "/cfg/agents.toml";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Failure ParseFailure(const std::string& text) {
  auto parsed = ParseAgentsToml(text, kFile);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.failure().code, "config_unreadable");
  EXPECT_EQ(parsed.failure().message.rfind("/cfg/agents.toml:", 0), 0u) << parsed.failure().message;
  return parsed.failure();
}

AgentsConfig Parse(const std::string& text) {
  auto parsed = ParseAgentsToml(text, kFile);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.failure().message);
  return parsed.ok() ? std::move(parsed.value()) : AgentsConfig{};
}

// The example of §2.2, which is also exactly what the writer produces for it.
const char* const kSpecExample =
    R"(# Switchboard agents and groups. Written by `switchboard` and the MCP tools;
# editing by hand is fine. Rewrites keep every key but not comments.

[agents.infra]
directory = "/home/ana/src/infra"
description = "Cluster gateway for the shop. | MCP: portainer | Stack: Docker"
timeout = 600
model = "sonnet"
max_budget_usd = 2.0
permission_mode = "bypassPermissions"
allowed_tools = ["Bash", "Read"]
capabilities = ["docker_logs", "deploy_debug"]
risky_capabilities = ["restart_services"]
instructions = """
Read-only unless the task says otherwise. Quote log lines exactly.
"""

[groups.shop]
description = "Deploy through infra, then verify through web."
shared_context = "Production stack: shop-prod. Analytics counter 12345."
members = [
  { agent = "infra", use_for = "deploy, container logs" },
  { agent = "web" },
]
)";

// T-020: a missing or empty file is an empty configuration.
TEST(AgentsTomlTest, T020EmptyIsEmptyConfig) {
  for (const char* text : {"", "\n\n", "# only a comment\n"}) {
    AgentsConfig config = Parse(text);
    EXPECT_TRUE(config.agents.empty());
    EXPECT_TRUE(config.groups.empty());
    EXPECT_TRUE(config.unknown_keys.empty());
  }
  EXPECT_EQ(SerializeAgentsToml(AgentsConfig{}), std::string(kAgentsTomlHeader));
}

// The §2.2 layout parses into the model with every type, default and tri-state.
TEST(AgentsTomlTest, SpecExampleModel) {
  AgentsConfig config = Parse(kSpecExample);
  ASSERT_EQ(config.agents.size(), 1u);
  const AgentProfile& infra = config.agents.at("infra");
  EXPECT_EQ(infra.name, "infra");
  EXPECT_EQ(infra.directory, "/home/ana/src/infra");
  EXPECT_EQ(infra.runner, "claude-runner");
  EXPECT_EQ(infra.timeout, 600);
  EXPECT_EQ(infra.model, "sonnet");
  EXPECT_EQ(infra.max_budget_usd, 2.0);
  EXPECT_EQ(infra.permission_mode, "bypassPermissions");
  EXPECT_EQ(infra.allowed_tools, (std::vector<std::string>{"Bash", "Read"}));
  EXPECT_FALSE(infra.disallowed_tools.has_value());
  EXPECT_EQ(infra.capabilities, (std::vector<std::string>{"docker_logs", "deploy_debug"}));
  EXPECT_EQ(infra.instructions,
            "Read-only unless the task says otherwise. Quote log lines exactly.\n");
  EXPECT_FALSE(infra.exec.has_value());
  EXPECT_EQ(infra.raw_table["timeout"], 600);
  EXPECT_EQ(infra.raw_table["directory"], "/home/ana/src/infra");
  EXPECT_TRUE(infra.extra_toml.empty());
  const Group& shop = config.groups.at("shop");
  ASSERT_EQ(shop.members.size(), 2u);
  EXPECT_EQ(shop.members[0].agent, "infra");
  EXPECT_EQ(shop.members[0].use_for, "deploy, container logs");
  EXPECT_EQ(shop.members[1].agent, "web");
  EXPECT_EQ(shop.members[1].use_for, "");
  EXPECT_TRUE(config.warnings.empty());
}

// §2.5 step 5: the canonical text of the §2.2 example is the example itself.
TEST(AgentsTomlTest, SerializeSpecExampleExactly) {
  EXPECT_EQ(SerializeAgentsToml(Parse(kSpecExample)), kSpecExample);
}

// T-021: a wrong type names the file, the key path, a line and a column; the hint names doctor.
TEST(AgentsTomlTest, T021WrongTypeNamesKeyPathLineColumn) {
  Failure f = ParseFailure("[agents.x]\ndirectory = 123\n");
  EXPECT_TRUE(Contains(f.message, "/cfg/agents.toml:2:13:")) << f.message;
  EXPECT_TRUE(Contains(f.message, "agents.x.directory")) << f.message;
  EXPECT_TRUE(Contains(f.hint, "switchboard doctor"));
}

// T-022: a syntax error gives line and column; non-UTF-8 bytes say to re-save as UTF-8.
TEST(AgentsTomlTest, T022SyntaxAndEncoding) {
  Failure syntax = ParseFailure("[agents.ok]\ndirectory = \"/tmp\"\n[agents.x\n");
  EXPECT_TRUE(Contains(syntax.message, "/cfg/agents.toml:3:")) << syntax.message;
  // "Пример" in CP1251.
  Failure cp1251 = ParseFailure(
      "[agents.x]\ndirectory = \"/tmp\"\ndescription = \"\xcf\xf0\xe8\xec\xe5\xf0\"\n");
  EXPECT_TRUE(Contains(cp1251.message, "/cfg/agents.toml:3:16:")) << cp1251.message;
  EXPECT_TRUE(Contains(cp1251.message, "UTF-8"));
  EXPECT_TRUE(Contains(cp1251.message, "re-save"));
  // Overlong forms and surrogates are not UTF-8 either.
  ParseFailure("[agents.x]\ndirectory = \"/\xc0\xaf\"\n");
  ParseFailure("[agents.x]\ndirectory = \"/\xed\xa0\x80\"\n");
  // Valid multi-byte text is fine.
  EXPECT_EQ(Parse("[agents.x]\ndirectory = \"/п\"\n").agents.at("x").directory, "/п");
}

// T-030: invalid member and agent names are config_unreadable naming the key path and the rule.
TEST(AgentsTomlTest, T030InvalidNames) {
  Failure member = ParseFailure("[groups.g]\nmembers = [{agent = \"-bad\"}]\n");
  EXPECT_TRUE(Contains(member.message, "groups.g.members")) << member.message;
  EXPECT_TRUE(Contains(member.message, ":2:21:")) << member.message;
  Failure agent = ParseFailure("[agents.\"has space\"]\ndirectory = \"/tmp\"\n");
  EXPECT_TRUE(Contains(agent.message, "agents.\"has space\"")) << agent.message;
  EXPECT_TRUE(Contains(agent.message, "^[A-Za-z0-9][A-Za-z0-9_-]*$")) << agent.message;
  Failure group = ParseFailure(("[groups." + std::string(129, 'g') + "]\n"));
  EXPECT_TRUE(Contains(group.message, "129 characters")) << group.message;
}

// T-031: a member naming an agent that does not exist loads.
TEST(AgentsTomlTest, T031DanglingMemberLoads) {
  AgentsConfig config = Parse("[groups.g]\nmembers = [{agent = \"ghost\"}]\n");
  ASSERT_EQ(config.groups.at("g").members.size(), 1u);
  EXPECT_EQ(config.groups.at("g").members[0].agent, "ghost");
}

// §2.4: a member listed twice counts once (the first), with a warning.
TEST(AgentsTomlTest, RepeatedMemberCountsOnce) {
  AgentsConfig config = Parse(
      "[groups.g]\nmembers = [{agent = \"a\", use_for = \"first\"}, {agent = \"b\"},\n"
      "  {agent = \"a\", use_for = \"second\"}]\n");
  const auto& members = config.groups.at("g").members;
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].use_for, "first");
  EXPECT_EQ(members[1].agent, "b");
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_TRUE(Contains(config.warnings[0], "listed twice")) << config.warnings[0];
  EXPECT_TRUE(Contains(config.warnings[0], "/cfg/agents.toml:3:")) << config.warnings[0];
}

// T-084 (loader side): negative, out-of-range and non-finite numbers name the key path.
TEST(AgentsTomlTest, T084NumbersOutOfRange) {
  const std::string head = "[agents.infra]\ndirectory = \"/srv\"\n";
  struct Case {
    std::string line;
    std::string key;
  };
  for (const Case& c :
       std::vector<Case>{{"timeout = -5", "agents.infra.timeout"},
                         {"timeout = 86401", "agents.infra.timeout"},
                         {"timeout = 1.5", "agents.infra.timeout"},
                         {"timeout = \"600\"", "agents.infra.timeout"},
                         {"max_budget_usd = -1", "agents.infra.max_budget_usd"},
                         {"max_budget_usd = -0.5", "agents.infra.max_budget_usd"},
                         {"max_budget_usd = nan", "agents.infra.max_budget_usd"},
                         {"max_budget_usd = inf", "agents.infra.max_budget_usd"},
                         {"max_budget_usd = \"1\"", "agents.infra.max_budget_usd"}}) {
    Failure f = ParseFailure(head + c.line + "\n");
    EXPECT_TRUE(Contains(f.message, c.key)) << f.message;
    EXPECT_TRUE(Contains(f.message, "/cfg/agents.toml:3:")) << f.message;
  }
  AgentsConfig ok = Parse(head + "timeout = 86400\nmax_budget_usd = 3\n");
  EXPECT_EQ(ok.agents.at("infra").timeout, 86400);
  EXPECT_EQ(ok.agents.at("infra").max_budget_usd, 3.0);
}

// T-084: a zero budget is "unset" and is not written back.
TEST(AgentsTomlTest, T084ZeroBudgetIsUnset) {
  AgentsConfig config = Parse("[agents.a]\ndirectory = \"/a\"\nmax_budget_usd = 0.0\n");
  EXPECT_FALSE(config.agents.at("a").max_budget_usd.has_value());
  EXPECT_FALSE(Contains(SerializeAgentsToml(config), "max_budget_usd"));
}

// Wrong shapes anywhere name the key path.
TEST(AgentsTomlTest, WrongShapesNameKeyPath) {
  struct Case {
    std::string text;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {"agents = 1\n", "agents must be a table"},
           {"[agents]\nx = 1\n", "agents.x must be a table"},
           {"[agents.x]\ndescription = \"d\"\n", "agents.x.directory is missing"},
           {"[agents.x]\ndirectory = \"\"\n", "agents.x.directory must not be empty"},
           {"[agents.x]\ndirectory = \"/x\"\ncapabilities = \"a\"\n", "agents.x.capabilities"},
           {"[agents.x]\ndirectory = \"/x\"\ncapabilities = [\"a\", 1]\n",
            "agents.x.capabilities[1] must be a string"},
           {"[agents.x]\ndirectory = \"/x\"\nexec = 1\n", "agents.x.exec must be a table"},
           {"[agents.x]\ndirectory = \"/x\"\nrunner = true\n", "agents.x.runner"},
           {"[agents.x]\ndirectory = \"/x\"\ninstructions = 1\n", "agents.x.instructions"},
           {"[groups.g]\nmembers = \"a\"\n", "groups.g.members must be an array"},
           {"[groups.g]\nmembers = [\"a\"]\n", "groups.g.members[0] must be a table"},
           {"[groups.g]\nmembers = [{use_for = \"x\"}]\n", "groups.g.members[0].agent is missing"},
           {"[groups.g]\nmembers = [{agent = 1}]\n", "groups.g.members[0].agent must be"},
           {"[groups.g]\ndescription = []\n", "groups.g.description must be a string"},
           {"groups = []\n", "groups must be a table"},
       }) {
    Failure f = ParseFailure(c.text);
    EXPECT_TRUE(Contains(f.message, c.expected)) << c.text << " -> " << f.message;
  }
}

// §2.3 on load: flag-like values are refused naming the key and the word "flag".
TEST(AgentsTomlTest, FlagLikeValuesRefusedAtLoad) {
  const std::string head = "[agents.infra]\ndirectory = \"/srv\"\n";
  Failure model = ParseFailure(head + "model = \"--dangerously-skip-permissions\"\n");
  EXPECT_TRUE(Contains(model.message, "agents.infra.model")) << model.message;
  EXPECT_TRUE(Contains(model.message, "flag"));
  Failure tools = ParseFailure(head + "allowed_tools = [\"Read\", \"--resume\"]\n");
  EXPECT_TRUE(Contains(tools.message, "agents.infra.allowed_tools[1]")) << tools.message;
  EXPECT_TRUE(Contains(tools.message, "flag"));
  Failure mode = ParseFailure(head + "permission_mode = \" -x\"\n");
  EXPECT_TRUE(Contains(mode.message, "agents.infra.permission_mode")) << mode.message;
}

// T-086 (loader side): an unknown permission mode is kept (trimmed) with a warning.
TEST(AgentsTomlTest, T086UnknownPermissionModeWarns) {
  AgentsConfig config =
      Parse("[agents.a]\ndirectory = \"/a\"\npermission_mode = \" bypasPermissions \"\n");
  EXPECT_EQ(config.agents.at("a").permission_mode, "bypasPermissions");
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_TRUE(Contains(config.warnings[0], "bypasPermissions"));
  EXPECT_TRUE(Contains(config.warnings[0], "acceptEdits"));
  EXPECT_TRUE(Contains(config.warnings[0], "/cfg/agents.toml:3:"));
}

// ARCHITECTURE §12.7: a relative directory resolves against the file's own directory; `~` is
// expanded; neither needs to exist.
TEST(AgentsTomlTest, DirectoryResolution) {
  AgentsConfig config =
      Parse("[agents.a]\ndirectory = \"sub/../proj/\"\n[agents.b]\ndirectory = \"/x/./y/\"\n");
  EXPECT_EQ(config.agents.at("a").directory, "/cfg/proj");
  EXPECT_EQ(config.agents.at("a").raw_table["directory"], "sub/../proj/");
  EXPECT_EQ(config.agents.at("b").directory, "/x/y");
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    AgentsConfig tilde = Parse("[agents.a]\ndirectory = \"~/p\"\n");
    EXPECT_EQ(tilde.agents.at("a").directory,
              std::filesystem::path(std::string(home) + "/p").lexically_normal().string());
  }
  Failure user = ParseFailure("[agents.a]\ndirectory = \"~nosuchuser12345/p\"\n");
  EXPECT_TRUE(Contains(user.message, "agents.a.directory")) << user.message;
  EXPECT_TRUE(Contains(user.message, "~nosuchuser12345")) << user.message;
}

// T-029: unknown keys and tables are listed, ignored and written back.
TEST(AgentsTomlTest, T029UnknownKeysKeptAndListed) {
  AgentsConfig config =
      Parse("[agents.infra]\ndirectory = \"/srv\"\ncolor = \"blue\"\n\n[experimental]\nx = 1\n");
  EXPECT_EQ(config.unknown_keys, (std::vector<std::string>{"agents.infra.color", "experimental"}));
  ASSERT_EQ(config.warnings.size(), 2u);
  EXPECT_TRUE(Contains(config.warnings[0], "/cfg/agents.toml:3:1: unknown key agents.infra.color"))
      << config.warnings[0];
  EXPECT_EQ(config.agents.at("infra").raw_table["color"], "blue");
  config.agents.at("infra").description = "x";
  std::string text = SerializeAgentsToml(config);
  EXPECT_TRUE(Contains(text, "color = \"blue\"\n")) << text;
  EXPECT_TRUE(Contains(text, "\n[experimental]\nx = 1\n")) << text;
  AgentsConfig again = Parse(text);
  EXPECT_EQ(again.agents.at("infra").description, "x");
  EXPECT_EQ(again.unknown_keys, config.unknown_keys);
}

// Everything the model holds survives parse → serialize → parse, including unknown keys of
// every TOML type, exec tables, tri-state tool lists and strings that need escaping.
TEST(AgentsTomlTest, RoundTripKeepsEverything) {
  const std::string text = R"toml(title = "kept"
when = 1979-05-27T07:32:00Z
[agents.b]
directory = "/srv/b"
runner = "exec-runner"
allowed_tools = []
disallowed_tools = ["Bash(rm -rf, *)", "Write"]
description = "quote \" backslash \\ tab \t unicode Пр control \u0001 del \u007F"
instructions = "line1\nline2\r\n\n  indented \"\"\" end\\"
capabilities = ["c1", "c2"]
risky_capabilities = ["r"]
color = "blue"
nested = { a = 1, b = [1.5, 2.0, -0.0], c = { d = true } }
list = [{ x = 1 }, { y = "z" }]
"odd key" = 1e300
[agents.b.exec]
argv = ["my-agent", "{prompt}"]
env = { K = "v" }
success_exit_codes = [0, 3]
[agents.b.extra_table]
k = 1979-05-27
t = 07:32:00.5
[agents.b.extra_table.deep]
[agents.a]
directory = "/srv/a"
max_budget_usd = 0.1
timeout = 5
model = "opus"
[groups.g]
members = [{ agent = "a", use_for = "x", weight = 3 }, { agent = "ghost" }]
future = "yes"
shared_context = """
Stack: shop-prod.
Second line."""
[experimental]
flag = true
[experimental.deeper]
n = 1
[[experimental.items]]
i = 1
[[experimental.items]]
i = 2
)toml";
  AgentsConfig first = Parse(text);
  std::vector<std::string> unknown = first.unknown_keys;
  std::sort(unknown.begin(), unknown.end());
  EXPECT_EQ(unknown, (std::vector<std::string>{"agents.b.\"odd key\"", "agents.b.color",
                                               "agents.b.extra_table", "agents.b.list",
                                               "agents.b.nested", "experimental", "groups.g.future",
                                               "groups.g.members[0].weight", "title", "when"}));
  const AgentProfile& b = first.agents.at("b");
  EXPECT_EQ(b.runner, "exec-runner");
  ASSERT_TRUE(b.allowed_tools.has_value());
  EXPECT_TRUE(b.allowed_tools->empty());
  EXPECT_EQ(*b.disallowed_tools, (std::vector<std::string>{"Bash(rm -rf, *)", "Write"}));
  EXPECT_EQ(*b.instructions, "line1\nline2\r\n\n  indented \"\"\" end\\");
  ASSERT_TRUE(b.exec.has_value());
  EXPECT_EQ((*b.exec)["argv"][1], "{prompt}");
  EXPECT_EQ((*b.exec)["env"]["K"], "v");

  std::string written = SerializeAgentsToml(first);
  AgentsConfig second = Parse(written);
  EXPECT_EQ(first, second) << written;
  EXPECT_EQ(SerializeAgentsToml(second), written);
  EXPECT_TRUE(Contains(written, "allowed_tools = []\n")) << written;
  EXPECT_TRUE(Contains(written, "instructions = \"\"\"\nline1\nline2\\r\n\n")) << written;
  EXPECT_TRUE(Contains(written, "k = 1979-05-27\n")) << written;
  EXPECT_TRUE(Contains(written, "when = 1979-05-27T07:32:00Z\n")) << written;
  EXPECT_TRUE(Contains(written, "{ agent = \"a\", use_for = \"x\", weight = 3 },")) << written;
  // Agents sorted, then groups, then the unknown tables; top-level unknown values first.
  size_t title = written.find("title = ");
  size_t a = written.find("[agents.a]");
  size_t bpos = written.find("[agents.b]");
  size_t g = written.find("[groups.g]");
  size_t exp = written.find("[experimental]");
  EXPECT_LT(title, a);
  EXPECT_LT(a, bpos);
  EXPECT_LT(bpos, g);
  EXPECT_LT(g, exp);
}

// §2.5 step 5: unset fields and empty lists are left out; an explicit empty tool list is kept.
TEST(AgentsTomlTest, T093SerializeLeavesOutEmpties) {
  AgentsConfig config;
  AgentProfile agent;
  agent.name = "api";
  agent.directory = "/srv/api";
  agent.disallowed_tools = std::vector<std::string>{};
  config.agents["api"] = agent;
  Group group;
  group.name = "empty";
  config.groups["empty"] = group;
  EXPECT_EQ(SerializeAgentsToml(config), std::string(kAgentsTomlHeader) +
                                             "\n[agents.api]\n"
                                             "directory = \"/srv/api\"\n"
                                             "disallowed_tools = []\n"
                                             "\n[groups.empty]\n");
}

// T-080/T-081: what add_agent stores reads back as given (absolute directory, no timeout key).
TEST(AgentsTomlTest, T080StoredAgentReadsBack) {
  AgentsConfig config;
  AgentProfile agent;
  agent.name = "api";
  agent.directory = "/srv/api";
  agent.description = "A cool API server.";
  agent.allowed_tools = std::vector<std::string>{"Bash", "Read"};
  agent.capabilities = {"docker_logs", "deploy"};
  agent.instructions = "Never restart.\nAsk first.";
  config.agents["api"] = agent;
  std::string text = SerializeAgentsToml(config);
  EXPECT_FALSE(Contains(text, "timeout")) << text;
  EXPECT_TRUE(Contains(text, "allowed_tools = [\"Bash\", \"Read\"]")) << text;
  AgentsConfig back = Parse(text);
  const AgentProfile& api = back.agents.at("api");
  EXPECT_EQ(api.directory, "/srv/api");
  EXPECT_EQ(api.description, "A cool API server.");
  EXPECT_EQ(api.allowed_tools, agent.allowed_tools);
  EXPECT_EQ(api.capabilities, agent.capabilities);
  EXPECT_EQ(api.instructions, agent.instructions);
}

// The writer never produces a file that does not parse, even from invalid UTF-8 in a value.
TEST(AgentsTomlTest, SerializeReplacesInvalidUtf8) {
  AgentsConfig config;
  AgentProfile agent;
  agent.name = "a";
  agent.directory = "/a";
  agent.description = "bad \xff byte";
  config.agents["a"] = agent;
  AgentsConfig back = Parse(SerializeAgentsToml(config));
  EXPECT_EQ(back.agents.at("a").description, "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace sb
