package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.bpf.PerfBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that polls one perf buffer until closed. Polling uses a short timeout so that
 * closing never waits long; the buffer is freed by the pump itself after its last poll.
 */
final class EventPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPump.class);
    private static final int POLL_TIMEOUT_MILLIS = 100;

    private final PerfBuffer buffer;
    private final Thread thread;
    private volatile boolean running = true;

    EventPump(String name, PerfBuffer buffer) {
        this.buffer = buffer;
        this.thread = Thread.ofPlatform().daemon().name("events-" + name).start(this::run);
    }

    private void run() {
        try {
            while (running) {
                buffer.poll(POLL_TIMEOUT_MILLIS);
            }
        } catch (BpfException e) {
            LOG.error("{}; events no longer counted", e.getMessage());
        } finally {
            buffer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
