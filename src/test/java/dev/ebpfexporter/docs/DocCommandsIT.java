package dev.ebpfexporter.docs;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fenced shell block of README.md, docs/*.md and examples/*.md, and every command in their
 * tables, runs as written (as root, from the repository root), unless a
 * {@code <!-- doc-test: skip: <why> -->} comment before it (in a table: in the command's cell) says
 * why not (see {@link DocBlocks}). A line that starts the exporter as a server
 * ({@code ./ebpf_exporter --config.names=...} without --config.check/--help/--version) is started
 * on a free port with what the block says; the lines after it run once it listens, with
 * {@code localhost:9435} pointing at that port, then it is stopped.
 *
 * <p>Each block runs in a scratch directory holding links to every entry of the repository root,
 * so files a block makes stay out of the tree and concurrent runs do not share them.
 */
class DocCommandsIT {
    private static final int DEFAULT_PORT = 9435;
    private static final long COMMAND_SECONDS = 180;
    private static final long LISTEN_SECONDS = 120;

    static List<Path> docs(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        for (String dir : List.of("docs", "examples")) {
            try (Stream<Path> list = Files.list(root.resolve(dir))) {
                list.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockOfTheDocsRunsAsWritten() throws IOException {
        Path root = BpfAvailability.projectRoot();
        List<DocBlocks.Block> blocks = new ArrayList<>();
        for (Path doc : docs(root)) {
            blocks.addAll(DocBlocks.read(root, doc).blocks());
        }
        return blocks.stream().filter(b -> b.skip().isEmpty())
                .map(block -> DynamicTest.dynamicTest(block.where(), () -> run(root, block)));
    }

    @Test
    void commandsAreInShellBlocksSoThatTheyAreTested() throws IOException {
        Path root = BpfAvailability.projectRoot();
        List<String> unlabelled = new ArrayList<>();
        for (Path doc : docs(root)) {
            unlabelled.addAll(DocBlocks.read(root, doc).unlabelledCommands());
        }
        assertThat(unlabelled).as(String.join("\n", unlabelled)).isEmpty();
    }

    @Test
    void everySkippedBlockSaysWhy() throws IOException {
        Path root = BpfAvailability.projectRoot();
        for (Path doc : docs(root)) {
            for (DocBlocks.Block block : DocBlocks.read(root, doc).blocks()) {
                block.skip().ifPresent(why -> assertThat(why).as(block.where()).hasSizeGreaterThan(10));
            }
        }
    }

    private static void run(Path root, DocBlocks.Block block) throws Exception {
        BpfAvailability.require();
        Path scratch = Files.createTempDirectory("doc-test-");
        try {
            linkRepository(root, scratch);
            List<String> lines = block.script().lines().toList();
            int server = serverLine(lines);
            if (server < 0) {
                runScript(block, scratch, String.join("\n", lines));
                return;
            }
            runScript(block, scratch, String.join("\n", lines.subList(0, server)));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = scratch.resolve("exporter.log");
            String command = lines.get(server) + " --web.listen-address=127.0.0.1:" + port;
            Process exporter = new ProcessBuilder("sh", "-c", "exec " + command).directory(scratch.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            try {
                awaitListening(block, lines.get(server), exporter, log);
                String rest = String.join("\n", lines.subList(server + 1, lines.size()))
                        .replace("localhost:" + DEFAULT_PORT, "localhost:" + port)
                        .replace("127.0.0.1:" + DEFAULT_PORT, "127.0.0.1:" + port);
                // Scrapes may need a moment for the first events: a few tries, a second apart.
                AssertionError last = null;
                for (int attempt = 0; attempt < 5; attempt++) {
                    try {
                        runScript(block, scratch, rest);
                        return;
                    } catch (AssertionError e) {
                        last = e;
                        Thread.sleep(1000);
                    }
                }
                throw new AssertionError(last.getMessage() + "\nexporter log:\n" + Files.readString(log), last);
            } finally {
                exporter.destroy();
                if (!exporter.waitFor(30, TimeUnit.SECONDS)) {
                    exporter.destroyForcibly();
                }
            }
        } finally {
            deleteTree(scratch);
        }
    }

    /** The index of the line that starts the exporter as a server, or -1. */
    static int serverLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            // A pipe inside a command substitution ($(ls | ...)) makes an argument, not a pipeline.
            String outside = line.replaceAll("\\$\\([^()]*\\)", "");
            if (line.startsWith("./ebpf_exporter ") && line.contains("--config.names") && !line.contains("--config.check")
                    && !line.contains("--help") && !line.contains("--version") && !outside.contains("|")
                    && !outside.contains("&")) {
                return i;
            }
        }
        return -1;
    }

    private static void awaitListening(DocBlocks.Block block, String command, Process exporter, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LISTEN_SECONDS);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            if (text.contains("msg=\"listening on")) {
                return;
            }
            if (!exporter.isAlive()) {
                throw new AssertionError(block.where() + ": `" + command + "` exited with " + exporter.exitValue()
                        + " before listening:\n" + text + "\n" + DocBlocks.HOW_TO_MARK);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(block.where() + ": `" + command + "` did not listen within " + LISTEN_SECONDS + " s:\n"
                + Files.readString(log) + "\n" + DocBlocks.HOW_TO_MARK);
    }

    /** Runs {@code script} with sh -e, tracing each command so a failure names the one that failed. */
    private static void runScript(DocBlocks.Block block, Path dir, String script) throws Exception {
        if (script.isBlank()) {
            return;
        }
        Path output = dir.resolve("output.txt");
        Process process = new ProcessBuilder("sh", "-e", "-x", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        boolean done = process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (!done || process.exitValue() != 0) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            String failed = text.lines().filter(l -> l.startsWith("+ ")).reduce((a, b) -> b).map(l -> l.substring(2))
                    .orElse(script.strip());
            throw new AssertionError(block.where() + ": `" + failed + "` "
                    + (done ? "exited with " + process.exitValue() : "did not finish in " + COMMAND_SECONDS + " s")
                    + "; output:\n" + text + "\n" + DocBlocks.HOW_TO_MARK);
        }
    }

    private static void linkRepository(Path root, Path scratch) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                Files.createSymbolicLink(scratch.resolve(entry.getFileName()), entry);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p); // links are removed, never followed
            }
        }
    }
}
