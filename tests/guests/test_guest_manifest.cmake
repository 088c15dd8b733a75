# The CMake guests.def reader (bench/guests/guest_manifest.cmake), run with cmake -P:
# the real manifest gives every GUEST line's fields; a line it cannot parse fails the
# read with the file and the line named.
# Variables: GUESTS_DEF (the real manifest), WORK (a scratch folder); BAD (internal:
# the child run that reads a broken manifest).
include(${CMAKE_CURRENT_LIST_DIR}/../../bench/guests/guest_manifest.cmake)
if(BAD)
  pvm_read_guest_manifest(${BAD} G)
  message("read a broken manifest without an error")
  return()
endif()

pvm_read_guest_manifest(${GUESTS_DEF} G)
file(STRINGS ${GUESTS_DEF} guest_lines REGEX "^GUEST\\(")
list(LENGTH guest_lines want)
list(LENGTH G_NAMES got)
if(NOT got EQUAL want OR got LESS 10)
  message(FATAL_ERROR "read ${got} guests, the file has ${want} GUEST lines")
endif()
# The first line of the manifest, field by field (as guests.def has it).
list(GET guest_lines 0 first)
if(NOT first STREQUAL "GUEST(sieve, sieve.c, 5000000, 40000000, 0xfbb9e084425adc38, 0xaa3274888fb4f5e9)")
  message(FATAL_ERROR "guests.def's first line changed; update this test: ${first}")
endif()
foreach(pair "SOURCE=sieve.c" "QUICK=5000000" "FULL=40000000" "QUICK_SUM=fbb9e084425adc38" "FULL_SUM=aa3274888fb4f5e9")
  string(REPLACE "=" ";" kv ${pair})
  list(GET kv 0 key)
  list(GET kv 1 value)
  if(NOT "${G_sieve_${key}}" STREQUAL "${value}")
    message(FATAL_ERROR "sieve ${key}: got '${G_sieve_${key}}', want '${value}'")
  endif()
endforeach()

file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/broken.def "GUEST(ok, ok.c, 1, 2, 0x1, 0x2)\nGUEST(broken, broken.c, 1)\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DBAD=${WORK}/broken.def -P ${CMAKE_CURRENT_LIST_FILE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(REGEX REPLACE "[ \n]+" " " out "${out}") # CMake wraps long messages
if(rc EQUAL 0 OR NOT out MATCHES "broken.def: cannot parse: GUEST\\(broken")
  message(FATAL_ERROR "a broken manifest: exit ${rc}, output: ${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -DBAD=${WORK}/missing.def -P ${CMAKE_CURRENT_LIST_FILE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(REGEX REPLACE "[ \n]+" " " out "${out}")
if(rc EQUAL 0 OR NOT out MATCHES "missing.def: no such guests manifest")
  message(FATAL_ERROR "a missing manifest: exit ${rc}, output: ${out}")
endif()
message(STATUS "guest manifest reader: ${got} guests; broken and missing manifests rejected")
