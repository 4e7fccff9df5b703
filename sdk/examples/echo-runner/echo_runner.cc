// echo-runner: a minimal Switchboard runner plugin, the example of sdk/docs/writing-a-plugin.md.
//
// Every run answers {"agent": <agent.name>, "success": true, "result": <task>} from its run
// request, after one progress line. The one configuration key, `delay_ms` (an integer from 0 to
// 600000, default 0), makes each run wait that long before answering, so that a cancel has
// something to stop; a cancelled run returns no result. Any other key is refused, naming the key.
//
// The plugin uses no JSON library. The reader below only finds where each JSON value ends: the
// answer copies the request's string literals as written, escapes included, so nothing has to be
// decoded and the answer is valid JSON whatever the task contains.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/plugin.hpp"

namespace {

constexpr std::size_t kBad = std::string_view::npos;

std::size_t SkipSpace(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// `s[i]` is the opening quote of a string; returns the index just after its closing quote.
std::size_t SkipString(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // the escaped character never closes the string
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return kBad;
}

// Returns the index just after the JSON value that starts at `s[i]`, or kBad.
std::size_t SkipValue(std::string_view s, std::size_t i) {
  if (i >= s.size()) return kBad;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      if (s[i] == '"') {
        i = SkipString(s, i);
        if (i == kBad) return kBad;
        continue;
      }
      if (s[i] == '{' || s[i] == '[') ++depth;
      if ((s[i] == '}' || s[i] == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return kBad;
  }
  std::size_t end = i;  // a number, true, false or null
  while (end < s.size() && std::string_view(",}] \t\n\r").find(s[end]) == kBad) ++end;
  return end > i ? end : kBad;
}

// Calls fn(key, value) for each member of the JSON object `s`: `key` is the key without its
// quotes, `value` the member's JSON text. Returns false when `s` is not an object.
template <class Fn>
bool ForEachMember(std::string_view s, Fn&& fn) {
  std::size_t i = SkipSpace(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = SkipSpace(s, i + 1);
  if (i < s.size() && s[i] == '}') return SkipSpace(s, i + 1) == s.size();
  while (i < s.size() && s[i] == '"') {
    const std::size_t key_end = SkipString(s, i);
    if (key_end == kBad) return false;
    const std::string_view key = s.substr(i + 1, key_end - i - 2);
    i = SkipSpace(s, key_end);
    if (i >= s.size() || s[i] != ':') return false;
    i = SkipSpace(s, i + 1);
    const std::size_t value_end = SkipValue(s, i);
    if (value_end == kBad) return false;
    fn(key, s.substr(i, value_end - i));
    i = SkipSpace(s, value_end);
    if (i < s.size() && s[i] == '}') return SkipSpace(s, i + 1) == s.size();
    if (i >= s.size() || s[i] != ',') return false;
    i = SkipSpace(s, i + 1);
  }
  return false;
}

// The JSON text of member `key` of the object `s`, when `s` is an object that has it.
std::optional<std::string_view> Member(std::string_view s, std::string_view key) {
  std::optional<std::string_view> found;
  ForEachMember(s, [&](std::string_view k, std::string_view v) {
    if (k == key) found = v;
  });
  return found;
}

bool IsString(const std::optional<std::string_view>& json) {
  return json && json->size() >= 2 && json->front() == '"';
}

class EchoRunner : public sb::Runner {
 public:
  explicit EchoRunner(const sb::CreateArgs& args) {
    const bool is_object = ForEachMember(args.config_json, [this](std::string_view key,
                                                                  std::string_view value) {
      if (key != "delay_ms") {
        throw sb::Error(SB_INVALID_ARGUMENT, std::string(key),
                        "unknown key '" + std::string(key) +
                            "' in the [plugin.config] of echo-runner; remove it (the only key is "
                            "'delay_ms')");
      }
      delay_ms_ = ParseDelay(value);
    });
    if (!is_object) {
      throw sb::Error(SB_INVALID_ARGUMENT, "", "the config of echo-runner must be a JSON object");
    }
    args.host.Log(SB_LOG_DEBUG, "echo-runner", "delay_ms = " + std::to_string(delay_ms_));
  }

  std::optional<std::string> Run(std::string_view request, sb::RunControl& control) override {
    const std::optional<std::string_view> task = Member(request, "task");
    if (!IsString(task)) {
      throw sb::Error(SB_INVALID_ARGUMENT, "task", "the run request has no string 'task'");
    }
    const std::optional<std::string_view> agent = Member(request, "agent");
    const std::optional<std::string_view> name = agent ? Member(*agent, "name") : std::nullopt;
    if (!IsString(name)) {
      throw sb::Error(SB_INVALID_ARGUMENT, "agent.name",
                      "the run request has no string 'agent.name'");
    }

    control.Progress("echo-runner: echoing the task of " + std::string(*name));
    // Returns at once when a cancel came before or comes during the wait.
    if (control.WaitForStop(delay_ms_)) return std::nullopt;

    return "{\"agent\":" + std::string(*name) +
           ",\"success\":true,\"result\":" + std::string(*task) + "}";
  }

 private:
  static int64_t ParseDelay(std::string_view value) {
    int64_t ms = 0;
    for (char c : value) {
      if (c < '0' || c > '9' || ms > 600000) {
        ms = -1;
        break;
      }
      ms = ms * 10 + (c - '0');
    }
    if (value.empty() || ms < 0 || ms > 600000) {
      throw sb::Error(
          SB_INVALID_ARGUMENT, "delay_ms",
          "delay_ms must be an integer from 0 to 600000 (milliseconds), not " + std::string(value));
    }
    return ms;
  }

  int64_t delay_ms_ = 0;
};

}  // namespace

SB_RUNNER_PLUGIN(EchoRunner, "echo-runner", "1.0.0", "Apache-2.0",
                 "Answers every run with its own task.")
