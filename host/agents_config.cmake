# The agents.toml model, its TOML reader/writer and the live repository (TOOLS §2), plus the
# fault-injection seam their error paths use (ARCHITECTURE §12.8). Included from
# host/CMakeLists.txt after sb_host is defined.
target_sources(sb_host PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/agents/agent_profile.cc
  ${CMAKE_CURRENT_LIST_DIR}/agents/agents_repository.cc
  ${CMAKE_CURRENT_LIST_DIR}/agents/agents_toml.cc
  ${CMAKE_CURRENT_LIST_DIR}/agents/comma_list.cc
  ${CMAKE_CURRENT_LIST_DIR}/testing/faults.cc)

if(SWITCHBOARD_BUILD_TESTS)
  add_executable(host_agents_tests
    ${CMAKE_CURRENT_LIST_DIR}/agents/agent_profile_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/agents/agents_repository_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/agents/agents_toml_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/agents/comma_list_test.cc)
  target_link_libraries(host_agents_tests
    PRIVATE sb_host GTest::gtest_main Threads::Threads sb_warnings)
  target_include_directories(host_agents_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  gtest_discover_tests(host_agents_tests DISCOVERY_MODE PRE_TEST PROPERTIES LABELS concurrency)
endif()
