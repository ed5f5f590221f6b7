package dev.ebpfexporter.cli;

import dev.ebpfexporter.lifecycle.Resources;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The one shutdown path: its exit status says whether everything closed, in time. */
class ShutdownTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void aCleanShutdownKeepsTheStatusAndClosesInReverseOrder() {
        Resources owned = new Resources("ebpf_exporter");
        owned.add("configs", () -> closed.add("configs"));
        owned.add("web server", () -> closed.add("web server"));
        int code = Shutdown.close(LoggerFactory.getLogger(ShutdownTest.class), owned, Main.EXIT_OK, Duration.ofSeconds(30),
                status -> closed.add("halt " + status));
        assertThat(code).isEqualTo(Main.EXIT_OK);
        assertThat(closed).containsExactly("web server", "configs");
    }

    @Test
    void aFailedCloseExitsOneAfterClosingTheRest() {
        Resources owned = new Resources("ebpf_exporter");
        owned.add("configs", () -> closed.add("configs"));
        owned.add("web server", () -> {
            throw new OutOfMemoryError("stopping Jetty");
        });
        int code = Shutdown.close(LoggerFactory.getLogger(ShutdownTest.class), owned, Main.EXIT_OK, Duration.ofSeconds(30),
                status -> closed.add("halt " + status));
        assertThat(code).isEqualTo(Main.EXIT_FAILURE);
        assertThat(closed).containsExactly("configs");
    }

    @Test
    void aShutdownOverItsLimitHaltsWithOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Resources owned = new Resources("ebpf_exporter");
        owned.add("stuck config", () -> release.await(30, TimeUnit.SECONDS));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Shutdown.close(
                LoggerFactory.getLogger(ShutdownTest.class), owned, Main.EXIT_OK, Duration.ofMillis(300), status -> {
                    halted.complete(status);
                    release.countDown();
                }));
        assertThat(halted.get(10, TimeUnit.SECONDS)).isEqualTo(Main.EXIT_FAILURE);
        code.get(10, TimeUnit.SECONDS);
    }
}
