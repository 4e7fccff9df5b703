// The agent, group and cache tools through a real `switchboard serve` spoken to over MCP
// (initialize, then tools/call): TOOLS.md §13.1–§13.5 and §13.12, the cases that need no dispatch,
// no job and no run, plus MCP.md §17 MCP-081 and MCP-086…MCP-088 with inspect_agent.
//
// Every success is checked against TOOLS.md §1.2 (one text item, `structuredContent` equal to the
// parsed text, `items` unwrapped for arrays, no `isError`); every envelope against §1.4 (`isError:
// true`, no `structuredContent`, the `code`), and, where nothing may be written, agents.toml is
// compared byte for byte. agents.toml is read back with toml++, independently of the server's own
// parser. Time bounds are hang catchers multiplied by SWITCHBOARD_TEST_TIME_SCALE. The only slow
// case is T025ConfigLockedSlow10s (the tool waits 10 s for the lock by contract).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>
#include "child_env.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "serve_process.h"
#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
// Key order is not compared (TOOLS.md §1.2: clients must not rely on it).
using Json = nlohmann::json;

using test::Scaled;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// MCP.md §5.1: the fixed order of tools/list.
const std::vector<std::string> kToolOrder = {"list_agents",
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
                                             "stats"};

// MCP.md §5.3 for the tools this server implements so far.
struct Annotation {
  std::string title;
  bool read_only;
  bool destructive;
  bool idempotent;
};
const std::map<std::string, Annotation> kImplemented = {
    {"list_agents", {"List agents", true, false, false}},
    {"inspect_agent", {"Inspect agent", true, false, false}},
    {"list_groups", {"List groups", true, false, false}},
    {"inspect_group", {"Inspect group", true, false, false}},
    {"add_agent", {"Add agent", false, false, false}},
    {"remove_agent", {"Remove agent", false, true, true}},
    {"update_agent", {"Update agent", false, true, true}},
    {"cache_stats", {"Cache statistics", true, false, false}},
    {"cache_clear", {"Clear the cache", false, true, true}},
};

// One MCP session over a serve process. Tool calls run concurrently in the server, so responses
// are matched by id; responses to other ids are kept for later, notifications in arrival order.
class Session {
 public:
  explicit Session(std::unique_ptr<test::ServeProcess> process) : process_(std::move(process)) {}

  test::ServeProcess& process() { return *process_; }

  int64_t Send(const std::string& method, const Json& params = nullptr) {
    const int64_t id = next_id_++;
    Json request = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) request["params"] = params;
    process_->Send(request.dump());
    return id;
  }

  void Notify(const std::string& method) {
    process_->Send(Json{{"jsonrpc", "2.0"}, {"method", method}}.dump());
  }

  // The response to `id` as {raw line, parsed}, or nullopt after `timeout`.
  std::optional<std::pair<std::string, Json>> Await(int64_t id, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto it = pending_.find(id); it != pending_.end()) {
        auto found = std::move(it->second);
        pending_.erase(it);
        return found;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto line = process_->ReadLine(left);
      if (!line) return std::nullopt;
      Json message = Json::parse(*line, nullptr, false);
      if (message.is_discarded()) {
        ADD_FAILURE() << "stdout line is not JSON: " << *line;
        continue;
      }
      if (message.contains("method") && !message.contains("id")) {
        notifications_.push_back(message);
        continue;
      }
      if (message.contains("id") && message["id"].is_number_integer()) {
        pending_[message["id"].get<int64_t>()] = {*line, message};
      }
    }
  }

  std::vector<Json>& notifications() { return notifications_; }

 private:
  std::unique_ptr<test::ServeProcess> process_;
  int64_t next_id_ = 1;
  std::map<int64_t, std::pair<std::string, Json>> pending_;
  std::vector<Json> notifications_;
};

// One tools/call as the client saw it.
struct Call {
  std::string tool;
  std::string line;                 // the raw JSON-RPC response line
  Json result;                      // the CallToolResult
  Json payload;                     // content[0].text parsed; discarded when absent
  std::vector<Json> notifications;  // notifications received while waiting for the response
};

class AgentTools : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test::TempPath("sb-agents");
    fs::remove_all(root_);
    fs::create_directories(root_ / "config");
    fs::create_directories(root_ / "state");
    root_ = fs::canonical(root_);
    config_ = root_ / "config";
    di_ = MakeDir("infra", {{"CLAUDE.md", "# Infra\nCluster gateway for the shop.\n"},
                            {"README.md", FiftyLineReadme()},
                            {".mcp.json", R"({"mcpServers": {"portainer": {"command": "p"},
                                                             "postgres": {"command": "q"}}})"},
                            {"pyproject.toml", "[project]\nname = \"infra\"\n"},
                            {"Dockerfile", "FROM alpine\n"},
                            {"alembic.ini", "[alembic]\n"}});
    dd_ = MakeDir("db", {});
    dw_ = MakeDir("web", {{"package.json", R"({"description": "Storefront"})"}});
    WriteAgentsToml(FixtureToml());
  }

  void TearDown() override {
    sessions_.clear();
    fs::remove_all(root_);
  }

  static std::string FiftyLineReadme() {
    std::string text = "# Infra readme\n";
    for (int i = 2; i <= 50; ++i) text += "readme line " + std::to_string(i) + "\n";
    return text;
  }

  // The descriptions are exactly what add_agent's auto-description gives for these directories
  // (TOOLS.md §4.4), so the add_agent path can be compared with this file
  // (AddAgentPathMatchesToml).
  static constexpr const char* kInfraDescription =
      "Cluster gateway for the shop. | MCP: portainer, postgres | Stack: Docker, Python | DB: "
      "Alembic";
  static constexpr const char* kWebDescription = "Storefront | Stack: Node.js";
  static constexpr const char* kDbDescription = "Agent in db";

  // The §13 fixture: agents infra, db, web and group shop. `infra_extra` goes into [agents.infra].
  std::string FixtureToml(const std::string& infra_extra = "", const std::string& tail = "") const {
    std::ostringstream out;
    out << "# fixture\n[agents.infra]\ndirectory = \"" << di_.string() << "\"\ndescription = \""
        << kInfraDescription << "\"\n"
        << infra_extra << "\n[agents.db]\ndirectory = \"" << dd_.string() << "\"\ndescription = \""
        << kDbDescription << "\"\n\n[agents.web]\ndirectory = \"" << dw_.string()
        << "\"\ndescription = \"" << kWebDescription << "\"\n\n"
        << "[groups.shop]\ndescription = \"deploy then verify\"\n"
        << "shared_context = \"Stack: shop-prod.\"\n"
        << "members = [{ agent = \"infra\", use_for = \"deploy\" }, { agent = \"web\" }]\n"
        << tail;
    return out.str();
  }

  fs::path MakeDir(const std::string& name, const std::map<std::string, std::string>& files) {
    fs::path dir = root_ / name;
    fs::create_directories(dir);
    for (const auto& [file, text] : files) {
      fs::create_directories((dir / file).parent_path());
      WriteFile(dir / file, text);
    }
    return dir;
  }

  static void WriteFile(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  static std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path AgentsPath() const { return config_ / "agents.toml"; }
  void WriteAgentsToml(const std::string& text) const { WriteFile(AgentsPath(), text); }
  std::string AgentsBytes() const { return ReadFile(AgentsPath()); }

  // agents.toml parsed by toml++ (not by the server's code).
  toml::table StoredToml(const fs::path& path) const {
    try {
      return toml::parse(ReadFile(path), path.string());
    } catch (const toml::parse_error& e) {
      ADD_FAILURE() << path << " does not parse: " << e.description();
      return {};
    }
  }
  toml::table StoredToml() const { return StoredToml(AgentsPath()); }

  template <typename Node>
  static std::vector<std::string> StringArray(const toml::node_view<Node>& node) {
    std::vector<std::string> out;
    if (const auto* array = node.as_array()) {
      for (const auto& item : *array) out.push_back(item.value_or(std::string("<not a string>")));
    }
    return out;
  }

  static std::vector<std::string> TmpFiles(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) found.push_back(name);
    }
    return found;
  }

  // Starts `switchboard serve` and completes the initialize handshake.
  Session& Start(std::map<std::string, std::string> env = {},
                 const std::string& protocol_version = "2025-11-25",
                 std::optional<fs::path> config_dir = std::nullopt) {
    env.emplace("SWITCHBOARD_CONFIG_DIR", (config_dir ? *config_dir : config_).string());
    env.emplace("SWITCHBOARD_STATE_DIR", (root_ / "state").string());
    env.emplace("SWITCHBOARD_DEPTH", "");
    env.emplace("SWITCHBOARD_TEST_FAULTS", "");
    env.emplace("ASAN_OPTIONS", "detect_leaks=0");  // serve leaves with _exit by design
    auto process = std::make_unique<test::ServeProcess>(
        std::vector<std::string>{SB_SWITCHBOARD_EXE, "serve"}, env);
    EXPECT_TRUE(process->started());
    sessions_.push_back(std::make_unique<Session>(std::move(process)));
    Session& session = *sessions_.back();
    const int64_t id = session.Send(
        "initialize", {{"protocolVersion", protocol_version},
                       {"capabilities", Json::object()},
                       {"clientInfo", {{"name", "agent-tools-test"}, {"version", "1"}}}});
    auto init = session.Await(id, Scaled(5000ms));
    EXPECT_TRUE(init.has_value()) << "no initialize response; stderr: "
                                  << session.process().Stderr();
    if (init) {
      EXPECT_EQ(init->second["result"]["protocolVersion"], protocol_version) << init->first;
    }
    session.Notify("notifications/initialized");
    return session;
  }

  Session& First() { return *sessions_.front(); }

  // Sends tools/call without waiting; pair with Collect.
  int64_t SendCall(Session& session, const std::string& tool, const Json& arguments) {
    Json params = {{"name", tool}};
    if (!arguments.is_null()) params["arguments"] = arguments;
    return session.Send("tools/call", params);
  }

  Call Collect(Session& session, int64_t id, const std::string& tool,
               std::chrono::milliseconds timeout = 10000ms) {
    Call call;
    call.tool = tool;
    const size_t seen = session.notifications().size();
    auto response = session.Await(id, Scaled(timeout));
    call.notifications.assign(session.notifications().begin() + static_cast<std::ptrdiff_t>(seen),
                              session.notifications().end());
    if (!response) {
      ADD_FAILURE() << tool << ": no response; stderr: " << session.process().Stderr();
      call.payload = Json(Json::value_t::discarded);
      return call;
    }
    call.line = response->first;
    EXPECT_FALSE(response->second.contains("error"))
        << tool << ": a tool failure must not be a JSON-RPC error: " << call.line;
    call.result = response->second.value("result", Json::object());
    const Json& content = call.result.value("content", Json::array());
    EXPECT_TRUE(content.is_array() && content.size() == 1)
        << tool << ": content must hold exactly one item: " << call.line;
    if (content.is_array() && !content.empty() && content[0].value("type", "") == "text" &&
        content[0].contains("text") && content[0]["text"].is_string()) {
      call.payload = Json::parse(content[0]["text"].get<std::string>(), nullptr, false);
      EXPECT_FALSE(call.payload.is_discarded()) << tool << ": text is not JSON: " << call.line;
    } else {
      ADD_FAILURE() << tool << ": content[0] is not a text item: " << call.line;
      call.payload = Json(Json::value_t::discarded);
    }
    return call;
  }

  Call CallTool(Session& session, const std::string& tool, const Json& arguments = Json::object(),
                std::chrono::milliseconds timeout = 10000ms) {
    return Collect(session, SendCall(session, tool, arguments), tool, timeout);
  }
  Call CallTool(const std::string& tool, const Json& arguments = Json::object()) {
    if (sessions_.empty()) Start();
    return CallTool(First(), tool, arguments);
  }

  // TOOLS.md §1.2 success: no isError, structuredContent equals the parsed text (arrays wrapped in
  // {"items": …}). Returns the payload.
  static Json Success(const Call& call) {
    EXPECT_FALSE(call.result.contains("isError")) << call.tool << ": " << call.line;
    if (call.payload.is_discarded()) return Json();
    EXPECT_FALSE(call.payload.is_object() && call.payload.contains("code") &&
                 call.payload.contains("error"))
        << call.tool << " returned an envelope: " << call.line;
    EXPECT_TRUE(call.result.contains("structuredContent")) << call.tool << ": " << call.line;
    const Json expected = call.payload.is_array() ? Json{{"items", call.payload}} : call.payload;
    EXPECT_EQ(call.result.value("structuredContent", Json()), expected)
        << call.tool << ": structuredContent differs from the text: " << call.line;
    return call.payload;
  }

  // TOOLS.md §1.4 envelope with `code`: isError true, no structuredContent. Returns the envelope.
  static Json Envelope(const Call& call, const std::string& code) {
    EXPECT_EQ(call.result.value("isError", false), true) << call.tool << ": " << call.line;
    EXPECT_FALSE(call.result.contains("structuredContent")) << call.tool << ": " << call.line;
    if (call.payload.is_discarded()) return Json::object();
    EXPECT_TRUE(call.payload.is_object()) << call.line;
    if (!call.payload.is_object()) return Json::object();
    EXPECT_EQ(call.payload.value("code", ""), code) << call.tool << ": " << call.line;
    EXPECT_TRUE(call.payload.contains("error") && call.payload["error"].is_string()) << call.line;
    return call.payload;
  }

  static std::string Error(const Json& envelope) { return envelope.value("error", ""); }
  static std::string Hint(const Json& envelope) { return envelope.value("hint", ""); }

  // The entry of `name` in a list_agents or list_groups array.
  static Json Entry(const Json& list, const std::string& name) {
    for (const auto& item : list) {
      if (item.value("name", "") == name) return item;
    }
    ADD_FAILURE() << name << " not in " << list.dump();
    return Json::object();
  }

  static std::vector<std::string> Names(const Json& list) {
    std::vector<std::string> names;
    for (const auto& item : list) names.push_back(item.value("name", ""));
    return names;
  }

  // An invalid_argument envelope naming `field`.
  static Json InvalidArgument(const Call& call, const std::string& field) {
    Json envelope = Envelope(call, "invalid_argument");
    EXPECT_EQ(envelope.value("field", ""), field) << call.line;
    EXPECT_TRUE(Contains(Error(envelope), field)) << call.line;
    return envelope;
  }

  fs::path root_;
  fs::path config_;
  fs::path di_, dd_, dw_;
  std::vector<std::unique_ptr<Session>> sessions_;
};

