// Tests of "did you mean" suggestions (CLI.md §1.2, CLI-005).
#include "cli/suggest.h"

#include <gtest/gtest.h>

namespace sb::cli {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(EditDistance("list", "list"), 0u);
  EXPECT_EQ(EditDistance("lsit", "list"), 1u);  // transposition
  EXPECT_EQ(EditDistance("plugin", "plugins"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(Suggest, WithinTwo) {
  EXPECT_EQ(Suggest("plugnis", {"help", "plugins"}), "plugins");
  EXPECT_EQ(Suggest("hlep", {"help", "plugins"}), "help");
  EXPECT_FALSE(Suggest("frobnicate", {"help", "plugins"}).has_value());
}

}  // namespace
}  // namespace sb::cli
