package dev.ebpfexporter.bcc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Runs a tool to completion, collecting its output. The tool gets a fixed environment, nothing inherited: clang
 * reads options from its environment ({@code CCC_OVERRIDE_OPTIONS} loaded a {@code -fplugin} past the
 * {@code cflags} allow-list), and so do the compiler's include search ({@code CPATH}, {@code C_INCLUDE_PATH}),
 * its tool search ({@code COMPILER_PATH}) and the dynamic loader ({@code LD_PRELOAD}).
 */
final class ProcessRunner {
    private ProcessRunner() {
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * The whole environment of every tool: a {@code PATH} of the trusted directories, for a tool that runs another,
     * and the C locale, so clang's diagnostics are the English ones {@link ClangDiagnostics} reads.
     */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "PATH", TrustedTools.DIRECTORIES.stream().map(Path::toString).collect(Collectors.joining(":")),
            "LC_ALL", "C");

    /**
     * @param command the tool's name (found by {@link TrustedTools#find}) and its arguments
     * @param stdoutFile where stdout goes, or null to collect it
     */
    static Result run(List<String> command, Path stdoutFile) throws IOException {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, TrustedTools.find(command.getFirst()).toString());
        ProcessBuilder builder = new ProcessBuilder(resolved);
        builder.environment().clear();
        builder.environment().putAll(ENVIRONMENT);
        if (stdoutFile != null) {
            builder.redirectOutput(stdoutFile.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = stdoutFile == null ? readAll(process.getInputStream()) : "";
        try {
            int code = process.waitFor();
            return new Result(code, out, err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // the process's output is gone with it; its exit status says what happened
        }
    }
}
