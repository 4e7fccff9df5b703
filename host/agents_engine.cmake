# Agent detection, the result cache and what they need (UTF-8 text handling, SHA-256).
# Included from host/CMakeLists.txt after sb_host is defined.
target_sources(sb_host PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/agents/detection.cc
  ${CMAKE_CURRENT_LIST_DIR}/crypto/sha256.cc
  ${CMAKE_CURRENT_LIST_DIR}/engine/result_cache.cc
  ${CMAKE_CURRENT_LIST_DIR}/text/utf8.cc)

if(SWITCHBOARD_BUILD_TESTS)
  add_executable(host_engine_tests
    ${CMAKE_CURRENT_LIST_DIR}/agents/detection_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/crypto/sha256_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/engine/result_cache_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/text/utf8_test.cc)
  target_link_libraries(host_engine_tests PRIVATE sb_host GTest::gtest_main sb_warnings)
  target_include_directories(host_engine_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  gtest_discover_tests(host_engine_tests DISCOVERY_MODE PRE_TEST PROPERTIES LABELS concurrency)
endif()