// ---------------------------------------------------------------------------------------------
// §13.1 Result shape, arguments, envelopes, encoding

// T-001 (adapted to the tools that exist): tools/list holds them in MCP.md §5.1 order, each with
// an object input schema that forbids extra properties and the title/annotations of §5.3. None
// of these tools declares an outputSchema. (host/tools/serve_tools_test.cc covers the full table.)
TEST_F(AgentTools, T001ToolListOrderAndAnnotations) {
  Session& s = Start({}, "2025-06-18");
  auto response = s.Await(s.Send("tools/list"), Scaled(5000ms));
  ASSERT_TRUE(response.has_value());
  const Json& tools = response->second["result"]["tools"];
  ASSERT_TRUE(tools.is_array()) << response->first;
  EXPECT_FALSE(response->second["result"].contains("nextCursor"));
  size_t last_index = 0;
  std::vector<std::string> listed;
  for (const auto& tool : tools) {
    const std::string name = tool.value("name", "");
    listed.push_back(name);
    auto pos = std::find(kToolOrder.begin(), kToolOrder.end(), name);
    ASSERT_NE(pos, kToolOrder.end()) << "unexpected tool " << name;
    const size_t index = static_cast<size_t>(pos - kToolOrder.begin());
    if (listed.size() > 1) {
      EXPECT_GT(index, last_index) << name << " is out of order";
    }
    last_index = index;
    EXPECT_EQ(tool["inputSchema"]["type"], "object") << name;
    EXPECT_EQ(tool["inputSchema"]["additionalProperties"], false) << name;
    EXPECT_TRUE(tool.contains("title")) << name;
    EXPECT_EQ(tool.value("title", ""), tool["annotations"].value("title", "")) << name;
  }
  for (const auto& [name, expected] : kImplemented) {
    auto it = std::find_if(tools.begin(), tools.end(),
                           [&](const Json& t) { return t.value("name", "") == name; });
    ASSERT_NE(it, tools.end()) << name << " is not listed";
    const Json& a = (*it)["annotations"];
    EXPECT_EQ(it->value("title", ""), expected.title) << name;
    EXPECT_EQ(a.value("readOnlyHint", !expected.read_only), expected.read_only) << name;
    EXPECT_EQ(a.value("openWorldHint", true), false) << name;
    if (expected.read_only) {
      EXPECT_FALSE(a.contains("destructiveHint")) << name;
      EXPECT_FALSE(a.contains("idempotentHint")) << name;
    } else {
      EXPECT_EQ(a.value("destructiveHint", !expected.destructive), expected.destructive) << name;
      EXPECT_EQ(a.value("idempotentHint", !expected.idempotent), expected.idempotent) << name;
    }
    EXPECT_FALSE(it->contains("outputSchema")) << name;
  }
}

// T-002: list_agents → one text item, an array of 3, structuredContent == {"items": array}.
TEST_F(AgentTools, T002ListAgentsShape) {
  Call call = CallTool("list_agents");
  Json list = Success(call);
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(Names(list), (std::vector<std::string>{"db", "infra", "web"}));  // sorted by name
  EXPECT_EQ(call.result["structuredContent"], (Json{{"items", list}}));
}

// T-003: inspect_agent → structuredContent is the parsed text itself (no items wrapper).
TEST_F(AgentTools, T003InspectAgentShape) {
  Call call = CallTool("inspect_agent", {{"name", "infra"}});
  Json doc = Success(call);
  ASSERT_TRUE(doc.is_object());
  EXPECT_FALSE(call.result["structuredContent"].contains("items"));
  EXPECT_EQ(call.result["structuredContent"], doc);
  EXPECT_EQ(doc["name"], "infra");
}

// T-014: a handler fault injected in a test build (inspect_agent throws) → internal_error naming
// the tool; the server survives and the next call works.
TEST_F(AgentTools, T014HandlerFault) {
  Session& s = Start({{"SWITCHBOARD_TEST_FAULTS", "tool_throw_inspect_agent"}});
  Json envelope = Envelope(CallTool(s, "inspect_agent", {{"name", "infra"}}), "internal_error");
  EXPECT_NE(envelope["error"].get<std::string>().find("inspect_agent"), std::string::npos);
  EXPECT_NE(envelope["error"].get<std::string>().find("log"), std::string::npos);
  EXPECT_EQ(Success(CallTool(s, "list_agents")).size(), 3u);
}

// T-010: a Cyrillic description set through update_agent travels as raw UTF-8, never as \u04xx;
// the same for an unknown agent name echoed in an envelope (inspect_agent stands in for
// dispatch, which does not exist yet).
TEST_F(AgentTools, T010RawUtf8) {
  const std::string description = "Деплой и логи";
  Json updated = Success(CallTool("update_agent", {{"name", "web"}, {"description", description}}));
  EXPECT_EQ(updated["fields"], Json::array({"description"}));
  Call list = CallTool("list_agents");
  EXPECT_EQ(Entry(Success(list), "web")["description"], description);
  EXPECT_TRUE(Contains(list.line, "Деплой")) << list.line;
  EXPECT_FALSE(Contains(list.line, "\\u04")) << list.line;
  EXPECT_EQ(StoredToml()["agents"]["web"]["description"].value_or(std::string()), description);

  const std::string before = AgentsBytes();
  Call unknown = CallTool("inspect_agent", {{"name", "неизвестный"}});
  Json envelope = Envelope(unknown, "unknown_agent");
  EXPECT_TRUE(Contains(Error(envelope), "неизвестный")) << unknown.line;
  EXPECT_TRUE(Contains(unknown.line, "неизвестный")) << unknown.line;
  EXPECT_FALSE(Contains(unknown.line, "\\u04")) << unknown.line;
  EXPECT_EQ(AgentsBytes(), before);
}

// MCP-081: list_agents with two agents → the text is the array, structuredContent {"items": …}.
TEST_F(AgentTools, Mcp081ListAgentsArrayIsWrapped) {
  WriteAgentsToml("[agents.db]\ndirectory = \"" + dd_.string() +
                  "\"\n[agents.web]\ndirectory = \"" + dw_.string() + "\"\n");
  Call call = CallTool("list_agents");
  Json list = Success(call);
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(Names(list), (std::vector<std::string>{"db", "web"}));
  EXPECT_EQ(call.result["structuredContent"], (Json{{"items", list}}));
}

