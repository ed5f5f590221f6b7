/**
 * The only place that touches native memory: FFM bindings to libbpf ({@code libbpf.so.1}) and libc for objects,
 * programs, maps (batch reads, per-CPU values), links, ring and perf buffers, libbpf's log and errno.
 * Uses only the JDK and SLF4J; knows nothing of configs or metrics.
 */
package dev.ebpfexporter.bpf;
