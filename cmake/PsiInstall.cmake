# Installs the C++ package: headers, the static library, a CMake package
# (find_package(psi) -> psi::psi) and a relocatable pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS psi EXPORT psiTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/psi DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/include/psi/version.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/psi)

set(PSI_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/psi)
install(EXPORT psiTargets NAMESPACE psi:: DESTINATION ${PSI_CMAKE_DIR})
configure_package_config_file(cmake/psiConfig.cmake.in
  "${PROJECT_BINARY_DIR}/psiConfig.cmake" INSTALL_DESTINATION ${PSI_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/psiConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/psiConfig.cmake" "${PROJECT_BINARY_DIR}/psiConfigVersion.cmake"
  DESTINATION ${PSI_CMAKE_DIR})

# pkg-config: paths relative to ${pcfiledir} so the tree can be moved.
file(RELATIVE_PATH _psi_pc_to_prefix
  "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" _psi_pc_to_prefix "${_psi_pc_to_prefix}")
configure_file(cmake/psi.pc.in "${PROJECT_BINARY_DIR}/psi.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/psi.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
