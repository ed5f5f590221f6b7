/**
 * BPF objects and maps: opening and loading an object file ({@link dev.ebpfexporter.bpf.BpfObject}), its
 * programs (name, section, fd, kernel info), its maps (element operations, batched whole-map reads, per-CPU
 * values), global variables before load and the kernel's run-time statistics switch. Under it, one subpackage per
 * kernel concept, as cilium/ebpf is organised: {@code link} (attaching programs, the one table of attach kinds),
 * {@code events} (ring and perf buffers), {@code check} (ELF and BTF checks of object files) and {@code sys}
 * (the libbpf and libc downcalls, errno, per-architecture numbers).
 * Uses {@code sys} and {@code check}; never {@code link} or {@code events} (they build on this package, and
 * {@link dev.ebpfexporter.bpf.BpfObject#open} takes the prefixes to teach libbpf as a parameter for that reason).
 * Together these five packages are the only place that touches native memory; they use only the JDK and SLF4J
 * and know nothing of configs or metrics.
 */
package dev.ebpfexporter.bpf;
