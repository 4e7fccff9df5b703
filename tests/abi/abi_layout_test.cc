// ABI layout checks (sdk/docs/ABI.md): the fixed offsets of the entry's first fields, every
// struct starting with struct_size, the version macros agreeing with the build, the status
// names, SB_HAS_SLOT and the caller-owned error's truncation.
#include <switchboard/abi.h>
#include <switchboard/router.h>
#include <switchboard/runner.h>
#include <switchboard/store.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

// The first three fields of the entry keep their offsets in every ABI (ABI-002).
static_assert(offsetof(sb_plugin_entry, struct_size) == 0);
static_assert(offsetof(sb_plugin_entry, abi_major) == 4);
static_assert(offsetof(sb_plugin_entry, abi_minor) == 8);
static_assert(offsetof(sb_component, struct_size) == 0);
static_assert(offsetof(sb_host_api, struct_size) == 0);
static_assert(offsetof(sb_create_args, struct_size) == 0);
static_assert(offsetof(sb_sink, struct_size) == 0);
static_assert(offsetof(sb_error, struct_size) == 0);
static_assert(offsetof(sb_run_callbacks, struct_size) == 0);
static_assert(offsetof(sb_runner_v1, struct_size) == 0);
static_assert(offsetof(sb_router_v1, struct_size) == 0);
static_assert(offsetof(sb_store_v1, struct_size) == 0);

TEST(AbiLayout, VersionMacrosMatchTheBuild) {
  EXPECT_EQ(std::to_string(SB_ABI_MAJOR) + "." + std::to_string(SB_ABI_MINOR),
            SB_CMAKE_ABI_VERSION);
  EXPECT_STREQ(SB_PLUGIN_ENTRY_SYMBOL, "sb_plugin_entry_v1");
}

// The layout of ABI 1.0 on LP64 is frozen: a change here breaks every built plugin.
TEST(AbiLayout, FrozenSizesOnLp64) {
  if (sizeof(void*) != 8) GTEST_SKIP() << "sizes are recorded for LP64 only";
  EXPECT_EQ(sizeof(sb_plugin_entry), 80u);
  EXPECT_EQ(sizeof(sb_component), 24u);
  EXPECT_EQ(sizeof(sb_host_api), 48u);
  EXPECT_EQ(sizeof(sb_create_args), 48u);
  EXPECT_EQ(sizeof(sb_sink), 24u);
  EXPECT_EQ(sizeof(sb_run_callbacks), 32u);
  EXPECT_EQ(sizeof(sb_runner_v1), 56u);
  EXPECT_EQ(sizeof(sb_router_v1), 48u);
  EXPECT_EQ(sizeof(sb_store_v1), 8u + 32u * 8u);
  EXPECT_EQ(sizeof(sb_error), 4u + 128u + 2048u);
}

TEST(AbiLayout, StoreTableHasOneSlotPerOperation) {
#define SB_COUNT(name) +1
  constexpr int kOps = 0 SB_STORE_V1_OPERATIONS(SB_COUNT);
#undef SB_COUNT
  EXPECT_EQ(kOps, 30);
  EXPECT_EQ(offsetof(sb_store_v1, job_create), offsetof(sb_store_v1, destroy) + sizeof(void*));
  EXPECT_EQ(offsetof(sb_store_v1, watch) + sizeof(void*), sizeof(sb_store_v1));
}

TEST(AbiLayout, StatusNames) {
  EXPECT_STREQ(sb_status_name(SB_OK), "ok");
  EXPECT_STREQ(sb_status_name(SB_NONE), "none");
  EXPECT_STREQ(sb_status_name(SB_INVALID_ID), "invalid_id");
  EXPECT_STREQ(sb_status_name(SB_CANCEL_REQUESTED), "cancel_requested");
  EXPECT_STREQ(sb_status_name(SB_ERROR), "error");
  EXPECT_STREQ(sb_status_name(-1), "unknown");
  EXPECT_STREQ(sb_status_name(SB_ERROR + 1), "unknown");
}

TEST(AbiLayout, HasSlotChecksStructSize) {
  sb_runner_v1 table{};
  table.struct_size = offsetof(sb_runner_v1, check_agent) + sizeof(void*);
  EXPECT_TRUE(SB_HAS_SLOT(&table, sb_runner_v1, check_agent));
  EXPECT_FALSE(SB_HAS_SLOT(&table, sb_runner_v1, probe));
  const sb_runner_v1* none = nullptr;
  EXPECT_FALSE(SB_HAS_SLOT(none, sb_runner_v1, run));
}

TEST(AbiLayout, ErrorSetTruncatesAtUtf8Boundary) {
  sb_error err;
  sb_error_init(&err);
  std::string long_text(SB_ERROR_MESSAGE_MAX - 2, 'a');
  long_text += "\xd0\x96\xd0\x96";  // two 2-byte characters crossing the end
  sb_error_set(&err, "field", long_text.c_str());
  size_t len = std::strlen(err.message);
  EXPECT_LT(len, static_cast<size_t>(SB_ERROR_MESSAGE_MAX));
  EXPECT_EQ(len,
            static_cast<size_t>(SB_ERROR_MESSAGE_MAX - 2));  // the cut character is dropped whole
  EXPECT_STREQ(err.field, "field");
  // A complete multi-byte character at the very end is kept.
  std::string exact(SB_ERROR_MESSAGE_MAX - 3, 'b');
  exact += "\xd0\x96";  // ends exactly at the last usable byte
  exact += "tail";
  sb_error_set(&err, "", exact.c_str());
  EXPECT_EQ(std::strlen(err.message), static_cast<size_t>(SB_ERROR_MESSAGE_MAX - 1));
  // A callee never writes into an error struct smaller than the 1.0 layout.
  sb_error small;
  sb_error_init(&small);
  small.struct_size = 8;
  sb_error_set(&small, "f", "m");
  EXPECT_EQ(small.message[0], '\0');
  sb_error_set(nullptr, "f", "m");  // harmless
}

}  // namespace
