package dev.ebpfexporter.bcc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a command to completion, collecting its output. */
final class ProcessRunner {
    private ProcessRunner() {
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** @param stdoutFile where stdout goes, or null to collect it */
    static Result run(List<String> command, Path stdoutFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
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
            return "";
        }
    }
}
