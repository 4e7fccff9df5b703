// switchboard/event_envelope.hpp — the one builder of event envelopes and payloads.
//
// Purpose: every store writes the events of MESSAGES.md §5.2 with these functions and never
// composes an envelope or a payload by hand (JOBS.md §5.1, §5.16), so the same change gives the
// same event, apart from `id` and `at`, in every store. A store calls one builder per change
// (ThreadNew, MsgNew, ..., JobCancelled), keeps the returned Event inside the same atomic step as
// the change, and turns it into the stored text with Envelope(id, at, event) once it has allocated
// the event id. The header also holds the JSON string escaper and number formats it uses, and the
// matcher of the `types` filter of `events_since` (MESSAGES.md §5.5).
//
// Output format (fixed; the store conformance suite compares against it): compact JSON, no
// whitespace, keys in the order of MESSAGES.md §5.1–§5.2, optional payload keys omitted when
// absent. Strings are escaped by AppendJsonString; `at` is formatted by FormatTime. The envelope's
// `thread_id` is set for thread.new and msg.* and null for job.*; its `job_id` is set for job.* and
// null otherwise (a bridged job's thread appears only as its payload's `conversation_id`).
//
// Ownership: every function takes borrowed views, copies what it needs and returns values; nothing
// refers to its arguments after it returns. Threads: the functions are pure and hold no state, so
// any thread may call any of them at any time.
//
// Requirements: C++17 and the standard library only (g++ 12 / libstdc++, clang 14 / libc++).
#ifndef SWITCHBOARD_EVENT_ENVELOPE_HPP
#define SWITCHBOARD_EVENT_ENVELOPE_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::events {

// ---- JSON text -----------------------------------------------------------------------------

namespace detail {

// Decodes the UTF-8 sequence starting at `s[i]`. Returns its length (1–4) and stores the code
// point in `*cp`, or returns 0 when the bytes at `i` do not start a well-formed sequence
// (overlong forms, surrogates, values above U+10FFFF, stray or missing continuation bytes).
// REQUIRES: i < s.size().
inline std::size_t DecodeUtf8(std::string_view s, std::size_t i, std::uint32_t* cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t value = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    value = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    value = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    value = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    value = (value << 6) | (b & 0x3Fu);
  }
  *cp = value;
  return len;
}

inline void AppendUnicodeEscape(std::string& out, std::uint32_t cp) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\u00";
  out += kHex[(cp >> 4) & 0xF];
  out += kHex[cp & 0xF];
}

}  // namespace detail

// Appends `s` to `out` as a JSON string literal, quotes included:
// * `"` and `\` are escaped with a backslash;
// * control characters (U+0000–U+001F, U+007F and U+0080–U+009F) are written as \u00XX with
//   lowercase hex digits; no short forms such as \n are used, so each input has one output;
// * every other well-formed UTF-8 sequence is copied raw (no \u escapes for non-ASCII text);
// * each byte that does not start a well-formed UTF-8 sequence is replaced by U+FFFD (written raw),
//   so the output is always valid UTF-8 and valid JSON.
inline void AppendJsonString(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    std::uint32_t cp = 0;
    const std::size_t len = detail::DecodeUtf8(s, i, &cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (cp == '"') {
      out += "\\\"";
    } else if (cp == '\\') {
      out += "\\\\";
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      detail::AppendUnicodeEscape(out, cp);
    } else {
      out.append(s.data() + i, len);
    }
    i += len;
  }
  out += '"';
}

// `s` as a JSON string literal (see AppendJsonString).
inline std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

// Formats a time in Unix seconds as a JSON number with millisecond precision: the value is rounded
// to the nearest millisecond (std::llround(at * 1000)), then written as the integer seconds, a dot
// and one to three fractional digits without trailing zeros, always keeping at least one:
// 1795000000.5 -> "1795000000.5", 1795000000.25 -> "1795000000.25", 1795000000 -> "1795000000.0",
// 1795000000.1234 -> "1795000000.123", -1.5 -> "-1.5". This is the text nlohmann::json writes for
// the same value once rounded to milliseconds. A value that is not finite or whose millisecond
// count does not fit in int64 is written as "null".
inline std::string FormatTime(double at) {
  if (!std::isfinite(at) || std::fabs(at) >= 9.2e15) return "null";
  const long long total_ms = std::llround(at * 1000.0);
  const bool negative = total_ms < 0;
  const unsigned long long abs_ms = negative ? 0ull - static_cast<unsigned long long>(total_ms)
                                             : static_cast<unsigned long long>(total_ms);
  std::string out = negative ? "-" : "";
  out += std::to_string(abs_ms / 1000);
  out += '.';
  unsigned frac = static_cast<unsigned>(abs_ms % 1000);
  char digits[3] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                    static_cast<char>('0' + frac % 10)};
  std::size_t keep = 3;
  while (keep > 1 && digits[keep - 1] == '0') --keep;
  out.append(digits, keep);
  return out;
}

