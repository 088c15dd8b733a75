# The one CMake reader of guests.def (bench/guests/guests.def), included by the
# build (bench/guests, tests/guests) and by the test scripts run with cmake -P
# (tests/link/run_guests.cmake, tests/integration/run_gas_agreement.cmake, through
# tests/guest_elfs.cmake).
#
# pvm_read_guest_manifest(<file> <prefix>): parses the GUEST(...) lines into
# <prefix>_NAMES and, per name, <prefix>_<name>_{SOURCE,QUICK,FULL,QUICK_SUM,FULL_SUM}
# (checksums as hex digits without 0x). A GUEST line it cannot parse is a fatal
# error naming the file and the line.
function(pvm_read_guest_manifest file prefix)
  if(NOT CMAKE_SCRIPT_MODE_FILE) # a build reconfigures when the manifest changes
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  endif()
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "${file}: no such guests manifest")
  endif()
  file(STRINGS ${file} lines REGEX "^GUEST\\(")
  set(names "")
  set(pattern "^GUEST\\(([a-z0-9_]+), *([a-z0-9_]+\\.c), *([0-9]+), *([0-9]+), *0x([0-9a-f]+), *0x([0-9a-f]+)\\)")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "${pattern}")
      message(FATAL_ERROR "${file}: cannot parse: ${line}")
    endif()
    list(APPEND names ${CMAKE_MATCH_1})
    set(${prefix}_${CMAKE_MATCH_1}_SOURCE ${CMAKE_MATCH_2} PARENT_SCOPE)
    set(${prefix}_${CMAKE_MATCH_1}_QUICK ${CMAKE_MATCH_3} PARENT_SCOPE)
    set(${prefix}_${CMAKE_MATCH_1}_FULL ${CMAKE_MATCH_4} PARENT_SCOPE)
    set(${prefix}_${CMAKE_MATCH_1}_QUICK_SUM ${CMAKE_MATCH_5} PARENT_SCOPE)
    set(${prefix}_${CMAKE_MATCH_1}_FULL_SUM ${CMAKE_MATCH_6} PARENT_SCOPE)
  endforeach()
  set(${prefix}_NAMES ${names} PARENT_SCOPE)
endfunction()
