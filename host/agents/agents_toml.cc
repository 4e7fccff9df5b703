#include "agents/agents_toml.h"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>

#include "agents/comma_list.h"
#include "config/toml_json.h"

namespace sb {

const std::string_view kAgentsTomlHeader =
    "# Switchboard agents and groups. Written by `switchboard` and the MCP tools;\n"
    "# editing by hand is fine. Rewrites keep every key but not comments.\n";

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kDoctorHint = "fix the file by hand, then check it with `switchboard doctor`";

// --- UTF-8 ---------------------------------------------------------------------------------

// Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // at most U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

// Offset of the first byte that does not start a valid UTF-8 sequence, or npos.
size_t FindInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

// `s` with every invalid sequence replaced by U+FFFD, so a written file always parses.
std::string SanitizeUtf8(std::string_view s) {
  if (FindInvalidUtf8(s) == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

// --- Writing TOML values ---------------------------------------------------------------------

bool IsBareKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void AppendEscaped(std::string& out, unsigned char c, bool multi_line) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += multi_line ? "\t" : "\\t";
      return;
    case '\n':
      out += multi_line ? "\n" : "\\n";
      return;
    default:
      break;
  }
  if (c < 0x20 || c == 0x7F) {
    out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
  } else {
    out += static_cast<char>(c);
  }
}

// A TOML basic string: "..." with the escapes TOML needs; non-ASCII written raw.
std::string BasicString(std::string_view text) {
  std::string clean = SanitizeUtf8(text);
  std::string out = "\"";
  for (char c : clean) AppendEscaped(out, static_cast<unsigned char>(c), false);
  out += '"';
  return out;
}

// A TOML multi-line basic string; the newline after the opening quotes is not part of the value.
std::string MultiLineString(std::string_view text) {
  std::string clean = SanitizeUtf8(text);
  std::string out = "\"\"\"\n";
  for (char c : clean) AppendEscaped(out, static_cast<unsigned char>(c), true);
  out += "\"\"\"";
  return out;
}

// A string at the level of a table section: multi-line when it holds a newline.
std::string SectionString(std::string_view text) {
  return text.find('\n') == std::string_view::npos ? BasicString(text) : MultiLineString(text);
}

std::string KeyPart(std::string_view key) {
  return IsBareKey(key) ? std::string(key) : BasicString(key);
}

std::string FormatFloat(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
  return text;
}

std::string StringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += BasicString(items[i]);
  }
  out += "]";
  return out;
}

template <class T>
std::string Streamed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Any TOML value on one line (arrays and tables inline).
std::string InlineValue(const toml::node& node) {
  if (const auto* s = node.as_string()) return BasicString(s->get());
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) return FormatFloat(f->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* d = node.as_date()) return Streamed(d->get());
  if (const auto* t = node.as_time()) return Streamed(t->get());
  if (const auto* dt = node.as_date_time()) return Streamed(dt->get());
  if (const auto* a = node.as_array()) {
    std::string out = "[";
    bool first = true;
    for (const auto& item : *a) {
      if (!first) out += ", ";
      first = false;
      out += InlineValue(item);
    }
    return out + "]";
  }
  if (const auto* t = node.as_table()) {
    if (t->empty()) return "{}";
    std::string out = "{ ";
    bool first = true;
    for (auto&& [key, value] : *t) {
      if (!first) out += ", ";
      first = false;
      out += KeyPart(key.str()) + " = " + InlineValue(value);
    }
    return out + " }";
  }
  return "\"\"";
}

