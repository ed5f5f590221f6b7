package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The exporter started through the repository's launcher script, as a user or systemd runs it. */
final class Launcher implements AutoCloseable {
    final Process process;
    final Path stderr;

    private Launcher(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static Path script() {
        return BpfAvailability.projectRoot().resolve("ebpf_exporter");
    }

    /** Starts {@code prefix... ./ebpf_exporter args...} with extra environment; stderr goes to a file. */
    static Launcher start(List<String> prefix, List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(script().toString());
        command.addAll(args);
        Path stderr = Files.createTempFile("ebpf-exporter-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.directory(BpfAvailability.projectRoot().toFile());
        return new Launcher(builder.start(), stderr);
    }

    static Launcher start(String... args) throws IOException {
        return start(List.of(), List.of(args), Map.of());
    }

    /** Runs to exit; returns the exit code. */
    int waitForExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not exit within " + timeout + "; stderr:\n" + log());
        }
        return process.exitValue();
    }

    /** Waits until stderr has a line containing {@code text}. */
    void awaitLog(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("launcher exited with " + process.exitValue() + " before logging \"" + text
                        + "\"; stderr:\n" + log());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" in the log within " + timeout + "; stderr:\n" + log());
    }

    String log() throws IOException {
        return Files.readString(stderr);
    }

    List<String> logLines() throws IOException {
        return log().lines().filter(line -> !line.isBlank()).toList();
    }


    @Override
    public void close() throws Exception {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderr);
    }
}
