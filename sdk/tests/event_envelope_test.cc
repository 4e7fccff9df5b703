// Tests of switchboard/event_envelope.hpp: the exact text of every event type, omission of absent
// fields, string escaping, time formatting, the msg.new preview and the `types` filter.
#include "switchboard/event_envelope.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sb::events {
namespace {

using nlohmann::json;

constexpr char kThread[] = "0123456789abcdef0123456789abcdef";
constexpr char kMsg[] = "fedcba9876543210fedcba9876543210";
constexpr char kJob[] = "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb";
constexpr char kWorker[] = "cccccccccccccccc0000000000000000";

MessageFacts Message(std::string_view content = "hello", bool has_metadata = true) {
  MessageFacts m;
  m.msg_id = kMsg;
  m.thread_id = kThread;
  m.seq = 7;
  m.author = "alice";
  m.role = "assistant";
  m.content = content;
  m.has_metadata = has_metadata;
  return m;
}

// Repeats `unit` `n` times.
std::string Repeat(std::string_view unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(unit);
  return out;
}

// ---- Escaping ------------------------------------------------------------------------------

TEST(JsonStringTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(JsonString(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(JsonString(R"(C:\dir\)"), R"("C:\\dir\\")");
  EXPECT_EQ(JsonString(""), R"("")");
  EXPECT_EQ(JsonString("/"), R"("/")");  // solidus is not escaped
}

TEST(JsonStringTest, EscapesEveryControlCharacterAsUnicodeEscape) {
  EXPECT_EQ(JsonString("a\nb"), R"("a\u000ab")");
  EXPECT_EQ(JsonString("\t\r\b\f"), R"("\u0009\u000d\u0008\u000c")");
  EXPECT_EQ(JsonString(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(JsonString("\x1f\x7f"), R"("\u001f\u007f")");
  EXPECT_EQ(JsonString("\xC2\x85"), R"("\u0085")");  // U+0085, a C1 control character
  EXPECT_EQ(JsonString("\xC2\x9F\xC2\xA0"), "\"\\u009f\xC2\xA0\"");  // U+00A0 is not a control
}

TEST(JsonStringTest, KeepsNonAsciiRaw) {
  const std::string text = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xE2\x80\xA8";
  EXPECT_EQ(JsonString(text), "\"" + text + "\"");
}

TEST(JsonStringTest, ReplacesMalformedUtf8WithReplacementCharacter) {
  const std::string kFffd = "\xEF\xBF\xBD";
  EXPECT_EQ(JsonString("a\xFF"
                       "b"),
            "\"a" + kFffd + "b\"");
  EXPECT_EQ(JsonString("\xC0\xAF"), "\"" + kFffd + kFffd + "\"");              // overlong '/'
  EXPECT_EQ(JsonString("\xED\xA0\x80"), "\"" + kFffd + kFffd + kFffd + "\"");  // surrogate
  EXPECT_EQ(JsonString("\xF4\x90\x80\x80"), "\"" + Repeat(kFffd, 4) + "\"");   // > U+10FFFF
  EXPECT_EQ(JsonString("x\xC3"), "\"x" + kFffd + "\"");                        // cut sequence
  EXPECT_EQ(JsonString("\xE6\x97"
                       "a"),
            "\"" + kFffd + kFffd + "a\"");
}

TEST(JsonStringTest, OutputParsesBackToTheInput) {
  std::vector<std::string> inputs = {"plain", "q\"b\\s", "\x01\x02\n\x7f",
                                     "\xC3\xA9\xF0\x9F\x98\x80", std::string("nul\0inside", 10)};
  std::string all_bytes;
  for (int c = 0; c < 128; ++c) all_bytes += static_cast<char>(c);
  inputs.push_back(all_bytes);
  for (const std::string& in : inputs) {
    SCOPED_TRACE(in);
    const json parsed = json::parse(JsonString(in));
    ASSERT_TRUE(parsed.is_string());
    EXPECT_EQ(parsed.get<std::string>(), in);
  }
  // Malformed input still gives valid JSON.
  EXPECT_TRUE(json::accept(JsonString("\xFF\xFE\xC3")));
}

// ---- Time ----------------------------------------------------------------------------------

TEST(FormatTimeTest, MillisecondPrecisionWithoutTrailingZeros) {
  EXPECT_EQ(FormatTime(1795000000.5), "1795000000.5");
  EXPECT_EQ(FormatTime(1795000000.25), "1795000000.25");
  EXPECT_EQ(FormatTime(1795000000.125), "1795000000.125");
  EXPECT_EQ(FormatTime(1795000000.0), "1795000000.0");
  EXPECT_EQ(FormatTime(1795000000.1234), "1795000000.123");
  EXPECT_EQ(FormatTime(1795000000.9996), "1795000001.0");  // rounds to the nearest millisecond
  EXPECT_EQ(FormatTime(1795000000.010), "1795000000.01");
  EXPECT_EQ(FormatTime(0.0), "0.0");
  EXPECT_EQ(FormatTime(0.001), "0.001");
  EXPECT_EQ(FormatTime(-1.5), "-1.5");
  EXPECT_EQ(FormatTime(std::nan("")), "null");
  EXPECT_EQ(FormatTime(HUGE_VAL), "null");
}

TEST(FormatTimeTest, MatchesNlohmannForMillisecondValues) {
  for (long long ms = 1795000000000LL; ms < 1795000000000LL + 2000; ms += 7) {
    const double at = static_cast<double>(ms) / 1000.0;
    EXPECT_EQ(FormatTime(at), json(at).dump()) << ms;
    EXPECT_DOUBLE_EQ(json::parse(FormatTime(at)).get<double>(), at);
  }
}

// ---- Preview -------------------------------------------------------------------------------

TEST(PreviewTest, KeepsShortContentWhole) {
  EXPECT_EQ(Preview(""), "");
  EXPECT_EQ(Preview("hello"), "hello");
  const std::string exactly = Repeat("a", 200);
  EXPECT_EQ(Preview(exactly), exactly);
}

TEST(PreviewTest, CutsAt200CodePoints) {
  EXPECT_EQ(Preview(Repeat("a", 201)), Repeat("a", 200));
  // Two-byte characters: 200 code points are 400 bytes.
  EXPECT_EQ(Preview(Repeat("\xC3\xA9", 250)), Repeat("\xC3\xA9", 200));
  // Four-byte characters.
  EXPECT_EQ(Preview(Repeat("\xF0\x9F\x98\x80", 201)), Repeat("\xF0\x9F\x98\x80", 200));
  // Mixed widths: 199 ASCII, then a three-byte character as the 200th, then more.
  const std::string mixed = Repeat("a", 199) + "\xE6\x97\xA5" + "\xE6\x9C\xAC" + "tail";
  EXPECT_EQ(Preview(mixed), Repeat("a", 199) + "\xE6\x97\xA5");
  // A multi-byte character straddling byte 200 is kept whole, never split.
  const std::string straddle = Repeat("a", 199) + "\xF0\x9F\x98\x80" + "b";
  EXPECT_EQ(Preview(straddle), Repeat("a", 199) + "\xF0\x9F\x98\x80");
}

TEST(PreviewTest, CustomLimit) {
  EXPECT_EQ(Preview("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9");
  EXPECT_EQ(Preview("abc", 0), "");
}

// ---- Builders: exact text ------------------------------------------------------------------

TEST(EnvelopeTest, ThreadNew) {
  const Event e = ThreadNew(kThread, "release \"v2\"");
  EXPECT_EQ(e.type, "thread.new");
  EXPECT_EQ(Envelope(1, 1795000000.5, e),
            std::string(R"({"id":1,"type":"thread.new","at":1795000000.5,"thread_id":")") +
                kThread + R"(","job_id":null,"payload":{"thread_id":")" + kThread +
                R"(","topic":"release \"v2\""}})");
  EXPECT_FALSE(e.filter_agent.has_value());
}

TEST(EnvelopeTest, MsgNew) {
  const Event e = MsgNew(Message("line1\nline2"));
  EXPECT_EQ(
      Envelope(1042, 1795000000.25, e),
      std::string(R"({"id":1042,"type":"msg.new","at":1795000000.25,"thread_id":")") + kThread +
          R"(","job_id":null,"payload":{"msg_id":")" + kMsg + R"(","thread_id":")" + kThread +
          R"(","seq":7,"author":"alice","role":"assistant","preview":"line1\u000aline2","has_metadata":true}})");
  const Event no_metadata = MsgNew(Message("x", false));
  EXPECT_NE(no_metadata.payload_json.find(R"("has_metadata":false)"), std::string::npos);
  EXPECT_FALSE(e.filter_agent.has_value());
}

TEST(EnvelopeTest, MsgHandoff) {
  const Event e = MsgHandoff(Message(), "bob");
  EXPECT_EQ(Envelope(2, 1795000000.0, e),
            std::string(R"({"id":2,"type":"msg.handoff","at":1795000000.0,"thread_id":")") +
                kThread + R"(","job_id":null,"payload":{"msg_id":")" + kMsg + R"(","thread_id":")" +
                kThread + R"(","seq":7,"from_agent":"alice","to_agent":"bob"}})");
  EXPECT_EQ(e.filter_agent, "bob");
}

TEST(EnvelopeTest, MsgStop) {
  const Event e = MsgStop(Message(), "complete");
  EXPECT_EQ(e.payload_json, std::string(R"({"msg_id":")") + kMsg + R"(","thread_id":")" + kThread +
                                R"(","seq":7,"agent":"alice","reason":"complete"})");
  EXPECT_EQ(e.type, "msg.stop");
  EXPECT_EQ(e.thread_id, kThread);
  EXPECT_FALSE(e.job_id.has_value());
  EXPECT_FALSE(e.filter_agent.has_value());
}

TEST(EnvelopeTest, JobCreatedWithEveryField) {
  const std::string routing =
      R"({"target_agent_name":"infra","required_capabilities":["gpu"],"priority":2,"deadline_at":null})";
  const Event e = JobCreated(kJob, "infra", "bridge", routing, kThread);
  EXPECT_EQ(
      Envelope(3, 1795000000.5, e),
      std::string(R"({"id":3,"type":"job.created","at":1795000000.5,"thread_id":null,"job_id":")") +
          kJob + R"(","payload":{"job_id":")" + kJob +
          R"(","agent":"infra","source":"bridge","routing":)" + routing +
          R"(,"conversation_id":")" + kThread + R"("}})");
  EXPECT_EQ(e.filter_agent, "infra");
}

TEST(EnvelopeTest, JobCreatedOmitsAbsentFields) {
  const Event e = JobCreated(kJob, std::nullopt, "dispatch_async", R"({"priority":0})");
  EXPECT_EQ(e.payload_json, std::string(R"({"job_id":")") + kJob +
                                R"(","source":"dispatch_async","routing":{"priority":0}})");
  EXPECT_FALSE(e.filter_agent.has_value());
  // An empty routing text is written as null, so the payload still parses.
  EXPECT_EQ(JobCreated(kJob, std::nullopt, "cli", "").payload_json,
            std::string(R"({"job_id":")") + kJob + R"(","source":"cli","routing":null})");
}

TEST(EnvelopeTest, JobClaimed) {
  const Event e = JobClaimed(kJob, kWorker, "builder", 2);
  EXPECT_EQ(
      Envelope(4, 1795000001.0, e),
      std::string(R"({"id":4,"type":"job.claimed","at":1795000001.0,"thread_id":null,"job_id":")") +
          kJob + R"(","payload":{"job_id":")" + kJob + R"(","worker_id":")" + kWorker +
          R"(","agent_name":"builder","attempt":2}})");
  EXPECT_EQ(e.filter_agent, "builder");
}

TEST(EnvelopeTest, JobRequeued) {
  const Event e = JobRequeued(kJob, 1, "lease expired");
  EXPECT_EQ(e.type, "job.requeued");
  EXPECT_EQ(e.payload_json,
            std::string(R"({"job_id":")") + kJob + R"(","attempt":1,"reason":"lease expired"})");
  EXPECT_EQ(e.job_id, kJob);
  EXPECT_FALSE(e.thread_id.has_value());
  EXPECT_FALSE(e.filter_agent.has_value());
}

TEST(EnvelopeTest, JobDone) {
  const Event e = JobDone(kJob, "infra");
  EXPECT_EQ(
      Envelope(5, 1795000002.75, e),
      std::string(R"({"id":5,"type":"job.done","at":1795000002.75,"thread_id":null,"job_id":")") +
          kJob + R"(","payload":{"job_id":")" + kJob + R"(","agent":"infra"}})");
  EXPECT_EQ(e.filter_agent, "infra");
}

TEST(EnvelopeTest, JobFailed) {
  const Event with_agent = JobFailed(kJob, "infra", "deadline", "deadline passed");
  EXPECT_EQ(with_agent.payload_json,
            std::string(R"({"job_id":")") + kJob +
                R"(","agent":"infra","error_type":"deadline","reason":"deadline passed"})");
  EXPECT_EQ(with_agent.type, "job.failed");
  const Event without_agent = JobFailed(kJob, std::nullopt, "deadline", "no worker claimed it");
  EXPECT_EQ(without_agent.payload_json,
            std::string(R"({"job_id":")") + kJob +
                R"(","error_type":"deadline","reason":"no worker claimed it"})");
  EXPECT_FALSE(without_agent.filter_agent.has_value());
}