// Accumulates the document; sections are separated by one blank line.
class Writer {
 public:
  void Section(const std::string& path) {
    if (!out_.empty()) out_ += "\n";
    out_ += "[" + path + "]\n";
  }
  void Raw(std::string_view text) { out_ += text; }
  void Key(std::string_view key, const std::string& value) {
    out_ += KeyPart(key);
    out_ += " = ";
    out_ += value;
    out_ += "\n";
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

std::string JoinPath(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? KeyPart(key) : prefix + "." + KeyPart(key);
}

// The non-table keys of `table`, one per line.
void EmitValues(Writer& w, const toml::table& table) {
  for (auto&& [key, value] : table) {
    if (value.is_table()) continue;
    if (const auto* s = value.as_string()) {
      w.Key(key.str(), SectionString(s->get()));
    } else {
      w.Key(key.str(), InlineValue(value));
    }
  }
}

void EmitSection(Writer& w, const toml::table& table, const std::string& path);

// The table-valued keys of `table`, each as a `[prefix.key]` section (recursively).
void EmitSubTables(Writer& w, const toml::table& table, const std::string& prefix) {
  for (auto&& [key, value] : table) {
    if (const auto* sub = value.as_table()) EmitSection(w, *sub, JoinPath(prefix, key.str()));
  }
}

// `[path]` with its values, then its sub-tables. A table that holds only sub-tables needs no
// header of its own (TOML creates it implicitly); an empty one does.
void EmitSection(Writer& w, const toml::table& table, const std::string& path) {
  bool has_values = false;
  bool has_tables = false;
  for (auto&& [key, value] : table) {
    (value.is_table() ? has_tables : has_values) = true;
  }
  if (has_values || !has_tables) w.Section(path);
  EmitValues(w, table);
  EmitSubTables(w, table, path);
}

// The canonical TOML document of `table` (values, then sections); independent of how the keys
// were written (inline or as sections), so a rewrite reproduces it exactly.
std::string CanonicalDocument(const toml::table& table) {
  if (table.empty()) return {};
  Writer w;
  EmitValues(w, table);
  EmitSubTables(w, table, "");
  return std::move(w.text());
}

// Parses an `extra_toml` document back; an unparseable one (built wrongly in code) is empty.
toml::table ParseExtra(const std::string& extra) {
  if (extra.empty()) return {};
  try {
    return toml::parse(std::string_view(extra), std::string_view("extra"));
  } catch (const toml::parse_error&) {
    return {};
  }
}

toml::table JsonObjectToToml(const json& object);

toml::array JsonArrayToToml(const json& array) {
  toml::array out;
  for (const auto& item : array) {
    switch (item.type()) {
      case json::value_t::object:
        out.push_back(JsonObjectToToml(item));
        break;
      case json::value_t::array:
        out.push_back(JsonArrayToToml(item));
        break;
      case json::value_t::string:
        out.push_back(item.get<std::string>());
        break;
      case json::value_t::boolean:
        out.push_back(item.get<bool>());
        break;
      case json::value_t::number_integer:
        out.push_back(item.get<int64_t>());
        break;
      case json::value_t::number_unsigned:
        if (item.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
          out.push_back(static_cast<int64_t>(item.get<uint64_t>()));
        } else {
          out.push_back(item.get<double>());
        }
        break;
      case json::value_t::number_float:
        out.push_back(item.get<double>());
        break;
      default:
        break;  // null and binary have no TOML form
    }
  }
  return out;
}

toml::table JsonObjectToToml(const json& object) {
  toml::table out;
  for (const auto& [key, item] : object.items()) {
    switch (item.type()) {
      case json::value_t::object:
        out.insert_or_assign(key, JsonObjectToToml(item));
        break;
      case json::value_t::array:
        out.insert_or_assign(key, JsonArrayToToml(item));
        break;
      case json::value_t::string:
        out.insert_or_assign(key, item.get<std::string>());
        break;
      case json::value_t::boolean:
        out.insert_or_assign(key, item.get<bool>());
        break;
      case json::value_t::number_integer:
        out.insert_or_assign(key, item.get<int64_t>());
        break;
      case json::value_t::number_unsigned:
        if (item.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
          out.insert_or_assign(key, static_cast<int64_t>(item.get<uint64_t>()));
        } else {
          out.insert_or_assign(key, item.get<double>());
        }
        break;
      case json::value_t::number_float:
        out.insert_or_assign(key, item.get<double>());
        break;
      default:
        break;
    }
  }
  return out;
}

void EmitAgent(Writer& w, const AgentProfile& a) {
  const std::string path = "agents." + KeyPart(a.name);
  w.Section(path);
  w.Key("directory", BasicString(a.directory));
  if (!a.description.empty()) w.Key("description", SectionString(a.description));
  if (a.runner != kDefaultRunner) w.Key("runner", BasicString(a.runner));
  if (a.timeout != 0) w.Key("timeout", std::to_string(a.timeout));
  if (a.model) w.Key("model", BasicString(*a.model));
  if (a.max_budget_usd && *a.max_budget_usd != 0) {
    w.Key("max_budget_usd", FormatFloat(*a.max_budget_usd));
  }
  if (a.permission_mode) w.Key("permission_mode", BasicString(*a.permission_mode));
  if (a.allowed_tools) w.Key("allowed_tools", StringArray(*a.allowed_tools));
  if (a.disallowed_tools) w.Key("disallowed_tools", StringArray(*a.disallowed_tools));
  if (!a.capabilities.empty()) w.Key("capabilities", StringArray(a.capabilities));
  if (!a.risky_capabilities.empty()) {
    w.Key("risky_capabilities", StringArray(a.risky_capabilities));
  }
  if (a.instructions) w.Key("instructions", SectionString(*a.instructions));
  toml::table extra = ParseExtra(a.extra_toml);
  EmitValues(w, extra);
  if (a.exec && a.exec->is_object()) EmitSection(w, JsonObjectToToml(*a.exec), path + ".exec");
  EmitSubTables(w, extra, path);
}

void EmitGroup(Writer& w, const Group& g) {
  const std::string path = "groups." + KeyPart(g.name);
  w.Section(path);
  if (!g.description.empty()) w.Key("description", SectionString(g.description));
  if (!g.shared_context.empty()) w.Key("shared_context", SectionString(g.shared_context));
  if (!g.members.empty()) {
    std::string members = "[\n";
    for (const auto& m : g.members) {
      members += "  { agent = " + BasicString(m.agent);
      if (!m.use_for.empty()) members += ", use_for = " + BasicString(m.use_for);
      toml::table extra = ParseExtra(m.extra_toml);
      for (auto&& [key, value] : extra) {
        members += ", " + KeyPart(key.str()) + " = " + InlineValue(value);
      }
      members += " },\n";
    }
    members += "]";
    w.Key("members", members);
  }
  toml::table extra = ParseExtra(g.extra_toml);
  EmitValues(w, extra);
  EmitSubTables(w, extra, path);
}

// --- Parsing ---------------------------------------------------------------------------------

const char* TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

class Parser {
 public:
  Parser(std::string file, fs::path base_dir) : file_(std::move(file)), base_(std::move(base_dir)) {
    config_.file = file_;
  }

  Result<AgentsConfig> Run(std::string_view text);

 private:
  Failure At(const toml::source_region& where, const std::string& message,
             std::string hint = kDoctorHint) const {
    return MakeFailure(
        "config_unreadable",
        fmt::format("{}:{}:{}: {}", file_, where.begin.line, where.begin.column, message),
        std::move(hint));
  }
  void Warn(const toml::source_region& where, const std::string& message) {
    config_.warnings.push_back(
        fmt::format("{}:{}:{}: {}", file_, where.begin.line, where.begin.column, message));
  }
  void Unknown(const toml::source_region& where, const std::string& key_path) {
    config_.unknown_keys.push_back(key_path);
    Warn(where, fmt::format("unknown key {} is ignored (it is kept when the file is rewritten)",
                            key_path));
  }

  Status ReadString(const toml::node& node, const std::string& path, std::string& out) const {
    const auto* s = node.as_string();
    if (s == nullptr) {
      return At(node.source(), fmt::format("{} must be a string, not {}", path, TypeName(node)));
    }
    out = s->get();
    return {};
  }
  Status ReadStringList(const toml::node& node, const std::string& path,
                        std::vector<std::string>& out) const {
    const auto* a = node.as_array();
    if (a == nullptr) {
      return At(node.source(),
                fmt::format("{} must be an array of strings, not {}", path, TypeName(node)));
    }
    out.clear();
    for (size_t i = 0; i < a->size(); ++i) {
      std::string item;
      if (auto st = ReadString(*a->get(i), fmt::format("{}[{}]", path, i), item); !st) return st;
      out.push_back(std::move(item));
    }
    return {};
  }
  // Turns a validation failure into a positioned config_unreadable one.
  Failure FromInvalid(const toml::source_region& where, const std::string& path,
                      const Failure& invalid) const {
    std::string message = invalid.message;
    // The validation messages start with the bare field; name the key path instead.
    if (!invalid.field.empty() && message.rfind(invalid.field, 0) == 0) {
      message = path + message.substr(invalid.field.size());
    } else {
      message = path + ": " + message;
    }
    return At(where, message);
  }

  Status ParseAgent(const std::string& name, const toml::table& table, AgentProfile& agent);
  Status ParseGroup(const std::string& name, const toml::table& table, Group& group);
  Status ParseMember(const std::string& path, const toml::node& node, GroupMember& member);
  Status ParseDirectory(const toml::node& node, const std::string& path, std::string& out) const;

  std::string file_;
  fs::path base_;
  AgentsConfig config_;
};

Status Parser::ParseDirectory(const toml::node& node, const std::string& path,
                              std::string& out) const {
  std::string value;
  if (auto st = ReadString(node, path, value); !st) return st;
  if (value.empty()) return At(node.source(), path + " must not be empty");
  auto expanded = ExpandHome(value, "directory");
  if (!expanded) return FromInvalid(node.source(), path, expanded.failure());
  fs::path p(*expanded);
  if (!p.is_absolute()) p = base_ / p;
  p = p.lexically_normal();
  std::string text = p.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  out = std::move(text);
  return {};
}

Status Parser::ParseAgent(const std::string& name, const toml::table& table, AgentProfile& agent) {
  const std::string path = "agents." + KeyPart(name);
  agent.name = name;
  agent.raw_table = json::parse(TomlTableToJson(table), nullptr, false);
  if (agent.raw_table.is_discarded()) agent.raw_table = json::object();
  toml::table extra;
  bool has_directory = false;
  for (auto&& [key, node] : table) {
    const std::string k(key.str());
    const std::string kp = path + "." + KeyPart(k);
    Status st;
    if (k == "directory") {
      st = ParseDirectory(node, kp, agent.directory);
      has_directory = true;
    } else if (k == "description") {
      st = ReadString(node, kp, agent.description);
    } else if (k == "runner") {
      st = ReadString(node, kp, agent.runner);
      if (st && agent.runner.empty()) agent.runner = std::string(kDefaultRunner);
    } else if (k == "timeout") {
      const auto* i = node.as_integer();
      if (i == nullptr) {
        st = At(node.source(), fmt::format("{} must be an integer from 0 to {} (seconds), not {}",
                                           kp, kMaxAgentTimeoutSeconds, TypeName(node)));
      } else if (i->get() < 0 || i->get() > kMaxAgentTimeoutSeconds) {
        st = At(node.source(), fmt::format("{} = {} is out of range: it must be from 0 to {} "
                                           "(seconds; 0 means the runner's default)",
                                           kp, i->get(), kMaxAgentTimeoutSeconds));
      } else {
        agent.timeout = i->get();
      }
    } else if (k == "model") {
      std::string value;
      st = ReadString(node, kp, value);
      if (st) st = CheckNotFlag("model", value);
      if (!st && st.failure().code == "invalid_argument") {
        st = FromInvalid(node.source(), kp, st.failure());
      }
      if (st && !value.empty()) agent.model = std::move(value);
    } else if (k == "max_budget_usd") {
      double value = 0;
      if (const auto* f = node.as_floating_point()) {
        value = f->get();
      } else if (const auto* i = node.as_integer()) {
        value = static_cast<double>(i->get());
      } else {
        st = At(node.source(), fmt::format("{} must be a number, not {}", kp, TypeName(node)));
      }
      if (st) {
        if (!std::isfinite(value)) {
          st = At(node.source(), fmt::format("{} must be a finite number, not {}", kp, value));
        } else if (value < 0) {
          st = At(node.source(),
                  fmt::format("{} = {} is negative: it must be 0 or more (0 means the runner's "
                              "default)",
                              kp, value));
        } else if (value > 0) {
          agent.max_budget_usd = value;
        }
      }
    } else if (k == "permission_mode") {
      std::string value;
      st = ReadString(node, kp, value);
      if (st && !TrimAscii(value).empty()) {
        std::vector<std::string> warnings;
        auto mode = NormalizePermissionMode(value, &warnings);
        if (!mode) {
          st = FromInvalid(node.source(), kp, mode.failure());
        } else {
          agent.permission_mode = *mode;
          for (const auto& warning : warnings) Warn(node.source(), kp + ": " + warning);
        }
      }
    } else if (k == "allowed_tools" || k == "disallowed_tools") {
      std::vector<std::string> tools;
      st = ReadStringList(node, kp, tools);
      if (st) {
        for (size_t i = 0; i < tools.size() && st; ++i) {
          if (auto flag = CheckNotFlag(k, tools[i]); !flag) {
            st = FromInvalid(node.as_array()->get(i)->source(), fmt::format("{}[{}]", kp, i),
                             flag.failure());
          }
        }
      }
      if (st) (k == "allowed_tools" ? agent.allowed_tools : agent.disallowed_tools) = tools;
    } else if (k == "capabilities") {
      st = ReadStringList(node, kp, agent.capabilities);
    } else if (k == "risky_capabilities") {
      st = ReadStringList(node, kp, agent.risky_capabilities);
    } else if (k == "instructions") {
      std::string value;
      st = ReadString(node, kp, value);
      if (st && !value.empty()) agent.instructions = std::move(value);
    } else if (k == "exec") {
      const auto* t = node.as_table();
      if (t == nullptr) {
        st = At(node.source(),
                fmt::format("{} must be a table ([{}]), not {}", kp, kp, TypeName(node)));
      } else {
        agent.exec = json::parse(TomlTableToJson(*t), nullptr, false);
        if (agent.exec->is_discarded()) agent.exec = json::object();
      }
    } else {
      extra.insert_or_assign(key, node);
      Unknown(key.source(), kp);
    }
    if (!st) return st;
  }
  if (!has_directory) {
    return At(table.source(), fmt::format("{}.directory is missing; every agent needs the "
                                          "directory it works in",
                                          path));
  }
  agent.extra_toml = CanonicalDocument(extra);
  return {};
}

Status Parser::ParseMember(const std::string& path, const toml::node& node, GroupMember& member) {
  const auto* t = node.as_table();
  if (t == nullptr) {
    return At(node.source(), fmt::format("{} must be a table like {{ agent = \"<name>\", use_for "
                                         "= \"...\" }}, not {}",
                                         path, TypeName(node)));
  }
  toml::table extra;
  bool has_agent = false;
  for (auto&& [key, value] : *t) {
    const std::string k(key.str());
    const std::string kp = path + "." + KeyPart(k);
    if (k == "agent") {
      if (auto st = ReadString(value, kp, member.agent); !st) return st;
      if (auto st = ValidateName(member.agent, "agent", "agent"); !st) {
        return FromInvalid(value.source(), kp, st.failure());
      }
      has_agent = true;
    } else if (k == "use_for") {
      if (auto st = ReadString(value, kp, member.use_for); !st) return st;
    } else {
      extra.insert_or_assign(key, value);
      Unknown(key.source(), kp);
    }
  }
  if (!has_agent) {
    return At(node.source(), fmt::format("{}.agent is missing; a member names its agent", path));
  }
  member.extra_toml = CanonicalDocument(extra);
  return {};
}

Status Parser::ParseGroup(const std::string& name, const toml::table& table, Group& group) {
  const std::string path = "groups." + KeyPart(name);
  group.name = name;
  toml::table extra;
  for (auto&& [key, node] : table) {
    const std::string k(key.str());
    const std::string kp = path + "." + KeyPart(k);
    if (k == "description") {
      if (auto st = ReadString(node, kp, group.description); !st) return st;
    } else if (k == "shared_context") {
      if (auto st = ReadString(node, kp, group.shared_context); !st) return st;
    } else if (k == "members") {
      const auto* a = node.as_array();
      if (a == nullptr) {
        return At(node.source(),
                  fmt::format("{} must be an array of tables, not {}", kp, TypeName(node)));
      }
      std::set<std::string, std::less<>> seen;
      for (size_t i = 0; i < a->size(); ++i) {
        const std::string mp = fmt::format("{}[{}]", kp, i);
        GroupMember member;
        if (auto st = ParseMember(mp, *a->get(i), member); !st) return st;
        if (!seen.insert(member.agent).second) {
          Warn(a->get(i)->source(),
               fmt::format("{}: agent \"{}\" is listed twice in group {}; the first entry counts",
                           mp, member.agent, name));
          continue;
        }
        group.members.push_back(std::move(member));
      }
    } else {
      extra.insert_or_assign(key, node);
      Unknown(key.source(), kp);
    }
  }
  group.extra_toml = CanonicalDocument(extra);
  return {};
}

Result<AgentsConfig> Parser::Run(std::string_view text) {
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < bad; ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      if (c == '\n') {
        ++line;
        column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column;
      }
    }
    return MakeFailure(
        "config_unreadable",
        fmt::format("{}:{}:{}: the file is not valid UTF-8 (byte 0x{:02X}); re-save it as UTF-8",
                    file_, line, column,
                    static_cast<unsigned>(static_cast<unsigned char>(text[bad]))),
        "open the file in an editor, save it with the UTF-8 encoding, then check it with "
        "`switchboard doctor`");
  }
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(file_));
  } catch (const toml::parse_error& e) {
    return MakeFailure("config_unreadable",
                       fmt::format("{}:{}:{}: {}", file_, e.source().begin.line,
                                   e.source().begin.column, e.description()),
                       kDoctorHint);
  }
  toml::table extra;
  for (auto&& [key, node] : root) {
    const std::string k(key.str());
    if (k == "agents" || k == "groups") {
      const bool agents = k == "agents";
      const auto* t = node.as_table();
      if (t == nullptr) {
        return At(node.source(), fmt::format("{} must be a table of {} ([{}.<name>]), not {}", k,
                                             agents ? "agents" : "groups", k, TypeName(node)));
      }
      for (auto&& [entry_key, entry] : *t) {
        const std::string name(entry_key.str());
        const std::string path = k + "." + KeyPart(name);
        if (auto st = ValidateName(name, path, agents ? "agent" : "group"); !st) {
          return At(entry_key.source(), st.failure().message);
        }
        const auto* table = entry.as_table();
        if (table == nullptr) {
          return At(entry.source(),
                    fmt::format("{} must be a table ([{}]), not {}", path, path, TypeName(entry)));
        }
        if (agents) {
          AgentProfile agent;
          if (auto st = ParseAgent(name, *table, agent); !st) return st.failure();
          config_.agents.emplace(name, std::move(agent));
        } else {
          Group group;
          if (auto st = ParseGroup(name, *table, group); !st) return st.failure();
          config_.groups.emplace(name, std::move(group));
        }
      }
    } else {
      extra.insert_or_assign(key, node);
      Unknown(key.source(), KeyPart(k));
    }
  }
  config_.extra_toml = CanonicalDocument(extra);
  return std::move(config_);
}

}  // namespace

Result<AgentsConfig> ParseAgentsToml(std::string_view text, const fs::path& file_path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(file_path, ec);
  if (ec) absolute = file_path;
  Parser parser(file_path.string(), absolute.parent_path());
  return parser.Run(text);
}

std::string SerializeAgentsToml(const AgentsConfig& config) {
  Writer w;
  w.Raw(kAgentsTomlHeader);
  toml::table extra = ParseExtra(config.extra_toml);
  bool has_values = false;
  for (auto&& [key, value] : extra) has_values = has_values || !value.is_table();
  if (has_values) {
    w.Raw("\n");
    EmitValues(w, extra);
  }
  for (const auto& [name, agent] : config.agents) EmitAgent(w, agent);
  for (const auto& [name, group] : config.groups) EmitGroup(w, group);
  EmitSubTables(w, extra, "");
  return std::move(w.text());
}

}  // namespace sb
