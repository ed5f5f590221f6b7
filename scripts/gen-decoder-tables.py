#!/usr/bin/env python3
"""Regenerates the decoder tables under src/main/resources/dev/ebpfexporter/decoder/ from the
kernel UAPI headers of this machine (Debian's linux-libc-dev), plus the syscalls newer than those
headers. The exporter reads only the generated files, never the headers.

Run from the repository root: scripts/gen-decoder-tables.py
"""
import re
import subprocess
import tempfile
from pathlib import Path

OUT = Path("src/main/resources/dev/ebpfexporter/decoder")

# Syscall numbers from 424 on are shared by every architecture. These were added after the
# 6.1 headers that Debian ships; keep in step with include/uapi/asm-generic/unistd.h.
SHARED_AFTER_6_1 = {
    451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack", 454: "futex_wake",
    455: "futex_wait", 456: "futex_requeue", 457: "statmount", 458: "listmount",
    459: "lsm_get_self_attr", 460: "lsm_set_self_attr", 461: "lsm_list_modules", 462: "mseal",
    463: "setxattrat", 464: "getxattrat", 465: "listxattrat", 466: "removexattrat",
    467: "open_tree_attr", 468: "file_getattr", 469: "file_setattr",
}

# What arch/arm64/include/uapi/asm/unistd.h asks of the generic table.
ARM64_WANTS = ["RENAMEAT", "NEW_STAT", "SET_GET_RLIMIT", "TIME32_SYSCALLS", "SYS_CLONE3",
               "MEMFD_SECRET"]

NOT_SYSCALLS = {"syscalls", "arch_specific_syscall"}


def resolve(defines, value, depth=0):
    value = value.strip()
    if re.fullmatch(r"\d+", value):
        return int(value)
    if depth > 10:
        return None
    m = re.fullmatch(r"\(?\s*(\w+)\s*\+\s*(\d+)\s*\)?", value)
    if m and m.group(1) in defines:
        base = resolve(defines, defines[m.group(1)], depth + 1)
        return None if base is None else base + int(m.group(2))
    if value in defines:
        return resolve(defines, defines[value], depth + 1)
    return None


def table(define_lines):
    defines = {}
    for line in define_lines:
        m = re.match(r"#define\s+(\w+)\s+(.+)$", line)
        if m:
            defines[m.group(1)] = m.group(2)
    out = {}
    for name, value in defines.items():
        if not name.startswith("__NR_"):
            continue
        syscall = name[len("__NR_"):]
        number = resolve(defines, value)
        if syscall in NOT_SYSCALLS or number is None or number >= 1000:
            continue
        out.setdefault(number, syscall)
    for number, syscall in SHARED_AFTER_6_1.items():
        out.setdefault(number, syscall)
    return out


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(header)
        for number in sorted(rows):
            f.write(f"{number} {rows[number]}\n")


def main():
    x86 = Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h").read_text().splitlines()
    write(OUT / "syscalls-x86_64.txt",
          "# x86_64 syscall number to name, from asm/unistd_64.h (scripts/gen-decoder-tables.py)\n",
          table(x86))

    with tempfile.NamedTemporaryFile("w", suffix=".c") as c:
        c.write("".join(f"#define __ARCH_WANT_{w}\n" for w in ARM64_WANTS))
        c.write("#include <asm-generic/unistd.h>\n")
        c.flush()
        arm = subprocess.run(["cpp", "-dM", c.name], check=True, capture_output=True,
                             text=True).stdout.splitlines()
    write(OUT / "syscalls-aarch64.txt",
          "# arm64 syscall number to name, from asm-generic/unistd.h (scripts/gen-decoder-tables.py)\n",
          table(arm))

    errnos = {}
    for header in ["errno-base.h", "errno.h"]:
        for line in Path("/usr/include/asm-generic", header).read_text().splitlines():
            m = re.match(r"#define\s+(E\w+)\s+(\d+)", line)
            if m:
                errnos.setdefault(int(m.group(2)), m.group(1))
    # The reference prints Go's x/sys/unix names, which (like glibc) call 95 ENOTSUP.
    errnos[95] = "ENOTSUP"
    write(OUT / "errno.txt",
          "# Linux errno number to name, from asm-generic/errno*.h (scripts/gen-decoder-tables.py)\n",
          errnos)


if __name__ == "__main__":
    main()
