# The installed SDK builds a plugin out of tree (ARCHITECTURE.md §11.15).
#
# Installs the SDK of a build tree into a fresh prefix, configures and builds
# sdk/examples/echo-runner against that prefix only (the example of sdk/docs/writing-a-plugin.md),
# and checks the plugin it produces: the file exists, its dynamic symbol table defines exactly
# `sb_plugin_entry_v1`, and, when a switchboard executable is given, `switchboard plugins check`
# passes on it and refuses an unknown config key.
#
#   cmake -DBUILD_DIR=<build tree> -DSOURCE_DIR=<source tree> -DWORK_DIR=<scratch directory>
#         [-DCXX=<C++ compiler>] [-DGENERATOR=<CMake generator>] [-DSWITCHBOARD_EXE=<executable>]
#         [-DINSTALL_SCOPE=sdk|all] -P build_example.cmake
#
# INSTALL_SCOPE: `sdk` (default) runs the SDK's install rules only (`cmake --install
# <BUILD_DIR>/sdk`); `all` installs the whole build tree, which needs every target built and the
# top-level files (LICENSE, README.md, plugins.toml.example) present.
# SWITCHBOARD_EXE: optional; the plugins-check steps run only when it names an existing file.
cmake_minimum_required(VERSION 3.25)

function(sb_fail step message)
  message(FATAL_ERROR "sdk_install: step '${step}' failed: ${message}")
endfunction()

