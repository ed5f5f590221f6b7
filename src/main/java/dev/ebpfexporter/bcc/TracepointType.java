package dev.ebpfexporter.bcc;

/**
 * The C type of a tracepoint's record, which a {@code TRACEPOINT_PROBE}'s {@code args} points to.
 *
 * @param typeName   e.g. {@code struct trace_event_raw_timer_start}
 * @param definition C that defines the type, or empty when vmlinux.h has it
 */
public record TracepointType(String typeName, String definition) {
}
