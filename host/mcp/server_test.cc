// The protocol core in process (ARCHITECTURE §12.2): a Server over pipes with a test-only tool set
// (slow, progress, throwing, echo, array, big). Cases are MCP.md §17's MCP-… ids.
#include "mcp/server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "child_env.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <set>
#include <thread>

#include "mcp/instructions.h"

namespace sb::mcp {
namespace {

using namespace std::chrono_literals;

using test::Scaled;

// Test-only tools. Never registered by `switchboard serve`.
struct TestTools {
  std::atomic<int> slow_started{0};
  std::atomic<int> slow_cancelled{0};
  std::mutex reason_mutex;
  std::string last_reason;

  ToolRegistry registry;

  TestTools() {
    registry.Add(ToolDefinition{
        "test_slow", "Slow", "Waits for ms milliseconds or until cancelled.",
        Json::parse(R"({"type":"object","properties":{"ms":{"type":"integer","description":"wait"}},
                       "required":["ms"],"additionalProperties":false})"),
        std::nullopt, ToolAnnotations{}, [this](ToolCall& call) {
          slow_started++;
          std::mutex m;
          std::condition_variable cv;
          bool stop = false;
          call.OnCancel([&] {
            std::lock_guard<std::mutex> lock(m);
            stop = true;
            cv.notify_all();
          });
          std::unique_lock<std::mutex> lock(m);
          cv.wait_for(lock, std::chrono::milliseconds(call.arguments()["ms"].get<int64_t>()),
                      [&] { return stop; });
          if (stop) {
            slow_cancelled++;
            std::lock_guard<std::mutex> r(reason_mutex);
            last_reason = call.cancel_reason();
          }
          Json doc = Json::object();
          doc["slept"] = !stop;
          return ToolOutcome::Success(doc);
        }});
    registry.Add(ToolDefinition{
        "test_progress", "Progress", "Emits count progress lines, gap_ms apart.",
        Json::parse(
            R"({"type":"object","properties":{"count":{"type":"integer","description":"lines"},
                       "gap_ms":{"type":"integer","description":"gap"}},"additionalProperties":false})"),
        std::nullopt, ToolAnnotations{}, [](ToolCall& call) {
          int64_t count = call.arguments().value("count", 3);
          int64_t gap = call.arguments().value("gap_ms", 0);
          for (int64_t i = 0; i < count && !call.cancelled(); ++i) {
            call.Progress("[tester] line " + std::to_string(i) +
                          (i == 0 ? std::string(400, 'x') : ""));
            if (gap > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gap));
          }
          Json doc = Json::object();
          doc["lines"] = count;
          return ToolOutcome::Success(doc);
        }});
    registry.Add(ToolDefinition{
        "test_throw", "Throw", "Throws.",
        Json::parse(R"({"type":"object","properties":{},"additionalProperties":false})"),
        std::nullopt, ToolAnnotations{},
        [](ToolCall&) -> ToolOutcome { throw std::runtime_error("boom"); }});
    registry.Add(ToolDefinition{
        "test_echo", "Echo", "Returns its coerced arguments.",
        Json::parse(R"({"type":"object","properties":{
            "name":{"type":"string","description":"a name"},
            "count":{"type":"integer","description":"a count","minimum":0,"maximum":200},
            "ratio":{"type":"number","description":"a ratio"},
            "flag":{"type":"boolean","description":"a flag"},
            "mode":{"type":"string","description":"a mode","enum":["a","b"]},
            "items":{"type":"array","items":{"type":"integer"},"description":"ints"}},
            "required":["name"],"additionalProperties":false})"),
        Json::parse(
            R"({"type":"object","properties":{"name":{"type":"string"}},"required":["name"]})"),
        ToolAnnotations{false, true, true, false},
        [](ToolCall& call) { return ToolOutcome::Success(call.arguments()); }});
    registry.Add(ToolDefinition{
        "test_array", "Array", "Returns an array.",
        Json::parse(R"({"type":"object","properties":{},"additionalProperties":false})"),
        std::nullopt, ToolAnnotations{}, [](ToolCall&) {
          return ToolOutcome::Success(Json::parse(R"([{"name":"naïve — ✓"},2])"));
        }});
    registry.Add(ToolDefinition{
        "test_big", "Big", "Returns a big document.",
        Json::parse(R"({"type":"object","properties":{},"additionalProperties":false})"),
        std::nullopt, ToolAnnotations{}, [](ToolCall&) {
          Json doc = Json::object();
          doc["data"] = std::string(200000, 'z');
          return ToolOutcome::Success(doc);
        }});
    registry.Add(ToolDefinition{
        "test_fail", "Fail", "Returns an error envelope.",
        Json::parse(R"({"type":"object","properties":{},"additionalProperties":false})"),
        std::nullopt, ToolAnnotations{}, [](ToolCall&) {
          return ToolOutcome::Error("unknown_agent", "Unknown agent 'x'.", "call list_agents");
        }});
  }
};

