package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.events.PerfBuffer;
import dev.ebpfexporter.bpf.events.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that polls one perf or ring buffer until closed. Polling uses a short timeout so
 * that closing never waits long; the buffer is freed by the pump itself after its last poll.
 */
final class EventPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPump.class);
    private static final int POLL_TIMEOUT_MILLIS = 100;

    private interface Poll {
        void poll(int timeoutMillis) throws BpfException;
    }

    private final Poll poll;
    private final Runnable free;
    private final Runnable afterLast;
    private final Thread thread;
    private volatile boolean running = true;

    EventPump(String name, PerfBuffer buffer) {
        this(name, buffer::poll, buffer::close, () -> { });
    }

    /** @param afterLast runs on the polling thread after the buffer is freed (e.g. flush spans) */
    EventPump(String name, RingBuffer buffer, Runnable afterLast) {
        this(name, buffer::poll, buffer::close, afterLast);
    }

    private EventPump(String name, Poll poll, Runnable free, Runnable afterLast) {
        this.poll = poll;
        this.free = free;
        this.afterLast = afterLast;
        this.thread = Thread.ofPlatform().daemon().name("events-" + name).start(this::run);
    }

    private void run() {
        try {
            while (running) {
                poll.poll(POLL_TIMEOUT_MILLIS);
            }
        } catch (BpfException e) {
            LOG.error("{}; events no longer handled", e.getMessage());
        } finally {
            free.run();
            try {
                afterLast.run();
            } catch (RuntimeException e) {
                LOG.warn("after last poll: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
