# Tests of switchboard/event_envelope.hpp. Included from sdk/tests/CMakeLists.txt.
add_executable(event_envelope_test ${CMAKE_CURRENT_LIST_DIR}/event_envelope_test.cc)
target_link_libraries(event_envelope_test PRIVATE Switchboard::sdk GTest::gtest_main
                                                  nlohmann_json::nlohmann_json sb_warnings)
gtest_discover_tests(event_envelope_test TEST_PREFIX "event_envelope.")

# The helpers promise plain C++17 with the standard library only (ARCHITECTURE.md §11.7): check the
# header alone with the host compiler in C++17 mode and with clang++-14 + libc++ (syntax only).
set(_sb_envelope_check -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Werror
                       -I${CMAKE_CURRENT_LIST_DIR}/../include
                       -x c++ ${CMAKE_CURRENT_LIST_DIR}/../include/switchboard/event_envelope.hpp)

add_test(NAME event_envelope_cxx17_host COMMAND ${CMAKE_CXX_COMPILER} ${_sb_envelope_check})

find_program(SB_CLANGXX_14 clang++-14)
if(SB_CLANGXX_14)
  add_test(NAME event_envelope_cxx17_libcxx
           COMMAND ${SB_CLANGXX_14} -stdlib=libc++ ${_sb_envelope_check})
else()
  add_test(NAME event_envelope_cxx17_libcxx
           COMMAND sh -c "echo 'SKIPPED: clang++-14 not found; install clang-14 and libc++-14-dev'; exit 77")
  set_tests_properties(event_envelope_cxx17_libcxx PROPERTIES SKIP_RETURN_CODE 77)
endif()