class Session : public ::testing::Test {
 protected:
  void Start(ServerOptions options = {}) {
    signal(SIGPIPE, SIG_IGN);
    ASSERT_EQ(pipe2(to_server_, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(from_server_, O_CLOEXEC), 0);
    if (options.server_version.empty()) options.server_version = "9.9.9";
    server_ = std::make_unique<Server>(options, tools_.registry, to_server_[0], from_server_[1]);
    runner_ = std::thread([this] { reason_ = server_->Run(); });
  }

  void TearDown() override {
    if (server_) {
      CloseInput();
      if (runner_.joinable()) runner_.join();
      server_.reset();
    }
    for (int fd : {to_server_[0], to_server_[1], from_server_[0], from_server_[1]}) {
      if (fd >= 0) close(fd);
    }
  }

  void CloseInput() {
    if (to_server_[1] >= 0) {
      close(to_server_[1]);
      to_server_[1] = -1;
    }
  }

  void Write(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = write(to_server_[1], bytes.data() + done, bytes.size() - done);
      ASSERT_GT(n, 0);
      done += static_cast<size_t>(n);
    }
  }
  void Send(const std::string& line) { Write(line + "\n"); }

  // The next line from the server, or nullopt after `timeout`.
  std::optional<std::string> ReadRaw(std::chrono::milliseconds timeout = 3000ms,
                                     bool scale = true) {
    auto deadline = std::chrono::steady_clock::now() + (scale ? Scaled(timeout) : timeout);
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd pfd{from_server_[0], POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[65536];
      ssize_t n = read(from_server_[0], chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  Json Read(std::chrono::milliseconds timeout = 3000ms) {
    auto line = ReadRaw(timeout);
    EXPECT_TRUE(line.has_value()) << "no message from the server";
    if (!line) return Json();
    EXPECT_FALSE(line->empty());
    EXPECT_NE(line->back(), '\r');
    Json j = Json::parse(*line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << *line;
    CheckEnvelope(j);
    return j;
  }

  // The next message that is not a notification.
  Json ReadResponse(std::vector<Json>* notifications = nullptr,
                    std::chrono::milliseconds timeout = 3000ms) {
    for (;;) {
      Json j = Read(timeout);
      if (j.is_null() || !j.contains("method")) return j;
      if (notifications != nullptr) notifications->push_back(j);
    }
  }

  bool Silent(std::chrono::milliseconds wait = 150ms) { return !ReadRaw(wait, false).has_value(); }

  static void CheckEnvelope(const Json& j) {
    // MCP-020: strict envelopes.
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.value("jsonrpc", ""), "2.0");
    if (j.contains("method")) {
      EXPECT_FALSE(j.contains("id")) << "the server sends no requests (MCP-051)";
      for (auto it = j.begin(); it != j.end(); ++it) {
        EXPECT_TRUE(it.key() == "jsonrpc" || it.key() == "method" || it.key() == "params");
      }
      return;
    }
    ASSERT_TRUE(j.contains("id"));
    EXPECT_NE(j.contains("result"), j.contains("error"));
    EXPECT_EQ(j.size(), 3u) << j.dump();
    if (j.contains("result")) {
      EXPECT_FALSE(j["result"].is_null());
    }
    if (j.contains("error")) {
      for (auto it = j["error"].begin(); it != j["error"].end(); ++it) {
        EXPECT_TRUE(it.key() == "code" || it.key() == "message" || it.key() == "data");
        EXPECT_FALSE(it.value().is_null());
      }
    }
  }

  Json Initialize(const std::string& version = "2025-11-25", int id = 0) {
    Send(
        R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
        R"(,"method":"initialize","params":{"protocolVersion":")" + version +
        R"(","capabilities":{"roots":{},"sampling":{},"elicitation":{}},"clientInfo":{"name":"t","version":"1"}}})");
    Json r = ReadResponse();
    Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    return r;
  }

  Json Call(int id, const std::string& tool, const std::string& args = "{}",
            const std::string& meta = "") {
    Send(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
         R"(,"method":"tools/call","params":{"name":")" + tool + R"(","arguments":)" + args +
         (meta.empty() ? "" : R"(,"_meta":)" + meta) + "}}");
    return ReadResponse();
  }

  static Json ToolDocument(const Json& response) {
    return Json::parse(response["result"]["content"][0]["text"].get<std::string>());
  }

  TestTools tools_;
  int to_server_[2] = {-1, -1};
  int from_server_[2] = {-1, -1};
  std::unique_ptr<Server> server_;
  std::thread runner_;
  Server::StopReason reason_ = Server::StopReason::kStopped;
  std::string buffer_;
};

// ---- Framing ---------------------------------------------------------------------------------

TEST_F(Session, Mcp001OneLinePerMessage) {
  Start();
  Send(
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})");
  auto line = ReadRaw();
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("\"protocolVersion\""), std::string::npos);
  EXPECT_TRUE(Silent());
}

