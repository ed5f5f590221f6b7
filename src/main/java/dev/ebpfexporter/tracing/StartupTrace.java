package dev.ebpfexporter.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The trace the exporter makes of its own start-up and shutdown, with the reference's span names:
 * {@code attach} → {@code attach_configs} → {@code attach_config} (attribute {@code config}) →
 * {@code new_module}, {@code pass_kaddrs}, {@code bpf_load_object}, {@code attach_module}; and
 * {@code detach} → {@code close_module} (attribute {@code config}, events {@code prog_detach} with
 * {@code SEC}, then {@code close}). Spans go to the default service's tracer.
 */
public final class StartupTrace {
    /** When tracing is not configured: steps that record nothing. */
    public static final StartupTrace NONE = new StartupTrace(null);

    private final Tracer tracer;

    private StartupTrace(Tracer tracer) {
        this.tracer = tracer;
    }

    /** A step that records nothing (loading without a start-up trace). */
    public static Step none() {
        return new Step(null, NONE);
    }

    public static StartupTrace of(Tracing tracing) {
        return new StartupTrace(tracing.tracer(""));
    }

    /** Starts a root span. */
    public Step root(String name) {
        return start(name, Context.root(), Attributes.empty());
    }

    private Step start(String name, Context parent, Attributes attributes) {
        if (tracer == null) {
            return new Step(null, this);
        }
        EventIds.next(null);
        EventIds.nextTrace(null);
        Span span = tracer.spanBuilder(name).setParent(parent).setAllAttributes(attributes).startSpan();
        return new Step(span, this);
    }

    /** One span of the trace; closing it ends it. */
    public static final class Step implements AutoCloseable {
        private final Span span;
        private final StartupTrace trace;

        private Step(Span span, StartupTrace trace) {
            this.span = span;
            this.trace = trace;
        }

        /** A child span, with string attributes given as key, value, key, value... */
        public Step child(String name, String... attributes) {
            if (span == null) {
                return this;
            }
            var builder = Attributes.builder();
            for (int i = 0; i + 1 < attributes.length; i += 2) {
                builder.put(AttributeKey.stringKey(attributes[i]), attributes[i + 1]);
            }
            return trace.start(name, Context.root().with(span), builder.build());
        }

        /** An event on this span, with string attributes given as key, value, ... */
        public void event(String name, String... attributes) {
            if (span != null) {
                var builder = Attributes.builder();
                for (int i = 0; i + 1 < attributes.length; i += 2) {
                    builder.put(AttributeKey.stringKey(attributes[i]), attributes[i + 1]);
                }
                span.addEvent(name, builder.build());
            }
        }

        /** Marks the span failed with the error's one-line message. */
        public void fail(String message) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, message);
            }
        }

        @Override
        public void close() {
            if (span != null) {
                span.end();
            }
        }
    }
}