// ---- Events --------------------------------------------------------------------------------

// The number of characters (Unicode code points) `msg.new` keeps of a message's content.
inline constexpr std::size_t kPreviewCodePoints = 200;

// The first `max_code_points` code points of `content`, cut only between code points, never inside
// a UTF-8 sequence. A byte that is not part of a well-formed sequence counts as one code point (the
// escaper writes it as U+FFFD).
inline std::string Preview(std::string_view content,
                           std::size_t max_code_points = kPreviewCodePoints) {
  std::size_t i = 0;
  for (std::size_t n = 0; n < max_code_points && i < content.size(); ++n) {
    std::uint32_t cp = 0;
    const std::size_t len = detail::DecodeUtf8(content, i, &cp);
    i += len == 0 ? 1 : len;
  }
  return std::string(content.substr(0, i));
}

// One event before it has an id and a time: what a builder returns and a store keeps until it
// writes the envelope.
struct Event {
  std::string type;                      // e.g. "msg.handoff"
  std::optional<std::string> thread_id;  // the envelope's thread_id; null when not about a thread
  std::optional<std::string> job_id;     // the envelope's job_id; null when not about a job
  std::string payload_json;              // the payload object, serialized
  // Not part of the envelope: the name the `for_agent` filter of events_since compares with
  // (MESSAGES.md §5.5): `to_agent` of msg.handoff, and the agent of job.* events whose payload
  // names one (`agent`, or `agent_name` of job.claimed). Stores that index events may keep it as a
  // column.
  std::optional<std::string> filter_agent;
};

// The stored text of an event:
// {"id":<id>,"type":"<type>","at":<FormatTime(at)>,"thread_id":<string|null>,
//  "job_id":<string|null>,"payload":<payload_json>}
// REQUIRES: event.payload_json is a JSON object (what the builders below return).
inline std::string Envelope(std::int64_t id, double at, const Event& event) {
  std::string out;
  out.reserve(event.payload_json.size() + 160);
  out += "{\"id\":";
  out += std::to_string(id);
  out += ",\"type\":";
  AppendJsonString(out, event.type);
  out += ",\"at\":";
  out += FormatTime(at);
  out += ",\"thread_id\":";
  if (event.thread_id) {
    AppendJsonString(out, *event.thread_id);
  } else {
    out += "null";
  }
  out += ",\"job_id\":";
  if (event.job_id) {
    AppendJsonString(out, *event.job_id);
  } else {
    out += "null";
  }
  out += ",\"payload\":";
  out += event.payload_json.empty() ? std::string("{}") : event.payload_json;
  out += '}';
  return out;
}

namespace detail {

// Builds a payload object member by member, in call order.
class ObjectWriter {
 public:
  ObjectWriter() : text_("{") {}
  ObjectWriter& String(std::string_view key, std::string_view value) {
    Key(key);
    AppendJsonString(text_, value);
    return *this;
  }
  ObjectWriter& OptionalString(std::string_view key, const std::optional<std::string_view>& value) {
    if (value) String(key, *value);
    return *this;
  }
  ObjectWriter& Int(std::string_view key, std::int64_t value) {
    Key(key);
    text_ += std::to_string(value);
    return *this;
  }
  ObjectWriter& Bool(std::string_view key, bool value) {
    Key(key);
    text_ += value ? "true" : "false";
    return *this;
  }
  // `json` is written verbatim; an empty view is written as null.
  ObjectWriter& Raw(std::string_view key, std::string_view json) {
    Key(key);
    if (json.empty()) {
      text_ += "null";
    } else {
      text_.append(json.data(), json.size());
    }
    return *this;
  }
  std::string Finish() {
    text_ += '}';
    return std::move(text_);
  }

