#include "agents/comma_list.h"

#include <algorithm>
#include <set>

namespace sb {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void AddItem(std::vector<std::string>& items, std::string_view item) {
  item = TrimAscii(item);
  if (!item.empty()) items.emplace_back(item);
}

}  // namespace

std::string_view TrimAscii(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string> SplitCommaList(std::string_view text) {
  std::vector<std::string> items;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == ',' && depth == 0) {
      AddItem(items, text.substr(start, i - start));
      start = i + 1;
    }
  }
  AddItem(items, text.substr(start));
  return items;
}

std::vector<std::string> DedupeKeepFirst(std::vector<std::string> items) {
  std::set<std::string, std::less<>> seen;
  std::vector<std::string> out;
  out.reserve(items.size());
  for (auto& item : items) {
    if (seen.insert(item).second) out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::vector<std::string>> ParseListArgument(std::string_view text) {
  if (TrimAscii(text).empty()) return std::nullopt;
  return SplitCommaList(text);
}

bool IsNoneKeyword(std::string_view text) {
  text = TrimAscii(text);
  if (text.size() != 4) return false;
  return std::equal(text.begin(), text.end(), "none", [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}

}  // namespace sb
