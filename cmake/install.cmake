# Install: headers, libraries, the CLI, a CMake package (swr::client, swr::emulator) with a
# version file, a pkg-config file; CPack makes a .deb.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SWR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/swr-sign-tasks)
install(TARGETS swr_client swr_emulator EXPORT swr-sign-tasks-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/swr DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT swr-sign-tasks-targets NAMESPACE swr:: DESTINATION ${SWR_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/swr-sign-tasks-config.cmake.in
  ${PROJECT_BINARY_DIR}/swr-sign-tasks-config.cmake INSTALL_DESTINATION ${SWR_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/swr-sign-tasks-config-version.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/swr-sign-tasks-config.cmake
              ${PROJECT_BINARY_DIR}/swr-sign-tasks-config-version.cmake
        DESTINATION ${SWR_CMAKE_DIR})
configure_file(${PROJECT_SOURCE_DIR}/cmake/swr-sign-tasks.pc.in ${PROJECT_BINARY_DIR}/swr-sign-tasks.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/swr-sign-tasks.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(SWR_BUILD_TOOLS)
  install(TARGETS swr-sign-tasks RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(CPACK_PACKAGE_NAME swr-sign-tasks)
set(CPACK_PACKAGE_VENDOR "swr-sign-tasks")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Async C++20 client, CLI and emulator for SWR ListInstanceSignPolicyExecTasks")
set(CPACK_PACKAGE_CONTACT "swr-sign-tasks maintainers")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libssl3, libboost-json1.81.0, libboost-url1.81.0")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
