# Install: headers, libraries, the CLI, a CMake package (swr::client, swr::emulator) with a
# version file, a pkg-config file; CPack makes a .deb (with the shared libraries when configured
# with -DBUILD_SHARED_LIBS=ON).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SWR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/swr-sign-tasks)
# Shared libraries (-DBUILD_SHARED_LIBS=ON): the installed CLI and the emulator library find
# them next to them, wherever installed.
if(BUILD_SHARED_LIBS)
  file(RELATIVE_PATH SWR_BIN_TO_LIB /p/${CMAKE_INSTALL_BINDIR} /p/${CMAKE_INSTALL_LIBDIR})
  set_target_properties(swr_emulator PROPERTIES INSTALL_RPATH "$ORIGIN")
  if(SWR_BUILD_TOOLS)
    set_target_properties(swr-sign-tasks PROPERTIES INSTALL_RPATH "$ORIGIN/${SWR_BIN_TO_LIB}")
  endif()
endif()
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
# pkg-config: relocatable (the prefix is found from the .pc file's own directory); Boost.JSON,
# Boost.URL and OpenSSL are the program's to link only when the library is static.
file(RELATIVE_PATH SWR_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" SWR_PC_TO_PREFIX "${SWR_PC_TO_PREFIX}")
if(BUILD_SHARED_LIBS)
  set(SWR_PC_LIBS "-L\${libdir} -lswr-sign-tasks")
  set(SWR_PC_PRIVATE "Requires.private: openssl >= 3.0\nLibs.private: -lboost_json -lboost_url -lpthread")
else()
  set(SWR_PC_LIBS "-L\${libdir} -lswr-sign-tasks -lboost_json -lboost_url -lssl -lcrypto -lpthread")
  set(SWR_PC_PRIVATE "")
endif()
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
# What dpkg-shlibdeps finds for the CLI and the shared libraries (Debian 12, g++ 12); the headers
# and the CMake package want the -dev packages of the same libraries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libboost-json1.81.0, libboost-url1.81.0, libc6 (>= 2.34), libgcc-s1, libssl3 (>= 3.0.0), libstdc++6 (>= 11)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libboost1.81-dev, libboost-json1.81-dev, libboost-url1.81-dev, libssl-dev")
# Shared: a shlibs file for packages built against the libraries, and the ldconfig calls (CPack
# finds the libraries with the `file` command).
if(BUILD_SHARED_LIBS)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
