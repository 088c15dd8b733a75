# Every benchmark guest (rv64 and rv32 ELFs of this build tree), linked with
# pvm-link, run at 1/DIVISOR of its quick size (at least 1) on both backends under every
# cost model: exit, a0 and gas must be identical. Prints SKIPPED without guest ELFs.
# Variables: PVM_LINK CHECK GUESTS_DEF GUEST_DIR OUT MODELS (;-list) DIVISOR
include(${CMAKE_CURRENT_LIST_DIR}/../guest_elfs.cmake)
pvm_guest_elfs(ELF ${GUESTS_DEF} ${PVM_LINK} ${GUEST_DIR} ${OUT} "")
set(failed ${ELF_FAILED})
foreach(entry IN LISTS ELF_LINKED)
  pvm_guest_elf_entry(${entry} name arch blob)
  math(EXPR size "(${GUEST_${name}_QUICK} + ${DIVISOR} - 1) / ${DIVISOR}")
  execute_process(COMMAND ${CHECK} ${blob} run ${size} ${MODELS} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  message(STATUS "${out}")
  if(NOT rc EQUAL 0)
    list(APPEND failed ${arch}/${name})
  endif()
endforeach()
pvm_guest_elfs_verdict(${ELF_FOUND} "${failed}" "no guest ELFs under ${GUEST_DIR}"
                       "backends disagree or a guest failed"
                       "${ELF_FOUND} guest programs: interpreter and recompiler agree on exit, a0 and gas under every model")
