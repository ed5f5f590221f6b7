package dev.ebpfexporter.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

import java.util.function.Supplier;

/**
 * Span ids chosen by the BPF program: the SDK asks its id generator for a new span's id, so the
 * thread that starts a span from an event sets the event's id here first. Without one (or with
 * an all-zero id) ids are random, as the reference does.
 */
final class EventIds implements IdGenerator {
    static final EventIds GENERATOR = new EventIds();
    private static final ThreadLocal<String> NEXT_SPAN_ID = new ThreadLocal<>();
    private static final ThreadLocal<String> NEXT_TRACE_ID = new ThreadLocal<>();

    private EventIds() {
    }

    /** Uses {@code spanId} (16 hex digits) for the next span started on this thread; null for a random one. */
    static void next(String spanId) {
        NEXT_SPAN_ID.set(spanId);
    }

    /** Uses {@code traceId} (32 hex digits) for the next root span started on this thread; null for a random one. */
    static void nextTrace(String traceId) {
        NEXT_TRACE_ID.set(traceId);
    }

    @Override
    public String generateSpanId() {
        return takeOr(NEXT_SPAN_ID, IdGenerator.random()::generateSpanId);
    }

    @Override
    public String generateTraceId() {
        return takeOr(NEXT_TRACE_ID, IdGenerator.random()::generateTraceId);
    }

    /** The id this thread set for its next span, used once; without one, {@code random}'s. */
    private static String takeOr(ThreadLocal<String> next, Supplier<String> random) {
        String id = next.get();
        if (id == null) {
            return random.get();
        }
        next.remove();
        return id;
    }
}