TEST_F(Session, Mcp002CrlfAccepted) {
  Start();
  Write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n");
  Json r = Read();
  EXPECT_EQ(r["id"], 1);
  EXPECT_EQ(r["result"], Json::object());
}

TEST_F(Session, Mcp003BlankLinesIgnored) {
  Start();
  Write("\n   \n\t\t\n");
  Send(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 1);
  EXPECT_TRUE(Silent());
}

TEST_F(Session, Mcp004TwoRequestsInOneWrite) {
  Start();
  Write(
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,"
      "\"method\":\"ping\"}\n");
  std::set<int> ids{Read()["id"].get<int>(), Read()["id"].get<int>()};
  EXPECT_EQ(ids, (std::set<int>{1, 2}));
}

TEST_F(Session, Mcp005OneByteAtATime) {
  Start();
  std::string line = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}\n";
  for (char c : line) {
    Write(std::string(1, c));
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(Read()["id"], 7);
  EXPECT_TRUE(Silent());
}

TEST_F(Session, Mcp006Mcp007ParseErrors) {
  Start();
  Send(R"({"jsonrpc":"2.0",)");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kParseError);
  EXPECT_TRUE(r["id"].is_null());
  Send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"x\":\"\xC3\x28\"}");
  r = Read();
  EXPECT_EQ(r["error"]["code"], kParseError);
  EXPECT_TRUE(r["id"].is_null());
  Send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 2);
}

TEST_F(Session, Mcp008OversizeLine) {
  ServerOptions options;
  options.max_message_bytes = 65536;
  Start(options);
  Send(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":")" + std::string(70000, 'a') +
       "\"}}");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_NE(r["error"]["message"].get<std::string>().find("65536"), std::string::npos);
  EXPECT_EQ(r["error"]["data"]["limit"], 65536);
  // An exactly-at-limit line is fine; a much longer one gives one error only.
  Write(std::string(1 << 20, 'b') + "\n");
  EXPECT_EQ(Read()["error"]["code"], kInvalidRequest);
  Send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 2);
}

TEST_F(Session, Mcp009OversizeThenEof) {
  ServerOptions options;
  options.max_message_bytes = 65536;
  Start(options);
  Write(std::string(100000, 'c'));
  CloseInput();
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  runner_.join();
  EXPECT_EQ(reason_, Server::StopReason::kEof);
}

TEST_F(Session, Mcp010DeepNesting) {
  Start();
  Send(std::string(1000, '[') + std::string(1000, ']'));
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kParseError);
  EXPECT_TRUE(r["id"].is_null());
  Send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 2);
}

TEST_F(Session, Mcp011ByteOrderMark) {
  Start();
  Write("\xEF\xBB\xBF");
  Send(
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})");
  EXPECT_EQ(Read()["result"]["protocolVersion"], "2025-06-18");
}

TEST_F(Session, Mcp012RawUtf8) {
  Start();
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"test_array"}})");
  auto line = ReadRaw();
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("naïve — ✓"), std::string::npos) << *line;
  EXPECT_EQ(line->find("\\u00ef"), std::string::npos);
}

// ---- Envelopes ---------------------------------------------------------------------------------

TEST_F(Session, Mcp021IdsEchoedExactly) {
  Start();
  for (std::string id : {R"("abc")", "7", "0", R"("server-discover-probe-1")", "-3"}) {
    Send(R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":"ping"})");
    EXPECT_EQ(Read()["id"], Json::parse(id));
  }
}

TEST_F(Session, Mcp022InvalidIds) {
  Start();
  for (std::string id : {"null", "1.5", "true", "{}", "1.0", "1e3", "9223372036854775808"}) {
    Send(R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":"ping"})");
    Json r = Read();
    EXPECT_EQ(r["error"]["code"], kInvalidRequest) << id;
    EXPECT_TRUE(r["id"].is_null()) << id;
  }
  Send(R"({"jsonrpc":"2.0","id":9223372036854775807,"method":"ping"})");
  EXPECT_EQ(Read()["id"], Json::parse("9223372036854775807"));
}

