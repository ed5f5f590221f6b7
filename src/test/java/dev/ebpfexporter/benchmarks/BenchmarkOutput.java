package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.testing.BpfAvailability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

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

    /** A markdown table: the {@code header} line, the {@code alignment} line ({@code |---|---:|}), one line per row. */
    static <R> String table(String header, String alignment, List<R> rows, Function<R, String> line) {
        StringBuilder out = new StringBuilder(header).append('\n').append(alignment).append('\n');
        rows.forEach(row -> out.append(line.apply(row)).append('\n'));
        return out.toString();
    }
}
