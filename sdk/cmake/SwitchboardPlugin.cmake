# switchboard_plugin(<target>): turns a MODULE library target into a Switchboard plugin.
#
# Sets the file name (<target>.so, no "lib" prefix), hidden visibility, a version script that
# exports only `sb_plugin_entry_v1`, -fno-gnu-unique (no STB_GNU_UNIQUE symbols escape) and
# -Wl,--no-undefined (a plugin must not depend on host symbols; skipped under sanitizers, whose
# runtimes live in the executable). Links Switchboard::sdk for the headers.
include_guard(GLOBAL)

set(_SWITCHBOARD_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/plugin-exports.map" CACHE INTERNAL
    "Version script of Switchboard plugins")

function(switchboard_plugin target)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${target}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(${target} PRIVATE Switchboard::sdk)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-gnu-unique>)
  endif()
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_SWITCHBOARD_PLUGIN_MAP}" "LINKER:--exclude-libs,ALL")
  if(NOT SWITCHBOARD_SANITIZE)
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