TEST(EnvelopeTest, JobCancelled) {
  EXPECT_EQ(JobCancelled(kJob, "infra").payload_json,
            std::string(R"({"job_id":")") + kJob + R"(","agent":"infra"})");
  const Event e = JobCancelled(kJob, std::nullopt);
  EXPECT_EQ(Envelope(6, 1795000003.5, e),
            std::string(
                R"({"id":6,"type":"job.cancelled","at":1795000003.5,"thread_id":null,"job_id":")") +
                kJob + R"(","payload":{"job_id":")" + kJob + R"("}})");
}

TEST(EnvelopeTest, EmptyOptionalStringIsPresentNotOmitted) {
  // Absence is std::nullopt; an empty string is a value and is written.
  EXPECT_EQ(JobCancelled(kJob, std::string_view("")).payload_json,
            std::string(R"({"job_id":")") + kJob + R"(","agent":""})");
}

TEST(EnvelopeTest, EscapesUserTextInEveryStringField) {
  const Event e = MsgHandoff(Message(), "b\"o\\b\x01");
  const json payload = json::parse(e.payload_json);
  EXPECT_EQ(payload["to_agent"], "b\"o\\b\x01");
  EXPECT_EQ(json::parse(JobFailed(kJob, "a\nb", "x", "tab\there").payload_json)["reason"],
            "tab\there");
}

// ---- Parsing every envelope ----------------------------------------------------------------

TEST(EnvelopeTest, EveryEnvelopeParsesWithTheDocumentedShape) {
  const std::string long_content = Repeat("\xE6\x97\xA5", 150) + Repeat("\"q\"", 100);
  const std::vector<Event> events = {
      ThreadNew(kThread, "topic \xC3\xA9"),
      MsgNew(Message(long_content)),
      MsgHandoff(Message(long_content), "bob"),
      MsgStop(Message(long_content), "impasse"),
      JobCreated(kJob, "infra", "dispatch", R"({"target_agent_name":null,"priority":0})", "conv"),
      JobClaimed(kJob, kWorker, "infra", 1),
      JobRequeued(kJob, 1, "worker lost"),
      JobDone(kJob, "infra"),
      JobFailed(kJob, std::nullopt, "lease_expired", "worker lost twice"),
      JobCancelled(kJob, "infra"),
  };
  ASSERT_EQ(events.size(), std::size(kEventTypes));
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    SCOPED_TRACE(e.type);
    EXPECT_EQ(e.type, kEventTypes[i]);
    const json env = json::parse(Envelope(static_cast<std::int64_t>(100 + i), 1795000000.5, e));
    ASSERT_TRUE(env.is_object());
    std::vector<std::string> keys;
    for (auto it = env.begin(); it != env.end(); ++it) keys.push_back(it.key());
    // nlohmann::json sorts keys; the text order is checked by the exact-text tests above.
    EXPECT_EQ(keys,
              (std::vector<std::string>{"at", "id", "job_id", "payload", "thread_id", "type"}));
    EXPECT_EQ(env["id"], 100 + i);
    EXPECT_EQ(env["type"], e.type);
    EXPECT_DOUBLE_EQ(env["at"].get<double>(), 1795000000.5);
    EXPECT_TRUE(env["payload"].is_object());
    const bool about_thread = e.type.rfind("thread.", 0) == 0 || e.type.rfind("msg.", 0) == 0;
    if (about_thread) {
      EXPECT_EQ(env["thread_id"], kThread);
      EXPECT_TRUE(env["job_id"].is_null());
      EXPECT_EQ(env["payload"]["thread_id"], kThread);
    } else {
      EXPECT_TRUE(env["thread_id"].is_null());
      EXPECT_EQ(env["job_id"], kJob);
      EXPECT_EQ(env["payload"]["job_id"], kJob);
    }
  }
  // The preview survives the round trip: 150 three-byte characters, then 50 of the quoted text.
  const json msg_new = json::parse(events[1].payload_json);
  EXPECT_EQ(msg_new["preview"], Repeat("\xE6\x97\xA5", 150) + Repeat("\"q\"", 100).substr(0, 50));
}

