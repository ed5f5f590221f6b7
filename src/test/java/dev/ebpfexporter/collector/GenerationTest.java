package dev.ebpfexporter.collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A retired generation waits for the scrapes reading it, and takes no new ones. */
@Timeout(30)
class GenerationTest {
    private static Generation generation() {
        return new Generation(List.of(), List.of(), new ReloadStatus(true, Optional.empty(), Instant.now(), List.of(), ""));
    }

    @Test
    void retireWaitsForTheScrapesInFlight() throws Exception {
        Generation generation = generation();
        assertThat(generation.enter()).isTrue();
        CompletableFuture<Boolean> retired = CompletableFuture.supplyAsync(() -> generation.retire(20_000));
        Thread.sleep(200);
        assertThat(retired).as("a scrape still reads it").isNotDone();
        assertThat(generation.enter()).as("no new scrape once retiring").isFalse();
        generation.exit();
        assertThat(retired.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void retireGivesUpAfterItsTime() {
        Generation generation = generation();
        assertThat(generation.enter()).isTrue();
        assertThat(generation.retire(50)).isFalse();
        generation.exit();
    }
}
