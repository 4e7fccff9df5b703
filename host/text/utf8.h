// utf8.h — repairing, counting and cutting UTF-8 text by code points (TOOLS.md §1.6).
//
// Purpose: every length, cap and cut the tools apply counts Unicode code points and never splits a
// UTF-8 sequence, and invalid UTF-8 from a child process, a file or a store record becomes U+FFFD
// before it reaches a payload. Invalid input is decoded the way the Unicode standard recommends
// ("maximal subpart", as WHATWG and Python's `errors="replace"` do): each maximal prefix of a
// well-formed sequence that cannot be completed, and each stray byte, stands for one U+FFFD.
// Overlong forms, surrogates (U+D800–U+DFFF) and values above U+10FFFF are invalid. Every function
// here accepts invalid input and treats it the same way, so counting a text and counting its repair
// give the same number.
//
// Threads: pure functions; no shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sb {

inline constexpr char32_t kReplacementChar = 0xFFFD;
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// `text` with each invalid sequence replaced by U+FFFD (a copy of `text` when it is valid).
std::string RepairUtf8(std::string_view text);

// The number of code points in `text` (an invalid sequence counts as its one U+FFFD).
std::size_t CountCodePoints(std::string_view text);

// The longest prefix of `text` holding at most `max_code_points` code points; it never ends inside
// a sequence. The view points into `text`.
std::string_view CutToCodePoints(std::string_view text, std::size_t max_code_points);

// `text` itself when it has at most `max_code_points` code points; otherwise its first
// `max_code_points - 1` code points followed by "…", so the result never exceeds the limit.
std::string Abbreviate(std::string_view text, std::size_t max_code_points);

// The byte length of an incomplete but so far well-formed sequence at the very end of `text`
// (0 to 3), e.g. 2 for "ab\xE2\x82". A reader that stopped at a byte limit drops that tail rather
// than reporting it as invalid.
std::size_t IncompleteUtf8Tail(std::string_view text);

// True for the code points Python's str.isspace() accepts: ASCII whitespace, U+001C–U+001F,
// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
bool IsUnicodeSpace(char32_t c);

// `text` without leading and trailing IsUnicodeSpace code points. The view points into `text`.
std::string_view TrimUnicodeSpace(std::string_view text);

}  // namespace sb
