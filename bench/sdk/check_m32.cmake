# Whether clang can build native 32-bit x86 programs (the native-i386 guests): compile AND
# link a -m32 program that needs what a guest and its driver need (the C library's stdio
# and clock, libgcc's 64-bit division), then try to run it (a kernel without IA32
# emulation refuses: the objects are still built and checked under qemu-i386, but nothing
# can time them natively).
#
# pvm_guest_check_m32(<clang> <dir> <ok_var> <reason_var> <runs_var>): <ok_var> TRUE when
# the probe linked (as <dir>/exec_probe), else FALSE with the one-line reason in
# <reason_var>; <runs_var> TRUE when the probe ran and exited 0 (else the reason why not
# is in <reason_var> too).
#
# As a script: cmake -DCLANG=<path> -DDIR=<dir> -P check_m32.cmake prints
# "native-i386: links, runs", "native-i386: links, cannot run: <reason>" or
# "native-i386: missing: <reason>" (tests/guests/CMakeLists.txt checks all three).
function(pvm_guest_check_m32 clang dir ok_var reason_var runs_var)
  set(${ok_var} FALSE PARENT_SCOPE)
  set(${runs_var} FALSE PARENT_SCOPE)
  set(packages "apt: libc6-dev-i386 lib32gcc-12-dev, see scripts/packages-guests.txt")
  if(NOT clang OR NOT EXISTS "${clang}")
    set(${reason_var} "clang-19 not found (${clang})" PARENT_SCOPE)
    return()
  endif()
  file(MAKE_DIRECTORY ${dir})
  file(WRITE ${dir}/exec_probe.c
       "#include <stdint.h>\n#include <stdio.h>\n#include <time.h>\n"
       "int main(int argc, char **argv) {\n"
       "  (void)argv; volatile uint64_t n = 1000000007ull * (uint64_t)(argc + 2);\n"
       "  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);\n"
       "  printf(\"%llu\\n\", (unsigned long long)(n / (uint64_t)(argc + 6)));\n"
       "  return sizeof(void *) == 4 ? 0 : 1;\n}\n")
  file(REMOVE ${dir}/exec_probe)
  execute_process(COMMAND ${clang} -m32 -O2 ${dir}/exec_probe.c -o ${dir}/exec_probe
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS ${dir}/exec_probe)
    # The first line that names what is missing ("cannot find crt1.o", "-lgcc", ...).
    string(REGEX MATCH "[^\n]*(cannot find|not found|No such file)[^\n]*" first "${err}")
    if(NOT first)
      string(REGEX MATCH "^[^\n]*" first "${err}")
    endif()
    string(STRIP "${first}" first)
    set(${reason_var} "${clang} -m32 cannot link (${first}): ${packages}" PARENT_SCOPE)
    return()
  endif()
  set(${ok_var} TRUE PARENT_SCOPE)
  execute_process(COMMAND ${dir}/exec_probe RESULT_VARIABLE run_rc OUTPUT_QUIET ERROR_QUIET)
  if(run_rc EQUAL 0)
    set(${runs_var} TRUE PARENT_SCOPE)
    set(${reason_var} "" PARENT_SCOPE)
  else()
    set(${reason_var} "this kernel does not run 32-bit x86 programs (${dir}/exec_probe did not run: ${run_rc}; IA32 emulation off?)"
        PARENT_SCOPE)
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  pvm_guest_check_m32("${CLANG}" "${DIR}" ok reason runs)
  if(NOT ok)
    message("native-i386: missing: ${reason}")
  elseif(runs)
    message("native-i386: links, runs")
  else()
    message("native-i386: links, cannot run: ${reason}")
  endif()
endif()
