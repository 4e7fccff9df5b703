// Tests of the routing-capability plugin through its C ABI: the test dlopen()s the built library,
// reads sb_plugin_entry_v1 and drives sb_router_v1 exactly as the host does. Case ids refer to
// ROUTING.md §14 (RT-…).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/abi.h"
#include "switchboard/router.h"

namespace {

using nlohmann::json;

constexpr double kNow = 1795000000.5;
const char* const kPattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$";

// The plugin's entry, loaded once (plugins are never unloaded).
const sb_plugin_entry* Entry() {
  static const sb_plugin_entry* entry = [] {
    void* handle = dlopen(ROUTING_CAPABILITY_SO, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      ADD_FAILURE() << "dlopen(" << ROUTING_CAPABILITY_SO << "): " << dlerror();
      return static_cast<const sb_plugin_entry*>(nullptr);
    }
    return static_cast<const sb_plugin_entry*>(dlsym(handle, SB_PLUGIN_ENTRY_SYMBOL));
  }();
  return entry;
}

const sb_router_v1* Table() {
  const sb_plugin_entry* entry = Entry();
  if (entry == nullptr || entry->component_count < 1) return nullptr;
  return static_cast<const sb_router_v1*>(entry->components[0].table);
}

void AppendToString(void* ctx, const char* data, size_t len) {
  static_cast<std::string*>(ctx)->append(data, len);
}

double FakeNow(void*) { return 42.0; }  // must not be used: `now` comes from the context
void NoLog(void*, int32_t, const char*, const char*, size_t) {}
int64_t NoMonotonic(void*) { return 0; }

const sb_host_api kHost = {
    sizeof(sb_host_api), SB_ABI_MAJOR, SB_ABI_MINOR, nullptr, &NoLog, &FakeNow, &NoMonotonic};

// The outcome of one ABI call.
struct Outcome {
  sb_status status = SB_ERROR;
  std::string output;
  std::string field;
  std::string message;
};

// One router instance, created through sb_router_v1.create and destroyed with it.
class Router {
 public:
  explicit Router(const std::string& config = "{}") {
    sb_create_args args{};
    args.struct_size = sizeof args;
    args.config_json = config.c_str();
    args.config_len = config.size();
    args.state_dir = "/nonexistent-state-dir";
    args.durable = 1;
    args.host = &kHost;
    sb_error err;
    sb_error_init(&err);
    created_.status = Table()->create(&args, &self_, &err);
    created_.field = err.field;
    created_.message = err.message;
  }
  ~Router() {
    if (created_.status == SB_OK) Table()->destroy(self_);
  }
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  const Outcome& created() const { return created_; }

  Outcome Normalize(const std::string& request, const std::string& context) const {
    return Call([&](const sb_sink* sink, sb_error* err) {
      return Table()->normalize(self_, request.data(), request.size(), context.data(),
                                context.size(), sink, err);
    });
  }
  Outcome NormalizeIdentity(const std::string& identity) const {
    return Call([&](const sb_sink* sink, sb_error* err) {
      return Table()->normalize_identity(self_, identity.data(), identity.size(), sink, err);
    });
  }
  Outcome Policy() const {
    return Call(
        [&](const sb_sink* sink, sb_error* err) { return Table()->policy(self_, sink, err); });
  }

 private:
  template <class Fn>
  static Outcome Call(Fn&& fn) {
    Outcome out;
    sb_sink sink{sizeof(sb_sink), &out.output, &AppendToString};
    sb_error err;
    sb_error_init(&err);
    out.status = fn(&sink, &err);
    out.field = err.field;
    out.message = err.message;
    return out;
  }

  void* self_ = nullptr;
  Outcome created_;
};

std::string Context(const json& local_agents = json::array()) {
  return json{{"now", kNow}, {"local_agents", local_agents}}.dump();
}

// ---- Fixture helpers ---------------------------------------------------------------------------

class RoutingCapabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(Table(), nullptr) << "could not load " << ROUTING_CAPABILITY_SO;
    ASSERT_EQ(router_.created().status, SB_OK) << router_.created().message;
  }

  // normalize(request) that must succeed; returns the parsed routing object.
  json Routing(const json& request, const std::string& context = Context()) {
    const Outcome out = router_.Normalize(request.dump(), context);
    EXPECT_EQ(out.status, SB_OK) << request.dump() << " -> " << out.field << ": " << out.message;
    if (out.status != SB_OK) return json();
    return json::parse(out.output);
  }

  // normalize(request) that must be refused with `field` and a message holding every `needle`.
  void ExpectRefused(const json& request, const std::string& field,
                     std::initializer_list<std::string> needles,
                     const std::string& context = Context()) {
    const Outcome out = router_.Normalize(request.dump(), context);
    ExpectInvalid(out, field, needles, request.dump());
  }

  static void ExpectInvalid(const Outcome& out, const std::string& field,
                            std::initializer_list<std::string> needles, const std::string& input) {
    EXPECT_EQ(out.status, SB_INVALID_ARGUMENT) << input << " -> " << out.output;
    EXPECT_EQ(out.field, field) << input << ": " << out.message;
    for (const std::string& needle : needles) {
      EXPECT_NE(out.message.find(needle), std::string::npos)
          << input << ": message \"" << out.message << "\" lacks \"" << needle << "\"";
    }
    EXPECT_TRUE(out.output.empty()) << input << " wrote output on failure: " << out.output;
  }

  json Identity(const json& identity) {
    const Outcome out = router_.NormalizeIdentity(identity.dump());
    EXPECT_EQ(out.status, SB_OK) << identity.dump() << " -> " << out.field << ": " << out.message;
    if (out.status != SB_OK) return json();
    return json::parse(out.output);
  }

  Router router_;
};

