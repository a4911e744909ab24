# Cross build for aarch64 (arm64) Linux on an x86_64 Debian 12 machine: Debian's cross compiler
# (crossbuild-essential-arm64) against an arm64 Debian 12 sysroot made by scripts/cross-sysroot
# (the -dev packages of every dependency, extracted by mmdebstrap). Used by
# `scripts/package --arch aarch64`; docs/portable.md.
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
#         -DPREMIGRATE_SYSROOT=/path/to/sysroot -DPREMIGRATE_BUILD_TESTS=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# The toolchain file is read again for every try_compile; the cache variable and the
# environment carry the sysroot there.
if(NOT PREMIGRATE_SYSROOT AND DEFINED ENV{PREMIGRATE_SYSROOT})
  set(PREMIGRATE_SYSROOT "$ENV{PREMIGRATE_SYSROOT}")
endif()
if(NOT PREMIGRATE_SYSROOT OR NOT EXISTS "${PREMIGRATE_SYSROOT}/usr/include/stdio.h")
  message(FATAL_ERROR "aarch64 cross build: PREMIGRATE_SYSROOT (${PREMIGRATE_SYSROOT}) is not an "
                      "arm64 sysroot; scripts/cross-sysroot makes one")
endif()
set(PREMIGRATE_SYSROOT "${PREMIGRATE_SYSROOT}" CACHE PATH "arm64 sysroot (scripts/cross-sysroot)")
set(ENV{PREMIGRATE_SYSROOT} "${PREMIGRATE_SYSROOT}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PREMIGRATE_SYSROOT)

set(CMAKE_SYSROOT "${PREMIGRATE_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${PREMIGRATE_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: only the sysroot's .pc files, their paths prefixed with the sysroot.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${PREMIGRATE_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${PREMIGRATE_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${PREMIGRATE_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Anything CMake would run (none in the premigrate target) goes through user-mode qemu.
find_program(PREMIGRATE_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(PREMIGRATE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${PREMIGRATE_QEMU_AARCH64};-L;${PREMIGRATE_SYSROOT}")
endif()
