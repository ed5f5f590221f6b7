package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.testing.BpfAvailability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmarks write their tables and logs. */
final class BenchmarkOutput {
    private BenchmarkOutput() {
    }

    /** {@code -Dbenchmark.output} (the benchmarks profile sets target/benchmarks), or target/benchmarks; created. */
    static Path dir() throws IOException {
        Path dir = Path.of(System.getProperty("benchmark.output",
                BpfAvailability.projectRoot().resolve("target/benchmarks").toString()));
        return Files.createDirectories(dir);
    }
}
