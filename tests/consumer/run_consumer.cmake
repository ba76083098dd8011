# cmake -P script, run by CTest: installs the psi build into a scratch
# prefix, builds tests/consumer against it with find_package(psi), then MOVES
# the installed tree and builds again, once with CMake and once with only
# `pkg-config --cflags --libs psi`, to prove both are relocatable.
#
# Inputs (-D): PSI_BUILD_DIR, WORK_DIR, CONSUMER_SOURCE_DIR,
# CONSUMER_GENERATOR, CONSUMER_CXX, PSI_SANITIZE.
cmake_minimum_required(VERSION 3.20)

foreach(var PSI_BUILD_DIR WORK_DIR CONSUMER_SOURCE_DIR CONSUMER_GENERATOR CONSUMER_CXX)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()

# Runs a command; fails the test with its output when it fails. The
# command's stdout is left in RUN_OUTPUT.
function(run step)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " shown "${ARGN}")
    message(FATAL_ERROR "${step} failed (${rc}): ${shown}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  message(STATUS "${step}: ok")
  set(RUN_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

function(expect_consumer_output step output)
  if(NOT output MATCHES "arch: Linux" OR NOT output MATCHES "\nself: [0-9]+ ")
    message(FATAL_ERROR "${step}: unexpected output:\n${output}")
  endif()
endfunction()

# Builds the consumer project with CMake against `prefix` and runs it.
function(build_with_cmake step prefix build_dir)
  run("${step}: configure" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${build_dir}
    -G ${CONSUMER_GENERATOR}
    -DCMAKE_CXX_COMPILER=${CONSUMER_CXX}
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
  # The package must have come from `prefix`, not from a build tree or the
  # system.
  file(STRINGS ${build_dir}/CMakeCache.txt psi_dir REGEX "^psi_DIR:")
  string(FIND "${psi_dir}" "${prefix}/" at)
  if(NOT at GREATER -1)
    message(FATAL_ERROR "${step}: psi found outside ${prefix}: ${psi_dir}")
  endif()
  run("${step}: build" ${CMAKE_COMMAND} --build ${build_dir})
  run("${step}: run" ${build_dir}/psi_consumer)
  expect_consumer_output("${step}" "${RUN_OUTPUT}")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(moved ${WORK_DIR}/moved-elsewhere)

run("install" ${CMAKE_COMMAND} --install ${PSI_BUILD_DIR} --prefix ${prefix})
build_with_cmake("find_package" ${prefix} ${WORK_DIR}/build-installed)

# Move the tree: nothing may still point at the old prefix.
file(RENAME ${prefix} ${moved})
build_with_cmake("find_package after move" ${moved} ${WORK_DIR}/build-moved)

file(GLOB_RECURSE pc_files ${moved}/*/psi.pc)
list(LENGTH pc_files n_pc)
if(NOT n_pc EQUAL 1)
  message(FATAL_ERROR "expected one installed psi.pc, found: ${pc_files}")
endif()
get_filename_component(pc_dir ${pc_files} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
find_program(PKG_CONFIG pkg-config REQUIRED)
run("pkg-config" ${PKG_CONFIG} --cflags --libs psi)
string(STRIP "${RUN_OUTPUT}" pc_flags)
string(FIND "${pc_flags}" "${prefix}/" old_at)
if(NOT pc_flags MATCHES "moved-elsewhere" OR old_at GREATER -1)
  message(FATAL_ERROR "psi.pc is not relocatable: ${pc_flags}")
endif()
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
set(extra)
if(PSI_SANITIZE)
  # The installed static library is instrumented; psi.pc does not say so.
  set(extra -fsanitize=address,undefined)
endif()
run("pkg-config: compile" ${CONSUMER_CXX} ${extra} ${CONSUMER_SOURCE_DIR}/main.cpp ${pc_flags}
  -o ${WORK_DIR}/psi_consumer_pc)
run("pkg-config: run" ${WORK_DIR}/psi_consumer_pc)
expect_consumer_output("pkg-config" "${RUN_OUTPUT}")
message(STATUS "consumer: find_package and pkg-config both work, before and after moving the tree")
