# Runs NATIVE and `RUN --backend BACKEND PROGRAM` (the same C program, natively and on the
# PVM) and fails unless stdout and exit status are identical. With PVM_CLI, the PVM side is
# `pvm run PROGRAM --export main --quiet` instead, and stdout alone is compared. Both outputs are kept as
# OUT.native / OUT.pvm for a diff. With ELF (and PVM_LINK), PROGRAM is first made from it.
if(ELF)
  execute_process(COMMAND ${PVM_LINK} ${ELF} -o ${PROGRAM} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pvm-link ${ELF} failed: ${err}")
  endif()
endif()
# The programs check that an impossible malloc returns NULL, as C says; ASan aborts instead
# unless told otherwise.
set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:allocator_may_return_null=1")
execute_process(COMMAND ${NATIVE} OUTPUT_FILE ${OUT}.native RESULT_VARIABLE native_rc)
if(PVM_CLI) # `pvm run` as the host: its exit status is 0 for a halt (main's a0 is not it)
  execute_process(COMMAND ${PVM_CLI} run ${PROGRAM} --export main --quiet --backend ${BACKEND}
                  OUTPUT_FILE ${OUT}.pvm RESULT_VARIABLE pvm_rc ERROR_VARIABLE pvm_err)
  if(NOT pvm_rc EQUAL 0)
    message(FATAL_ERROR "pvm run exited with ${pvm_rc}: ${pvm_err}")
  endif()
  set(native_rc 0) # compared: stdout only
else()
  execute_process(COMMAND ${RUN} --backend ${BACKEND} ${PROGRAM} OUTPUT_FILE ${OUT}.pvm
                  RESULT_VARIABLE pvm_rc ERROR_VARIABLE pvm_err)
endif()
file(READ ${OUT}.native native_out)
file(READ ${OUT}.pvm pvm_out)
if(NOT native_out STREQUAL pvm_out)
  message(FATAL_ERROR "stdout differs: diff ${OUT}.native ${OUT}.pvm\n${pvm_err}")
endif()
if(NOT native_rc STREQUAL pvm_rc)
  message(FATAL_ERROR "exit status differs: native ${native_rc}, pvm ${pvm_rc}\n${pvm_err}")
endif()
string(LENGTH "${native_out}" n)
message(STATUS "${PROGRAM} on ${BACKEND}: ${n} bytes of output and exit status ${pvm_rc}, as native")