TEST_F(Session, Mcp023Mcp024BadEnvelopes) {
  Start();
  Send(R"({"jsonrpc":"1.0","id":3,"method":"ping"})");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  EXPECT_EQ(r["id"], 3);
  Send(R"({"id":3,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 3);
  Send(R"({"jsonrpc":"2.0","id":4,"method":123})");
  r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  EXPECT_EQ(r["id"], 4);
}

TEST_F(Session, Mcp025Mcp026BatchesAndScalars) {
  Start();
  for (std::string line :
       {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", "[]", "42", R"("x")", "null"}) {
    Send(line);
    Json r = Read();
    EXPECT_EQ(r["error"]["code"], kInvalidRequest) << line;
    EXPECT_TRUE(r["id"].is_null());
    EXPECT_TRUE(Silent(50ms)) << line;
  }
}

TEST_F(Session, Mcp027Mcp028NoOutput) {
  Start();
  Send(R"({"jsonrpc":"2.0","id":99,"result":{}})");
  Send(R"({"jsonrpc":"2.0","method":"notifications/whatever"})");
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":"bad"})");
  EXPECT_TRUE(Silent());
}

TEST_F(Session, Mcp029DuplicateInFlightId) {
  Start();
  Initialize();
  Send(
      R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":300}}})");
  while (tools_.slow_started.load() == 0) std::this_thread::sleep_for(1ms);
  Send(
      R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":1}}})");
  Json dup = Read();
  EXPECT_EQ(dup["id"], 9);
  EXPECT_EQ(dup["error"]["code"], kInvalidRequest);
  Json first = Read();
  EXPECT_EQ(first["id"], 9);
  EXPECT_EQ(ToolDocument(first)["slept"], true);
}

TEST_F(Session, Mcp030ParamsNotObject) {
  Start();
  Send(R"({"jsonrpc":"2.0","id":5,"method":"ping","params":[1]})");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidParams);
  EXPECT_EQ(r["id"], 5);
}

// ---- Lifecycle ---------------------------------------------------------------------------------

TEST_F(Session, Mcp040Mcp041Negotiation) {
  for (std::string v : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07",
                        "2026-07-28", "1999-01-01"}) {
    Start();
    Json r = Initialize(v);
    bool known = v != "2024-10-07" && v != "2026-07-28" && v != "1999-01-01";
    EXPECT_EQ(r["result"]["protocolVersion"], known ? v : "2025-11-25") << v;
    TearDown();
    buffer_.clear();
    to_server_[0] = to_server_[1] = from_server_[0] = from_server_[1] = -1;
  }
}

TEST_F(Session, Mcp042Mcp043Mcp044InitializeResult) {
  Start();
  Json r = Initialize("2025-06-18")["result"];
  EXPECT_TRUE(r["capabilities"]["tools"].is_object());
  EXPECT_TRUE(r["capabilities"]["logging"].is_object());
  EXPECT_EQ(r["capabilities"].size(), 2u);
  EXPECT_EQ(r["serverInfo"]["name"], "switchboard");
  EXPECT_EQ(r["serverInfo"]["version"], "9.9.9");
  EXPECT_EQ(r["serverInfo"]["title"], "Switchboard");
  EXPECT_EQ(r.size(), 4u);
  std::string instructions = r["instructions"];
  EXPECT_LE(instructions.size(), 2048u);
  for (const char* word : {"list_agents", "dispatch", "dispatch_async", "hint", "error"}) {
    EXPECT_NE(instructions.find(word), std::string::npos) << word;
  }
  TearDown();
  buffer_.clear();
  to_server_[0] = to_server_[1] = from_server_[0] = from_server_[1] = -1;
  Start();
  EXPECT_FALSE(Initialize("2024-11-05")["result"]["serverInfo"].contains("title"));
}

TEST_F(Session, Mcp045Mcp046InitializeErrors) {
  Start();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidParams);
  Send(R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":20251125}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidParams);
  EXPECT_TRUE(Initialize("2025-11-25", 3).contains("result"));
  Send(
      R"({"jsonrpc":"2.0","id":4,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidRequest);
  Send(R"({"jsonrpc":"2.0","id":5,"method":"tools/list"})");
  EXPECT_TRUE(Read()["result"].contains("tools"));
}

TEST_F(Session, Mcp047Mcp048BeforeInitialize) {
  Start();
  Send(
      R"({"jsonrpc":"2.0","id":"server-discover-probe-1","method":"server/discover","params":{}})");
  Json probe = Read(500ms);
  EXPECT_EQ(probe["id"], "server-discover-probe-1");
  EXPECT_EQ(probe["error"]["code"], kMethodNotFound);
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("initialize"), std::string::npos);
  Send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(Read()["result"], Json::object());
  Send(R"({"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"debug"}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidRequest);
  Send(
      R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"test_echo","arguments":{"name":"x"}}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidRequest);
  EXPECT_TRUE(Initialize().contains("result"));
}

TEST_F(Session, Mcp049Mcp052InitializedNotification) {
  Start();
  Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  Initialize();
  Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_TRUE(Silent());
  Send(R"({"jsonrpc":"2.0","id":12,"method":"notifications/initialized"})");
  Json r = Read();
  EXPECT_EQ(r["id"], 12);
  EXPECT_EQ(r["error"]["code"], kMethodNotFound);
}

TEST_F(Session, Mcp050NothingBeforeInitializeResponse) {
  Start();
  // A call before initialize produces its error only; no log notification leaks out.
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_progress","arguments":{}}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidRequest);
  EXPECT_TRUE(Silent());
}

// ---- Methods -----------------------------------------------------------------------------------

TEST_F(Session, Mcp060Ping) {
  Start();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  Send(R"({"jsonrpc":"2.0","id":2,"method":"ping","params":{}})");
  Send(R"({"jsonrpc":"2.0","id":3,"method":"ping","params":{"_meta":{"x":1}}})");
  for (int i = 1; i <= 3; ++i) {
    Json r = Read();
    EXPECT_EQ(r["result"], Json::object());
  }
}

