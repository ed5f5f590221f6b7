package dev.ebpfexporter.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT ask the exporter to stop, as the reference's signal handler does: the main
 * thread then closes what start-up made and exits 0, or 1 if that failed. The JVM's own handling of
 * these signals (shutdown hooks, then exit 143 or 130) is replaced, so the status says how the
 * shutdown went, not which signal came. There is no public JDK API for signals; {@code sun.misc.Signal}
 * (module jdk.unsupported) is the supported way to take them over.
 */
final class StopSignals {
    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String signal = "";

    private StopSignals() {
    }

    /** Takes over SIGTERM and SIGINT from now on. */
    static StopSignals install() {
        StopSignals stop = new StopSignals();
        for (String name : new String[]{"TERM", "INT"}) {
            Signal.handle(new Signal(name), received -> stop.request("SIG" + received.getName()));
        }
        return stop;
    }

    /** Asks for a stop (a signal's handler thread, or a test). */
    void request(String why) {
        if (requested.getCount() > 0) {
            signal = why;
        }
        requested.countDown();
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits until a stop is requested; returns what asked for it (e.g. {@code SIGTERM}). */
    String await() throws InterruptedException {
        requested.await();
        return signal;
    }
}
