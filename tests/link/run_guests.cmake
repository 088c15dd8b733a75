# Translates every benchmark guest ELF found under GUEST_DIR/{rv64,rv32}, runs `run` with
# the quick size of guests.def and compares the checksum. Prints "SKIPPED: ..." (ctest
# reports the test as skipped) when no guest ELF has been built in this tree.
# Variables: PVM_LINK LINK_RUN GUESTS_DEF GUEST_DIR OUT
include(${CMAKE_CURRENT_LIST_DIR}/../guest_elfs.cmake)
pvm_guest_elfs(ELF ${GUESTS_DEF} ${PVM_LINK} ${GUEST_DIR} ${OUT} guest-)
set(failed ${ELF_FAILED})
foreach(entry IN LISTS ELF_LINKED)
  pvm_guest_elf_entry(${entry} name arch blob)
  set(sum ${GUEST_${name}_QUICK_SUM})
  execute_process(COMMAND ${LINK_RUN} ${blob} run ${GUEST_${name}_QUICK} OUTPUT_VARIABLE run RESULT_VARIABLE rc)
  string(STRIP "${run}" run)
  if(rc EQUAL 0 AND run MATCHES "u64=0x${sum}")
    message(STATUS "${arch} ${name}: ok (${sum})")
  else()
    message(STATUS "${arch} ${name}: expected ${sum}, got: ${run}")
    list(APPEND failed ${arch}/${name})
  endif()
endforeach()
pvm_guest_elfs_verdict(${ELF_FOUND} "${failed}" "no guest ELFs under ${GUEST_DIR} (build the `guests` target first)"
                       "guests with a wrong result" "${ELF_FOUND} guest ELFs translated and checked")