// ---- The types filter ----------------------------------------------------------------------

TEST(TypeFilterTest, ExactAndPrefixPatterns) {
  EXPECT_TRUE(TypeMatches("msg.new", "msg.new"));
  EXPECT_FALSE(TypeMatches("msg.new", "msg.newer"));
  EXPECT_TRUE(TypeMatches("msg.*", "msg.new"));
  EXPECT_TRUE(TypeMatches("msg.*", "msg.handoff"));
  EXPECT_FALSE(TypeMatches("msg.*", "job.done"));
  EXPECT_FALSE(TypeMatches("msg.*", "msg."));
  EXPECT_FALSE(TypeMatches("msg.*", "msgs.new"));
  EXPECT_TRUE(TypeMatches("job.*", "job.cancelled"));
  EXPECT_FALSE(TypeMatches("job.*", "thread.new"));
}

TEST(TypeFilterTest, ListOfPatterns) {
  EXPECT_TRUE(TypesMatch({}, "anything"));
  EXPECT_TRUE(TypesMatch({"thread.new", "job.*"}, "job.done"));
  EXPECT_TRUE(TypesMatch({"thread.new", "job.*"}, "thread.new"));
  EXPECT_FALSE(TypesMatch({"thread.new", "job.*"}, "msg.stop"));
}

TEST(TypeFilterTest, ValidPatterns) {
  for (std::string_view type : kEventTypes) EXPECT_TRUE(IsValidTypePattern(type)) << type;
  EXPECT_TRUE(IsValidTypePattern("msg.*"));
  EXPECT_TRUE(IsValidTypePattern("job.*"));
  EXPECT_TRUE(IsValidTypePattern("thread.*"));
  EXPECT_FALSE(IsValidTypePattern(""));
  EXPECT_FALSE(IsValidTypePattern("*"));
  EXPECT_FALSE(IsValidTypePattern(".*"));
  EXPECT_FALSE(IsValidTypePattern("msg"));
  EXPECT_FALSE(IsValidTypePattern("msg."));
  EXPECT_FALSE(IsValidTypePattern("ms.*"));
  EXPECT_FALSE(IsValidTypePattern("msg.new.*"));
  EXPECT_FALSE(IsValidTypePattern("job.started"));
  EXPECT_FALSE(IsValidTypePattern("MSG.NEW"));
}

}  // namespace
}  // namespace sb::events