// MCP-086: preview_lines "abc" → invalid_argument; "40" and 40.0 → the same document as 40;
// 12.5 → invalid_argument.
TEST_F(AgentTools, Mcp086PreviewLinesCoercion) {
  const std::string before = AgentsBytes();
  InvalidArgument(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", "abc"}}),
                  "preview_lines");
  InvalidArgument(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", 12.5}}),
                  "preview_lines");
  InvalidArgument(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", "12.5"}}),
                  "preview_lines");
  InvalidArgument(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", true}}),
                  "preview_lines");
  InvalidArgument(CallTool("inspect_agent", {{"name", 5}}), "name");
  Json forty = Success(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", 40}}));
  EXPECT_EQ(Success(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", "40"}})),
            forty);
  EXPECT_EQ(Success(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", 40.0}})),
            forty);
  EXPECT_EQ(Success(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", " 40 "}})),
            forty);
  EXPECT_EQ(AgentsBytes(), before);
}

// MCP-087: an extra argument `agnet` → invalid_argument naming it; the hint lists the real names.
TEST_F(AgentTools, Mcp087UnknownArgumentNamed) {
  Call call = CallTool("inspect_agent", {{"name", "infra"}, {"agnet", "infra"}});
  Json envelope = InvalidArgument(call, "agnet");
  EXPECT_TRUE(Contains(Hint(envelope), "name")) << call.line;
  EXPECT_TRUE(Contains(Hint(envelope), "preview_lines")) << call.line;
}

// MCP-088: an optional argument given as null is the same as omitted; a required one is missing.
TEST_F(AgentTools, Mcp088NullMeansOmitted) {
  Json omitted = Success(CallTool("inspect_agent", {{"name", "infra"}}));
  EXPECT_EQ(Success(CallTool("inspect_agent", {{"name", "infra"}, {"preview_lines", nullptr}})),
            omitted);
  InvalidArgument(CallTool("inspect_agent", {{"name", nullptr}}), "name");
  // update_agent with every optional field null has nothing to update.
  const std::string before = AgentsBytes();
  Envelope(
      CallTool("update_agent", {{"name", "infra"}, {"description", nullptr}, {"timeout", nullptr}}),
      "nothing_to_update");
  EXPECT_EQ(AgentsBytes(), before);
}

// ---------------------------------------------------------------------------------------------
// §13.2 Configuration, reload, writes

// T-020: no agents.toml, or an empty one → no_agents whose hint names `switchboard add`.
TEST_F(AgentTools, T020NoAgents) {
  fs::remove(AgentsPath());
  Session& s = Start();
  Call call = CallTool(s, "list_agents");
  Json envelope = Envelope(call, "no_agents");
  EXPECT_TRUE(Contains(Error(envelope), "no agents") || Contains(Error(envelope), "No agents"))
      << call.line;
  EXPECT_TRUE(Contains(Hint(envelope), "switchboard add")) << call.line;
  EXPECT_TRUE(Contains(Hint(envelope), "add_agent")) << call.line;
  EXPECT_FALSE(fs::exists(AgentsPath())) << "a read-only tool created agents.toml";

  WriteAgentsToml("");
  Call empty = CallTool(s, "list_agents");
  Envelope(empty, "no_agents");
  EXPECT_TRUE(Contains(Hint(empty.payload), "switchboard add")) << empty.line;
  EXPECT_EQ(AgentsBytes(), "");
}

// T-021: `directory = 123` → config_unreadable from every agents.toml tool, naming the file, the
// key path, a line and a column, with a `switchboard doctor` hint; tools/list is unaffected.
TEST_F(AgentTools, T021WrongTypeIsConfigUnreadable) {
  WriteAgentsToml("[agents.x]\ndirectory = 123\n");
  const std::string before = AgentsBytes();
  Session& s = Start();
  const std::vector<std::pair<std::string, Json>> calls = {
      {"list_agents", Json::object()},
      {"inspect_agent", {{"name", "x"}}},
      {"list_groups", Json::object()},
      {"inspect_group", {{"name", "shop"}}},
      {"add_agent", {{"name", "y"}, {"directory", dd_.string()}}},
      {"update_agent", {{"name", "x"}, {"description", "d"}}},
      {"remove_agent", {{"name", "x"}}},
  };
  for (const auto& [tool, args] : calls) {
    Call call = CallTool(s, tool, args);
    Json envelope = Envelope(call, "config_unreadable");
    EXPECT_TRUE(Contains(Error(envelope), AgentsPath().string())) << call.line;
    EXPECT_TRUE(Contains(Error(envelope), "agents.x.directory")) << call.line;
    EXPECT_TRUE(std::regex_search(Error(envelope), std::regex("agents\\.toml:2:[0-9]+")))
        << "line and column: " << call.line;
    EXPECT_TRUE(Contains(Hint(envelope), "switchboard doctor")) << call.line;
    // MCP.md §8.2: the reading tools also warn the client through notifications/message.
    if (tool == "list_agents" || tool == "inspect_agent" || tool == "list_groups" ||
        tool == "inspect_group") {
      bool warned = false;
      for (const auto& n : call.notifications) {
        warned = warned || (n.value("method", "") == "notifications/message" &&
                            n["params"]["level"] == "warning" &&
                            Contains(n["params"]["data"].get<std::string>(), "agents.toml"));
      }
      EXPECT_TRUE(warned) << tool;
    }
  }
  EXPECT_EQ(AgentsBytes(), before);
  // Tools that do not need agents.toml keep working, and the tool list is the usual one.
  Success(CallTool(s, "cache_stats"));
  auto list = s.Await(s.Send("tools/list"), Scaled(5000ms));
  ASSERT_TRUE(list.has_value());
  std::vector<std::string> names;
  for (const auto& t : list->second["result"]["tools"]) names.push_back(t.value("name", ""));
  for (const auto& [name, unused] : kImplemented) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

// T-022: invalid TOML → config_unreadable with line and column; CP1251 bytes → mentions UTF-8.
TEST_F(AgentTools, T022InvalidTomlAndEncoding) {
  WriteAgentsToml("[agents.ok]\ndirectory = \"/tmp\"\n\n[agents.x\ndirectory = \"/tmp\"\n");
  Session& s = Start();
  Call call = CallTool(s, "list_agents");
  Json envelope = Envelope(call, "config_unreadable");
  EXPECT_TRUE(Contains(Error(envelope), AgentsPath().string() + ":4:")) << call.line;
  EXPECT_TRUE(Contains(Hint(envelope), "switchboard doctor")) << call.line;

  // "Деплой" in CP1251.
  WriteAgentsToml("[agents.x]\ndirectory = \"/tmp\"\ndescription = \"\xC4\xE5\xEF\xEB\xEE\xE9\"\n");
  Call cp1251 = CallTool(s, "list_agents");
  Json enc = Envelope(cp1251, "config_unreadable");
  EXPECT_TRUE(Contains(Error(enc), "UTF-8")) << cp1251.line;
  EXPECT_TRUE(Contains(Error(enc), AgentsPath().string())) << cp1251.line;

  // Fixed on disk → the tools work again without a restart; broken again → config_unreadable,
  // never the older good snapshot (TOOLS.md §2.4).
  WriteAgentsToml(FixtureToml());
  EXPECT_EQ(Success(CallTool(s, "list_agents")).size(), 3u);
  WriteAgentsToml(FixtureToml() + "\n[agents.y\n");
  Envelope(CallTool(s, "list_agents"), "config_unreadable");
  Envelope(CallTool(s, "inspect_agent", {{"name", "infra"}}), "config_unreadable");
}

// T-023: edits by another process are seen without a restart: an appended agent, and a second
// same-size in-place edit whose modification time is put back (a stat-only check would miss it).
// The unit case with the stat seam is in host/agents/agents_repository_test.cc.
TEST_F(AgentTools, T023ExternalEditsSeenWithoutRestart) {
  Session& s = Start();
  EXPECT_EQ(Success(CallTool(s, "list_agents")).size(), 3u);
  fs::path late = MakeDir("late", {});
  {
    std::ofstream out(AgentsPath(), std::ios::app);
    out << "\n[agents.late]\ndirectory = \"" << late.string() << "\"\n";
  }
  EXPECT_EQ(Names(Success(CallTool(s, "list_agents"))),
            (std::vector<std::string>{"db", "infra", "late", "web"}));

  // Two edits within the same second, the second changing only a description (same size).
  WriteAgentsToml(FixtureToml(
      "", "\n[agents.late]\ndirectory = \"" + late.string() + "\"\ndescription = \"first\"\n"));
  EXPECT_EQ(Entry(Success(CallTool(s, "list_agents")), "late")["description"], "first");
  struct stat before {};
  ASSERT_EQ(::stat(AgentsPath().c_str(), &before), 0);
  {
    // In place: same inode, same size.
    int fd = ::open(AgentsPath().c_str(), O_WRONLY | O_TRUNC);
    ASSERT_GE(fd, 0);
    const std::string text = FixtureToml(
        "", "\n[agents.late]\ndirectory = \"" + late.string() + "\"\ndescription = \"again\"\n");
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    const timespec times[2] = {before.st_atim, before.st_mtim};
    ASSERT_EQ(::futimens(fd, times), 0);
    ::close(fd);
  }
  struct stat after {};
  ASSERT_EQ(::stat(AgentsPath().c_str(), &after), 0);
  EXPECT_EQ(after.st_size, before.st_size);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(Entry(Success(CallTool(s, "list_agents")), "late")["description"], "again");
}

// T-024: add_agent while agents.toml is broken → config_unreadable; the broken file is untouched.
TEST_F(AgentTools, T024AddAgentKeepsBrokenFile) {
  WriteAgentsToml("[agents.x\ndirectory = \"/tmp\"\n# keep me\n");
  const std::string before = AgentsBytes();
  Call call = CallTool("add_agent", {{"name", "api"}, {"directory", dd_.string()}});
  Envelope(call, "config_unreadable");
  EXPECT_EQ(AgentsBytes(), before);
  EXPECT_TRUE(TmpFiles(config_).empty());
}

// T-025 (SLOW, about 10 s by contract): another process holds the agents.toml.lock flock →
// update_agent gives config_locked after about 10 s and the file is unchanged.
TEST_F(AgentTools, T025ConfigLockedSlow10s) {
  Session& s = Start();
  const std::string before = AgentsBytes();
  int lock = ::open((config_ / "agents.toml.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(::flock(lock, LOCK_EX | LOCK_NB), 0);
  const auto start = std::chrono::steady_clock::now();
  Call call = CallTool(s, "update_agent", {{"name", "infra"}, {"description", "d"}}, 20000ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ::flock(lock, LOCK_UN);
  ::close(lock);
  Json envelope = Envelope(call, "config_locked");
  EXPECT_TRUE(Contains(Error(envelope), "locked")) << call.line;
  EXPECT_TRUE(Contains(Hint(envelope), "retry")) << call.line;
  EXPECT_GE(elapsed, 9500ms);
  EXPECT_LE(elapsed, Scaled(12000ms));
  EXPECT_EQ(AgentsBytes(), before);
  EXPECT_TRUE(TmpFiles(config_).empty());
  // Once the lock is free, the same call goes through.
  Success(CallTool(s, "update_agent", {{"name", "infra"}, {"description", "d"}}));
}

// T-026: two server processes adding different agents at the same time → all of them are stored.
TEST_F(AgentTools, T026ConcurrentAddsFromTwoServers) {
  Session& a = Start();
  Session& b = Start();
  constexpr int kEach = 8;
  std::vector<std::pair<Session*, int64_t>> sent;
  std::vector<std::string> expected = {"db", "infra", "web"};
  for (int i = 0; i < kEach; ++i) {
    for (auto [session, prefix] : {std::pair<Session*, const char*>{&a, "a"}, {&b, "b"}}) {
      const std::string name = std::string(prefix) + std::to_string(i);
      expected.push_back(name);
      sent.emplace_back(session, SendCall(*session, "add_agent",
                                          {{"name", name},
                                           {"directory", dd_.string()},
                                           {"description", "concurrent " + name}}));
    }
  }
  for (auto [session, id] : sent) {
    Json added = Success(Collect(*session, id, "add_agent", 20000ms));
    EXPECT_TRUE(added.contains("added")) << added.dump();
  }
  std::sort(expected.begin(), expected.end());
  toml::table stored = StoredToml();
  std::vector<std::string> names;
  if (const auto* agents = stored["agents"].as_table()) {
    for (const auto& [key, value] : *agents) names.emplace_back(key.str());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, expected);
  // Both servers see all of them.
  EXPECT_EQ(Success(CallTool(a, "list_agents")).size(), expected.size());
  EXPECT_EQ(Success(CallTool(b, "list_agents")).size(), expected.size());
  EXPECT_TRUE(TmpFiles(config_).empty());
}

// T-027: agents.toml is a symlink → the link stays, its target holds the change with mode 0600.
// A config directory the server has to create gets mode 0700.
TEST_F(AgentTools, T027SymlinkAndModes) {
  fs::path real_dir = root_ / "real";
  fs::create_directories(real_dir);
  fs::path real = real_dir / "real.toml";
  WriteFile(real, FixtureToml());
  fs::remove(AgentsPath());
  fs::create_symlink(real, AgentsPath());
  Session& s = Start();
  Json updated = Success(CallTool(s, "update_agent", {{"name", "infra"}, {"description", "x"}}));
  EXPECT_EQ(updated["fields"], Json::array({"description"}));
  EXPECT_TRUE(fs::is_symlink(AgentsPath()));
  EXPECT_EQ(fs::read_symlink(AgentsPath()), real);
  EXPECT_EQ(StoredToml(real)["agents"]["infra"]["description"].value_or(std::string()), "x");
  struct stat st {};
  ASSERT_EQ(::stat(real.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(TmpFiles(real_dir).empty());
  EXPECT_TRUE(TmpFiles(config_).empty());

  // A config directory that does not exist yet is created 0700 by the first write.
  fs::path fresh = root_ / "fresh" / "config";
  Session& f = Start({}, "2025-11-25", fresh);
  Success(CallTool(f, "add_agent", {{"name", "api"}, {"directory", dd_.string()}}));
  ASSERT_EQ(::stat(fresh.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((fresh / "agents.toml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// T-028: writing fails with ENOSPC (injected) → config_write_failed saying `could not write` and
// that the previous file is unchanged; the file is byte-identical and no temp file is left.
TEST_F(AgentTools, T028EnospcLeavesFileIntact) {
  const std::string before = AgentsBytes();
  Session& s = Start({{"SWITCHBOARD_TEST_FAULTS", "agents_write_enospc"}});
  for (const auto& [tool, args] : std::vector<std::pair<std::string, Json>>{
           {"update_agent", {{"name", "infra"}, {"description", "x"}}},
           {"add_agent", {{"name", "api"}, {"directory", dd_.string()}, {"description", "d"}}},
           {"remove_agent", {{"name", "db"}}}}) {
    Call call = CallTool(s, tool, args);
    Json envelope = Envelope(call, "config_write_failed");
    EXPECT_TRUE(Contains(Error(envelope), "could not write")) << call.line;
    EXPECT_TRUE(Contains(Error(envelope), AgentsPath().string())) << call.line;
    EXPECT_TRUE(Contains(Error(envelope), "No space left on device")) << call.line;
    EXPECT_TRUE(Contains(Error(envelope), "unchanged")) << call.line;
    EXPECT_EQ(AgentsBytes(), before) << tool;
    EXPECT_TRUE(TmpFiles(config_).empty()) << tool;
  }
  // The in-memory view did not change either.
  Json infra = Entry(Success(CallTool(s, "list_agents")), "infra");
  EXPECT_EQ(infra["description"], kInfraDescription);
}

// T-029: unknown keys and tables do not stop the tools and survive a rewrite.
TEST_F(AgentTools, T029UnknownKeysPreserved) {
  WriteAgentsToml(FixtureToml("color = \"blue\"\n", "\n[experimental]\nmode = \"fast\"\n"));
  Session& s = Start();
  EXPECT_EQ(Success(CallTool(s, "list_agents")).size(), 3u);
  Success(CallTool(s, "inspect_agent", {{"name", "infra"}}));
  Success(CallTool(s, "update_agent", {{"name", "infra"}, {"description", "x"}}));
  toml::table stored = StoredToml();
  EXPECT_EQ(stored["agents"]["infra"]["description"].value_or(std::string()), "x");
  EXPECT_EQ(stored["agents"]["infra"]["color"].value_or(std::string()), "blue");
  EXPECT_EQ(stored["experimental"]["mode"].value_or(std::string()), "fast");
}

// T-030: an invalid member name or agent name → config_unreadable naming the key path / the rule.
TEST_F(AgentTools, T030InvalidNamesInFile) {
  WriteAgentsToml("[groups.g]\nmembers = [{agent = \"-bad\"}]\n");
  Session& s = Start();
  Call member = CallTool(s, "list_groups");
  Json envelope = Envelope(member, "config_unreadable");
  EXPECT_TRUE(Contains(Error(envelope), "groups.g.members")) << member.line;

  WriteAgentsToml("[agents.\"has space\"]\ndirectory = \"/tmp\"\n");
  Call name = CallTool(s, "list_agents");
  Json bad = Envelope(name, "config_unreadable");
  EXPECT_TRUE(Contains(Error(bad), "has space")) << name.line;
  EXPECT_TRUE(Contains(Error(bad), "[A-Za-z0-9][A-Za-z0-9_-]*")) << "the name rule: " << name.line;
}

// T-031: a member naming a missing agent loads; list_groups flags it.
TEST_F(AgentTools, T031DanglingMember) {
  WriteAgentsToml(FixtureToml("", "\n[groups.g]\nmembers = [{ agent = \"ghost\" }]\n"));
  Json groups = Success(CallTool("list_groups"));
  Json g = Entry(groups, "g");
  EXPECT_EQ(g["members"], Json::array({{{"agent", "ghost"}, {"unknown", true}}}));
  Json inspected = Success(CallTool("inspect_group", {{"name", "g"}}));
  EXPECT_EQ(inspected["members"], Json::array({{{"agent", "ghost"}, {"unknown", true}}}));
}

// ---------------------------------------------------------------------------------------------
// §13.3 Detection and inspection

// T-040: infra's list_agents entry.
TEST_F(AgentTools, T040InfraDetection) {
  Json infra = Entry(Success(CallTool("list_agents")), "infra");
  EXPECT_EQ(infra["directory"], di_.string());
  EXPECT_EQ(infra["description"], kInfraDescription);
  EXPECT_EQ(infra["healthy"], true);
  EXPECT_EQ(infra["has_claude_md"], true);
  EXPECT_EQ(infra["has_mcp_config"], true);
  EXPECT_EQ(infra["mcp_servers"], Json::array({"portainer", "postgres"}));
  EXPECT_EQ(infra["stacks"], Json::array({"Docker", "Python"}));
  EXPECT_EQ(infra["dbs"], Json::array({"Alembic"}));
  EXPECT_EQ(infra["runner"], "claude-runner");
  for (const char* key : {"capabilities", "risky_capabilities", "permission_mode", "allowed_tools",
                          "disallowed_tools", "typical"}) {
    EXPECT_FALSE(infra.contains(key)) << key;
  }
}

// T-041: the empty directory db → none of the optional keys.
TEST_F(AgentTools, T041EmptyDirectoryHasNoOptionalKeys) {
  Json db = Entry(Success(CallTool("list_agents")), "db");
  EXPECT_EQ(db["healthy"], true);
  EXPECT_EQ(db["has_claude_md"], false);
  EXPECT_EQ(db["has_mcp_config"], false);
  for (const char* key : {"mcp_servers", "stacks", "dbs", "capabilities", "risky_capabilities",
                          "permission_mode", "allowed_tools", "disallowed_tools", "typical"}) {
    EXPECT_FALSE(db.contains(key)) << key;
  }
  for (const auto& [key, value] : db.items()) EXPECT_FALSE(value.is_null()) << key;
}

// T-042: allowed_tools "," → an explicit [] shown as []; "none" → unset again (key absent).
TEST_F(AgentTools, T042ExplicitEmptyToolList) {
  Session& s = Start();
  Json updated = Success(CallTool(s, "update_agent", {{"name", "db"}, {"allowed_tools", ","}}));
  EXPECT_EQ(updated["fields"], Json::array({"allowed_tools"}));
  EXPECT_EQ(Entry(Success(CallTool(s, "list_agents")), "db")["allowed_tools"], Json::array());
  const auto stored_file = StoredToml();  // keep the table alive while `stored` points into it
  const auto* stored = stored_file["agents"]["db"]["allowed_tools"].as_array();
  ASSERT_NE(stored, nullptr) << "an explicit [] must be written";
  EXPECT_TRUE(stored->empty());
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "db"}}))["allowed_tools"],
            Json::array());

  Success(CallTool(s, "update_agent", {{"name", "db"}, {"allowed_tools", "none"}}));
  EXPECT_FALSE(Entry(Success(CallTool(s, "list_agents")), "db").contains("allowed_tools"));
  EXPECT_FALSE(StoredToml()["agents"]["db"]["allowed_tools"]);

  // The same through add_agent, for disallowed_tools.
  Json added = Success(CallTool(
      s, "add_agent", {{"name", "api"}, {"directory", dd_.string()}, {"disallowed_tools", ","}}));
  EXPECT_EQ(added["disallowed_tools"], Json::array());
  EXPECT_EQ(Entry(Success(CallTool(s, "list_agents")), "api")["disallowed_tools"], Json::array());
  const auto stored_api = StoredToml();
  const auto* disallowed = stored_api["agents"]["api"]["disallowed_tools"].as_array();
  ASSERT_NE(disallowed, nullptr) << AgentsBytes();
  EXPECT_TRUE(disallowed->empty());
}

// T-043: db's directory removed → unhealthy, every flag false; inspect_agent stops at healthy.
TEST_F(AgentTools, T043MissingDirectory) {
  fs::remove_all(dd_);
  Session& s = Start();
  Json db = Entry(Success(CallTool(s, "list_agents")), "db");
  EXPECT_EQ(db["healthy"], false);
  EXPECT_EQ(db["has_claude_md"], false);
  EXPECT_EQ(db["has_mcp_config"], false);
  Call call = CallTool(s, "inspect_agent", {{"name", "db"}});
  Json doc = Success(call);
  EXPECT_EQ(doc["healthy"], false);
  for (const char* key : {"mcp_servers", "stacks", "dbs", "claude_md_preview", "readme_preview",
                          "has_claude_md", "has_readme", "has_mcp_config", "scan_error"}) {
    EXPECT_FALSE(doc.contains(key)) << key;
  }
  // "the object ends there": healthy is the last field of the text.
  auto ordered =
      nlohmann::ordered_json::parse(call.result["content"][0]["text"].get<std::string>());
  EXPECT_EQ(ordered.items().begin() == ordered.items().end() ? "" : std::prev(ordered.end()).key(),
            "healthy");
}

// T-044: checking db's directory fails with EACCES (injected) → "UNREADABLE"; the others are
// listed normally.
TEST_F(AgentTools, T044UnreadableDirectory) {
  fs::path unreadable = MakeDir("db-unreadable", {{"CLAUDE.md", "# hidden\nSecret text.\n"}});
  WriteAgentsToml(
      FixtureToml("", "\n[agents.locked]\ndirectory = \"" + unreadable.string() +
                          "\"\n\n[groups.vault]\nmembers = [{ agent = \"locked\" }]\n"));
  Session& s = Start({{"SWITCHBOARD_TEST_FAULTS", "detection_eacces"}});
  Json list = Success(CallTool(s, "list_agents"));
  ASSERT_EQ(list.size(), 4u);
  Json locked = Entry(list, "locked");
  EXPECT_EQ(locked["healthy"], "UNREADABLE");
  EXPECT_EQ(locked["has_claude_md"], false);
  EXPECT_EQ(locked["has_mcp_config"], false);
  EXPECT_FALSE(locked.contains("mcp_servers"));
  EXPECT_FALSE(locked.contains("stacks"));
  Json infra = Entry(list, "infra");
  EXPECT_EQ(infra["healthy"], true);
  EXPECT_EQ(infra["mcp_servers"], Json::array({"portainer", "postgres"}));
  EXPECT_EQ(Entry(list, "db")["healthy"], true);
  EXPECT_EQ(Entry(list, "web")["stacks"], Json::array({"Node.js"}));

  Json doc = Success(CallTool(s, "inspect_agent", {{"name", "locked"}}));
  EXPECT_EQ(doc["healthy"], "UNREADABLE");
  EXPECT_FALSE(doc.contains("claude_md_preview"));
  EXPECT_FALSE(doc.contains("mcp_servers"));

  // The group tools report the same health for the member.
  Json group = Success(CallTool(s, "inspect_group", {{"name", "vault"}}));
  EXPECT_EQ(group["members"][0]["healthy"], "UNREADABLE");
  Json groups = Success(CallTool(s, "list_groups"));
  for (const auto& g : groups) {
    if (g["name"] == "vault") {
      EXPECT_EQ(g["members"][0]["healthy"], "UNREADABLE");
    }
  }
}

// T-045: inspect_agent infra → stored timeout 0, effective_timeout 300 (claude-runner's default;
// the plugin is not built yet, so runner_available: false appears too), the previews, groups.
TEST_F(AgentTools, T045InspectInfra) {
  Session& s = Start();
  Json doc = Success(CallTool(s, "inspect_agent", {{"name", "infra"}}));
  EXPECT_EQ(doc["name"], "infra");
  EXPECT_EQ(doc["directory"], di_.string());
  EXPECT_EQ(doc["description"], kInfraDescription);
  EXPECT_EQ(doc["runner"], "claude-runner");
  EXPECT_EQ(doc["timeout"], 0);
  EXPECT_EQ(doc["effective_timeout"], 300);
  EXPECT_EQ(doc["runner_available"], false);
  EXPECT_EQ(doc["healthy"], true);
  EXPECT_EQ(doc["has_claude_md"], true);
  EXPECT_EQ(doc["has_readme"], true);
  EXPECT_EQ(doc["has_mcp_config"], true);
  EXPECT_EQ(doc["mcp_servers"], Json::array({"portainer", "postgres"}));
  EXPECT_EQ(doc["stacks"], Json::array({"Docker", "Python"}));
  EXPECT_EQ(doc["dbs"], Json::array({"Alembic"}));
  EXPECT_TRUE(Contains(doc.value("claude_md_preview", ""), "Cluster gateway for the shop."));
  EXPECT_FALSE(doc.contains("claude_md_truncated"));
  EXPECT_EQ(doc["readme_truncated"], true);  // 50 lines > 40
  const std::string readme = doc.value("readme_preview", "");
  EXPECT_EQ(std::count(readme.begin(), readme.end(), '\n'), 39);
  EXPECT_TRUE(Contains(readme, "readme line 40"));
  EXPECT_FALSE(Contains(readme, "readme line 41"));
  EXPECT_EQ(doc["groups"], Json::array({"shop"}));
  for (const char* key :
       {"model", "max_budget_usd", "permission_mode", "allowed_tools", "disallowed_tools",
        "capabilities", "risky_capabilities", "instructions"}) {
    EXPECT_FALSE(doc.contains(key)) << key;
  }
  EXPECT_FALSE(Success(CallTool(s, "inspect_agent", {{"name", "db"}})).contains("groups"));

  // A stored timeout is shown as stored and is the effective one.
  Success(CallTool(s, "update_agent", {{"name", "infra"}, {"timeout", 600}}));
  Json again = Success(CallTool(s, "inspect_agent", {{"name", "infra"}}));
  EXPECT_EQ(again["timeout"], 600);
  EXPECT_EQ(again["effective_timeout"], 600);
}

// T-046: preview_lines 0 → no previews; 500 → like 200; one 50,000-character line with
// preview_lines 1 → a 200 code point preview, truncated.
TEST_F(AgentTools, T046PreviewLimits) {
  Session& s = Start();
  Json none = Success(CallTool(s, "inspect_agent", {{"name", "infra"}, {"preview_lines", 0}}));
  EXPECT_FALSE(none.contains("claude_md_preview"));
  EXPECT_FALSE(none.contains("readme_preview"));
  EXPECT_FALSE(none.contains("readme_truncated"));
  EXPECT_EQ(none["has_readme"], true);

  std::string long_readme;
  for (int i = 1; i <= 250; ++i) long_readme += "line " + std::to_string(i) + "\n";
  WriteFile(di_ / "README.md", long_readme);
  Json capped = Success(CallTool(s, "inspect_agent", {{"name", "infra"}, {"preview_lines", 500}}));
  Json two_hundred =
      Success(CallTool(s, "inspect_agent", {{"name", "infra"}, {"preview_lines", 200}}));
  EXPECT_EQ(capped, two_hundred);
  const std::string preview = capped.value("readme_preview", "");
  EXPECT_EQ(std::count(preview.begin(), preview.end(), '\n'), 199);
  EXPECT_EQ(capped["readme_truncated"], true);
  Json negative = Success(CallTool(s, "inspect_agent", {{"name", "infra"}, {"preview_lines", -3}}));
  EXPECT_FALSE(negative.contains("readme_preview"));

  // Invalid UTF-8 in a previewed file becomes U+FFFD (TOOLS.md §1.6, §4.3).
  WriteFile(di_ / "CLAUDE.md", "# Infra\nok\xE9ok\n");
  Call bad_bytes = CallTool(s, "inspect_agent", {{"name", "infra"}});
  EXPECT_EQ(Success(bad_bytes).value("claude_md_preview", ""), "# Infra\nok\xEF\xBF\xBDok");

  // One 50,000-character line, with a multi-byte character so code points are counted.
  WriteFile(di_ / "README.md", "é" + std::string(49999, 'x') + "\n");
  Json one = Success(CallTool(s, "inspect_agent", {{"name", "infra"}, {"preview_lines", 1}}));
  EXPECT_EQ(one.value("readme_preview", ""), "é" + std::string(199, 'x'));
  EXPECT_EQ(one["readme_truncated"], true);
}

// T-047: inspect_agent of an unknown name → unknown_agent listing the configured names.
TEST_F(AgentTools, T047InspectUnknownAgent) {
  const std::string before = AgentsBytes();
  Call call = CallTool("inspect_agent", {{"name", "nope"}});
  Json envelope = Envelope(call, "unknown_agent");
  std::string lower = Error(envelope);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_TRUE(Contains(lower, "unknown agent")) << call.line;
  EXPECT_TRUE(Contains(Error(envelope), "nope")) << call.line;
  EXPECT_TRUE(Contains(Error(envelope), "db, infra, web")) << call.line;
  EXPECT_FALSE(Hint(envelope).empty());
  EXPECT_EQ(AgentsBytes(), before);
}

// T-048: MCP servers from .mcp.json then .claude/settings.local.json, de-duplicated in order;
// `"mcpServers": []` contributes nothing. Both agents are added through add_agent.
TEST_F(AgentTools, T048McpServerSources) {
  fs::path both = MakeDir("both", {{".mcp.json", R"({"mcpServers": {"portainer": {}}})"},
                                   {".claude/settings.local.json",
                                    R"({"mcpServers": {"portainer": {}, "extra": {}}})"}});
  fs::path array = MakeDir("array", {{".mcp.json", R"({"mcpServers": []})"}});
  Session& s = Start();
  Success(CallTool(s, "add_agent", {{"name", "both"}, {"directory", both.string()}}));
  Success(CallTool(s, "add_agent",
                   {{"name", "array"}, {"directory", array.string()}, {"description", "d"}}));
  Json list = Success(CallTool(s, "list_agents"));
  EXPECT_EQ(Entry(list, "both")["mcp_servers"], Json::array({"portainer", "extra"}));
  EXPECT_FALSE(Entry(list, "array").contains("mcp_servers"));
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "array"}}))["mcp_servers"],
            Json::array());
}

// T-049: auto-description from CLAUDE.md skips headings and `--` lines, joins two lines.
TEST_F(AgentTools, T049AutoDescriptionFromClaudeMd) {
  fs::path dir = MakeDir(
      "orders",
      {{"CLAUDE.md", "# T\n-- note\nAn API server for orders.\nHandles refunds.\nThird line"}});
  Session& s = Start();
  Json added = Success(CallTool(s, "add_agent", {{"name", "orders"}, {"directory", dir.string()}}));
  const std::string description = added.value("description", "");
  EXPECT_EQ(description.rfind("An API server for orders. Handles refunds.", 0), 0u) << description;
  EXPECT_FALSE(Contains(description, "Third line"));
  EXPECT_EQ(StoredToml()["agents"]["orders"]["description"].value_or(std::string()), description);
  EXPECT_EQ(Entry(Success(CallTool(s, "list_agents")), "orders")["description"], description);
}

// T-050: a malformed directory → exactly "Stack: Python, Node.js".
TEST_F(AgentTools, T050AutoDescriptionMalformedFiles) {
  fs::path dir = MakeDir("odd", {{"CLAUDE.md", "\xFF\xFE"},
                                 {"README.md", "\xFF\xFE"},
                                 {"pyproject.toml", "description"},
                                 {"package.json", "[]"},
                                 {".mcp.json", R"({"mcpServers": []})"}});
  Json added = Success(CallTool("add_agent", {{"name", "odd"}, {"directory", dir.string()}}));
  EXPECT_EQ(added["description"], "Stack: Python, Node.js");
  EXPECT_EQ(StoredToml()["agents"]["odd"]["description"].value_or(std::string()),
            "Stack: Python, Node.js");
}

// T-051: a blank package.json description → exactly "Stack: Node.js"; an empty directory `proj`
// → exactly "Agent in proj".
TEST_F(AgentTools, T051AutoDescriptionFallbacks) {
  fs::path node = MakeDir("node", {{"package.json", R"({"description": ""})"}});
  fs::path proj = MakeDir("proj", {});
  Session& s = Start();
  EXPECT_EQ(Success(CallTool(s, "add_agent",
                             {{"name", "node"}, {"directory", node.string()}}))["description"],
            "Stack: Node.js");
  EXPECT_EQ(Success(CallTool(s, "add_agent",
                             {{"name", "proj"}, {"directory", proj.string()}}))["description"],
            "Agent in proj");
}

// T-052: README fallback skips `#`, `[`, and short lines; a CLAUDE.md with text wins over it.
TEST_F(AgentTools, T052AutoDescriptionFromReadme) {
  const std::string readme =
      "# Title\n[![badge]]\nshort\nThis repository holds the billing service.\nMore text here "
      "that is long enough.\n";
  fs::path billing = MakeDir("billing", {{"README.md", readme}});
  fs::path both = MakeDir("both", {{"README.md", readme}, {"CLAUDE.md", "Billing agent notes.\n"}});
  Session& s = Start();
  const std::string from_readme =
      Success(CallTool(s, "add_agent", {{"name", "billing"}, {"directory", billing.string()}}))
          .value("description", "");
  EXPECT_EQ(from_readme.rfind("This repository holds the billing service.", 0), 0u) << from_readme;
  EXPECT_FALSE(Contains(from_readme, "More text"));
  const std::string from_claude =
      Success(CallTool(s, "add_agent", {{"name", "both"}, {"directory", both.string()}}))
          .value("description", "");
  EXPECT_EQ(from_claude.rfind("Billing agent notes.", 0), 0u) << from_claude;
  EXPECT_FALSE(Contains(from_claude, "billing service")) << from_claude;
}

// T-053: stacks and dbs in their fixed order.
TEST_F(AgentTools, T053StacksAndDbs) {
  fs::path go = MakeDir("go", {{"Dockerfile", "FROM x\n"}, {"go.mod", "module x\n"}});
  fs::path mig = MakeDir("mig", {{"alembic.ini", ""}, {"migrations/0001.sql", ""}});
  fs::path prisma = MakeDir("prisma", {{"prisma/schema.prisma", ""}});
  Session& s = Start();
  for (const auto& [name, dir] : std::vector<std::pair<std::string, fs::path>>{
           {"go", go}, {"mig", mig}, {"prisma", prisma}}) {
    Success(CallTool(s, "add_agent", {{"name", name}, {"directory", dir.string()}}));
  }
  Json list = Success(CallTool(s, "list_agents"));
  EXPECT_EQ(Entry(list, "go")["stacks"], Json::array({"Docker", "Go"}));
  EXPECT_FALSE(Entry(list, "go").contains("dbs"));
  EXPECT_EQ(Entry(list, "mig")["dbs"], Json::array({"Alembic", "migrations"}));
  EXPECT_EQ(Entry(list, "prisma")["dbs"], Json::array({"Prisma"}));
  // The auto-descriptions carry them too.
  EXPECT_EQ(Entry(list, "go")["description"], "Stack: Docker, Go");
  EXPECT_EQ(Entry(list, "mig")["description"], "DB: Alembic, migrations");
}

// ---------------------------------------------------------------------------------------------
// §13.4 Groups

// T-060: list_groups → the one group shop with its members.
TEST_F(AgentTools, T060ListGroups) {
  Json groups = Success(CallTool("list_groups"));
  ASSERT_EQ(groups.size(), 1u);
  Json expected = {
      {"name", "shop"},
      {"description", "deploy then verify"},
      {"shared_context_present", true},
      {"member_count", 2},
      {"members", Json::array({{{"agent", "infra"}, {"use_for", "deploy"}, {"healthy", true}},
                               {{"agent", "web"}, {"healthy", true}}})}};
  EXPECT_EQ(groups[0], expected);
}

// TOOLS.md §9.3/§9.2/§2.4: groups sorted by name, a blank shared context is not "present", a
// member listed twice counts once (first occurrence), inspect_agent's groups are sorted.
TEST_F(AgentTools, ListGroupsSortedAndDeduplicated) {
  WriteAgentsToml(FixtureToml(
      "",
      "\n[groups.alpha]\nshared_context = \"  \"\nmembers = [{ agent = \"web\" }, "
      "{ agent = \"infra\", use_for = \"x\" }, { agent = \"web\", use_for = \"again\" }]\n"));
  Session& s = Start();
  Json groups = Success(CallTool(s, "list_groups"));
  EXPECT_EQ(Names(groups), (std::vector<std::string>{"alpha", "shop"}));
  Json alpha = Entry(groups, "alpha");
  EXPECT_EQ(alpha["description"], "");
  EXPECT_EQ(alpha["shared_context_present"], false);
  EXPECT_EQ(alpha["member_count"], 2);
  EXPECT_EQ(alpha["members"],
            Json::array({{{"agent", "web"}, {"healthy", true}},
                         {{"agent", "infra"}, {"use_for", "x"}, {"healthy", true}}}));
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "infra"}}))["groups"],
            Json::array({"alpha", "shop"}));
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "web"}}))["groups"],
            Json::array({"alpha", "shop"}));
}

