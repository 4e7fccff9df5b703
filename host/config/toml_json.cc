#include "config/toml_json.h"

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace sb {
namespace {

std::string DateText(const toml::date& d) {
  std::ostringstream out;
  out << d;
  return out.str();
}

nlohmann::json ToJson(const toml::node& node) {
  if (auto* t = node.as_table()) {
    nlohmann::json obj = nlohmann::json::object();
    for (auto&& [key, value] : *t) obj[std::string(key.str())] = ToJson(value);
    return obj;
  }
  if (auto* a = node.as_array()) {
    nlohmann::json arr = nlohmann::json::array();
    for (auto&& value : *a) arr.push_back(ToJson(value));
    return arr;
  }
  if (auto* s = node.as_string()) return s->get();
  if (auto* i = node.as_integer()) return i->get();
  if (auto* f = node.as_floating_point()) return f->get();
  if (auto* b = node.as_boolean()) return b->get();
  if (auto* d = node.as_date()) return DateText(d->get());
  if (auto* t = node.as_time()) {
    std::ostringstream out;
    out << t->get();
    return out.str();
  }
  if (auto* dt = node.as_date_time()) {
    std::ostringstream out;
    out << dt->get();
    // toml++ prints "YYYY-MM-DDTHH:MM:SS[.fff][offset]", which is RFC 3339 (a local date-time
    // has no offset, as in TOML).
    return out.str();
  }
  return nullptr;
}

}  // namespace

std::string TomlTableToJson(const toml::table& table) {
  return ToJson(table).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sb
