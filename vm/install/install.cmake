# `cmake --install BUILD --prefix P`: the tools (pvm, pvm-link, pvm-cc, pvmlab), libpvm
# static and shared (SONAME libpvm.so.MAJOR.MINOR), the public headers, pvm.pc for
# pkg-config and a CMake package (find_package(pvm) -> pvm::pvm, pvm::pvm_static).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_pvm_tools pvm_cli pvm-link pvmlab)
# pvm-cc (the SDK's compiler driver, helper "sdk"): installed when its target exists.
# Hook: define an executable or custom target named pvm-cc (or pvm_cc); a script can set
# PVMLAB_PVM_CC_SCRIPT to its path instead.
foreach(t pvm-cc pvm_cc)
  if(TARGET ${t})
    get_target_property(_type ${t} TYPE)
    if(_type STREQUAL "EXECUTABLE")
      list(APPEND _pvm_tools ${t})
    endif()
  endif()
endforeach()
foreach(t ${_pvm_tools})
  if(TARGET ${t})
    install(TARGETS ${t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    if(PVMLAB_SANITIZE) # the tools link libpvm.so there (vm/CMakeLists.txt)
      set_target_properties(${t} PROPERTIES INSTALL_RPATH "\$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
    endif()
  endif()
endforeach()
if(PVMLAB_PVM_CC_SCRIPT AND EXISTS "${PVMLAB_PVM_CC_SCRIPT}")
  install(PROGRAMS "${PVMLAB_PVM_CC_SCRIPT}" DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME pvm-cc)
endif()

# libpvm_util.a: the toolkit libpvm.a calls into (the .so holds it already).
install(TARGETS pvm_static pvm_shared pvm_util EXPORT pvmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/vm/include/pvm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

# Exported names: pvm::pvm is the shared library, pvm::pvm_static the archive.
set_target_properties(pvm_shared PROPERTIES EXPORT_NAME pvm)
set_target_properties(pvm_util PROPERTIES EXPORT_NAME pvm_util)
install(EXPORT pvmTargets NAMESPACE pvm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/pvm)
configure_package_config_file(${CMAKE_SOURCE_DIR}/vm/install/pvmConfig.cmake.in ${CMAKE_BINARY_DIR}/cmake/pvmConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/pvm)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/pvmConfigVersion.cmake VERSION ${PROJECT_VERSION}
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/pvmConfig.cmake ${CMAKE_BINARY_DIR}/cmake/pvmConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/pvm)

# pvm.pc: the prefix is the one given at install time (cmake --install --prefix), not at configure time.
install(CODE "
  set(CMAKE_INSTALL_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(CMAKE_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(CMAKE_INSTALL_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${CMAKE_SOURCE_DIR}/vm/install/pvm.pc.in\" \"${CMAKE_BINARY_DIR}/cmake/pvm.pc\" @ONLY)
  file(INSTALL \"${CMAKE_BINARY_DIR}/cmake/pvm.pc\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")
")