// T-061: no groups → no_groups whose hint names `switchboard group add`.
TEST_F(AgentTools, T061NoGroups) {
  WriteAgentsToml("[agents.db]\ndirectory = \"" + dd_.string() + "\"\n");
  const std::string before = AgentsBytes();
  Call call = CallTool("list_groups");
  Json envelope = Envelope(call, "no_groups");
  EXPECT_TRUE(Contains(Error(envelope), "o groups")) << call.line;
  EXPECT_TRUE(Contains(Hint(envelope), "switchboard group add")) << call.line;
  EXPECT_EQ(AgentsBytes(), before);
}

// T-062: inspect_group shop → the full shared context and member details; an unknown group →
// unknown_group listing shop.
TEST_F(AgentTools, T062InspectGroup) {
  Session& s = Start();
  Json doc = Success(CallTool(s, "inspect_group", {{"name", "shop"}}));
  Json expected = {{"name", "shop"},
                   {"description", "deploy then verify"},
                   {"shared_context", "Stack: shop-prod."},
                   {"member_count", 2},
                   {"members", Json::array({{{"agent", "infra"},
                                             {"use_for", "deploy"},
                                             {"directory", di_.string()},
                                             {"description", kInfraDescription},
                                             {"healthy", true}},
                                            {{"agent", "web"},
                                             {"directory", dw_.string()},
                                             {"description", kWebDescription},
                                             {"healthy", true}}})}};
  EXPECT_EQ(doc, expected);

  Call call = CallTool(s, "inspect_group", {{"name", "nope"}});
  Json envelope = Envelope(call, "unknown_group");
  std::string lower = Error(envelope);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_TRUE(Contains(lower, "unknown group")) << call.line;
  EXPECT_TRUE(Contains(Error(envelope), "nope")) << call.line;
  EXPECT_TRUE(Contains(Error(envelope), "shop")) << call.line;
}

