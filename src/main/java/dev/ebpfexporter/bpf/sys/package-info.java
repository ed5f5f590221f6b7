/**
 * The floor under every other {@code bpf} package: the hand-written FFM downcalls into our own libbpf 1.5
 * ({@link dev.ebpfexporter.bpf.sys.LibBpf}; the build's copy, found by {@link dev.ebpfexporter.bpf.sys.NativeLibraries}
 * beside our classes, never the host's; {@link dev.ebpfexporter.bpf.sys.LibbpfVersion} says which) and libc ({@link dev.ebpfexporter.bpf.sys.Libc}: descriptors,
 * sockets, no_new_privs on every thread, user switching), running a downcall ({@link dev.ebpfexporter.bpf.sys.Downcall}), errno
 * values and the error type that carries them ({@link dev.ebpfexporter.bpf.sys.BpfException}), libbpf's log
 * ({@link dev.ebpfexporter.bpf.sys.LibbpfLog}), and the online CPUs. Uses only the JDK, SLF4J and
 * {@code platform} (the numbers that differ per architecture); never another {@code bpf} package. Its classes are public for the other {@code bpf} packages and for cli's process set-up
 * (Libc); nothing else should call a downcall handle.
 */
package dev.ebpfexporter.bpf.sys;
