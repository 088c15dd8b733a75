# The loop the guest-ELF test scripts share (run with cmake -P: tests/link/run_guests.cmake,
# tests/integration/run_gas_agreement.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/../bench/guests/guest_manifest.cmake)
#
# pvm_guest_elfs(<var> <guests.def> <pvm-link> <guest dir> <out dir> <blob prefix>): reads the
# manifest into GUEST_* (pvm_read_guest_manifest) and runs pvm_link_guest_elfs on its names.
macro(pvm_guest_elfs var manifest pvm_link guest_dir out prefix)
  pvm_read_guest_manifest(${manifest} GUEST)
  pvm_link_guest_elfs(${var} ${pvm_link} ${guest_dir} ${out} "${prefix}" ${GUEST_NAMES})
endmacro()

# pvm_guest_elf_entry(<entry> <name var> <arch var> <blob var>): unpacks one <var>_LINKED entry.
macro(pvm_guest_elf_entry entry name_var arch_var blob_var)
  string(REPLACE "|" ";" _pvm_guest_entry "${entry}")
  list(GET _pvm_guest_entry 0 ${name_var})
  list(GET _pvm_guest_entry 1 ${arch_var})
  list(GET _pvm_guest_entry 2 ${blob_var})
endmacro()
#
# pvm_link_guest_elfs(<var> <pvm-link> <guest dir> <out dir> <blob prefix> <names...>):
# translates each GUEST_DIR/{rv64,rv32}/<name>.elf that exists with pvm-link into
# <out dir>/<blob prefix><name>.<arch>.polkavm. Sets <var>_FOUND (ELFs found), <var>_LINKED
# (one "name|arch|blob" entry per translated ELF) and <var>_FAILED ("arch/name (pvm-link:
# error)" per ELF pvm-link refused).
function(pvm_link_guest_elfs var pvm_link guest_dir out prefix)
  file(MAKE_DIRECTORY ${out})
  set(found 0)
  set(linked "")
  set(failed "")
  foreach(name IN LISTS ARGN)
    foreach(arch rv64 rv32)
      set(elf ${guest_dir}/${arch}/${name}.elf)
      if(NOT EXISTS ${elf})
        continue()
      endif()
      math(EXPR found "${found} + 1")
      set(blob ${out}/${prefix}${name}.${arch}.polkavm)
      execute_process(COMMAND ${pvm_link} ${elf} -o ${blob} RESULT_VARIABLE rc ERROR_VARIABLE err)
      if(rc EQUAL 0)
        list(APPEND linked "${name}|${arch}|${blob}")
      else()
        string(STRIP "${err}" err)
        message(STATUS "${arch} ${name}: pvm-link failed: ${err}")
        list(APPEND failed "${arch}/${name} (pvm-link: ${err})")
      endif()
    endforeach()
  endforeach()
  set(${var}_FOUND ${found} PARENT_SCOPE)
  set(${var}_LINKED ${linked} PARENT_SCOPE)
  set(${var}_FAILED ${failed} PARENT_SCOPE)
endfunction()

# pvm_guest_elfs_verdict(<found> "<failed list>" <skip text> <failure text> <success text>):
# "SKIPPED: <skip text>" (ctest's skip marker) when no ELF was found, a fatal error
# "<failure text>: <failed>" when any failed, else the success text.
function(pvm_guest_elfs_verdict found failed skip_text failure_text success_text)
  if(found EQUAL 0)
    message("SKIPPED: ${skip_text}")
  elseif(failed)
    message(FATAL_ERROR "${failure_text}: ${failed}")
  else()
    message(STATUS "${success_text}")
  endif()
endfunction()
