package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMaps;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * The exporter as users run it ({@code ./ebpf_exporter}, the launcher's JVM flags) on a config dir,
 * serving on an ephemeral loopback port; the benchmark opens the exporter's maps by kernel id
 * ({@link BpfMaps#openHeldBy}, root only) to fill them and to read them itself. Closing stops it.
 */
record LaunchedExporter(Process process, URI url, Path log) implements AutoCloseable {

    /** Starts {@code ./ebpf_exporter --config.dir=dir --config.names=names} plus {@code flags}; returns once it serves 200. */
    static LaunchedExporter launch(Path root, Path dir, String names, Path log, List<String> flags) throws Exception {
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(root.resolve("ebpf_exporter").toString(),
                "--config.dir=" + dir, "--config.names=" + names, "--web.listen-address=127.0.0.1:" + port));
        command.addAll(flags);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LaunchedExporter exporter = new LaunchedExporter(process, URI.create("http://127.0.0.1:" + port + "/metrics"), log);
        try {
            exporter.awaitServing();
            return exporter;
        } catch (Exception | AssertionError e) {
            exporter.close();
            throw e;
        }
    }

    private void awaitServing() throws Exception {
        Scrapes.firstMetrics(url, process::isAlive, log, Duration.ofSeconds(90));
    }

    /** A new fd on the exporter's map called {@code name} (the same kernel map the exporter reads). */
    BpfMaps.Owned openMap(String name) throws BpfException, IOException {
        return BpfMaps.openHeldBy(process.pid(), name);
    }

    /** User + system CPU of the exporter process (all threads, GC and JIT included), from /proc in 10 ms ticks. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A temporary config dir: {@code <name>.yaml} and its object {@code <name>.bpf.o} per config;
     * closing deletes it.
     */
    static final class ConfigDir implements AutoCloseable {
        private final Path path;

        ConfigDir(String prefix) throws IOException {
            path = Files.createTempDirectory(prefix);
        }

        Path path() {
            return path;
        }

        /** Adds config {@code name}: its YAML and a copy of {@code object} (a path under the project root). */
        ConfigDir add(String name, String yaml, Path object) throws IOException {
            Files.writeString(path.resolve(name + ".yaml"), yaml);
            Files.copy(object, path.resolve(name + ".bpf.o"));
            return this;
        }

        @Override
        public void close() throws IOException {
            try (var files = Files.list(path)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(path);
        }
    }

}