using RoutingCapabilityEntry = RoutingCapabilityTest;
using RoutingCapabilityConfig = RoutingCapabilityTest;
using RoutingCapabilityTarget = RoutingCapabilityTest;
using RoutingCapabilityCapabilities = RoutingCapabilityTest;
using RoutingCapabilityPriority = RoutingCapabilityTest;
using RoutingCapabilityDeadline = RoutingCapabilityTest;
using RoutingCapabilityRequest = RoutingCapabilityTest;
using RoutingCapabilityResolution = RoutingCapabilityTest;
using RoutingCapabilityIdentity = RoutingCapabilityTest;

// ---- Entry and lifecycle -----------------------------------------------------------------------

TEST_F(RoutingCapabilityEntry, DescribesOneRouterComponent) {
  const sb_plugin_entry* entry = Entry();
  EXPECT_GE(entry->struct_size, sizeof(sb_plugin_entry));
  EXPECT_EQ(entry->abi_major, 1u);
  EXPECT_EQ(entry->abi_minor, 0u);
  EXPECT_STREQ(entry->name, "routing-capability");
  EXPECT_STREQ(entry->version, "0.1.0");
  EXPECT_STREQ(entry->license, "Apache-2.0");
  ASSERT_NE(entry->description, nullptr);
  EXPECT_GT(std::string(entry->description).size(), 0u);
  ASSERT_EQ(entry->component_count, 1u);
  const sb_component& component = entry->components[0];
  EXPECT_GE(component.struct_size, sizeof(sb_component));
  EXPECT_EQ(component.kind, static_cast<sb_kind>(SB_KIND_ROUTER));
  EXPECT_STREQ(component.id, "routing-capability");
  const auto* table = static_cast<const sb_router_v1*>(component.table);
  ASSERT_NE(table, nullptr);
  EXPECT_GE(table->struct_size, sizeof(sb_router_v1));
  EXPECT_NE(table->create, nullptr);
  EXPECT_NE(table->destroy, nullptr);
  EXPECT_NE(table->normalize, nullptr);
  EXPECT_NE(table->normalize_identity, nullptr);
  EXPECT_NE(table->policy, nullptr);
}

TEST_F(RoutingCapabilityEntry, EmptyConfigTextMeansDefaults) {
  Router router("");
  ASSERT_EQ(router.created().status, SB_OK) << router.created().message;
  EXPECT_EQ(router.Policy().output, "\"targeted_first\"");
}

TEST_F(RoutingCapabilityEntry, NullErrorPointerIsTolerated) {
  std::string output;
  sb_sink sink{sizeof(sb_sink), &output, &AppendToString};
  // A refusal with err == NULL still reports the status and writes nothing.
  const std::string bad = R"({"priority":"high"})";
  const std::string context = Context();
  void* self = nullptr;
  sb_create_args args{};
  args.struct_size = sizeof args;
  args.config_json = "{}";
  args.config_len = 2;
  args.host = &kHost;
  ASSERT_EQ(Table()->create(&args, &self, nullptr), SB_OK);
  EXPECT_EQ(Table()->normalize(self, bad.data(), bad.size(), context.data(), context.size(), &sink,
                               nullptr),
            SB_INVALID_ARGUMENT);
  EXPECT_TRUE(output.empty());
  Table()->destroy(self);
}

// ---- Configuration (§4.2) ----------------------------------------------------------------------

TEST_F(RoutingCapabilityConfig, PolicyFollowsOrder) {
  EXPECT_EQ(router_.Policy().output, "\"targeted_first\"");  // the default
  Router targeted(R"({"order":"targeted_first"})");
  ASSERT_EQ(targeted.created().status, SB_OK);
  EXPECT_EQ(targeted.Policy().status, SB_OK);
  EXPECT_EQ(targeted.Policy().output, "\"targeted_first\"");
  Router strict(R"({"order":"strict_priority","resolve_local":false})");
  ASSERT_EQ(strict.created().status, SB_OK) << strict.created().message;
  EXPECT_EQ(strict.Policy().output, "\"strict_priority\"");
  EXPECT_EQ(json::parse(strict.Policy().output), "strict_priority");
}