 private:
  void Key(std::string_view key) {
    if (text_.size() > 1) text_ += ',';
    AppendJsonString(text_, key);
    text_ += ':';
  }
  std::string text_;
};

inline Event MakeEvent(std::string type, std::optional<std::string> thread_id,
                       std::optional<std::string> job_id, std::string payload,
                       std::optional<std::string> filter_agent = std::nullopt) {
  Event e;
  e.type = std::move(type);
  e.thread_id = std::move(thread_id);
  e.job_id = std::move(job_id);
  e.payload_json = std::move(payload);
  e.filter_agent = std::move(filter_agent);
  return e;
}

inline std::optional<std::string> ToOptionalString(const std::optional<std::string_view>& v) {
  if (!v) return std::nullopt;
  return std::string(*v);
}

}  // namespace detail

// The facts of one posted message that the msg.* events carry (MESSAGES.md §3.1).
struct MessageFacts {
  std::string_view msg_id;
  std::string_view thread_id;
  std::int64_t seq = 0;
  std::string_view author;
  std::string_view role;      // "user", "assistant" or "system"
  std::string_view content;   // the full content; MsgNew keeps its Preview
  bool has_metadata = false;  // true when the stored metadata is an object, false when null
};

// thread.new — a thread was created. Payload {thread_id, topic}.
inline Event ThreadNew(std::string_view thread_id, std::string_view topic) {
  return detail::MakeEvent(
      "thread.new", std::string(thread_id), std::nullopt,
      detail::ObjectWriter().String("thread_id", thread_id).String("topic", topic).Finish());
}

// msg.new — any message was posted.
// Payload {msg_id, thread_id, seq, author, role, preview, has_metadata}.
inline Event MsgNew(const MessageFacts& m) {
  return detail::MakeEvent("msg.new", std::string(m.thread_id), std::nullopt,
                           detail::ObjectWriter()
                               .String("msg_id", m.msg_id)
                               .String("thread_id", m.thread_id)
                               .Int("seq", m.seq)
                               .String("author", m.author)
                               .String("role", m.role)
                               .String("preview", Preview(m.content))
                               .Bool("has_metadata", m.has_metadata)
                               .Finish());
}

// msg.handoff — the message has a non-empty handoff_target (`to_agent`, as given).
// Payload {msg_id, thread_id, seq, from_agent, to_agent}; from_agent is the author.
inline Event MsgHandoff(const MessageFacts& m, std::string_view to_agent) {
  return detail::MakeEvent("msg.handoff", std::string(m.thread_id), std::nullopt,
                           detail::ObjectWriter()
                               .String("msg_id", m.msg_id)
                               .String("thread_id", m.thread_id)
                               .Int("seq", m.seq)
                               .String("from_agent", m.author)
                               .String("to_agent", to_agent)
                               .Finish(),
                           std::string(to_agent));
}

// msg.stop — the message has a non-empty stop_reason (`reason`).
// Payload {msg_id, thread_id, seq, agent, reason}; agent is the author.
inline Event MsgStop(const MessageFacts& m, std::string_view reason) {
  return detail::MakeEvent("msg.stop", std::string(m.thread_id), std::nullopt,
                           detail::ObjectWriter()
                               .String("msg_id", m.msg_id)
                               .String("thread_id", m.thread_id)
                               .Int("seq", m.seq)
                               .String("agent", m.author)
                               .String("reason", reason)
                               .Finish());
}

// job.created — a job was enqueued (any source). `routing_json` is the job's stored routing
// object, already serialized; it is copied verbatim (an empty view is written as null).
// Payload {job_id, agent?, source, routing, conversation_id?}.
inline Event JobCreated(std::string_view job_id, std::optional<std::string_view> agent,
                        std::string_view source, std::string_view routing_json,
                        std::optional<std::string_view> conversation_id = std::nullopt) {
  return detail::MakeEvent("job.created", std::nullopt, std::string(job_id),
                           detail::ObjectWriter()
                               .String("job_id", job_id)
                               .OptionalString("agent", agent)
                               .String("source", source)
                               .Raw("routing", routing_json)
                               .OptionalString("conversation_id", conversation_id)
                               .Finish(),
                           detail::ToOptionalString(agent));
}