TEST_F(Session, Mcp061Mcp062UnknownMethods) {
  Start();
  Initialize();
  for (std::string m :
       {"resources/list", "prompts/list", "completion/complete", "foo/bar", "tasks/get"}) {
    Send(R"({"jsonrpc":"2.0","id":1,"method":")" + m + R"("})");
    Json r = Read();
    EXPECT_EQ(r["error"]["code"], kMethodNotFound);
    EXPECT_NE(r["error"]["message"].get<std::string>().find(m), std::string::npos);
  }
  Send(R"({"jsonrpc":"2.0","id":2,"method":")" + std::string(10000, 'm') + R"("})");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kMethodNotFound);
  EXPECT_LE(r["error"]["message"].get<std::string>().size(), 300u);
}

TEST_F(Session, Mcp063SetLevel) {
  Start();
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug"}})");
  EXPECT_EQ(Read()["result"], Json::object());
  for (std::string p : {R"({"level":"verbose"})", R"({"level":"INFO"})", R"({"level":5})", "{}"}) {
    Send(R"({"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":)" + p + "}");
    EXPECT_EQ(Read()["error"]["code"], kInvalidParams) << p;
  }
}

TEST_F(Session, Mcp064UnknownMethodAnsweredWhileToolRuns) {
  Start();
  Initialize();
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":500}}})");
  Send(R"({"jsonrpc":"2.0","id":2,"method":"foo/bar"})");
  EXPECT_EQ(Read()["id"], 2);
  EXPECT_EQ(Read()["id"], 1);
}

// ---- tools/list
// ----------------------------------------------------------------------------------

TEST_F(Session, Mcp073Mcp074ListVariants) {
  Start();
  Initialize("2025-06-18");
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  Json list = Read()["result"];
  EXPECT_FALSE(list.contains("nextCursor"));
  Json tools = list["tools"];
  ASSERT_FALSE(tools.empty());
  for (const auto& t : tools) {
    EXPECT_EQ(t["title"], t["annotations"]["title"]);
    EXPECT_EQ(t.contains("outputSchema"), t["name"] == "test_echo");
  }
  TearDown();
  buffer_.clear();
  to_server_[0] = to_server_[1] = from_server_[0] = from_server_[1] = -1;
  Start();
  Initialize("2024-11-05");
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  Json listed0 = Read()["result"]["tools"];
  for (const auto& t : listed0) {
    EXPECT_FALSE(t.contains("annotations") || t.contains("title") || t.contains("outputSchema"));
  }
  TearDown();
  buffer_.clear();
  to_server_[0] = to_server_[1] = from_server_[0] = from_server_[1] = -1;
  Start();
  Initialize("2025-03-26");
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  Json listed1 = Read()["result"]["tools"];
  for (const auto& t : listed1) {
    EXPECT_TRUE(t.contains("annotations"));
    EXPECT_FALSE(t.contains("title") || t.contains("outputSchema"));
  }
}

TEST_F(Session, Mcp072Annotations) {
  Start();
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  Json listed2 = Read()["result"]["tools"];
  for (const auto& t : listed2) {
    const Json& a = t["annotations"];
    if (a["readOnlyHint"] == true) {
      EXPECT_FALSE(a.contains("destructiveHint") || a.contains("idempotentHint")) << t["name"];
    } else {
      EXPECT_TRUE(a.contains("destructiveHint") && a.contains("idempotentHint")) << t["name"];
    }
  }
}

TEST_F(Session, Mcp075Cursor) {
  Start();
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"abc"}})");
  EXPECT_EQ(Read()["error"]["code"], kInvalidParams);
  Send(R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":null}})");
  EXPECT_TRUE(Read()["result"]["tools"].is_array());
}

// ---- tools/call
// ----------------------------------------------------------------------------------

TEST_F(Session, Mcp080Mcp081ResultShapes) {
  Start();
  Initialize();
  Json r = Call(1, "test_echo", R"({"name":"x"})");
  EXPECT_EQ(r["result"]["content"].size(), 1u);
  EXPECT_EQ(r["result"]["content"][0]["type"], "text");
  EXPECT_EQ(ToolDocument(r), r["result"]["structuredContent"]);
  EXPECT_FALSE(r["result"].contains("isError"));
  Json a = Call(2, "test_array");
  EXPECT_EQ(a["result"]["structuredContent"]["items"], ToolDocument(a));
  // An error envelope: isError, no structuredContent.
  Json e = Call(3, "test_fail");
  EXPECT_EQ(e["result"]["isError"], true);
  EXPECT_FALSE(e["result"].contains("structuredContent"));
  EXPECT_EQ(ToolDocument(e)["code"], "unknown_agent");
  EXPECT_EQ(ToolDocument(e)["hint"], "call list_agents");
}