// ---------------------------------------------------------------------------------------------
// §13.5 add / remove / update

// The fixture built through add_agent (auto-descriptions) lists exactly like the TOML fixture.
TEST_F(AgentTools, AddAgentPathMatchesToml) {
  Session& from_toml = Start();
  Json expected = Success(CallTool(from_toml, "list_agents"));
  fs::path other = root_ / "config2";
  Session& s = Start({}, "2025-11-25", other);
  Envelope(CallTool(s, "list_agents"), "no_agents");
  for (const auto& [name, dir] :
       std::vector<std::pair<std::string, fs::path>>{{"web", dw_}, {"infra", di_}, {"db", dd_}}) {
    Json added = Success(CallTool(s, "add_agent", {{"name", name}, {"directory", dir.string()}}));
    EXPECT_EQ(added["added"], name);
    EXPECT_EQ(added["directory"], dir.string());
  }
  EXPECT_EQ(Success(CallTool(s, "list_agents")), expected);
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "infra"}}))["description"],
            kInfraDescription);
}

// T-080: add_agent with an auto-description; stored with an absolute canonical directory and
// without a timeout key.
TEST_F(AgentTools, T080AddAgent) {
  fs::path api = MakeDir("api", {{"CLAUDE.md", "A cool API server.\n"}});
  Call call =
      CallTool("add_agent", {{"name", "api"}, {"directory", (api / ".." / "api" / ".").string()}});
  Json added = Success(call);
  EXPECT_EQ(added["added"], "api");
  EXPECT_EQ(added["directory"], api.string());
  EXPECT_TRUE(Contains(added.value("description", ""), "A cool API server.")) << call.line;
  for (const char* key :
       {"model", "permission_mode", "allowed_tools", "disallowed_tools", "capabilities",
        "risky_capabilities", "runner", "warnings", "has_instructions", "instructions"}) {
    EXPECT_FALSE(added.contains(key)) << key;
  }
  toml::table stored = StoredToml();
  const auto* table = stored["agents"]["api"].as_table();
  ASSERT_NE(table, nullptr) << AgentsBytes();
  EXPECT_EQ((*table)["directory"].value_or(std::string()), api.string());
  EXPECT_EQ((*table)["description"].value_or(std::string()), added["description"]);
  for (const char* key : {"timeout", "max_budget_usd", "runner", "model", "capabilities"}) {
    EXPECT_FALSE(table->contains(key)) << key << "\n" << AgentsBytes();
  }
  // The rest of the file survived; the rewrite carries the header comment (TOOLS.md §2.5).
  EXPECT_EQ(stored["groups"]["shop"]["shared_context"].value_or(std::string()),
            "Stack: shop-prod.");
  EXPECT_TRUE(stored["agents"]["infra"].is_table());
  EXPECT_EQ(AgentsBytes().rfind("# Switchboard agents and groups.", 0), 0u) << AgentsBytes();
}