# Runs a command; fails the step with its exit code and output unless it exits 0.
function(sb_run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    sb_fail("${step}" "`${cmd}` exited with ${rc}\n--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
  message(STATUS "[OK] ${step}")
endfunction()

foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    sb_fail("arguments" "pass -D${var}=<path> (see the usage at the top of ${CMAKE_CURRENT_LIST_FILE})")
  endif()
endforeach()
if(NOT INSTALL_SCOPE)
  set(INSTALL_SCOPE sdk)
endif()
set(example_src ${SOURCE_DIR}/sdk/examples/echo-runner)
set(prefix ${WORK_DIR}/prefix)
set(example_build ${WORK_DIR}/echo-runner-build)
if(NOT EXISTS ${example_src}/CMakeLists.txt)
  sb_fail("arguments" "no example at ${example_src}; is SOURCE_DIR the source tree?")
endif()

# 1. The guide shows the example's files verbatim, so it cannot drift from what is built here.
set(guide ${SOURCE_DIR}/sdk/docs/writing-a-plugin.md)
if(NOT EXISTS ${guide})
  sb_fail("guide" "${guide} is missing")
endif()
file(READ ${guide} guide_text)
foreach(example_file echo_runner.cc CMakeLists.txt)
  file(READ ${example_src}/${example_file} example_text)
  string(FIND "${guide_text}" "\n${example_text}```" at)
  if(at EQUAL -1)
    sb_fail("guide" "sdk/docs/writing-a-plugin.md does not show ${example_src}/${example_file} verbatim in a code block; copy the file into the guide")
  endif()
endforeach()
message(STATUS "[OK] writing-a-plugin.md shows the example's files verbatim")

# 2. A fresh prefix.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 3. Install.
if(INSTALL_SCOPE STREQUAL "sdk")
  set(install_dir ${BUILD_DIR}/sdk)
elseif(INSTALL_SCOPE STREQUAL "all")
  set(install_dir ${BUILD_DIR})
else()
  sb_fail("arguments" "INSTALL_SCOPE is '${INSTALL_SCOPE}'; use 'sdk' or 'all'")
endif()
if(NOT EXISTS ${install_dir}/cmake_install.cmake)
  sb_fail("install" "${install_dir} has no cmake_install.cmake; configure the build tree first")
endif()
sb_run("install (${INSTALL_SCOPE}) to ${prefix}" ${CMAKE_COMMAND} --install ${install_dir} --prefix ${prefix})

foreach(header abi.h runner.h router.h store.h transport.h plugin.hpp event_envelope.hpp)
  if(NOT EXISTS ${prefix}/include/switchboard/${header})
    sb_fail("installed headers" "${prefix}/include/switchboard/${header} is missing")
  endif()
endforeach()
file(GLOB_RECURSE config_files ${prefix}/*/SwitchboardSDKConfig.cmake)
if(NOT config_files)
  sb_fail("installed package" "no SwitchboardSDKConfig.cmake under ${prefix}")
endif()
foreach(doc ABI.md writing-a-plugin.md CHANGELOG-ABI.md)
  file(GLOB_RECURSE found ${prefix}/${doc})
  list(FILTER found INCLUDE REGEX "/sdk/${doc}$")
  if(NOT found)
    sb_fail("installed docs" "no sdk/${doc} under ${prefix}")
  endif()
endforeach()
message(STATUS "[OK] installed headers, docs and package: ${config_files}")

# 4. Configure the example against the prefix alone: no package registry, no system install.
set(configure_args -S ${example_src} -B ${example_build} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
if(GENERATOR)
  list(APPEND configure_args -G ${GENERATOR})
endif()
if(CXX)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX})
endif()
sb_run("configure the echo-runner example out of tree" ${CMAKE_COMMAND} ${configure_args})

file(STRINGS ${example_build}/CMakeCache.txt sdk_dir_line REGEX "^SwitchboardSDK_DIR:")
string(REGEX REPLACE "^[^=]*=" "" sdk_dir "${sdk_dir_line}")
file(REAL_PATH "${sdk_dir}" sdk_dir_real)
file(REAL_PATH "${prefix}" prefix_real)
string(FIND "${sdk_dir_real}/" "${prefix_real}/" at)
if(NOT at EQUAL 0)
  sb_fail("package origin" "SwitchboardSDK was found at '${sdk_dir}', not under ${prefix}")
endif()
message(STATUS "[OK] SwitchboardSDK found in the temporary prefix (${sdk_dir})")

# 5. Build.
sb_run("build the echo-runner example" ${CMAKE_COMMAND} --build ${example_build} --parallel 2)
set(plugin ${example_build}/echo-runner.so)
if(NOT EXISTS ${plugin})
  file(GLOB built ${example_build}/*.so)
  sb_fail("plugin file" "${plugin} was not produced (found: ${built}); switchboard_plugin() must name the file <target>.so")
endif()
message(STATUS "[OK] built ${plugin}")

# 6. Exactly one exported definition: the entry.
find_program(NM_EXE NAMES nm)
if(NOT NM_EXE)
  sb_fail("exported symbols" "nm not found on PATH (install binutils)")
endif()
execute_process(COMMAND ${NM_EXE} -D --defined-only ${plugin} RESULT_VARIABLE rc
                OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err)
if(NOT rc EQUAL 0)
  sb_fail("exported symbols" "nm exited with ${rc}: ${nm_err}")
endif()
string(REGEX MATCHALL "[^\n]+" nm_lines "${nm_out}")
set(exported "")
foreach(line IN LISTS nm_lines)
  string(REGEX REPLACE "^.* " "" name "${line}")
  list(APPEND exported ${name})
endforeach()
if(NOT exported STREQUAL "sb_plugin_entry_v1")
  sb_fail("exported symbols" "the plugin must define exactly one dynamic symbol, sb_plugin_entry_v1. nm -D --defined-only shows:\n${nm_out}")
endif()
if(NOT nm_out MATCHES " [DdRrBbGgSsVv] sb_plugin_entry_v1")
  sb_fail("exported symbols" "sb_plugin_entry_v1 must be a data symbol:\n${nm_out}")
endif()
message(STATUS "[OK] the only exported definition is the data symbol sb_plugin_entry_v1")

# 7. switchboard plugins check, when the executable is available.
if(NOT SWITCHBOARD_EXE OR NOT EXISTS "${SWITCHBOARD_EXE}")
  message(STATUS "[SKIP] switchboard plugins check: no switchboard executable given "
                 "(SWITCHBOARD_EXE='${SWITCHBOARD_EXE}')")
  return()
endif()
sb_run("switchboard plugins check echo-runner.so" ${SWITCHBOARD_EXE} plugins check ${plugin})
sb_run("switchboard plugins check with delay_ms" ${SWITCHBOARD_EXE} plugins check ${plugin}
       --config "{\"delay_ms\": 10}")
execute_process(COMMAND ${SWITCHBOARD_EXE} plugins check ${plugin} --config "{\"bogus\": 1}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT "${out}${err}" MATCHES "bogus")
  sb_fail("plugins check refuses an unknown key"
          "expected exit 1 and a message naming 'bogus', got exit ${rc}:\n${out}${err}")
endif()
message(STATUS "[OK] switchboard plugins check refuses the unknown config key 'bogus'")
