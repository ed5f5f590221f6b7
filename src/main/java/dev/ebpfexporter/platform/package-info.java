/**
 * What the exporter knows about the machine's architecture: one row per supported architecture
 * ({@link dev.ebpfexporter.platform.Architecture}: system call numbers, an open flag, the size of a
 * {@code va_list}, the names the syscall table, the BTF archives, clang's {@code __TARGET_ARCH_} and OpenTelemetry's
 * {@code host.arch} use),
 * chosen by the exact {@code os.arch}. Uses only the JDK; every package that needs a per-architecture
 * number takes it from here.
 */
package dev.ebpfexporter.platform;