// TOOLS.md §2.2/§2.3: `~` is expanded and symlinks are resolved before the directory is stored.
TEST_F(AgentTools, T080DirectoryTildeAndSymlink) {
  fs::create_directory_symlink(dw_, root_ / "web-link");
  Session& s = Start({{"HOME", root_.string()}});
  Json home = Success(CallTool(s, "add_agent", {{"name", "home"}, {"directory", "~/db"}}));
  EXPECT_EQ(home["directory"], dd_.string());
  Json link = Success(
      CallTool(s, "add_agent", {{"name", "link"}, {"directory", (root_ / "web-link").string()}}));
  EXPECT_EQ(link["directory"], dw_.string());
  toml::table stored = StoredToml();
  EXPECT_EQ(stored["agents"]["home"]["directory"].value_or(std::string()), dd_.string());
  EXPECT_EQ(stored["agents"]["link"]["directory"].value_or(std::string()), dw_.string());
}

// T-081: lists are trimmed, de-duplicated (capabilities) and echoed.
TEST_F(AgentTools, T081AddAgentLists) {
  Json added =
      Success(CallTool("add_agent", {{"name", "api"},
                                     {"directory", dd_.string()},
                                     {"description", "d"},
                                     {"permission_mode", "bypassPermissions"},
                                     {"allowed_tools", "Bash, Read ,"},
                                     {"capabilities", "docker_logs,docker_logs, deploy"}}));
  EXPECT_EQ(added["permission_mode"], "bypassPermissions");
  EXPECT_EQ(added["allowed_tools"], Json::array({"Bash", "Read"}));
  EXPECT_EQ(added["capabilities"], Json::array({"docker_logs", "deploy"}));
  EXPECT_FALSE(added.contains("warnings"));
  toml::table stored = StoredToml();
  EXPECT_EQ(StringArray(stored["agents"]["api"]["allowed_tools"]),
            (std::vector<std::string>{"Bash", "Read"}));
  EXPECT_EQ(StringArray(stored["agents"]["api"]["capabilities"]),
            (std::vector<std::string>{"docker_logs", "deploy"}));
  EXPECT_EQ(stored["agents"]["api"]["permission_mode"].value_or(std::string()),
            "bypassPermissions");
  Json listed = Entry(Success(CallTool("list_agents")), "api");
  EXPECT_EQ(listed["capabilities"], Json::array({"docker_logs", "deploy"}));
  EXPECT_EQ(listed["permission_mode"], "bypassPermissions");
}

// T-082: the name rule, including the 128-character cap.
TEST_F(AgentTools, T082AgentNames) {
  Session& s = Start();
  const std::string before = AgentsBytes();
  for (const std::string& bad :
       {std::string("-bad"), std::string("a/b"), std::string(""), std::string("has space"),
        std::string(129, 'x'), std::string("name\n")}) {
    InvalidArgument(CallTool(s, "add_agent",
                             {{"name", bad}, {"directory", dd_.string()}, {"description", "d"}}),
                    "name");
  }
  EXPECT_EQ(AgentsBytes(), before);
  for (const std::string& good :
       {std::string(128, 'x'), std::string("A1"), std::string("agent_1")}) {
    Json added = Success(CallTool(
        s, "add_agent", {{"name", good}, {"directory", dd_.string()}, {"description", "d"}}));
    EXPECT_EQ(added["added"], good);
  }
  EXPECT_EQ(Success(CallTool(s, "list_agents")).size(), 6u);
}

// T-083: a missing directory, and a `~user` that cannot be resolved.
TEST_F(AgentTools, T083BadDirectory) {
  const std::string before = AgentsBytes();
  Session& s = Start();
  Call missing = CallTool(s, "add_agent", {{"name", "api"}, {"directory", "/nonexistent/x"}});
  Json envelope = InvalidArgument(missing, "directory");
  EXPECT_TRUE(Contains(Error(envelope), "/nonexistent/x")) << missing.line;
  Call user = CallTool(s, "add_agent", {{"name", "api"}, {"directory", "~nosuchuser12345/p"}});
  Json user_envelope = InvalidArgument(user, "directory");
  EXPECT_TRUE(Contains(Error(user_envelope), "~nosuchuser12345")) << user.line;
  // A relative path is resolved against the server's working directory (the test's) and shown.
  Call relative = CallTool(s, "add_agent", {{"name", "api"}, {"directory", "no-such-dir-xyz"}});
  Json relative_envelope = InvalidArgument(relative, "directory");
  EXPECT_TRUE(Contains(Error(relative_envelope), (fs::current_path() / "no-such-dir-xyz").string()))
      << relative.line;
  // A file is not a directory.
  InvalidArgument(
      CallTool(s, "add_agent", {{"name", "api"}, {"directory", (di_ / "CLAUDE.md").string()}}),
      "directory");
  EXPECT_EQ(AgentsBytes(), before);
}

