// Tests of UTF-8 repair, counting and cutting (TOOLS.md §1.6). Expected repairs are those of
// Python's bytes.decode("utf-8", "replace"), which follows the Unicode "maximal subpart" practice.
#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

const std::string kFffd(kReplacementUtf8);

std::string Fffd(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kFffd;
  return out;
}

TEST(Utf8, ValidTextIsValidAndUnchanged) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";  // a é € 😀 z
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_EQ(RepairUtf8(text), text);
  EXPECT_EQ(CountCodePoints(text), 5u);
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF
}

TEST(Utf8, RepairUsesOneReplacementPerMaximalSubpart) {
  const std::pair<std::string, std::string> cases[] = {
      {"\xE2\x82x", kFffd + "x"},                               // truncated sequence
      {"\xF0\x80\x80", Fffd(3)},                                // overlong lead
      {"\xED\xA0\x80", Fffd(3)},                                // surrogate U+D800
      {"\xC0\xAF", Fffd(2)},                                    // overlong 2-byte
      {"\xF4\x90\x80\x80", Fffd(4)},                            // above U+10FFFF
      {"\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", Fffd(4) + "A"},  // Unicode's own example
      {"\xFF\xFE", Fffd(2)},                                    // T-050's bytes
      {"\x80", Fffd(1)},                                        // stray continuation
      {"a\xF0\x9F\x98", "a" + kFffd},                           // cut at the end
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_FALSE(IsValidUtf8(input));
    EXPECT_EQ(RepairUtf8(input), expected);
    EXPECT_TRUE(IsValidUtf8(RepairUtf8(input)));
    EXPECT_EQ(CountCodePoints(input), CountCodePoints(expected));
  }
}

TEST(Utf8, CutNeverSplitsASequence) {
  const std::string text = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // é € 😀
  EXPECT_EQ(CutToCodePoints(text, 0), "");
  EXPECT_EQ(CutToCodePoints(text, 1), "\xC3\xA9");
  EXPECT_EQ(CutToCodePoints(text, 2), "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(CutToCodePoints(text, 3), text);
  EXPECT_EQ(CutToCodePoints(text, 99), text);
  // An invalid subpart counts as one code point and is cut whole.
  EXPECT_EQ(CutToCodePoints("\xE2\x82z", 1), "\xE2\x82");
}

TEST(Utf8, IncompleteTail) {
  EXPECT_EQ(IncompleteUtf8Tail(""), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("abc"), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("ab\xC3\xA9"), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("ab\xC3"), 1u);
  EXPECT_EQ(IncompleteUtf8Tail("ab\xE2\x82"), 2u);
  EXPECT_EQ(IncompleteUtf8Tail("ab\xF0\x9F\x98"), 3u);
  EXPECT_EQ(IncompleteUtf8Tail("\xF0\x9F\x98"), 3u);
  EXPECT_EQ(IncompleteUtf8Tail("ab\xFF"), 0u);      // invalid, not incomplete
  EXPECT_EQ(IncompleteUtf8Tail("ab\xED\xA0"), 0u);  // a surrogate can never complete
}

TEST(Utf8, TrimUnicodeSpace) {
  EXPECT_EQ(TrimUnicodeSpace("  \t a b \r\n"), "a b");
  EXPECT_EQ(TrimUnicodeSpace("\xC2\xA0x\xE3\x80\x80"), "x");  // U+00A0, U+3000
  EXPECT_EQ(TrimUnicodeSpace(" \xE2\x80\xA8 "), "");          // U+2028 only
  EXPECT_EQ(TrimUnicodeSpace("\xC3\xA9"), "\xC3\xA9");
  EXPECT_EQ(TrimUnicodeSpace(" \xFF "), "\xFF");  // invalid bytes are not space
  EXPECT_TRUE(IsUnicodeSpace(U' '));
  EXPECT_TRUE(IsUnicodeSpace(0x85));
  EXPECT_TRUE(IsUnicodeSpace(0x200A));
  EXPECT_FALSE(IsUnicodeSpace(0x200B));  // zero-width space is not whitespace
  EXPECT_FALSE(IsUnicodeSpace(U'x'));
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Echoed client strings (MCP.md §2.3) and progress lines (§7) are abbreviated within their limit.
TEST(Utf8Test, AbbreviateKeepsWithinTheLimit) {
  EXPECT_EQ(Abbreviate("short", 10), "short");
  EXPECT_EQ(Abbreviate("exactly10!", 10), "exactly10!");
  EXPECT_EQ(Abbreviate("ÄÖÜäöü", 4), "ÄÖÜ…");
  EXPECT_EQ(CountCodePoints(Abbreviate(std::string(500, 'x'), 300)), 300u);
  EXPECT_EQ(Abbreviate("abc", 0), "");
}

}  // namespace
}  // namespace sb
