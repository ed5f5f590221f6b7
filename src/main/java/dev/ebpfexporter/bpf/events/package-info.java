/**
 * Events the kernel pushes: libbpf's ring buffer ({@link dev.ebpfexporter.bpf.events.RingBuffer}, a
 * {@code BPF_MAP_TYPE_RINGBUF} map) and perf buffer ({@link dev.ebpfexporter.bpf.events.PerfBuffer}, a
 * {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map, with lost-sample counts), polled on one thread that the caller owns,
 * each record copied to the heap before the callback. Uses {@code bpf} (the map) and {@code sys}; never
 * {@code link} or {@code check}.
 */
package dev.ebpfexporter.bpf.events;