// RT-P10: an unknown key is refused, naming it.
TEST_F(RoutingCapabilityConfig, UnknownKeyIsNamed_RT_P10) {
  Router router(R"({"ordr":"strict_priority"})");
  ExpectInvalid(router.created(), "ordr", {"ordr", "order", "resolve_local"}, "ordr");
  Router other(R"({"order":"targeted_first","extra":1})");
  ExpectInvalid(other.created(), "extra", {"extra"}, "extra");
}

// RT-P10: a bad order names `order`, the value and both allowed values.
TEST_F(RoutingCapabilityConfig, BadOrderNamesBothValues_RT_P10) {
  for (const char* config : {R"({"order":"fifo"})", R"({"order":"Targeted_first"})",
                             R"({"order":""})", R"({"order":1})", R"({"order":null})"}) {
    Router router(config);
    ExpectInvalid(router.created(), "order", {"order", "targeted_first", "strict_priority"},
                  config);
  }
  Router fifo(R"({"order":"fifo"})");
  EXPECT_NE(fifo.created().message.find("fifo"), std::string::npos);
}

TEST_F(RoutingCapabilityConfig, ResolveLocalMustBeABoolean) {
  for (const char* config : {R"({"resolve_local":"yes"})", R"({"resolve_local":1})",
                             R"({"resolve_local":"true"})", R"({"resolve_local":null})"}) {
    Router router(config);
    ExpectInvalid(router.created(), "resolve_local", {"resolve_local", "boolean"}, config);
  }
}

TEST_F(RoutingCapabilityConfig, ConfigMustBeAJsonObject) {
  for (const char* config : {"[]", "\"order\"", "not json", "{"}) {
    Router router(config);
    EXPECT_EQ(router.created().status, SB_INVALID_ARGUMENT) << config;
    EXPECT_NE(router.created().message.find("routing-capability configuration"), std::string::npos)
        << router.created().message;
  }
}

// ---- normalize: defaults (§2) ------------------------------------------------------------------

// RT-R04 / RT-C02 / RT-P03: nothing given -> untargeted, no capabilities, priority 0, no deadline,
// with every field present and in the order of §2.
TEST_F(RoutingCapabilityRequest, DefaultsForAnEmptyRequest_RT_R04) {
  const std::string expected =
      R"({"target_agent_name":null,"required_capabilities":[],"priority":0,"deadline_at":null})";
  EXPECT_EQ(router_.Normalize("{}", Context()).output, expected);
  EXPECT_EQ(router_.Normalize("", Context()).output, expected);
  EXPECT_EQ(router_
                .Normalize(R"({"target_agent_name":null,"required_capabilities":null,)"
                           R"("priority":null,"deadline_seconds":null})",
                           Context())
                .output,
            expected);
  EXPECT_EQ(router_.Normalize("{}", "").output, expected);  // no context needed here
}

// RT-R01: a targeted request with defaults.
TEST_F(RoutingCapabilityRequest, TargetedRequest_RT_R01) {
  const json routing = Routing({{"target_agent_name", "reviewer"}});
  EXPECT_EQ(routing, json::parse(R"({"target_agent_name":"reviewer","required_capabilities":[],)"
                                 R"("priority":0,"deadline_at":null})"));
  EXPECT_FALSE(routing.contains("resolved_from"));
}

TEST_F(RoutingCapabilityRequest, UnknownKeyIsNamed) {
  ExpectRefused(
      {{"agent_name", "x"}}, "agent_name",
      {"agent_name", "target_agent_name", "required_capabilities", "priority", "deadline_seconds"});
  ExpectRefused({{"priorty", 1}}, "priorty", {"priorty"});
}

TEST_F(RoutingCapabilityRequest, RequestMustBeAJsonObject) {
  for (const char* request : {"[]", "42", "not json", "{\"a\":"}) {
    const Outcome out = router_.Normalize(request, Context());
    EXPECT_EQ(out.status, SB_INVALID_ARGUMENT) << request;
    EXPECT_NE(out.message.find("routing request"), std::string::npos) << out.message;
    EXPECT_TRUE(out.output.empty());
  }
}