// T-084: timeout -1 and budget -1 are refused before anything is written (agents.toml is not
// even created); a zero budget stores no budget key.
TEST_F(AgentTools, T084TimeoutAndBudget) {
  fs::remove(AgentsPath());
  Session& s = Start();
  InvalidArgument(
      CallTool(s, "add_agent", {{"name", "api"}, {"directory", dd_.string()}, {"timeout", -1}}),
      "timeout");
  EXPECT_FALSE(fs::exists(AgentsPath()));
  InvalidArgument(
      CallTool(s, "add_agent", {{"name", "api"}, {"directory", dd_.string()}, {"timeout", 86401}}),
      "timeout");
  InvalidArgument(CallTool(s, "add_agent",
                           {{"name", "api"}, {"directory", dd_.string()}, {"max_budget_usd", -1}}),
                  "max_budget_usd");
  EXPECT_FALSE(fs::exists(AgentsPath()));
  EXPECT_FALSE(fs::exists(config_ / "agents.toml.lock"));

  Success(CallTool(
      s, "add_agent",
      {{"name", "api"}, {"directory", dd_.string()}, {"max_budget_usd", 0}, {"timeout", 0}}));
  toml::table stored = StoredToml();
  EXPECT_TRUE(stored["agents"]["api"].is_table()) << AgentsBytes();
  EXPECT_FALSE(stored["agents"]["api"]["max_budget_usd"]);
  EXPECT_FALSE(stored["agents"]["api"]["timeout"]);

  Success(CallTool(s, "add_agent",
                   {{"name", "capped"},
                    {"directory", dd_.string()},
                    {"max_budget_usd", 1.5},
                    {"timeout", 86400}}));
  Json doc = Success(CallTool(s, "inspect_agent", {{"name", "capped"}}));
  EXPECT_EQ(doc["max_budget_usd"], 1.5);
  EXPECT_EQ(doc["timeout"], 86400);
  EXPECT_EQ(StoredToml()["agents"]["capped"]["timeout"].value_or(int64_t{0}), 86400);
}

// T-085: add_agent of an existing name → already_exists; nothing written.
TEST_F(AgentTools, T085AlreadyExists) {
  const std::string before = AgentsBytes();
  Call call = CallTool("add_agent", {{"name", "infra"}, {"directory", dd_.string()}});
  Json envelope = Envelope(call, "already_exists");
  EXPECT_TRUE(Contains(Error(envelope), "already exists")) << call.line;
  EXPECT_TRUE(Contains(Error(envelope), "infra")) << call.line;
  EXPECT_EQ(AgentsBytes(), before);
}

// T-086: an unknown permission mode is stored with a warning, in the payload and as a
// notifications/message at level warning sent before the response.
TEST_F(AgentTools, T086UnknownPermissionModeWarns) {
  Call call = CallTool(
      "add_agent",
      {{"name", "api"}, {"directory", dd_.string()}, {"permission_mode", " bypasPermissions "}});
  Json added = Success(call);
  EXPECT_EQ(added["permission_mode"], "bypasPermissions");  // trimmed, stored anyway
  ASSERT_TRUE(added.contains("warnings")) << call.line;
  ASSERT_EQ(added["warnings"].size(), 1u);
  const std::string warning = added["warnings"][0].get<std::string>();
  EXPECT_TRUE(Contains(warning, "bypasPermissions")) << warning;
  for (const char* mode :
       {"acceptEdits", "auto", "bypassPermissions", "default", "dontAsk", "manual", "plan"}) {
    EXPECT_TRUE(Contains(warning, mode)) << mode << " not listed: " << warning;
  }
  bool notified = false;
  for (const auto& n : call.notifications) {
    if (n.value("method", "") == "notifications/message" &&
        n["params"].value("level", "") == "warning" &&
        Contains(n["params"].value("data", std::string()), "bypasPermissions")) {
      notified = true;
    }
  }
  EXPECT_TRUE(notified) << "no warning notification before the response";
  EXPECT_EQ(StoredToml()["agents"]["api"]["permission_mode"].value_or(std::string()),
            "bypasPermissions");

  // update_agent warns the same way.
  Call update = CallTool("update_agent", {{"name", "infra"}, {"permission_mode", "planx"}});
  Json updated = Success(update);
  EXPECT_EQ(updated["fields"], Json::array({"permission_mode"}));
  ASSERT_EQ(updated.value("warnings", Json::array()).size(), 1u) << update.line;
  EXPECT_TRUE(Contains(updated["warnings"][0].get<std::string>(), "planx"));
  bool update_notified = false;
  for (const auto& n : update.notifications) {
    if (n.value("method", "") == "notifications/message" &&
        n["params"].value("level", "") == "warning") {
      update_notified = true;
    }
  }
  EXPECT_TRUE(update_notified);
  EXPECT_EQ(StoredToml()["agents"]["infra"]["permission_mode"].value_or(std::string()), "planx");
  // A known mode produces no warning.
  Call known = CallTool("update_agent", {{"name", "infra"}, {"permission_mode", "plan"}});
  EXPECT_FALSE(Success(known).contains("warnings")) << known.line;
}

// T-087: flag-like values are refused, naming the field and the word `flag`.
TEST_F(AgentTools, T087FlagLikeValues) {
  const std::string before = AgentsBytes();
  Session& s = Start();
  Call model = CallTool(
      s, "add_agent",
      {{"name", "api"}, {"directory", dd_.string()}, {"model", "--dangerously-skip-permissions"}});
  EXPECT_TRUE(Contains(Error(InvalidArgument(model, "model")), "flag")) << model.line;
  Call tools =
      CallTool(s, "add_agent",
               {{"name", "api"}, {"directory", dd_.string()}, {"allowed_tools", "Read,--resume"}});
  EXPECT_TRUE(Contains(Error(InvalidArgument(tools, "allowed_tools")), "flag")) << tools.line;
  InvalidArgument(
      CallTool(s, "add_agent",
               {{"name", "api"}, {"directory", dd_.string()}, {"permission_mode", "-x"}}),
      "permission_mode");
  InvalidArgument(CallTool(s, "update_agent", {{"name", "infra"}, {"model", "-m"}}), "model");
  InvalidArgument(CallTool(s, "update_agent", {{"name", "infra"}, {"disallowed_tools", "-Bash"}}),
                  "disallowed_tools");
  EXPECT_EQ(AgentsBytes(), before);
}

// T-088: commas inside parentheses do not split a tool name.
TEST_F(AgentTools, T088ParenthesizedToolList) {
  Session& s = Start();
  Json added = Success(CallTool(s, "add_agent",
                                {{"name", "api"},
                                 {"directory", dd_.string()},
                                 {"allowed_tools", "Bash(git add, git commit),Read"}}));
  EXPECT_EQ(added["allowed_tools"], Json::array({"Bash(git add, git commit)", "Read"}));
  EXPECT_EQ(StringArray(StoredToml()["agents"]["api"]["allowed_tools"]),
            (std::vector<std::string>{"Bash(git add, git commit)", "Read"}));
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "api"}}))["allowed_tools"],
            Json::array({"Bash(git add, git commit)", "Read"}));
}

// T-089: an unknown runner → invalid_argument naming runner and listing claude-runner.
TEST_F(AgentTools, T089UnknownRunner) {
  const std::string before = AgentsBytes();
  Session& s = Start();
  Call call = CallTool(
      s, "add_agent", {{"name", "api"}, {"directory", dd_.string()}, {"runner", "no-such-runner"}});
  EXPECT_TRUE(Contains(Error(InvalidArgument(call, "runner")), "claude-runner")) << call.line;
  Call update = CallTool(s, "update_agent", {{"name", "infra"}, {"runner", "no-such-runner"}});
  EXPECT_TRUE(Contains(Error(InvalidArgument(update, "runner")), "claude-runner")) << update.line;
  EXPECT_EQ(AgentsBytes(), before);
  // The default runner by name is accepted and not echoed (it is the default).
  Json added = Success(CallTool(
      s, "add_agent", {{"name", "api"}, {"directory", dd_.string()}, {"runner", "claude-runner"}}));
  EXPECT_FALSE(added.contains("runner"));
  // "none" resets the runner to the default: listed as changed, no runner key written.
  Json reset = Success(CallTool(s, "update_agent", {{"name", "api"}, {"runner", "NONE"}}));
  EXPECT_EQ(reset["fields"], Json::array({"runner"}));
  EXPECT_FALSE(StoredToml()["agents"]["api"]["runner"]) << AgentsBytes();
}

// T-090: remove_agent reports the groups left dangling; list_groups flags the member; a second
// remove → agent_not_found.
TEST_F(AgentTools, T090RemoveAgent) {
  Session& s = Start();
  Json removed = Success(CallTool(s, "remove_agent", {{"name", "infra"}}));
  EXPECT_EQ(removed, (Json{{"removed", "infra"}, {"dangling_in_groups", Json::array({"shop"})}}));
  toml::table stored = StoredToml();
  EXPECT_FALSE(stored["agents"]["infra"]);
  EXPECT_EQ(stored["groups"]["shop"]["members"].as_array()->size(), 2u);  // groups not edited

  Json shop = Entry(Success(CallTool(s, "list_groups")), "shop");
  EXPECT_EQ(shop["members"][0],
            (Json{{"agent", "infra"}, {"use_for", "deploy"}, {"unknown", true}}));
  EXPECT_EQ(shop["members"][1], (Json{{"agent", "web"}, {"healthy", true}}));
  EXPECT_EQ(Names(Success(CallTool(s, "list_agents"))), (std::vector<std::string>{"db", "web"}));

  const std::string before = AgentsBytes();
  Call again = CallTool(s, "remove_agent", {{"name", "infra"}});
  Json envelope = Envelope(again, "agent_not_found");
  EXPECT_TRUE(Contains(Error(envelope), "not found")) << again.line;
  EXPECT_TRUE(Contains(Error(envelope), "infra")) << again.line;
  EXPECT_TRUE(Contains(Error(envelope), "db, web")) << again.line;
  EXPECT_EQ(AgentsBytes(), before);

  // An agent in no group: no dangling_in_groups key.
  EXPECT_EQ(Success(CallTool(s, "remove_agent", {{"name", "db"}})), (Json{{"removed", "db"}}));
}

// T-091: update_agent reports the changed fields in the fixed order and stores them.
TEST_F(AgentTools, T091UpdateFields) {
  Session& s = Start();
  Json updated = Success(
      CallTool(s, "update_agent",
               {{"allowed_tools", "Read"}, {"name", "infra"}, {"permission_mode", "plan"}}));
  EXPECT_EQ(updated, (Json{{"updated", "infra"},
                           {"fields", Json::array({"permission_mode", "allowed_tools"})}}));
  toml::table stored = StoredToml();
  EXPECT_EQ(stored["agents"]["infra"]["permission_mode"].value_or(std::string()), "plan");
  EXPECT_EQ(StringArray(stored["agents"]["infra"]["allowed_tools"]),
            (std::vector<std::string>{"Read"}));
  Json doc = Success(CallTool(s, "inspect_agent", {{"name", "infra"}}));
  EXPECT_EQ(doc["permission_mode"], "plan");
  EXPECT_EQ(doc["allowed_tools"], Json::array({"Read"}));

  // Every field at once, listed in the order of TOOLS.md §9.7.
  Json all = Success(CallTool(s, "update_agent",
                              {{"name", "infra"},
                               {"instructions", "Be careful."},
                               {"risky_capabilities", "restart"},
                               {"capabilities", "deploy"},
                               {"disallowed_tools", "Write"},
                               {"allowed_tools", "Read"},
                               {"permission_mode", "plan"},
                               {"model", "sonnet"},
                               {"max_budget_usd", 1},
                               {"timeout", 60},
                               {"runner", "claude-runner"},
                               {"directory", di_.string()},
                               {"description", "same"}}));
  EXPECT_EQ(all["fields"],
            Json::array({"description", "directory", "runner", "timeout", "max_budget_usd", "model",
                         "permission_mode", "allowed_tools", "disallowed_tools", "capabilities",
                         "risky_capabilities", "instructions"}));
}