TEST_F(Session, Mcp082Mcp083Mcp084CallParams) {
  Start();
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}})");
  Json r = Read();
  EXPECT_EQ(r["error"]["code"], kInvalidParams);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("nope"), std::string::npos);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("tool"), std::string::npos);
  for (std::string p : {"{}", R"({"name":5})", R"({"name":"test_array","arguments":"x"})",
                        R"({"name":"test_array","arguments":[]})"}) {
    Send(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":)" + p + "}");
    EXPECT_EQ(Read()["error"]["code"], kInvalidParams) << p;
  }
  Send(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"test_array"}})");
  EXPECT_TRUE(Read()["result"].contains("content"));
  Send(
      R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"test_array","arguments":null}})");
  EXPECT_TRUE(Read()["result"].contains("content"));
}

TEST_F(Session, Mcp086Mcp087Mcp088Mcp089ArgumentValidation) {
  Start();
  Initialize();
  Json r = Call(1, "test_echo", R"({"name":"x","count":"abc"})");
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_FALSE(r["result"].contains("structuredContent"));
  Json env = ToolDocument(r);
  EXPECT_EQ(env["code"], "invalid_argument");
  EXPECT_EQ(env["field"], "count");
  EXPECT_NE(env["error"].get<std::string>().find("count"), std::string::npos);
  Json as_int = ToolDocument(Call(2, "test_echo", R"({"name":"x","count":40})"));
  EXPECT_EQ(ToolDocument(Call(3, "test_echo", R"({"name":"x","count":"40"})")), as_int);
  EXPECT_EQ(ToolDocument(Call(4, "test_echo", R"({"name":"x","count":40.0})")), as_int);
  EXPECT_EQ(ToolDocument(Call(5, "test_echo", R"({"name":"x","count":" 40 "})")), as_int);
  EXPECT_EQ(Call(6, "test_echo", R"({"name":"x","count":12.5})")["result"]["isError"], true);
  EXPECT_EQ(Call(7, "test_echo", R"({"name":"x","count":"12.5"})")["result"]["isError"], true);
  EXPECT_EQ(Call(8, "test_echo", R"({"name":"x","count":500})")["result"]["isError"],
            true);  // maximum
  // MCP-087: unknown argument, hint lists the valid names.
  Json unknown = ToolDocument(Call(9, "test_echo", R"({"name":"x","agnet":"y"})"));
  EXPECT_NE(unknown["error"].get<std::string>().find("agnet"), std::string::npos);
  EXPECT_NE(unknown["hint"].get<std::string>().find("name"), std::string::npos);
  EXPECT_NE(unknown["hint"].get<std::string>().find("count"), std::string::npos);
  // MCP-088: null = omitted.
  EXPECT_EQ(ToolDocument(Call(10, "test_echo", R"({"name":"x","count":null})")),
            ToolDocument(Call(11, "test_echo", R"({"name":"x"})")));
  // MCP-089: unknown argument reported before the missing required one.
  EXPECT_EQ(ToolDocument(Call(12, "test_echo", R"({"agnet":"y"})"))["field"], "agnet");
  EXPECT_EQ(ToolDocument(Call(13, "test_echo", R"({})"))["field"], "name");
  EXPECT_EQ(ToolDocument(Call(14, "test_echo", R"({"name":null})"))["field"], "name");
  // Other coercions.
  Json coerced = ToolDocument(
      Call(15, "test_echo", R"({"name":"x","flag":"YES","ratio":"2.5","items":["1",2.0]})"));
  EXPECT_EQ(coerced["flag"], true);
  EXPECT_EQ(coerced["ratio"], 2.5);
  EXPECT_EQ(coerced["items"], Json::parse("[1,2]"));
  EXPECT_EQ(ToolDocument(Call(16, "test_echo", R"({"name":"x","flag":2})"))["field"], "flag");
  EXPECT_EQ(ToolDocument(Call(17, "test_echo", R"({"name":"x","ratio":"nan"})"))["field"], "ratio");
  EXPECT_EQ(ToolDocument(Call(18, "test_echo", R"({"name":"x","mode":"c"})"))["field"], "mode");
  EXPECT_EQ(ToolDocument(Call(19, "test_echo", R"({"name":5})"))["field"], "name");
}

TEST_F(Session, Mcp091ThrowingHandler) {
  Start();
  Initialize();
  Json r = Call(1, "test_throw");
  EXPECT_EQ(r["result"]["isError"], true);
  Json env = ToolDocument(r);
  EXPECT_EQ(env["code"], "internal_error");
  EXPECT_NE(env["error"].get<std::string>().find("test_throw"), std::string::npos);
  EXPECT_NE(env["error"].get<std::string>().find("log"), std::string::npos);
  EXPECT_TRUE(Call(2, "test_array")["result"].contains("content"));
}

