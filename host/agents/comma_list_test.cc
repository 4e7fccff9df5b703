// Tests of the comma-list arguments (TOOLS §2.3; cases T-081, T-088, T-092, T-093).
#include "agents/comma_list.h"

#include <gtest/gtest.h>

namespace sb {
namespace {

using Items = std::vector<std::string>;

// T-081: items are trimmed and empty items dropped; capabilities are de-duplicated.
TEST(CommaListTest, T081TrimDropEmptyDedupe) {
  EXPECT_EQ(SplitCommaList("Bash, Read ,"), (Items{"Bash", "Read"}));
  EXPECT_EQ(DedupeKeepFirst(SplitCommaList("docker_logs,docker_logs, deploy")),
            (Items{"docker_logs", "deploy"}));
  EXPECT_EQ(DedupeKeepFirst({"b", "a", "b", "c", "a"}), (Items{"b", "a", "c"}));
}

// T-088: commas inside parentheses do not split.
TEST(CommaListTest, T088ParenthesesKeepOneItem) {
  EXPECT_EQ(SplitCommaList("Bash(git add, git commit),Read"),
            (Items{"Bash(git add, git commit)", "Read"}));
  EXPECT_EQ(SplitCommaList("A(x, (y, z)), B"), (Items{"A(x, (y, z))", "B"}));
  // A stray ')' does not make the depth negative.
  EXPECT_EQ(SplitCommaList("a), b"), (Items{"a)", "b"}));
}

// "," is an explicit empty list; "" is "not given".
TEST(CommaListTest, ExplicitEmptyVersusNotGiven) {
  EXPECT_EQ(SplitCommaList(","), Items{});
  EXPECT_EQ(SplitCommaList(""), Items{});
  EXPECT_FALSE(ParseListArgument("").has_value());
  EXPECT_FALSE(ParseListArgument("  ").has_value());
  ASSERT_TRUE(ParseListArgument(",").has_value());
  EXPECT_TRUE(ParseListArgument(",")->empty());
  EXPECT_EQ(*ParseListArgument(" Read "), Items{"Read"});
}

// T-092/T-093: "none" in any case, trimmed.
TEST(CommaListTest, T092NoneKeyword) {
  EXPECT_TRUE(IsNoneKeyword("none"));
  EXPECT_TRUE(IsNoneKeyword(" NONE "));
  EXPECT_TRUE(IsNoneKeyword("None"));
  EXPECT_FALSE(IsNoneKeyword("nonee"));
  EXPECT_FALSE(IsNoneKeyword(""));
  EXPECT_EQ(TrimAscii(" \t x y\n"), "x y");
}

}  // namespace
}  // namespace sb
