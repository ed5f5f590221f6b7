package dev.ebpfexporter.tracing;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.SpanConfig;
import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.SkipKeyException;
import dev.ebpfexporter.metrics.DecoderFactory;
import dev.ebpfexporter.metrics.KeyLayout;
import dev.ebpfexporter.metrics.LabelChain;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns ring buffer records of one {@code tracing.spans} entry into spans. The record is laid out
 * as the labels say (like a map key); labels with these names make the span, as in the reference:
 * {@code trace_id} (16 bytes, hex), {@code parent_span_id} and {@code span_id} (8 bytes, hex; all
 * zero = none), {@code span_monotonic_timestamp_ns} (start, CLOCK_MONOTONIC), {@code span_duration_ns},
 * {@code span_name} (overrides the configured name). Every other label becomes a string attribute,
 * and {@code ebpf_exporter.config} names the config.
 */
public final class SpanStream {
    private static final Logger LOG = LoggerFactory.getLogger(SpanStream.class);
    private static final String NIL_SPAN_ID = "0000000000000000";
    private static final String NIL_TRACE_ID = "00000000000000000000000000000000";

    private static final io.opentelemetry.api.common.AttributeKey<String> CONFIG =
            io.opentelemetry.api.common.AttributeKey.stringKey("ebpf_exporter.config");

    private final SpanConfig config;
    private final String configName;
    private final Tracer tracer;
    private final KeyLayout layout;
    private final List<LabelChain> chains;
    private final LongAdder decoderErrors;
    private final LongAdder spans = new LongAdder();

    private SpanStream(SpanConfig config, String configName, Tracer tracer, KeyLayout layout, List<LabelChain> chains,
                       LongAdder decoderErrors) {
        this.config = config;
        this.configName = configName;
        this.tracer = tracer;
        this.layout = layout;
        this.chains = chains;
        this.decoderErrors = decoderErrors;
    }

    /**
     * @param configName the config the span config is part of, set on every span as
     *                   {@code ebpf_exporter.config} (as the reference tags them)
     */
    public static SpanStream bind(SpanConfig config, String configName, Tracing tracing, DecoderFactory decoders,
                                  LongAdder decoderErrors) throws ConfigException {
        List<LabelChain> chains = new ArrayList<>();
        for (LabelConfig label : config.labels()) {
            chains.add(LabelChain.of(label, decoders));
        }
        return new SpanStream(config, configName, tracing.tracer(config.service()), KeyLayout.of(config.labels()),
                List.copyOf(chains), decoderErrors);
    }

    public SpanConfig config() {
        return config;
    }

    /** Spans made so far. */
    public long spans() {
        return spans.sum();
    }

    /** Handles one ring buffer record (on the polling thread). */
    public void onRecord(byte[] record) {
        byte[] data = record.length >= layout.keySize() ? record : Arrays.copyOf(record, layout.keySize());
        if (record.length < layout.keySize()) {
            decoderErrors.increment();
            LOG.debug("{}: record of {} bytes is shorter than its {} labels' {} bytes", config.ringbuf(),
                    record.length, chains.size(), layout.keySize());
            return;
        }
        try {
            makeSpan(data);
            spans.increment();
        } catch (SkipKeyException skip) {
            // a decoder chose to drop this record
        } catch (DecoderException | IllegalArgumentException e) {
            decoderErrors.increment();
            LOG.debug("{}: span not made: {}", config.ringbuf(), e.getMessage(), e);
        }
    }

    private void makeSpan(byte[] data) throws DecoderException {
        String name = config.name().isEmpty() ? config.ringbuf() : config.name();
        String traceId = null;
        String parentId = null;
        String spanId = null;
        long startNanos = -1;
        long durationNanos = 0;
        AttributesBuilder attributes = Attributes.builder().put(CONFIG, configName);
        for (int i = 0; i < chains.size(); i++) {
            LabelChain chain = chains.get(i);
            String value = chain.decode(data, layout.offsets()[i], layout.size(i));
            switch (chain.name()) {
                case "trace_id" -> traceId = hexId(value, 32, "trace_id");
                case "parent_span_id" -> parentId = value.equals(NIL_SPAN_ID) ? null : hexId(value, 16, "parent_span_id");
                case "span_id" -> spanId = value.equals(NIL_SPAN_ID) ? null : hexId(value, 16, "span_id");
                case "span_monotonic_timestamp_ns" -> startNanos = monotonicToEpochNanos(unsigned(value, chain.name()));
                case "span_duration_ns" -> durationNanos = unsigned(value, chain.name());
                case "span_name" -> name = value;
                default -> attributes.put(chain.name(), value);
            }
        }
        if (startNanos < 0) {
            startNanos = epochNanosNow();
        }
        // A parent needs both ids; without one the span is a root that keeps the event's trace id
        // (the reference's Go SDK keeps a valid trace id of an incomplete parent the same way).
        Context parent = Context.root();
        if (traceId != null && parentId != null && !traceId.equals(NIL_TRACE_ID)) {
            parent = parent.with(Span.wrap(SpanContext.create(traceId, parentId, TraceFlags.getSampled(),
                    TraceState.getDefault())));
        }
        SpanBuilder builder = tracer.spanBuilder(name)
                .setParent(parent)
                .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .setAllAttributes(attributes.build());
        EventIds.next(spanId);
        EventIds.nextTrace(traceId == null || traceId.equals(NIL_TRACE_ID) ? null : traceId);
        Span span;
        try {
            span = builder.startSpan();
        } finally {
            EventIds.next(null);
            EventIds.nextTrace(null);
        }
        span.end(startNanos + durationNanos, TimeUnit.NANOSECONDS);
    }

    private static String hexId(String value, int digits, String label) {
        String hex = value.toLowerCase(java.util.Locale.ROOT);
        if (hex.length() != digits || !HexFormat.isHexDigit(hex.charAt(0))) {
            throw new IllegalArgumentException("error parsing " + label + " \"" + value + "\": expected " + digits
                    + " hex digits");
        }
        HexFormat.of().parseHex(hex); // rejects non-hex digits
        return hex;
    }

    private static long unsigned(String value, String label) {
        try {
            return Long.parseUnsignedLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("error decoding integer for " + label + " from \"" + value + "\"", e);
        }
    }

    /** BPF's bpf_ktime_get_ns() and the JVM's nanoTime() both read CLOCK_MONOTONIC on Linux. */
    private static long monotonicToEpochNanos(long monotonic) {
        return epochNanosNow() + (monotonic - System.nanoTime());
    }

    private static long epochNanosNow() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