// §3: the checks run in the table's row order and the first failing field is reported.
TEST_F(RoutingCapabilityRequest, FirstFailingFieldInRowOrder) {
  json request = {{"target_agent_name", "a b"},
                  {"required_capabilities", "a,b"},
                  {"priority", "high"},
                  {"deadline_seconds", 0}};
  ExpectRefused(request, "target_agent_name", {"target_agent_name"});
  request["target_agent_name"] = "ab";
  ExpectRefused(request, "required_capabilities", {"required_capabilities"});
  request["required_capabilities"] = {"x"};
  ExpectRefused(request, "priority", {"priority"});
  request["priority"] = 1;
  ExpectRefused(request, "deadline_seconds", {"deadline_seconds"});
  request["deadline_seconds"] = 5;
  EXPECT_EQ(Routing(request)["deadline_at"], kNow + 5);
}

TEST_F(RoutingCapabilityRequest, DeterministicAndThreadSafe) {
  const json request = {
      {"required_capabilities", {"b", " a", "b"}}, {"priority", "3"}, {"deadline_seconds", 60}};
  const std::string context = Context(json::array({{{"name", "w"}, {"capabilities", {"a", "b"}}}}));
  const std::string expected = router_.Normalize(request.dump(), context).output;
  ASSERT_FALSE(expected.empty());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (router_.Normalize(request.dump(), context).output != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// ---- normalize: target_agent_name (§1 name rule, §3 row 1) -------------------------------------

TEST_F(RoutingCapabilityTarget, AbsentOrNullMeansUntargeted_RT_R04) {
  EXPECT_TRUE(Routing(json::object())["target_agent_name"].is_null());
  EXPECT_TRUE(Routing({{"target_agent_name", nullptr}})["target_agent_name"].is_null());
}

TEST_F(RoutingCapabilityTarget, ValidNamesAreKeptExactly) {
  for (const std::string& name :
       std::vector<std::string>{"reviewer", "Reviewer", "reviewer-2", "a", "0", "A_b-9", "x__--",
                                std::string(128, 'n')}) {
    EXPECT_EQ(Routing({{"target_agent_name", name}})["target_agent_name"], name);
  }
}

// RT-R06: empty or whitespace-only -> "agent_name is required".
TEST_F(RoutingCapabilityTarget, EmptyOrBlankIsRequiredError_RT_R06) {
  for (const char* name : {"", " ", "   ", "\t", " \n "}) {
    ExpectRefused({{"target_agent_name", name}}, "target_agent_name",
                  {"agent_name is required", "target_agent_name"});
  }
}

// RT-R18 / RT-R03: names are checked as given (no trimming) against the pattern and length.
TEST_F(RoutingCapabilityTarget, InvalidNamesNameThePattern_RT_R18) {
  for (const std::string& name :
       std::vector<std::string>{"a b", "-x", "x/../y", "reviewer:host1", "reviewer ", " reviewer",
                                "_x", "né", "a.b", std::string(129, 'n')}) {
    ExpectRefused({{"target_agent_name", name}}, "target_agent_name",
                  {"target_agent_name", kPattern});
  }
  ExpectRefused({{"target_agent_name", std::string(129, 'n')}}, "target_agent_name",
                {"129 characters", "1–128"});
}

TEST_F(RoutingCapabilityTarget, MustBeAString) {
  for (const json& value : {json(42), json(true), json::array({"a"}), json::object()}) {
    ExpectRefused({{"target_agent_name", value}}, "target_agent_name",
                  {"target_agent_name", "string"});
  }
}

// ---- normalize: required_capabilities (§3 row 2) -----------------------------------------------

// RT-C02: absent, null or [] -> [].
TEST_F(RoutingCapabilityCapabilities, AbsentNullOrEmptyMeansNone_RT_C02) {
  EXPECT_EQ(Routing(json::object())["required_capabilities"], json::array());
  EXPECT_EQ(Routing({{"required_capabilities", nullptr}})["required_capabilities"], json::array());
  EXPECT_EQ(Routing({{"required_capabilities", json::array()}})["required_capabilities"],
            json::array());
  EXPECT_EQ(Routing({{"required_capabilities", "[]"}})["required_capabilities"], json::array());
}

// RT-C04: trimmed, duplicates dropped keeping first-seen order.
TEST_F(RoutingCapabilityCapabilities, TrimmedAndDeduplicated_RT_C04) {
  EXPECT_EQ(Routing({{"required_capabilities", {"a", "a", " a "}}})["required_capabilities"],
            json::array({"a"}));
  EXPECT_EQ(Routing({{"required_capabilities",
                      {" pytest", "python ", "pytest", "\tdocker\n",
                       "python"}}})["required_capabilities"],
            json::array({"pytest", "python", "docker"}));
}

// RT-C03: case is kept, so "Python" and "python" are two capabilities.
TEST_F(RoutingCapabilityCapabilities, CaseIsKept_RT_C03) {
  EXPECT_EQ(Routing({{"required_capabilities", {"Python", "python"}}})["required_capabilities"],
            json::array({"Python", "python"}));
}

// RT-C05: a string holding a JSON array is parsed first.
TEST_F(RoutingCapabilityCapabilities, JsonArrayTextIsParsed_RT_C05) {
  EXPECT_EQ(Routing({{"required_capabilities", "[\"a\"]"}})["required_capabilities"],
            json::array({"a"}));
  EXPECT_EQ(
      Routing({{"required_capabilities", " [\"b\", \" a \", \"b\"] "}})["required_capabilities"],
      json::array({"b", "a"}));
}

// RT-C05: everything that is not a list of valid strings is refused, naming the field.
TEST_F(RoutingCapabilityCapabilities, InvalidListsAreRefused_RT_C05) {
  std::vector<json> thirty_three;
  for (int i = 0; i < 33; ++i) thirty_three.push_back("cap" + std::to_string(i));
  const std::vector<json> bad = {json::parse(R"({"a":1})"),
                                 "a",
                                 "a,b",
                                 "",
                                 "[1]",
                                 "[\"a\"",
                                 "{\"a\":1}",
                                 json::array({1}),
                                 json::array({""}),
                                 json::array({"  "}),
                                 json::array({nullptr}),
                                 json::array({json::array({"a"})}),
                                 json::array({"ok", json::object()}),
                                 true,
                                 42,
                                 json(thirty_three),
                                 json::array({std::string(129, 'c')})};
  for (const json& value : bad) {
    ExpectRefused({{"required_capabilities", value}}, "required_capabilities",
                  {"required_capabilities", "list of strings"});
  }
}

// At most 32 items, counted after de-duplication.
TEST_F(RoutingCapabilityCapabilities, AtMost32DistinctItems) {
  json list = json::array();
  for (int i = 0; i < 32; ++i) list.push_back("cap" + std::to_string(i));
  EXPECT_EQ(Routing({{"required_capabilities", list}})["required_capabilities"].size(), 32u);
  list.push_back(" cap0 ");  // a duplicate after trimming: still 32
  list.push_back("cap31");
  EXPECT_EQ(Routing({{"required_capabilities", list}})["required_capabilities"].size(), 32u);
  list.push_back("cap32");
  ExpectRefused({{"required_capabilities", list}}, "required_capabilities",
                {"required_capabilities", "list of strings", "32", "33"});
}

// 1–128 characters after trimming, counted in code points, not bytes.
TEST_F(RoutingCapabilityCapabilities, LengthCountsCodePointsAfterTrimming) {
  EXPECT_EQ(
      Routing({{"required_capabilities", {std::string(128, 'c')}}})["required_capabilities"][0]
          .get<std::string>()
          .size(),
      128u);
  EXPECT_EQ(Routing({{"required_capabilities",
                      {"  " + std::string(128, 'c') + "  "}}})["required_capabilities"][0],
            std::string(128, 'c'));
  std::string accents;
  for (int i = 0; i < 128; ++i) accents += "é";  // 128 code points, 256 bytes
  EXPECT_EQ(Routing({{"required_capabilities", {accents}}})["required_capabilities"][0], accents);
  std::string emoji;
  for (int i = 0; i < 128; ++i) emoji += "\xF0\x9F\x90\x8D";  // U+1F40D, 4 bytes each
  EXPECT_EQ(Routing({{"required_capabilities", {emoji}}})["required_capabilities"][0], emoji);
  ExpectRefused({{"required_capabilities", {accents + "é"}}}, "required_capabilities",
                {"required_capabilities", "list of strings", "129 characters"});
}

TEST_F(RoutingCapabilityCapabilities, ControlCharactersAreRefused) {
  for (const std::string& item : {std::string("a\x01"
                                              "b"),
                                  std::string("a\tb"), std::string("a\nb"),
                                  std::string("a\x7F"
                                              "b"),
                                  std::string("a\xC2\x85"
                                              "b"),
                                  std::string("a\xC2\x9F"), std::string("\x1B[31m")}) {
    ExpectRefused({{"required_capabilities", {item}}}, "required_capabilities",
                  {"required_capabilities", "list of strings", "control character"});
  }
  // Surrounding whitespace controls are trimmed away first; U+00A0 is not a control character.
  EXPECT_EQ(Routing({{"required_capabilities", {"\ta\r\n"}}})["required_capabilities"],
            json::array({"a"}));
  EXPECT_EQ(Routing({{"required_capabilities",
                      {"a\xC2\xA0"
                       "b"}}})["required_capabilities"],
            json::array({"a\xC2\xA0"
                         "b"}));
}

// ---- normalize: priority (§1 integer rule, §3 row 3) -------------------------------------------

// RT-P08 / RT-P03: every accepted integer form.
TEST_F(RoutingCapabilityPriority, AcceptedForms_RT_P08) {
  const std::vector<std::pair<json, int64_t>> cases = {
      {json(10), 10},
      {json(-5), -5},
      {json(0), 0},
      {json("7"), 7},
      {json(" -5 "), -5},
      {json("+3"), 3},
      {json("007"), 7},
      {json("\t12\n"), 12},
      {json(10.0), 10},
      {json(-3.0), -3},
      {json::parse("1e3"), 1000},
      {json(2147483647), 2147483647},
      {json(-2147483648LL), -2147483648LL},
      {json("-2147483648"), -2147483648LL},
      {json("2147483647"), 2147483647},
  };
  for (const auto& [value, expected] : cases) {
    const json routing = Routing({{"priority", value}});
    EXPECT_EQ(routing["priority"], expected) << value.dump();
    EXPECT_TRUE(routing["priority"].is_number_integer()) << value.dump();
  }
}

// RT-P08: fractions, other strings, booleans, arrays, objects and out-of-range values.
TEST_F(RoutingCapabilityPriority, RejectedForms_RT_P08) {
  const std::vector<json> bad = {json(1.5),
                                 json("abc"),
                                 json(""),
                                 json("   "),
                                 json("high"),
                                 json(true),
                                 json(false),
                                 json::array(),
                                 json::object(),
                                 json(2147483648LL),
                                 json(-2147483649LL),
                                 json("2147483648"),
                                 json("1.5"),
                                 json("10.0"),
                                 json("1 0"),
                                 json("- 5"),
                                 json("+"),
                                 json("0x10"),
                                 json("1e3"),
                                 json("99999999999999999999"),
                                 json(1e300),
                                 json(18446744073709551615ULL),
                                 json::parse("-0.5")};
  for (const json& value : bad) {
    ExpectRefused({{"priority", value}}, "priority", {"priority", "integer"});
  }
}

// ---- normalize: deadline_seconds (§3 row 4) ----------------------------------------------------

// RT-D04: "10" and 10.0 are accepted as 10; deadline_at = now + n.
TEST_F(RoutingCapabilityDeadline, DeadlineAtIsNowPlusSeconds_RT_D04) {
  for (const json& value : {json(10), json("10"), json(10.0), json(" +10 ")}) {
    const json routing = Routing({{"deadline_seconds", value}});
    EXPECT_DOUBLE_EQ(routing["deadline_at"].get<double>(), kNow + 10) << value.dump();
  }
  EXPECT_DOUBLE_EQ(Routing({{"deadline_seconds", 1}})["deadline_at"].get<double>(), kNow + 1);
  EXPECT_DOUBLE_EQ(Routing({{"deadline_seconds", 31536000}})["deadline_at"].get<double>(),
                   kNow + 31536000);
  EXPECT_TRUE(Routing({{"deadline_seconds", nullptr}})["deadline_at"].is_null());
  // `now` comes from the context, never from the host clock (which says 42 here).
  const std::string context = json{{"now", 100.25}}.dump();
  EXPECT_EQ(
      json::parse(router_.Normalize(R"({"deadline_seconds":2})", context).output)["deadline_at"],
      102.25);
}

// RT-D04: 0, negatives, fractions, other strings, booleans and values above 365 days.
TEST_F(RoutingCapabilityDeadline, RejectedValues_RT_D04) {
  for (const json& value : {json(0), json(-5), json(1.5), json("abc"), json(true), json(31536001),
                            json(""), json("0"), json::array(), json::object(), json(-0.0)}) {
    ExpectRefused({{"deadline_seconds", value}}, "deadline_seconds",
                  {"deadline_seconds", "integer ≥ 1"});
  }
}

TEST_F(RoutingCapabilityDeadline, NeedsNowFromTheContext) {
  for (const std::string& context :
       {std::string("{}"), std::string(R"({"now":"soon"})"), std::string(R"({"now":null})")}) {
    const Outcome out = router_.Normalize(R"({"deadline_seconds":5})", context);
    ExpectInvalid(out, "context.now", {"context.now"}, context);
  }
}

// ---- normalize: capability resolution (§4.3) ---------------------------------------------------

json LocalAgents() {
  // Listed out of order on purpose: resolution uses byte-wise name order, not list order.
  return json::array({{{"name", "zeta"}, {"capabilities", {"review", "x"}}},
                      {{"name", "rev"}, {"capabilities", {"review"}}},
                      {{"name", "builder"}, {"capabilities", {"build"}}}});
}

// RT-C10: the first matching local agent by name becomes the target, and the request is kept.
TEST_F(RoutingCapabilityResolution, ResolvesToFirstMatchingLocalAgent_RT_C10) {
  const json routing = Routing({{"required_capabilities", {"review"}}}, Context(LocalAgents()));
  EXPECT_EQ(routing["target_agent_name"], "rev");
  EXPECT_EQ(routing["resolved_from"], "capabilities");
  EXPECT_EQ(routing["required_capabilities"], json::array({"review"}));
  EXPECT_EQ(
      router_.Normalize(R"({"required_capabilities":["review"]})", Context(LocalAgents())).output,
      R"({"target_agent_name":"rev","required_capabilities":["review"],"priority":0,)"
      R"("deadline_at":null,"resolved_from":"capabilities"})");
  // Superset rule: only zeta has both.
  EXPECT_EQ(Routing({{"required_capabilities", {"x", "review"}}},
                    Context(LocalAgents()))["target_agent_name"],
            "zeta");
}

// Byte-wise order: uppercase before lowercase, '-' < '0' < '_'.
TEST_F(RoutingCapabilityResolution, ByteWiseNameOrder) {
  const json uppercase = json::array(
      {{{"name", "alpha"}, {"capabilities", {"c"}}}, {{"name", "Zeta"}, {"capabilities", {"c"}}}});
  EXPECT_EQ(Routing({{"required_capabilities", {"c"}}}, Context(uppercase))["target_agent_name"],
            "Zeta");
  const json punctuation = json::array({{{"name", "a_b"}, {"capabilities", {"c"}}},
                                        {{"name", "a0"}, {"capabilities", {"c"}}},
                                        {{"name", "a-b"}, {"capabilities", {"c"}}}});
  EXPECT_EQ(Routing({{"required_capabilities", {"c"}}}, Context(punctuation))["target_agent_name"],
            "a-b");
}

// RT-C11: no local agent has the capability -> the job stays untargeted.
TEST_F(RoutingCapabilityResolution, NoMatchStaysUntargeted_RT_C11) {
  const json routing = Routing({{"required_capabilities", {"gpu"}}}, Context(LocalAgents()));
  EXPECT_TRUE(routing["target_agent_name"].is_null());
  EXPECT_FALSE(routing.contains("resolved_from"));
  EXPECT_EQ(routing["required_capabilities"], json::array({"gpu"}));
  EXPECT_TRUE(Routing({{"required_capabilities", {"review", "build"}}},
                      Context(LocalAgents()))["target_agent_name"]
                  .is_null());
  EXPECT_TRUE(
      Routing({{"required_capabilities", {"review"}}}, Context())["target_agent_name"].is_null());
}

// RT-C10: with resolve_local = false nothing is resolved.
TEST_F(RoutingCapabilityResolution, DisabledByConfig_RT_C10) {
  Router router(R"({"resolve_local":false})");
  ASSERT_EQ(router.created().status, SB_OK);
  const Outcome out =
      router.Normalize(R"({"required_capabilities":["review"]})", Context(LocalAgents()));
  ASSERT_EQ(out.status, SB_OK) << out.message;
  const json routing = json::parse(out.output);
  EXPECT_TRUE(routing["target_agent_name"].is_null());
  EXPECT_FALSE(routing.contains("resolved_from"));
  EXPECT_EQ(routing["required_capabilities"], json::array({"review"}));
}

// RT-C12: resolution never rewrites a targeted job.
TEST_F(RoutingCapabilityResolution, TargetedRequestIsNotResolved_RT_C12) {
  const json routing = Routing({{"target_agent_name", "rev"}, {"required_capabilities", {"other"}}},
                               Context(LocalAgents()));
  EXPECT_EQ(routing["target_agent_name"], "rev");
  EXPECT_FALSE(routing.contains("resolved_from"));
  const json other =
      Routing({{"target_agent_name", "elsewhere"}, {"required_capabilities", {"review"}}},
              Context(LocalAgents()));
  EXPECT_EQ(other["target_agent_name"], "elsewhere");
  EXPECT_FALSE(other.contains("resolved_from"));
}

// §4.3: a request with no capabilities is never resolved, even though every agent "matches".
TEST_F(RoutingCapabilityResolution, NoCapabilitiesNoResolution) {
  const json routing = Routing(json::object(), Context(LocalAgents()));
  EXPECT_TRUE(routing["target_agent_name"].is_null());
  EXPECT_FALSE(routing.contains("resolved_from"));
}

// Local agents' capabilities get the same trimming, so equal strings stay equal.
TEST_F(RoutingCapabilityResolution, LocalCapabilitiesAreNormalizedToo) {
  const json agents = json::array({{{"name", "rev"}, {"capabilities", {" review "}}}});
  EXPECT_EQ(Routing({{"required_capabilities", {"review"}}}, Context(agents))["target_agent_name"],
            "rev");
}

TEST_F(RoutingCapabilityResolution, MalformedLocalAgentsAreRefused) {
  for (const json& agents :
       {json("rev"), json::array({"rev"}), json::array({{{"name", "bad name"}}}),
        json::array({{{"capabilities", {"review"}}}}),
        json::array({{{"name", "rev"}, {"capabilities", "review"}}})}) {
    const Outcome out =
        router_.Normalize(R"({"required_capabilities":["review"]})", Context(agents));
    ExpectInvalid(out, "context.local_agents", {"context.local_agents"}, agents.dump());
  }
}

// ---- normalize_identity (§10.1) ----------------------------------------------------------------

TEST_F(RoutingCapabilityIdentity, Defaults) {
  const std::string expected = R"({"name":null,"capabilities":[],"accepts_untargeted":true})";
  EXPECT_EQ(router_.NormalizeIdentity("{}").output, expected);
  EXPECT_EQ(
      router_.NormalizeIdentity(R"({"name":null,"capabilities":null,"accepts_untargeted":null})")
          .output,
      expected);
}

// RT-C07 / RT-R11: capabilities are trimmed and de-duplicated like required_capabilities.
TEST_F(RoutingCapabilityIdentity, NormalizesLikeRequiredCapabilities_RT_C07) {
  EXPECT_EQ(router_
                .NormalizeIdentity(R"({"name":"reviewer","capabilities":[" a","b ","a","c"],)"
                                   R"("accepts_untargeted":false})")
                .output,
            R"({"name":"reviewer","capabilities":["a","b","c"],"accepts_untargeted":false})");
  EXPECT_EQ(Identity({{"capabilities", "[\"x\"]"}})["capabilities"], json::array({"x"}));
  EXPECT_EQ(Identity({{"capabilities", json::array()}})["capabilities"], json::array());
}

// A worker may offer more capabilities than a job may require.
TEST_F(RoutingCapabilityIdentity, NoItemLimit) {
  json list = json::array();
  for (int i = 0; i < 40; ++i) list.push_back("cap" + std::to_string(i));
  EXPECT_EQ(Identity({{"capabilities", list}})["capabilities"].size(), 40u);
}

TEST_F(RoutingCapabilityIdentity, WorkerIdIsAcceptedAndIgnored) {
  EXPECT_EQ(Identity({{"worker_id", "0123456789abcdef0123456789abcdef"}, {"name", "w"}}),
            json::parse(R"({"name":"w","capabilities":[],"accepts_untargeted":true})"));
}

// RT-R03: the name is checked as given.
TEST_F(RoutingCapabilityIdentity, InvalidNameIsRefused_RT_R03) {
  for (const json& name : {json("reviewer "), json(""), json("   "), json("a b"), json(42),
                           json(std::string(129, 'w'))}) {
    const Outcome out = router_.NormalizeIdentity(json{{"name", name}}.dump());
    ExpectInvalid(out, "name", {"name", kPattern}, name.dump());
  }
}

// §10.3: over 128 characters or a control character is refused.
TEST_F(RoutingCapabilityIdentity, InvalidCapabilitiesAreRefused) {
  for (const json& value : {json("a,b"), json(true), json::array({""}), json::array({1}),
                            json::array({std::string(129, 'c')}), json::array({"a\x01"})}) {
    const Outcome out = router_.NormalizeIdentity(json{{"capabilities", value}}.dump());
    ExpectInvalid(out, "capabilities", {"capabilities", "list of strings"}, value.dump());
  }
}

TEST_F(RoutingCapabilityIdentity, AcceptsUntargetedMustBeABoolean) {
  EXPECT_EQ(Identity({{"accepts_untargeted", false}})["accepts_untargeted"], false);
  for (const json& value : {json("yes"), json(1), json("true"), json::array()}) {
    const Outcome out = router_.NormalizeIdentity(json{{"accepts_untargeted", value}}.dump());
    ExpectInvalid(out, "accepts_untargeted", {"accepts_untargeted", "boolean"}, value.dump());
  }
}

TEST_F(RoutingCapabilityIdentity, UnknownKeysAndNonObjectsAreRefused) {
  ExpectInvalid(router_.NormalizeIdentity(R"({"nam":"w"})"), "nam", {"nam", "name"}, "nam");
  const Outcome out = router_.NormalizeIdentity("[]");
  EXPECT_EQ(out.status, SB_INVALID_ARGUMENT);
  EXPECT_NE(out.message.find("worker identity"), std::string::npos) << out.message;
}

// Identity rules come in order: name, capabilities, accepts_untargeted.
TEST_F(RoutingCapabilityIdentity, FirstFailingFieldInOrder) {
  ExpectInvalid(
      router_.NormalizeIdentity(R"({"name":"a b","capabilities":"x","accepts_untargeted":"no"})"),
      "name", {"name"}, "all bad");
  ExpectInvalid(
      router_.NormalizeIdentity(R"({"name":"ab","capabilities":"x","accepts_untargeted":"no"})"),
      "capabilities", {"capabilities"}, "caps bad");
}

}  // namespace