TEST_F(Session, OutgoingSizeCap) {
  ServerOptions options;
  options.max_outgoing_bytes = 100000;
  Start(options);
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_big"}})");
  auto line = ReadRaw();
  ASSERT_TRUE(line);
  EXPECT_LT(line->size(), 100000u);
  Json r = Json::parse(*line);
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_EQ(ToolDocument(r)["code"], "result_too_large");
  EXPECT_NE(ToolDocument(r)["hint"].get<std::string>().find("max_chars"), std::string::npos);
}

// ---- Concurrency
// ---------------------------------------------------------------------------------

TEST_F(Session, Mcp100PingOvertakesSlowCall) {
  Start();
  Initialize();
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":400}}})");
  Send(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 2);
  EXPECT_EQ(Read()["id"], 1);
}

TEST_F(Session, Mcp102FiftyMixedRequests) {
  Start();
  Initialize();
  std::string batch;
  for (int i = 1; i <= 50; ++i) {
    if (i % 3 == 0) {
      batch += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
               R"(,"method":"tools/list"})"
               "\n";
    } else if (i % 3 == 1) {
      batch += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
               R"(,"method":"tools/call","params":{"name":"test_array"}})"
               "\n";
    } else {
      batch += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
               R"(,"method":"ping"})"
               "\n";
    }
  }
  Write(batch);
  std::set<int> ids;
  for (int i = 0; i < 50; ++i) ids.insert(Read()["id"].get<int>());
  EXPECT_EQ(ids.size(), 50u);
  EXPECT_TRUE(Silent());
}

TEST_F(Session, Mcp103InflightLimit) {
  ServerOptions options;
  options.max_inflight = 4;
  Start(options);
  Initialize();
  for (int i = 1; i <= 4; ++i) {
    Send(R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
         R"(,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":600}}})");
  }
  while (tools_.slow_started.load() < 4) std::this_thread::sleep_for(1ms);
  Send(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"test_array"}})");
  Json busy = Read(300ms);
  EXPECT_EQ(busy["id"], 5);
  EXPECT_EQ(busy["error"]["code"], kServerBusy);
  Send(R"({"jsonrpc":"2.0","id":6,"method":"ping"})");
  EXPECT_EQ(Read(300ms)["id"], 6);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Read()["result"].contains("content"));
  EXPECT_TRUE(Call(7, "test_array")["result"].contains("content"));
}

TEST_F(Session, Mcp104ManyWaitersDoNotBlock) {
  Start();
  Initialize();
  for (int i = 1; i <= 200; ++i) {
    Send(R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
         R"(,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":5000}}})");
  }
  while (tools_.slow_started.load() < 200) std::this_thread::sleep_for(1ms);
  auto t0 = std::chrono::steady_clock::now();
  Json r = Call(1000, "test_array");
  EXPECT_TRUE(r["result"].contains("content"));
  EXPECT_LT(std::chrono::steady_clock::now() - t0,
            2s);             // a generous bound that only catches a hang
  server_->BeginShutdown();  // releases the waiters without responses
  EXPECT_TRUE(Silent(300ms));
}

// ---- Progress
// ------------------------------------------------------------------------------------

TEST_F(Session, Mcp110Mcp111ProgressTokens) {
  for (std::string token : {R"("p1")", "7"}) {
    Start();
    Initialize();
    std::vector<Json> notes;
    Send(
        R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":5,"gap_ms":120},"_meta":{"progressToken":)" +
        token + "}}}");
    Json r = ReadResponse(&notes);
    EXPECT_EQ(r["id"], 1);
    int64_t last = 0;
    int progress = 0;
    for (const auto& n : notes) {
      if (n["method"] != "notifications/progress") continue;
      ++progress;
      EXPECT_EQ(n["params"]["progressToken"], Json::parse(token));
      EXPECT_GT(n["params"]["progress"].get<int64_t>(), last);
      if (last == 0) {
        EXPECT_EQ(n["params"]["progress"], 1);
      }
      last = n["params"]["progress"].get<int64_t>();
      std::string message = n["params"]["message"];
      size_t chars = 0;
      for (unsigned char c : message) chars += (c & 0xC0) != 0x80;
      EXPECT_LE(chars, 300u);
      EXPECT_NE(message.find("[tester] line"), std::string::npos);
    }
    EXPECT_GE(progress, 2);
    EXPECT_TRUE(Silent()) << "nothing after the response";
    TearDown();
    buffer_.clear();
    to_server_[0] = to_server_[1] = from_server_[0] = from_server_[1] = -1;
  }
}

TEST_F(Session, Mcp112Mcp116NoTokenNoProgress) {
  Start();
  Initialize();
  std::vector<Json> notes;
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":3}}})");
  ReadResponse(&notes);
  Send(
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":3},"_meta":{"progressToken":{}}}})");
  ReadResponse(&notes);
  int logs = 0;
  for (const auto& n : notes) {
    EXPECT_NE(n["method"], "notifications/progress");
    if (n["method"] == "notifications/message") {
      ++logs;
      EXPECT_EQ(n["params"]["level"], "info");
      EXPECT_EQ(n["params"]["logger"], "switchboard");
      EXPECT_EQ(n["params"]["data"].get<std::string>().rfind("[tester] ", 0), 0u);  // MCP-120
    }
  }
  EXPECT_EQ(logs, 6);
}

