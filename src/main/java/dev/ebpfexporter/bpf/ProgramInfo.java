package dev.ebpfexporter.bpf;

/**
 * What the kernel reports for a loaded program.
 *
 * @param runTimeNs total time spent running, when {@code kernel.bpf_stats_enabled} is on (else 0)
 * @param runCount  number of runs, likewise
 */
public record ProgramInfo(int id, String tag, long runTimeNs, long runCount) {
}