// job.claimed — a claim succeeded. `agent_name` is the claiming identity's name.
// Payload {job_id, worker_id, agent_name, attempt}.
inline Event JobClaimed(std::string_view job_id, std::string_view worker_id,
                        std::string_view agent_name, std::int64_t attempt) {
  return detail::MakeEvent("job.claimed", std::nullopt, std::string(job_id),
                           detail::ObjectWriter()
                               .String("job_id", job_id)
                               .String("worker_id", worker_id)
                               .String("agent_name", agent_name)
                               .Int("attempt", attempt)
                               .Finish(),
                           std::string(agent_name));
}

// job.requeued — lease reclaim put the job back to pending. Payload {job_id, attempt, reason}.
inline Event JobRequeued(std::string_view job_id, std::int64_t attempt, std::string_view reason) {
  return detail::MakeEvent("job.requeued", std::nullopt, std::string(job_id),
                           detail::ObjectWriter()
                               .String("job_id", job_id)
                               .Int("attempt", attempt)
                               .String("reason", reason)
                               .Finish());
}

// job.done — the job ended `done`. Payload {job_id, agent}.
inline Event JobDone(std::string_view job_id, std::string_view agent) {
  return detail::MakeEvent(
      "job.done", std::nullopt, std::string(job_id),
      detail::ObjectWriter().String("job_id", job_id).String("agent", agent).Finish(),
      std::string(agent));
}

// job.failed — the job ended `failed` (a failed run, deadline, lost lease, interruption).
// `reason` is the job's error text. Payload {job_id, agent?, error_type, reason}.
inline Event JobFailed(std::string_view job_id, std::optional<std::string_view> agent,
                       std::string_view error_type, std::string_view reason) {
  return detail::MakeEvent("job.failed", std::nullopt, std::string(job_id),
                           detail::ObjectWriter()
                               .String("job_id", job_id)
                               .OptionalString("agent", agent)
                               .String("error_type", error_type)
                               .String("reason", reason)
                               .Finish(),
                           detail::ToOptionalString(agent));
}

// job.cancelled — the job ended `cancelled`. Payload {job_id, agent?}.
inline Event JobCancelled(std::string_view job_id, std::optional<std::string_view> agent) {
  return detail::MakeEvent(
      "job.cancelled", std::nullopt, std::string(job_id),
      detail::ObjectWriter().String("job_id", job_id).OptionalString("agent", agent).Finish(),
      detail::ToOptionalString(agent));
}

// ---- The `types` filter of events_since ----------------------------------------------------

// Every event type of ABI 1, in the order of MESSAGES.md §5.2.
inline constexpr std::string_view kEventTypes[] = {
    "thread.new",  "msg.new",      "msg.handoff", "msg.stop",   "job.created",
    "job.claimed", "job.requeued", "job.done",    "job.failed", "job.cancelled"};

// True when `pattern` may appear in a `types` filter: an exact type of kEventTypes, or a prefix
// pattern "<family>.*" where some type starts with "<family>." ("msg.*", "job.*", "thread.*").
inline bool IsValidTypePattern(std::string_view pattern) {
  const bool is_prefix = pattern.size() > 2 && pattern.substr(pattern.size() - 2) == ".*";
  const std::string_view stem = is_prefix ? pattern.substr(0, pattern.size() - 1) : pattern;
  for (std::string_view type : kEventTypes) {
    if (is_prefix ? type.substr(0, stem.size()) == stem : type == pattern) return true;
  }
  return false;
}

// True when `type` matches one pattern: equal to it, or, for "<family>.*", starting with
// "<family>." ("msg.*" matches "msg.new", not "msg" nor "msgs.new").
inline bool TypeMatches(std::string_view pattern, std::string_view type) {
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*") {
    const std::string_view stem = pattern.substr(0, pattern.size() - 1);  // keeps the dot
    return type.size() > stem.size() && type.substr(0, stem.size()) == stem;
  }
  return type == pattern;
}

// The `types` filter: true when `patterns` is empty (no filter) or any pattern matches `type`.
inline bool TypesMatch(const std::vector<std::string>& patterns, std::string_view type) {
  if (patterns.empty()) return true;
  for (const std::string& p : patterns) {
    if (TypeMatches(p, type)) return true;
  }
  return false;
}

}  // namespace sb::events

#endif  // SWITCHBOARD_EVENT_ENVELOPE_HPP
