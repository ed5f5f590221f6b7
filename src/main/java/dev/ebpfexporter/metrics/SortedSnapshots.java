package dev.ebpfexporter.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Snapshots from data points that a {@link SeriesPlan} already put in label order, without one
 * label set per series distinct. client_java's public constructors copy, sort and check the points
 * for duplicate labels on every scrape; at 100k series that was 80% of our collector's time, for
 * work the plan did once. client_java has constructors that skip it (its own, for points it knows
 * are sorted); they are private, so they are reached through the module's open packages (the model
 * jar is an automatic module). Should that fail (a client_java upgrade), the public constructors are
 * used: slower, same output. {@code MapMetricTest} checks that the fast path is on and agrees.
 */
final class SortedSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(SortedSnapshots.class);
    private static final MethodHandle COUNTER;
    private static final MethodHandle UNKNOWN;
    private static final MethodHandle HISTOGRAM;

    static {
        MethodHandle counter = null;
        MethodHandle unknown = null;
        MethodHandle histogram = null;
        try {
            counter = internal(CounterSnapshot.class, MethodType.methodType(void.class, MetricMetadata.class,
                    Collection.class, boolean.class));
            unknown = internal(UnknownSnapshot.class, MethodType.methodType(void.class, MetricMetadata.class,
                    Collection.class, boolean.class));
            histogram = internal(HistogramSnapshot.class, MethodType.methodType(void.class, boolean.class,
                    MetricMetadata.class, Collection.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("client_java's pre-sorted snapshot constructors are not reachable, using the public ones: {}",
                    e.toString());
            counter = null;
            unknown = null;
            histogram = null;
        }
        COUNTER = counter;
        UNKNOWN = unknown;
        HISTOGRAM = histogram;
    }

    private SortedSnapshots() {
    }

    private static MethodHandle internal(Class<?> type, MethodType constructor) throws ReflectiveOperationException {
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findConstructor(type, constructor);
    }

    /** Whether snapshots skip client_java's per-scrape sort (false only after a client_java change). */
    static boolean fast() {
        return COUNTER != null;
    }

    /** @param points in label order, labels distinct */
    static CounterSnapshot counter(MetricMetadata metadata, List<CounterDataPointSnapshot> points) {
        if (COUNTER != null) {
            try {
                return (CounterSnapshot) COUNTER.invokeExact(metadata,
                        (Collection<?>) Collections.unmodifiableList(points), true);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return new CounterSnapshot(metadata, points);
    }

    /** @param points in label order, labels distinct */
    static UnknownSnapshot unknown(MetricMetadata metadata, List<UnknownDataPointSnapshot> points) {
        if (UNKNOWN != null) {
            try {
                return (UnknownSnapshot) UNKNOWN.invokeExact(metadata,
                        (Collection<?>) Collections.unmodifiableList(points), true);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return new UnknownSnapshot(metadata, points);
    }

    /** @param points in label order, labels distinct */
    static HistogramSnapshot histogram(MetricMetadata metadata, List<HistogramDataPointSnapshot> points) {
        if (HISTOGRAM != null) {
            try {
                return (HistogramSnapshot) HISTOGRAM.invokeExact(false, metadata,
                        (Collection<?>) Collections.unmodifiableList(points), true);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return new HistogramSnapshot(metadata, points);
    }
}
