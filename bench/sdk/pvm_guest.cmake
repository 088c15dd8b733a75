# Builds C guests for four targets from one source:
#   native  clang -O2 object linked into a timing driver          -> bin/guest-<name>
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
set(PVM_GUEST_CFLAGS_wasm32 --target=wasm32)
set(PVM_GUEST_CFLAGS_native "")
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

# The SDK runtime for one target as an archive, built once: memory functions everywhere,
# integer helpers on riscv. Sets <out_var> to the archive path.
function(_pvm_guest_runtime target out_var)
  set(dir ${PVM_GUEST_OUT}/${target}/sdk)
  set(archive ${dir}/libpvm_guest_rt.a)
  set(${out_var} ${archive} PARENT_SCOPE)
  if(TARGET pvm-guest-rt-${target})
    return()
  endif()
  set(sources ${PVM_SDK_DIR}/runtime/memory.c)
  if(target MATCHES "^rv")
    list(APPEND sources ${PVM_SDK_DIR}/runtime/int_helpers.c)
  endif()
  set(objects "")
  foreach(source IN LISTS sources)
    get_filename_component(stem ${source} NAME_WE)
    _pvm_guest_compile(${target} ${source} ${dir}/${stem}.o)
    list(APPEND objects ${dir}/${stem}.o)
  endforeach()
  add_custom_command(
    OUTPUT ${archive}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${archive}
    COMMAND ${PVM_GUEST_AR} rcs ${archive} ${objects}
    DEPENDS ${objects}
    COMMENT "guest ${target}: SDK runtime"
    VERBATIM)
  add_custom_target(pvm-guest-rt-${target} DEPENDS ${archive})
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

function(_pvm_guest_native name source)
  set(target guest-${name}-native)
  if(PVM_GUEST_CLANG)
    set(object ${PVM_GUEST_OUT}/native/${name}.o)
    _pvm_guest_compile(native ${source} ${object} ${ARGN})
    add_executable(${target} ${PVM_SDK_DIR}/native_driver.c ${object})
  else()
    add_executable(${target} ${PVM_SDK_DIR}/native_driver.c ${source})
    target_include_directories(${target} PRIVATE ${PVM_SDK_DIR})
    set(options -ffreestanding -fvisibility=hidden ${ARGN})
    set_source_files_properties(${source} TARGET_DIRECTORY ${target} PROPERTIES
                                COMPILE_OPTIONS "${options}")
  endif()
  set_target_properties(${target} PROPERTIES OUTPUT_NAME guest-${name}
                        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  add_dependencies(guests ${target})
endfunction()

function(_pvm_guest_wasm name source)
  set(object ${PVM_GUEST_OUT}/wasm32/${name}.o)
  set(wasm ${PVM_GUEST_OUT}/wasm32/${name}.wasm)
  _pvm_guest_compile(wasm32 ${source} ${object} ${ARGN})
  _pvm_guest_runtime(wasm32 runtime)
  add_custom_command(
    OUTPUT ${wasm}
    COMMAND ${PVM_GUEST_CLANG} ${PVM_GUEST_CFLAGS_wasm32} -nostdlib -Wl,--no-entry
            -Wl,--export=run ${object} ${runtime} ${PVM_GUEST_WASM_BUILTINS} -o ${wasm}
    DEPENDS ${object} ${runtime}
    COMMENT "guest wasm32: ${name}.wasm"
    VERBATIM)
  add_custom_target(guest-${name}-wasm DEPENDS ${wasm})
  add_dependencies(guests guest-${name}-wasm)
endfunction()

# pvm_add_guest_riscv(<rv64|rv32> <name> <source.c> [extra clang flags...])
# Only the riscv ELFs (e.g. for a guest whose imports no native or wasm harness provides).
function(pvm_add_guest_riscv target name source)
  set(dir ${PVM_GUEST_OUT}/${target})
  set(object ${dir}/${name}.o)
  _pvm_guest_compile(${target} ${source} ${object} ${ARGN})
  _pvm_guest_runtime(${target} runtime)
  _pvm_guest_qemu_start(${target} qemu_start)
  add_custom_command(
    OUTPUT ${dir}/${name}.elf
    COMMAND ${PVM_GUEST_LLD} ${PVM_GUEST_LDFLAGS_pvm} ${object} ${runtime} -o ${dir}/${name}.elf
    DEPENDS ${object} ${runtime} ${PVM_SDK_DIR}/pvm_guest.ld
    COMMENT "guest ${target}: ${name}.elf (for pvm-link)"
    VERBATIM)
  add_custom_command(
    OUTPUT ${dir}/${name}.qemu.elf
    COMMAND ${PVM_GUEST_LLD} ${PVM_GUEST_LDFLAGS_qemu} ${qemu_start} ${object} ${runtime}
            -o ${dir}/${name}.qemu.elf
    DEPENDS ${qemu_start} ${object} ${runtime}
    COMMENT "guest ${target}: ${name}.qemu.elf (qemu oracle)"
    VERBATIM)
  add_custom_target(guest-${name}-${target} DEPENDS ${dir}/${name}.elf ${dir}/${name}.qemu.elf)
  add_dependencies(guests guest-${name}-${target})
endfunction()

# pvm_add_guest(<name> <source.c> [extra clang flags...])
# Builds the guest for native and every available cross target.
function(pvm_add_guest name source)
  _pvm_guest_native(${name} ${source} ${ARGN})
  if(wasm32 IN_LIST PVM_GUEST_TARGETS)
    _pvm_guest_wasm(${name} ${source} ${ARGN})
  endif()
  foreach(target rv64 rv32)
    if(target IN_LIST PVM_GUEST_TARGETS)
      pvm_add_guest_riscv(${target} ${name} ${source} ${ARGN})
    endif()
  endforeach()
endfunction()

# pvm_read_guest_manifest(<file> <prefix>): parses GUEST(...) lines of a guests.def into
# <prefix>_NAMES and, per name, <prefix>_<name>_{SOURCE,QUICK,FULL,QUICK_SUM,FULL_SUM}.
function(pvm_read_guest_manifest file prefix)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
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
