package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.events.PerfBuffer;
import dev.ebpfexporter.bpf.events.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that polls one perf or ring buffer until closed. Polling uses a short timeout so
 * that closing never waits long; the buffer is freed by the pump itself after its last poll, or by
 * the factory when the thread cannot start, so the buffer never has a second owner that could free
 * it under a poll.
 */
final class EventPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPump.class);
    private static final int POLL_TIMEOUT_MILLIS = 100;

    /** Opens the buffer the pump will own. */
    @FunctionalInterface
    interface Opener<B> {
        B open() throws BpfException;
    }

    private interface Poll {
        void poll(int timeoutMillis) throws BpfException;
    }

    private final String name;
    private final Runnable afterLast;
    private Poll poll;
    private Runnable free;
    private Thread thread;
    private volatile boolean running = true;

    private EventPump(String name, Runnable afterLast) {
        this.name = name;
        this.afterLast = afterLast;
    }

    static EventPump perf(String name, Opener<PerfBuffer> open) throws BpfException {
        EventPump pump = new EventPump(name, () -> { });
        PerfBuffer buffer = open.open();
        pump.start(buffer::poll, buffer::close);
        return pump;
    }

    /** @param afterLast runs on the polling thread after the buffer is freed (e.g. flush spans) */
    static EventPump ring(String name, Opener<RingBuffer> open, Runnable afterLast) throws BpfException {
        EventPump pump = new EventPump(name, afterLast);
        RingBuffer buffer = open.open();
        pump.start(buffer::poll, buffer::close);
        return pump;
    }

    private void start(Poll poll, Runnable free) {
        this.poll = poll;
        this.free = free;
        try {
            thread = Thread.ofPlatform().daemon().name("events-" + name).start(this::run);
        } catch (Throwable t) {
            free.run(); // no thread polls it: free it here, or nobody will
            throw t;
        }
    }

    private void run() {
        try {
            while (running) {
                poll.poll(POLL_TIMEOUT_MILLIS);
            }
        } catch (BpfException e) {
            LOG.error("{}; events no longer handled", e.getMessage(), e);
        } finally {
            free.run();
            try {
                afterLast.run();
            } catch (RuntimeException e) {
                LOG.warn("events-{}: after last poll: {}", name, e.toString(), e);
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
        if (thread.isAlive()) {
            LOG.warn("events-{}: still polling after 10 s; its buffer stays allocated", name);
        }
    }

    @Override
    public String toString() {
        return "events-" + name;
    }
}
