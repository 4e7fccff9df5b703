// The tool set `switchboard serve` registers, checked against MCP.md §5 (MCP-070…MCP-076, MCP-078):
// names, order, descriptions, input schemas, annotations (table 5.3) and output schemas (5.4).
// Only implemented tools are registered (ARCHITECTURE §12.1); each registered one must match.
#include "tools/serve_tools.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include "temp_path.h"

namespace sb::tools {
namespace {

using mcp::Json;

struct Expected {
  const char* title;
  bool read_only;
  bool destructive;
  bool idempotent;
  bool open_world;
  std::vector<std::string> output_required;  // empty: no outputSchema
};

// MCP.md §5.3, row by row.
const std::map<std::string, Expected>& Table() {
  static const std::map<std::string, Expected> table = {
      {"list_agents", {"List agents", true, false, false, false, {}}},
      {"inspect_agent", {"Inspect agent", true, false, false, false, {}}},
      {"list_groups", {"List groups", true, false, false, false, {}}},
      {"inspect_group", {"Inspect group", true, false, false, false, {}}},
      {"dispatch", {"Dispatch a task", false, true, false, true, {"agent", "success"}}},
      {"dispatch_session", {"Continue a session", false, true, false, true, {"agent", "success"}}},
      {"dispatch_parallel", {"Dispatch in parallel", false, true, false, true, {}}},
      {"dispatch_stream",
       {"Dispatch with live progress", false, true, false, true, {"agent", "success"}}},
      {"dispatch_dialogue", {"Agent dialogue", false, true, false, true, {}}},
      {"add_agent", {"Add agent", false, false, false, false, {}}},
      {"remove_agent", {"Remove agent", false, true, true, false, {}}},
      {"update_agent", {"Update agent", false, true, true, false, {}}},
      {"dispatch_async",
       {"Start a background job", false, true, false, true, {"job_id", "status"}}},
      {"dispatch_status", {"Job status", true, false, false, false, {}}},
      {"dispatch_wait", {"Wait for a job", true, false, false, false, {}}},
      {"dispatch_cancel", {"Cancel a job", false, true, true, false, {"job_id", "outcome"}}},
      {"dispatch_jobs", {"List jobs", true, false, false, false, {}}},
      {"fetch_result", {"Fetch a result", true, false, false, false, {}}},
      {"dispatch_gc", {"Purge old jobs", false, true, true, false, {"purged", "max_age_days"}}},
      {"cache_stats", {"Cache statistics", true, false, false, false, {}}},
      {"cache_clear", {"Clear the cache", false, true, true, false, {}}},
      {"send_to_agent", {"Send work to an agent", false, true, false, true, {}}},
      {"send_message_async", {"Queue work for any worker", false, true, false, true, {}}},
      {"queue_stats", {"Queue statistics", true, false, false, false, {}}},
      {"list_workers", {"List workers", true, false, false, false, {}}},
      {"thread_create", {"Create a thread", false, false, true, false, {"thread_id", "created"}}},
      {"thread_list", {"List threads", true, false, false, false, {}}},
      {"msg_post", {"Post a message", false, false, false, false, {"msg_id", "seq"}}},
      {"msg_list", {"List messages", true, false, false, false, {}}},
      {"msg_wait", {"Wait for messages", true, false, false, false, {}}},
      {"stats",
       {"Usage statistics",
        true,
        false,
        false,
        false,
        {"schema_version", "days", "journal_enabled", "totals", "agents"}}},
  };
  return table;
}

class ServeToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::TempPath("sb-serve-tools");
    std::filesystem::create_directories(dir_);
    context_ = std::make_unique<ServeContext>(dir_, dir_.string());
    RegisterServeTools(registry_, *context_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Json List(const std::string& version) {
    return Json::parse(registry_.ListResultText(version))["tools"];
  }

  std::filesystem::path dir_;
  std::unique_ptr<ServeContext> context_;
  mcp::ToolRegistry registry_;
};

// MCP-070: only names of the fixed list, each once, in the fixed order.
TEST_F(ServeToolsTest, Mcp070NamesAndOrder) {
  Json tools = List("2025-11-25");
  ASSERT_FALSE(tools.empty());
  size_t last = 0;
  std::set<std::string> seen;
  for (const auto& t : tools) {
    std::string name = t["name"];
    auto it = std::find(mcp::kToolOrder.begin(), mcp::kToolOrder.end(), name);
    ASSERT_NE(it, mcp::kToolOrder.end()) << name << " is not one of the 31 fixed names";
    size_t index = static_cast<size_t>(it - mcp::kToolOrder.begin());
    EXPECT_GE(index, last) << name << " is out of order";
    last = index;
    EXPECT_TRUE(seen.insert(name).second) << name << " listed twice";
  }
  EXPECT_EQ(mcp::kToolOrder.size(), 31u);
}

// MCP-071: definition shape of every tool.
TEST_F(ServeToolsTest, Mcp071DefinitionShape) {
  const std::regex name_rule("^[a-z0-9_]{1,40}$");
  for (const auto& t : List("2025-11-25")) {
    std::string name = t["name"];
    EXPECT_TRUE(std::regex_match(name, name_rule)) << name;
    std::string description = t["description"];
    EXPECT_GE(description.size(), 1u);
    EXPECT_LE(description.size(), 1024u) << name;
    const Json& schema = t["inputSchema"];
    EXPECT_EQ(schema["type"], "object") << name;
    ASSERT_TRUE(schema["properties"].is_object()) << name;
    EXPECT_EQ(schema["additionalProperties"], false) << name;
    EXPECT_FALSE(schema.contains("$schema"));
    if (schema.contains("required")) {
      for (const auto& r : schema["required"])
        EXPECT_TRUE(schema["properties"].contains(r.get<std::string>())) << name;
    }
    for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
      EXPECT_TRUE(it.value().contains("type")) << name << "." << it.key();
      EXPECT_TRUE(it.value().contains("description")) << name << "." << it.key();
    }
  }
}

// MCP-072, MCP-073: annotations and output schemas follow table 5.3.
TEST_F(ServeToolsTest, Mcp072Mcp073AnnotationsAndOutputSchemas) {
  for (const auto& t : List("2025-06-18")) {
    std::string name = t["name"];
    const Expected& e = Table().at(name);
    EXPECT_EQ(t["title"], e.title) << name;
    const Json& a = t["annotations"];
    EXPECT_EQ(a["title"], e.title) << name;
    EXPECT_EQ(a["readOnlyHint"], e.read_only) << name;
    EXPECT_EQ(a["openWorldHint"], e.open_world) << name;
    if (e.read_only) {
      EXPECT_FALSE(a.contains("destructiveHint") || a.contains("idempotentHint")) << name;
    } else {
      EXPECT_EQ(a["destructiveHint"], e.destructive) << name;
      EXPECT_EQ(a["idempotentHint"], e.idempotent) << name;
    }
    EXPECT_EQ(t.contains("outputSchema"), !e.output_required.empty()) << name;
    if (t.contains("outputSchema")) {
      EXPECT_EQ(t["outputSchema"]["type"], "object");
      EXPECT_EQ(t["outputSchema"]["required"], Json(e.output_required)) << name;
    }
    EXPECT_FALSE(t.contains("execution")) << name;  // MCP-078: tasks are off
  }
}

// MCP-074: older versions see fewer fields.
TEST_F(ServeToolsTest, Mcp074VersionVariants) {
  for (const auto& t : List("2024-11-05")) {
    EXPECT_FALSE(t.contains("annotations") || t.contains("title") || t.contains("outputSchema"));
  }
  for (const auto& t : List("2025-03-26")) {
    EXPECT_TRUE(t.contains("annotations"));
    EXPECT_FALSE(t.contains("title") || t.contains("outputSchema"));
  }
}

// MCP-076: the serialized list stays within 64 KiB.
TEST_F(ServeToolsTest, Mcp076ListBudget) {
  EXPECT_LE(registry_.ListResultText("2025-11-25").size(), 65536u);
}

}  // namespace
}  // namespace sb::tools