// T-092: "none" (any case) clears permission_mode and allowed_tools back to inherit.
TEST_F(AgentTools, T092NoneClears) {
  WriteAgentsToml(
      FixtureToml("model = \"sonnet\"\npermission_mode = \"plan\"\nallowed_tools = [\"Read\"]\n"));
  Session& s = Start();
  Json updated = Success(
      CallTool(s, "update_agent",
               {{"name", "infra"}, {"permission_mode", "none"}, {"allowed_tools", " NONE "}}));
  EXPECT_EQ(updated["fields"], Json::array({"permission_mode", "allowed_tools"}));
  toml::table stored = StoredToml();
  EXPECT_FALSE(stored["agents"]["infra"]["permission_mode"]) << AgentsBytes();
  EXPECT_FALSE(stored["agents"]["infra"]["allowed_tools"]) << AgentsBytes();
  Json infra = Entry(Success(CallTool(s, "list_agents")), "infra");
  EXPECT_FALSE(infra.contains("permission_mode"));
  EXPECT_FALSE(infra.contains("allowed_tools"));
  EXPECT_EQ(StoredToml()["agents"]["infra"]["model"].value_or(std::string()), "sonnet");
  Json model = Success(CallTool(s, "update_agent", {{"name", "infra"}, {"model", "None"}}));
  EXPECT_EQ(model["fields"], Json::array({"model"}));
  EXPECT_FALSE(StoredToml()["agents"]["infra"]["model"]) << AgentsBytes();
  EXPECT_FALSE(Success(CallTool(s, "inspect_agent", {{"name", "infra"}})).contains("model"));
}

// T-093: capabilities "none" → the empty list is pruned from the file and from list_agents.
TEST_F(AgentTools, T093CapabilitiesNone) {
  WriteAgentsToml(FixtureToml("capabilities = [\"deploy\"]\n"));
  Session& s = Start();
  EXPECT_EQ(Entry(Success(CallTool(s, "list_agents")), "infra")["capabilities"],
            Json::array({"deploy"}));
  Json updated =
      Success(CallTool(s, "update_agent", {{"name", "infra"}, {"capabilities", "none"}}));
  EXPECT_EQ(updated["fields"], Json::array({"capabilities"}));
  EXPECT_FALSE(StoredToml()["agents"]["infra"]["capabilities"]) << AgentsBytes();
  EXPECT_FALSE(Entry(Success(CallTool(s, "list_agents")), "infra").contains("capabilities"));
}

// T-094: nothing to update, and an unknown agent; nothing written either time.
TEST_F(AgentTools, T094NothingToUpdateAndNotFound) {
  const std::string before = AgentsBytes();
  Session& s = Start();
  Call nothing = CallTool(s, "update_agent", {{"name", "infra"}});
  Json envelope = Envelope(nothing, "nothing_to_update");
  std::string lower = Error(envelope);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_TRUE(Contains(lower, "nothing to update")) << nothing.line;
  // Empty strings and a zero timeout are "not given" too.
  Envelope(CallTool(s, "update_agent",
                    {{"name", "infra"}, {"description", ""}, {"timeout", 0}, {"model", ""}}),
           "nothing_to_update");
  // The agent is checked before the fields.
  Envelope(CallTool(s, "update_agent", {{"name", "zzz"}}), "agent_not_found");
  Call missing = CallTool(s, "update_agent", {{"name", "zzz"}, {"description", "d"}});
  Json not_found = Envelope(missing, "agent_not_found");
  EXPECT_TRUE(Contains(Error(not_found), "not found")) << missing.line;
  EXPECT_TRUE(Contains(Error(not_found), "zzz")) << missing.line;
  EXPECT_TRUE(Contains(Error(not_found), "db, infra, web")) << missing.line;
  EXPECT_EQ(AgentsBytes(), before);
}

// T-095: a negative timeout is refused and the stored one kept; timeout 0 is "unchanged".
TEST_F(AgentTools, T095TimeoutRules) {
  WriteAgentsToml(FixtureToml("timeout = 600\n"));
  const std::string before = AgentsBytes();
  Session& s = Start();
  InvalidArgument(CallTool(s, "update_agent", {{"name", "infra"}, {"timeout", -5}}), "timeout");
  InvalidArgument(CallTool(s, "update_agent", {{"name", "infra"}, {"timeout", 86401}}), "timeout");
  EXPECT_EQ(AgentsBytes(), before);
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "infra"}}))["timeout"], 600);
  Json updated = Success(
      CallTool(s, "update_agent", {{"name", "infra"}, {"timeout", 0}, {"description", "d"}}));
  EXPECT_EQ(updated["fields"], Json::array({"description"}));
  EXPECT_EQ(StoredToml()["agents"]["infra"]["timeout"].value_or(int64_t{0}), 600);
}

// T-096: a positive budget is stored; a negative one removes the key.
TEST_F(AgentTools, T096Budget) {
  Session& s = Start();
  Json set = Success(CallTool(s, "update_agent", {{"name", "infra"}, {"max_budget_usd", 2.5}}));
  EXPECT_EQ(set["fields"], Json::array({"max_budget_usd"}));
  EXPECT_EQ(StoredToml()["agents"]["infra"]["max_budget_usd"].value_or(0.0), 2.5);
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "infra"}}))["max_budget_usd"], 2.5);
  Json cleared = Success(CallTool(s, "update_agent", {{"name", "infra"}, {"max_budget_usd", -1}}));
  EXPECT_EQ(cleared["fields"], Json::array({"max_budget_usd"}));
  EXPECT_FALSE(StoredToml()["agents"]["infra"]["max_budget_usd"]) << AgentsBytes();
  EXPECT_FALSE(
      Success(CallTool(s, "inspect_agent", {{"name", "infra"}})).contains("max_budget_usd"));
}

// T-097 (stored values only; the dispatch argv part needs the runner): instructions are stored,
// shown by inspect_agent, echoed by add_agent only as has_instructions, and cleared by "none".
TEST_F(AgentTools, T097InstructionsStored) {
  Session& s = Start();
  Json updated =
      Success(CallTool(s, "update_agent", {{"name", "infra"}, {"instructions", "Never restart."}}));
  EXPECT_EQ(updated["fields"], Json::array({"instructions"}));
  EXPECT_EQ(Success(CallTool(s, "inspect_agent", {{"name", "infra"}}))["instructions"],
            "Never restart.");
  EXPECT_EQ(StoredToml()["agents"]["infra"]["instructions"].value_or(std::string()),
            "Never restart.");
  Success(CallTool(s, "update_agent", {{"name", "infra"}, {"instructions", "none"}}));
  EXPECT_FALSE(StoredToml()["agents"]["infra"]["instructions"]) << AgentsBytes();
  EXPECT_FALSE(Success(CallTool(s, "inspect_agent", {{"name", "infra"}})).contains("instructions"));

  Json added = Success(
      CallTool(s, "add_agent",
               {{"name", "api"}, {"directory", dd_.string()}, {"instructions", "Quote logs."}}));
  EXPECT_EQ(added["has_instructions"], true);
  EXPECT_FALSE(added.contains("instructions"));
}

// T-098 (stored value only; the cwd part needs a dispatch): update_agent directory.
TEST_F(AgentTools, T098DirectoryStored) {
  Session& s = Start();
  Json updated =
      Success(CallTool(s, "update_agent", {{"name", "infra"}, {"directory", dw_.string()}}));
  EXPECT_EQ(updated["fields"], Json::array({"directory"}));
  EXPECT_EQ(StoredToml()["agents"]["infra"]["directory"].value_or(std::string()), dw_.string());
  Json doc = Success(CallTool(s, "inspect_agent", {{"name", "infra"}}));
  EXPECT_EQ(doc["directory"], dw_.string());
  EXPECT_EQ(doc["stacks"], Json::array({"Node.js"}));
  const std::string before = AgentsBytes();
  InvalidArgument(CallTool(s, "update_agent", {{"name", "infra"}, {"directory", "/nonexistent/x"}}),
                  "directory");
  EXPECT_EQ(AgentsBytes(), before);
}

// TOOLS.md §9.5 / §9.7 check order, and MCP.md §6.2 (an unknown argument before a missing one):
// with two problems, the first in the documented order is reported. Nothing is written.
TEST_F(AgentTools, AddAndUpdateCheckOrder) {
  const std::string before = AgentsBytes();
  Session& s = Start();
  struct Case {
    const char* tool;
    Json args;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"add_agent", {{"directory", dd_.string()}, {"nmae", "x"}}, "nmae"},
      {"add_agent", {{"name", "-bad"}, {"directory", "/nonexistent/x"}}, "name"},
      {"add_agent",
       {{"name", "api"}, {"directory", "/nonexistent/x"}, {"timeout", -1}},
       "directory"},
      {"add_agent",
       {{"name", "api"}, {"directory", dd_.string()}, {"timeout", -1}, {"max_budget_usd", -1}},
       "timeout"},
      {"add_agent",
       {{"name", "api"}, {"directory", dd_.string()}, {"max_budget_usd", -1}, {"model", "-m"}},
       "max_budget_usd"},
      {"add_agent",
       {{"name", "api"}, {"directory", dd_.string()}, {"model", "-m"}, {"runner", "nope"}},
       "model"},
      {"update_agent",
       {{"name", "infra"}, {"max_budget_usd", "nan"}, {"timeout", -1}},
       "max_budget_usd"},  // a type error (generic) comes before every tool check
      {"update_agent",
       {{"name", "infra"}, {"timeout", 86401}, {"directory", "/nonexistent/x"}},
       "timeout"},
      {"update_agent",
       {{"name", "infra"}, {"directory", "/nonexistent/x"}, {"runner", "nope"}},
       "directory"},
      {"update_agent", {{"name", "infra"}, {"runner", "nope"}, {"model", "-m"}}, "runner"},
      {"update_agent", {{"name", "zzz"}, {"timeout", -1}}, "timeout"},  // arguments before lookup
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.dump());
    InvalidArgument(CallTool(s, c.tool, c.args), c.field);
  }
  EXPECT_EQ(AgentsBytes(), before);
}

// ---------------------------------------------------------------------------------------------
// §13.12 Cache tools

// T-240: a fresh server's cache_stats, exactly.
TEST_F(AgentTools, T240FreshCacheStats) {
  Call call = CallTool("cache_stats");
  Json stats = Success(call);
  EXPECT_EQ(stats, (Json{{"size", 0},
                         {"max_size", 1000},
                         {"hits", 0},
                         {"misses", 0},
                         {"evictions", 0},
                         {"hit_rate", 0.0},
                         {"ttl", 300}}));
  EXPECT_TRUE(stats["hit_rate"].is_number_float()) << call.line;
}

// T-244 (empty cache; the cached-dispatch part needs a run): cache_clear → {"cleared": 0}, then
// the counters are zero.
TEST_F(AgentTools, T244CacheClearEmpty) {
  Session& s = Start();
  EXPECT_EQ(Success(CallTool(s, "cache_clear")), (Json{{"cleared", 0}}));
  Json stats = Success(CallTool(s, "cache_stats"));
  EXPECT_EQ(stats["size"], 0);
  EXPECT_EQ(stats["hits"], 0);
  EXPECT_EQ(stats["misses"], 0);
  EXPECT_EQ(stats["evictions"], 0);
}

// T-245 (the two-dispatch part needs a run): the cache turned off in plugins.toml → both tools
// return the notice as a success, not an error.
TEST_F(AgentTools, T245CacheDisabled) {
  WriteFile(config_ / "plugins.toml", "[host.cache]\nenabled = false\n");
  Session& s = Start();
  for (const char* tool : {"cache_stats", "cache_clear"}) {
    Call call = CallTool(s, tool);
    Json doc = Success(call);
    EXPECT_EQ(doc["enabled"], false) << call.line;
    const std::string message = doc.value("message", "");
    EXPECT_TRUE(Contains(message, "[host.cache]")) << call.line;
    EXPECT_TRUE(Contains(message, "plugins.toml")) << call.line;
    EXPECT_EQ(doc.size(), 2u) << call.line;
  }
}

}  // namespace
}  // namespace sb
