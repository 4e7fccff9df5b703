#include "text/utf8.h"

namespace sb {
namespace {

enum class DecodeStatus { kOk, kInvalid, kTruncated };

struct Decoded {
  DecodeStatus status;
  char32_t code_point;  // U+FFFD unless kOk
  std::size_t length;   // bytes consumed (the maximal subpart when not kOk); at least 1
};

// Decodes the sequence starting at `text[pos]` (REQUIRES: pos < text.size()).
Decoded DecodeAt(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return {DecodeStatus::kOk, lead, 1};

  std::size_t length = 0;
  unsigned char second_lo = 0x80;
  unsigned char second_hi = 0xBF;
  char32_t value = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) second_lo = 0xA0;  // no overlong forms
    if (lead == 0xED) second_hi = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) second_lo = 0x90;  // no overlong forms
    if (lead == 0xF4) second_hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {DecodeStatus::kInvalid, kReplacementChar, 1};
  }

  for (std::size_t k = 1; k < length; ++k) {
    if (pos + k >= text.size()) return {DecodeStatus::kTruncated, kReplacementChar, k};
    const unsigned char b = byte(pos + k);
    const unsigned char lo = k == 1 ? second_lo : 0x80;
    const unsigned char hi = k == 1 ? second_hi : 0xBF;
    if (b < lo || b > hi) return {DecodeStatus::kInvalid, kReplacementChar, k};
    value = (value << 6) | (b & 0x3F);
  }
  return {DecodeStatus::kOk, value, length};
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded d = DecodeAt(text, pos);
    if (d.status != DecodeStatus::kOk) return false;
    pos += d.length;
  }
  return true;
}

std::string RepairUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded d = DecodeAt(text, pos);
    if (d.status == DecodeStatus::kOk) {
      out.append(text.substr(pos, d.length));
    } else {
      out.append(kReplacementUtf8);
    }
    pos += d.length;
  }
  return out;
}

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++count) pos += DecodeAt(text, pos).length;
  return count;
}

std::string_view CutToCodePoints(std::string_view text, std::size_t max_code_points) {
  std::size_t pos = 0;
  for (std::size_t count = 0; pos < text.size() && count < max_code_points; ++count) {
    pos += DecodeAt(text, pos).length;
  }
  return text.substr(0, pos);
}

std::string Abbreviate(std::string_view text, std::size_t max_code_points) {
  if (CutToCodePoints(text, max_code_points).size() == text.size()) return std::string(text);
  if (max_code_points == 0) return std::string();
  return std::string(CutToCodePoints(text, max_code_points - 1)) + "\u2026";
}

std::size_t IncompleteUtf8Tail(std::string_view text) {
  // A sequence is at most 4 bytes long, so an incomplete one starts in the last 3 bytes.
  const std::size_t from = text.size() > 3 ? text.size() - 3 : 0;
  for (std::size_t pos = from; pos < text.size(); ++pos) {
    const Decoded d = DecodeAt(text, pos);
    if (d.status == DecodeStatus::kTruncated) return text.size() - pos;
  }
  return 0;
}

bool IsUnicodeSpace(char32_t c) {
  if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) return true;
  if (c < 0x85) return false;
  switch (c) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

std::string_view TrimUnicodeSpace(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const Decoded d = DecodeAt(text, begin);
    if (d.status != DecodeStatus::kOk || !IsUnicodeSpace(d.code_point)) break;
    begin += d.length;
  }
  // Walk forward and remember where the last non-space code point ends.
  std::size_t end = begin;
  for (std::size_t pos = begin; pos < text.size();) {
    const Decoded d = DecodeAt(text, pos);
    pos += d.length;
    if (d.status != DecodeStatus::kOk || !IsUnicodeSpace(d.code_point)) end = pos;
  }
  return text.substr(begin, end - begin);
}

}  // namespace sb