TEST_F(Session, Mcp113NoMessageIn20241105) {
  Start();
  Initialize("2024-11-05");
  std::vector<Json> notes;
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":2},"_meta":{"progressToken":"t"}}})");
  ReadResponse(&notes);
  int progress = 0;
  for (const auto& n : notes) {
    if (n["method"] == "notifications/progress") {
      ++progress;
      EXPECT_FALSE(n["params"].contains("message"));
    }
  }
  EXPECT_GE(progress, 1);
}

TEST_F(Session, Mcp114ProgressRateLimit) {
  Start();
  Initialize();
  std::vector<Json> notes;
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":10000},"_meta":{"progressToken":"r"}}})");
  Json r = ReadResponse(&notes);
  EXPECT_EQ(r["id"], 1);
  int progress = 0;
  bool skipped = false;
  for (const auto& n : notes) {
    if (n["method"] != "notifications/progress") continue;
    ++progress;
    if (n["params"]["message"].get<std::string>().find("more)") != std::string::npos)
      skipped = true;
  }
  EXPECT_GE(progress, 1);
  EXPECT_LE(progress, 12);  // the run takes well under a second
  EXPECT_TRUE(skipped);
}

TEST_F(Session, Mcp121LogLevelFilters) {
  Start();
  Initialize();
  Send(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"warning"}})");
  Read();
  std::vector<Json> notes;
  Send(
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":3}}})");
  ReadResponse(&notes);
  EXPECT_TRUE(notes.empty());
}

// ---- Cancellation
// --------------------------------------------------------------------------------

TEST_F(Session, CancelDropsResponseAndReachesTool) {
  Start();
  Initialize();
  Send(
      R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":5000}}})");
  while (tools_.slow_started.load() == 0) std::this_thread::sleep_for(1ms);
  // MCP-136: "5" does not cancel 5.
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"5"}})");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(tools_.slow_cancelled.load(), 0);
  // MCP-137: the reason is cut to 200 characters.
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5,"reason":")" +
       std::string(10000, 'r') + R"("}})");
  EXPECT_TRUE(Silent(500ms));
  EXPECT_EQ(tools_.slow_cancelled.load(), 1);
  {
    std::lock_guard<std::mutex> lock(tools_.reason_mutex);
    size_t chars = 0;
    for (unsigned char c : tools_.last_reason) chars += (c & 0xC0) != 0x80;
    EXPECT_LE(chars, 200u);
    EXPECT_GT(chars, 0u);
  }
  // The id is free again.
  Send(R"({"jsonrpc":"2.0","id":5,"method":"ping"})");
  EXPECT_EQ(Read()["id"], 5);
}

TEST_F(Session, Mcp133CancelUnknownOrAnswered) {
  Start();
  Initialize();
  Call(1, "test_array");
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})");
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":424242}})");
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":0}})");
  EXPECT_TRUE(Silent());
  EXPECT_TRUE(Call(2, "test_array")["result"].contains("content"));
}

TEST_F(Session, Mcp138NoProgressAfterCancel) {
  Start();
  Initialize();
  Send(
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"test_progress","arguments":{"count":40,"gap_ms":25},"_meta":{"progressToken":"c"}}})");
  auto first = Read();
  EXPECT_EQ(first["method"], "notifications/message");
  Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})");
  // Drain what was already queued, then nothing more arrives for the token.
  std::this_thread::sleep_for(100ms);
  while (ReadRaw(50ms, false)) {
  }
  EXPECT_TRUE(Silent(600ms));
}

// ---- Shutdown
// ------------------------------------------------------------------------------------

TEST_F(Session, EofEndsRun) {
  Start();
  Initialize();
  CloseInput();
  runner_.join();
  EXPECT_EQ(reason_, Server::StopReason::kEof);
}

TEST_F(Session, BeginShutdownDropsInFlightResponses) {
  Start();
  Initialize();
  Send(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_slow","arguments":{"ms":5000}}})");
  while (tools_.slow_started.load() == 0) std::this_thread::sleep_for(1ms);
  server_->Stop();
  runner_.join();
  EXPECT_EQ(reason_, Server::StopReason::kStopped);
  server_->BeginShutdown();
  EXPECT_TRUE(server_->FlushOutput(1000ms));
  EXPECT_TRUE(Silent(300ms));
  EXPECT_EQ(tools_.slow_cancelled.load(), 1);
}

TEST_F(Session, Mcp144OutputClosedStopsServer) {
  Start();
  Initialize();
  close(from_server_[0]);
  from_server_[0] = -1;
  Send(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  runner_.join();
  EXPECT_EQ(reason_, Server::StopReason::kOutputClosed);
}

}  // namespace
}  // namespace sb::mcp
