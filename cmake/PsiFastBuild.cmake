# PSI_FAST_BUILD (pyproject.toml turns it on for `pip install`): a one-off
# build that is compiled once and thrown away wants few compiler runs, not
# incremental rebuilds. Each target's sources are compiled as one unity
# translation unit: pybind11's headers, the bulk of the work, are then
# parsed once instead of once per bindings/*.cpp, and the compiler sees
# across those files as pybind11's default -flto would let it (which the
# unity build makes unnecessary: see the LTO setting in CMakeLists.txt).
# Measured figures: docs/install.md.
foreach(_psi_target psi psi-ps _core)
  if(TARGET ${_psi_target})
    set_target_properties(${_psi_target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
  endif()
endforeach()

# Files that cannot share a translation unit with the others of their
# target, because they define names in an anonymous namespace that another
# file of it defines too, are compiled on their own:
# - src/cli/fields*.cpp: each has its own kFields table and helpers;
# - bindings/mount.cpp: its refresh() would overload process.cpp's, making
#   `&refresh` ambiguous.
# The wheel build (tests/run_all.sh runs it) fails at once on a new clash:
# rename the helper, or add its file here.
function(_psi_compile_alone dir)
  foreach(pattern IN LISTS ARGN)
    file(GLOB _files "${PROJECT_SOURCE_DIR}/${dir}/${pattern}")
    if(_files)
      set_source_files_properties(${_files} DIRECTORY "${PROJECT_SOURCE_DIR}/${dir}"
        PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endforeach()
endfunction()
if(TARGET psi-ps)
  _psi_compile_alone(src/cli "fields*.cpp")
endif()
if(TARGET _core)
  _psi_compile_alone(bindings mount.cpp)
endif()
