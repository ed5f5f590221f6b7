package dev.ebpfexporter.bcc;

/** Tracepoint types without a kernel: every event has {@code struct trace_event_raw_<event>}. */
final class FixedTracepointTypes implements TracepointTypes {
    @Override
    public TracepointType resolve(String category, String event) {
        if (event.equals("missing")) {
            throw new IllegalArgumentException("tracepoint " + category + ":" + event + " not found");
        }
        return new TracepointType("struct trace_event_raw_" + event, "");
    }
}
