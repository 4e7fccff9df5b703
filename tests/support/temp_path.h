// temp_path.h — where a test keeps its files: $TMPDIR/<prefix>-<pid>-<test name>. The process id
// keeps two suites (or two builds' suites) running at the same time apart; the test name keeps
// the tests of one process apart. Creates and removes nothing: fixtures do that.
//
// Threads: reads the current test's name; call from the test thread.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace sb::test {

inline std::filesystem::path TempPath(const std::string& prefix) {
  std::string name = prefix + "-" + std::to_string(::getpid());
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name += std::string("-") + info->name();
  }
  return std::filesystem::temp_directory_path() / name;
}

}  // namespace sb::test
