# Builds C guests for five targets from one source:
#   native  clang -O2 object linked into a timing driver          -> bin/guest-<name>
#   native-i386  the same with -m32 (when clang -m32 can link; pvm_add_guest_native_i386, the
#           benchmark guests only)                               -> guests/native-i386/{<name>.o,guest-<name>}
#   wasm32  clang --target=wasm32, SDK runtime + compiler-rt      -> guests/wasm32/<name>.wasm
#   rv64    RV64EMAC+Zbb, LP64E, PIE, --emit-relocs (for pvm-link) -> guests/rv64/<name>.elf
#           + the same objects as a static ELF with qemu_start.c   -> guests/rv64/<name>.qemu.elf
#   rv32    RV32EMAC+Zbb, ILP32E, likewise                          -> guests/rv32/<name>{.elf,.qemu.elf}
# Targets: guest-<name>-native, guest-<name>-wasm, guest-<name>-rv64, guest-<name>-rv32, and
# `guests` for all of them. Cross targets are skipped, with the reason printed, when a tool
# is missing. Include this file from any CMakeLists.txt that builds or tests guests (each
# including directory gets the variables; the one-time parts are guarded).

set(PVM_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(PVM_GUEST_OUT "${CMAKE_BINARY_DIR}/guests")

find_program(PVM_GUEST_CLANG NAMES clang-19 DOC "clang used for every guest target")
find_program(PVM_GUEST_LLD NAMES ld.lld-19 DOC "lld used to link riscv guest ELFs")
find_program(PVM_GUEST_AR NAMES llvm-ar-19 llvm-ar DOC "archiver for the guest runtimes")
find_program(PVM_GUEST_QEMU_RV64 NAMES qemu-riscv64 DOC "qemu user mode, the rv64 oracle")
find_program(PVM_GUEST_QEMU_RV32 NAMES qemu-riscv32 DOC "qemu user mode, the rv32 oracle")
find_program(PVM_GUEST_NODE NAMES node nodejs DOC "node, runs the wasm32 guests")
find_program(PVM_GUEST_OBJDUMP NAMES llvm-objdump-19 llvm-objdump DOC "disassembler for the register check")
find_program(PVM_GUEST_READELF NAMES llvm-readelf-19 llvm-readelf readelf DOC "ELF section lister")
find_program(PVM_GUEST_NM NAMES llvm-nm-19 llvm-nm DOC "symbol lister (pvm-cc: does the program define main?)")

if(PVM_GUEST_CLANG)
  execute_process(COMMAND ${PVM_GUEST_CLANG} -print-resource-dir
                  OUTPUT_VARIABLE _pvm_resource_dir OUTPUT_STRIP_TRAILING_WHITESPACE)
  find_file(PVM_GUEST_WASM_BUILTINS
            NAMES libclang_rt.builtins-wasm32.a libclang_rt.builtins.a
            PATHS "${_pvm_resource_dir}/lib/wasi" "${_pvm_resource_dir}/lib/wasm32"
            NO_DEFAULT_PATH DOC "compiler-rt builtins for wasm32 (libclang-rt-19-dev-wasm32)")
endif()

# ---- flags (the documented recipe; see bench/sdk/README.md) ------------------------------
set(PVM_GUEST_CFLAGS -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -ffreestanding
    -fvisibility=hidden -I${PVM_SDK_DIR})
# As PolkaVM's own riscv*emac-unknown-none-polkavm targets: no linker relaxation (so the
# kept relocations describe the final code 1:1 and branches inside a function carry none)
# and a section per function/object, so every cross-function or data reference keeps a
# relocation for pvm-link.
set(PVM_GUEST_CFLAGS_riscv -mcmodel=medany -fPIE -mno-relax -ffunction-sections -fdata-sections)
set(PVM_GUEST_CFLAGS_rv64 --target=riscv64 -march=rv64emac_zbb -mabi=lp64e ${PVM_GUEST_CFLAGS_riscv})
# rv32 has no __int128 by default; the helpers it may need come from the SDK runtime.
set(PVM_GUEST_CFLAGS_rv32 --target=riscv32 -march=rv32emac_zbb -mabi=ilp32e ${PVM_GUEST_CFLAGS_riscv}
    -fforce-enable-int128)
# clang 19's default wasm features include reference-types, which encodes call_indirect's table
# index as a padded 5-byte LEB; wasm3 v0.5.0 reads that byte as a small LEB and refuses the
# module ("LEB encoded value overflow"). The guests use no reference types, so they are built
# without the feature: the same code for every engine, and one byte 0x00 that all of them read.
set(PVM_GUEST_CFLAGS_wasm32 --target=wasm32 -mno-reference-types)
set(PVM_GUEST_CFLAGS_native "")
# The native 32-bit baseline of the rv32 builds: the native flags for i386 (the guests choose
# their 32-bit paths by UINTPTR_MAX, as on rv32 and wasm32).
set(PVM_GUEST_CFLAGS_native-i386 -m32)
# -z notext: an import stub holds an absolute pointer inside .text, which a PIE may only
# have as a text relocation; --apply-dynamic-relocs also writes the link-time address into
# every such slot, so the file reads correctly without applying .rela.dyn.
set(PVM_GUEST_LDFLAGS_pvm -pie -z notext --apply-dynamic-relocs --emit-relocs
    -T ${PVM_SDK_DIR}/pvm_guest.ld)
set(PVM_GUEST_LDFLAGS_qemu -static --emit-relocs)

# Which targets this build can make; the reasons for the others are printed once.
set(PVM_GUEST_TARGETS "")
set(_pvm_skip "")
if(NOT PVM_GUEST_CLANG)
  list(APPEND _pvm_skip "all cross targets: clang-19 not found (native guests use ${CMAKE_C_COMPILER})")
else()
  if(PVM_GUEST_LLD AND PVM_GUEST_AR)
    list(APPEND PVM_GUEST_TARGETS rv64 rv32)
  else()
    list(APPEND _pvm_skip "rv64/rv32: ld.lld-19 or llvm-ar not found (apt: lld-19, llvm-19)")
  endif()
  if(PVM_GUEST_WASM_BUILTINS AND PVM_GUEST_AR)
    list(APPEND PVM_GUEST_TARGETS wasm32)
  else()
    list(APPEND _pvm_skip "wasm32: wasm32 compiler-rt builtins not found (apt: libclang-rt-19-dev-wasm32)")
  endif()
endif()
# native-i386: clang -m32 must compile and link (check_m32.cmake); run once per configure.
include(${CMAKE_CURRENT_LIST_DIR}/check_m32.cmake)
get_property(_pvm_m32_checked GLOBAL PROPERTY PVM_GUEST_I386_CHECKED)
if(NOT _pvm_m32_checked)
  set_property(GLOBAL PROPERTY PVM_GUEST_I386_CHECKED TRUE)
  pvm_guest_check_m32("${PVM_GUEST_CLANG}" ${PVM_GUEST_OUT}/native-i386 _ok _reason _runs)
  set_property(GLOBAL PROPERTY PVM_GUEST_I386_OK ${_ok})
  set_property(GLOBAL PROPERTY PVM_GUEST_I386_RUNS ${_runs})
  set_property(GLOBAL PROPERTY PVM_GUEST_I386_REASON "${_reason}")
  # The bench engine native-i386 reads why it has no objects from here.
  if(_ok)
    file(REMOVE ${PVM_GUEST_OUT}/native-i386/MISSING)
  else()
    file(WRITE ${PVM_GUEST_OUT}/native-i386/MISSING "${_reason}\n")
  endif()
endif()
get_property(PVM_GUEST_I386_OK GLOBAL PROPERTY PVM_GUEST_I386_OK)
get_property(PVM_GUEST_I386_RUNS GLOBAL PROPERTY PVM_GUEST_I386_RUNS)
get_property(PVM_GUEST_I386_REASON GLOBAL PROPERTY PVM_GUEST_I386_REASON)
if(PVM_GUEST_I386_OK)
  list(APPEND PVM_GUEST_TARGETS native-i386)
else()
  list(APPEND _pvm_skip "native-i386: ${PVM_GUEST_I386_REASON}")
endif()
get_property(_pvm_reported GLOBAL PROPERTY PVM_GUEST_SKIPS_REPORTED)
if(NOT _pvm_reported)
  set_property(GLOBAL PROPERTY PVM_GUEST_SKIPS_REPORTED TRUE)
  foreach(_reason IN LISTS _pvm_skip)
    message(STATUS "guests: skipping ${_reason}")
  endforeach()
endif()

if(NOT TARGET guests)
  add_custom_target(guests ALL)
endif()
# Every folder a guest command writes into exists before the build (Ninja creates an
# output's folder itself, Unix Makefiles do not).
foreach(_dir native native-i386 wasm32 rv64 rv32 native/sdk wasm32/sdk rv64/sdk rv32/sdk)
  file(MAKE_DIRECTORY ${PVM_GUEST_OUT}/${_dir})
endforeach()

# The C library side of the SDK (bench/sdk/libc, libm), riscv only: see bench/sdk/README.md.
set(PVM_SDK_LIBC_SOURCES string ctype stdlib malloc strtod decimal printf stdio start)
set(PVM_SDK_LIBM_SOURCES exact exp_log trig float_wrappers)
# Flags for programs built with the SDK's C library (pvm-cc and pvm_add_guest(... LIBS ...)):
# the SDK headers replace the host's; the compiler's own (stdint.h, stdarg.h, float.h,
# limits.h) stay.
set(PVM_SDK_PROGRAM_CFLAGS -ffreestanding -isystem ${PVM_SDK_DIR}/include -I${PVM_SDK_DIR})

# Compiles one C file with clang for `target` into `object` (header dependencies via -MD).
function(_pvm_guest_compile target source object)
  set(extra ${ARGN})
  add_custom_command(
    OUTPUT ${object}
    COMMAND ${PVM_GUEST_CLANG} ${PVM_GUEST_CFLAGS_${target}} ${PVM_GUEST_CFLAGS} ${extra}
            -MD -MF ${object}.d -c ${source} -o ${object}
    DEPENDS ${source}
    DEPFILE ${object}.d
    COMMENT "guest ${target}: ${source}"
    VERBATIM)
endfunction()

# One archive of SDK sources for a target, built once per build tree, with a target named
# <target_name> (other folders' targets must depend on it: Unix Makefiles only know file
# rules inside one folder). Sets <out_var> to the archive path.
function(_pvm_guest_archive target target_name archive out_var)
  set(${out_var} ${archive} PARENT_SCOPE)
  if(TARGET ${target_name})
    return()
  endif()
  get_filename_component(dir ${archive} DIRECTORY)
  set(objects "")
  foreach(source IN LISTS ARGN)
    get_filename_component(stem ${source} NAME_WE)
    get_filename_component(sub ${source} DIRECTORY)
    get_filename_component(sub ${sub} NAME)
    set(object ${dir}/${sub}_${stem}.o)
    set(extra "")
    if(sub STREQUAL "libc" OR sub STREQUAL "libm")
      set(extra ${PVM_SDK_PROGRAM_CFLAGS} -I${PVM_SDK_DIR}/${sub})
    endif()
    _pvm_guest_compile(${target} ${source} ${object} ${extra})
    list(APPEND objects ${object})
  endforeach()
  add_custom_command(
    OUTPUT ${archive}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${archive}
    COMMAND ${PVM_GUEST_AR} rcs ${archive} ${objects}
    DEPENDS ${objects}
    COMMENT "guest ${target}: SDK ${target_name}"
    VERBATIM)
  add_custom_target(${target_name} DEPENDS ${archive})
endfunction()

# The SDK runtime for one target: memory functions everywhere, integer helpers and
# soft-float on riscv. Sets <out_var> to the archive path.
function(_pvm_guest_runtime target out_var)
  set(sources ${PVM_SDK_DIR}/runtime/memory.c)
  if(target MATCHES "^rv")
    list(APPEND sources ${PVM_SDK_DIR}/runtime/int_helpers.c ${PVM_SDK_DIR}/runtime/softfloat.c)
  endif()
  _pvm_guest_archive(${target} pvm-guest-rt-${target} ${PVM_GUEST_OUT}/${target}/sdk/libpvm_guest_rt.a
                     archive ${sources})
  set(${out_var} ${archive} PARENT_SCOPE)
endfunction()

# The SDK's libc.a and libm.a for an rv target (in guests/<target>/sdk, the folder pvm-cc
# passes with -L). Sets <out_var> to the folder.
function(_pvm_guest_c_libraries target out_var)
  set(dir ${PVM_GUEST_OUT}/${target}/sdk)
  set(${out_var} ${dir} PARENT_SCOPE)
  list(TRANSFORM PVM_SDK_LIBC_SOURCES PREPEND ${PVM_SDK_DIR}/libc/ OUTPUT_VARIABLE libc)
  list(TRANSFORM libc APPEND .c)
  list(TRANSFORM PVM_SDK_LIBM_SOURCES PREPEND ${PVM_SDK_DIR}/libm/ OUTPUT_VARIABLE libm)
  list(TRANSFORM libm APPEND .c)
  _pvm_guest_archive(${target} pvm-sdk-libc-${target} ${dir}/libc.a unused ${libc})
  _pvm_guest_archive(${target} pvm-sdk-libm-${target} ${dir}/libm.a unused ${libm})
endfunction()

# The qemu entry object for an rv target (shared by all guests of that target).
function(_pvm_guest_qemu_start target out_var)
  set(object ${PVM_GUEST_OUT}/${target}/sdk/qemu_start.o)
  set(${out_var} ${object} PARENT_SCOPE)
  if(NOT TARGET pvm-guest-qemu-start-${target})
    _pvm_guest_compile(${target} ${PVM_SDK_DIR}/qemu_start.c ${object})
    add_custom_target(pvm-guest-qemu-start-${target} DEPENDS ${object})
  endif()
endfunction()

# Splits a guest's arguments into <prefix>_SOURCES (.c .S .s), <prefix>_LIBS (after LIBS:
# c, m) and <prefix>_FLAGS (everything else: extra clang flags, also after FLAGS).
function(_pvm_guest_parse prefix)
  set(sources "")
  set(libs "")
  set(flags "")
  set(mode "")
  foreach(arg IN LISTS ARGN)
    if(arg STREQUAL "LIBS" OR arg STREQUAL "FLAGS")
      set(mode ${arg})
    elseif(mode STREQUAL "LIBS")
      list(APPEND libs ${arg})
    elseif(mode STREQUAL "FLAGS" OR NOT arg MATCHES "\\.(c|S|s)$")
      list(APPEND flags ${arg})
    else()
      list(APPEND sources ${arg})
    endif()
  endforeach()
  set(${prefix}_SOURCES ${sources} PARENT_SCOPE)
  set(${prefix}_LIBS ${libs} PARENT_SCOPE)
  set(${prefix}_FLAGS ${flags} PARENT_SCOPE)
endfunction()

# Compiles each source for `target` into <dir>/<name>.o (one source) or <dir>/<name>/<stem>.o
# (several); sets <out_var> to the objects.
function(_pvm_guest_objects target dir name out_var sources flags)
  list(LENGTH sources count)
  set(objects "")
  foreach(source IN LISTS sources)
    if(count EQUAL 1)
      set(object ${dir}/${name}.o)
    else()
      file(MAKE_DIRECTORY ${dir}/${name})
      get_filename_component(stem ${source} NAME_WE)
      set(object ${dir}/${name}/${stem}.o)
    endif()
    _pvm_guest_compile(${target} ${source} ${object} ${flags})
    list(APPEND objects ${object})
  endforeach()
  set(${out_var} ${objects} PARENT_SCOPE)
endfunction()

# Native build: with the timing driver (native_driver.c calls run(SIZE)), or, for a program
# on the C library (libs given), the program itself against the host's C library.
function(_pvm_guest_native name sources libs flags)
  set(target guest-${name}-native)
  set(driver ${PVM_SDK_DIR}/native_driver.c)
  if(libs)
    set(driver "")
    set(flags ${flags} -fno-builtin)
  endif()
  if(PVM_GUEST_CLANG AND NOT libs)
    _pvm_guest_objects(native ${PVM_GUEST_OUT}/native ${name} objects "${sources}" "${flags}")
    add_executable(${target} ${driver} ${objects})
  else()
    add_executable(${target} ${driver} ${sources})
    target_include_directories(${target} PRIVATE ${PVM_SDK_DIR})
    if(libs)
      set(options -fvisibility=hidden ${flags})
    else()
      set(options -ffreestanding -fvisibility=hidden ${flags})
    endif()
    set_source_files_properties(${sources} TARGET_DIRECTORY ${target} PROPERTIES
                                COMPILE_OPTIONS "${options}")
  endif()
  if(m IN_LIST libs)
    target_link_libraries(${target} PRIVATE m)
  endif()
  set_target_properties(${target} PROPERTIES OUTPUT_NAME guest-${name}
                        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  add_dependencies(guests ${target})
endfunction()

# pvm_add_guest_native_i386(<name> <source>... [clang flags...]), when native-i386 is in
# PVM_GUEST_TARGETS: the guest's -m32 objects (guests/native-i386/<name>.o, what the bench
# engine native-i386 links) and a driver linked from them with native_driver.c -m32, which
# the checksum tests run (under qemu-i386 when the kernel cannot run i386 programs). Not part
# of pvm_add_guest: a guest must choose its 32-bit paths without __int128 (i386 has none,
# and libgcc no helpers for it), as the benchmark guests do by UINTPTR_MAX.
function(pvm_add_guest_native_i386 name)
  _pvm_guest_parse(arg ${ARGN})
  set(sources ${arg_SOURCES})
  set(flags ${arg_FLAGS})
  set(dir ${PVM_GUEST_OUT}/native-i386)
  _pvm_guest_objects(native-i386 ${dir} ${name} objects "${sources}" "${flags}")
  set(driver ${PVM_SDK_DIR}/native_driver.c)
  add_custom_command(
    OUTPUT ${dir}/guest-${name}
    COMMAND ${PVM_GUEST_CLANG} ${PVM_GUEST_CFLAGS_native-i386} -O2 ${driver} ${objects} -o ${dir}/guest-${name}
    DEPENDS ${driver} ${objects}
    COMMENT "guest native-i386: guest-${name}"
    VERBATIM)
  add_custom_target(guest-${name}-native-i386 DEPENDS ${dir}/guest-${name})
  add_dependencies(guests guest-${name}-native-i386)
endfunction()

function(_pvm_guest_wasm name sources flags)
  _pvm_guest_objects(wasm32 ${PVM_GUEST_OUT}/wasm32 ${name} objects "${sources}" "${flags}")
  set(wasm ${PVM_GUEST_OUT}/wasm32/${name}.wasm)
  _pvm_guest_runtime(wasm32 runtime)
  add_custom_command(
    OUTPUT ${wasm}
    COMMAND ${PVM_GUEST_CLANG} ${PVM_GUEST_CFLAGS_wasm32} -nostdlib -Wl,--no-entry
            -Wl,--export=run ${objects} ${runtime} ${PVM_GUEST_WASM_BUILTINS} -o ${wasm}
    DEPENDS ${objects} ${runtime}
    COMMENT "guest wasm32: ${name}.wasm"
    VERBATIM)
  add_custom_target(guest-${name}-wasm DEPENDS ${wasm})
  add_dependencies(guest-${name}-wasm pvm-guest-rt-wasm32)
  add_dependencies(guests guest-${name}-wasm)
endfunction()

# pvm_add_guest_riscv(<rv64|rv32> <name> <source>... [LIBS <lib>...] [FLAGS] [clang flags...])
# Only the riscv ELFs (e.g. for a guest whose imports no native or wasm harness provides):
# <name>.elf for pvm-link and, without LIBS, <name>.qemu.elf for the qemu oracle. With LIBS
# (c, m: the SDK's C and math libraries) the ELF is linked by pvm-cc --emit-elf, as a user
# of pvm-cc would get it (export "main" when a source defines main()).
function(pvm_add_guest_riscv target name)
  _pvm_guest_parse(arg ${ARGN})
  set(dir ${PVM_GUEST_OUT}/${target})
  set(elf ${dir}/${name}.elf)
  _pvm_guest_runtime(${target} runtime)
  if(arg_LIBS)
    _pvm_guest_c_libraries(${target} libdir)
    _pvm_guest_objects(${target} ${dir} ${name} objects "${arg_SOURCES}"
                       "${PVM_SDK_PROGRAM_CFLAGS};${arg_FLAGS}")
    set(libs "")
    foreach(lib IN LISTS arg_LIBS)
      if(NOT lib STREQUAL "c")
        list(APPEND libs -l${lib})
      endif()
    endforeach()
    add_custom_command(
      OUTPUT ${elf}
      COMMAND ${CMAKE_BINARY_DIR}/bin/pvm-cc --target ${target} --emit-elf ${objects} ${libs} -o ${elf}
      DEPENDS ${objects} ${runtime} ${libdir}/libc.a ${libdir}/libm.a ${PVM_SDK_DIR}/pvm_guest.ld
              ${PVM_SDK_DIR}/pvm-cc.in
      COMMENT "guest ${target}: ${name}.elf (pvm-cc, for pvm-link)"
      VERBATIM)
    add_custom_target(guest-${name}-${target} DEPENDS ${elf})
    add_dependencies(guest-${name}-${target} pvm-sdk-libc-${target} pvm-sdk-libm-${target})
  else()
    _pvm_guest_objects(${target} ${dir} ${name} objects "${arg_SOURCES}" "${arg_FLAGS}")
    _pvm_guest_qemu_start(${target} qemu_start)
    add_custom_command(
      OUTPUT ${elf}
      COMMAND ${PVM_GUEST_LLD} ${PVM_GUEST_LDFLAGS_pvm} ${objects} ${runtime} -o ${elf}
      DEPENDS ${objects} ${runtime} ${PVM_SDK_DIR}/pvm_guest.ld
      COMMENT "guest ${target}: ${name}.elf (for pvm-link)"
      VERBATIM)
    add_custom_command(
      OUTPUT ${dir}/${name}.qemu.elf
      COMMAND ${PVM_GUEST_LLD} ${PVM_GUEST_LDFLAGS_qemu} ${qemu_start} ${objects} ${runtime}
              -o ${dir}/${name}.qemu.elf
      DEPENDS ${qemu_start} ${objects} ${runtime}
      COMMENT "guest ${target}: ${name}.qemu.elf (qemu oracle)"
      VERBATIM)
    add_custom_target(guest-${name}-${target} DEPENDS ${elf} ${dir}/${name}.qemu.elf)
    add_dependencies(guest-${name}-${target} pvm-guest-qemu-start-${target})
  endif()
  add_dependencies(guest-${name}-${target} pvm-guest-rt-${target})
  add_dependencies(guests guest-${name}-${target})
endfunction()

# pvm_add_guest(<name> <source>... [LIBS <lib>...] [FLAGS] [extra clang flags...])
# Builds the guest for native and every available cross target. Sources are .c/.S/.s files;
# other arguments are clang flags. LIBS c and/or m: a C program on the SDK's C library (see
# pvm_add_guest_riscv); natively it links the host's libc (and libm for m); no wasm32 build.
function(pvm_add_guest name)
  _pvm_guest_parse(arg ${ARGN})
  _pvm_guest_native(${name} "${arg_SOURCES}" "${arg_LIBS}" "${arg_FLAGS}")
  if(wasm32 IN_LIST PVM_GUEST_TARGETS AND NOT arg_LIBS)
    _pvm_guest_wasm(${name} "${arg_SOURCES}" "${arg_FLAGS}")
  endif()
  foreach(target rv64 rv32)
    if(target IN_LIST PVM_GUEST_TARGETS)
      pvm_add_guest_riscv(${target} ${name} ${ARGN})
    endif()
  endforeach()
endfunction()
