package dev.ebpfexporter.cli;

import dev.ebpfexporter.lifecycle.Resources;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * The one way the exporter ends, after serving or after a start-up that stopped early: closes
 * everything start-up made, in reverse order, within a time limit, and says the exit status: 0
 * when everything closed, 1 when something failed to close. When closing takes longer than the
 * limit, the process halts with 1; the kernel frees what is left when it exits.
 */
final class Shutdown {
    private Shutdown() {
    }

    /**
     * @param code  the status start-up or serving ended with; kept when everything closes
     * @param halt  ends the process with a status ({@code Runtime.getRuntime()::halt}; a test records it)
     */
    static int close(Logger log, Resources owned, int code, Duration limit, IntConsumer halt) {
        Thread watchdog = Thread.ofPlatform().daemon().name("shutdown-limit").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return; // closed in time
            }
            log.error("shutdown did not finish in {} s; exiting anyway", limit.toSeconds());
            halt.accept(Main.EXIT_FAILURE);
        });
        try {
            owned.close();
            return code;
        } catch (RuntimeException | Error e) {
            log.error("shutdown failed: {}", e.toString(), e);
            return Main.EXIT_FAILURE;
        } finally {
            watchdog.interrupt();
        }
    }
}
