/**
 * Structural checks of a BPF object file before libbpf parses it ({@link dev.ebpfexporter.bpf.check.ObjectFileCheck}):
 * libbpf runs inside our process and trusts offsets, sizes, counts and BTF type ids of the file, so the ELF header,
 * section table, symbols, relocations, {@code .BTF} and {@code .BTF.ext} ({@code BtfCheck}) are checked first and a
 * damaged object is a one-line error instead of a crash in native code. Pure Java over the bytes read; uses
 * {@code sys} for the error type only; never touches native memory or another {@code bpf} package.
 */
package dev.ebpfexporter.bpf.check;
