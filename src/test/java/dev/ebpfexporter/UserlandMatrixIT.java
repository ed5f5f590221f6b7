package dev.ebpfexporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.DefaultExamples;
import dev.ebpfexporter.testing.DistTarball;
import dev.ebpfexporter.testing.MappedLibbpf;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.Workloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The userland matrix: the distribution tarball, unpacked once and unchanged, runs inside Debian 11,
 * 12 and 13 minimal root file systems (scripts/userland-root.sh: debootstrap --variant=minbase, with
 * no JDK, no libbpf, no libelf) on this machine's kernel, through scripts/userland-run.sh (chroot on an
 * overlay, in a private mount namespace that the kernel unmounts when the exporter exits). There it
 * loads the default examples, serves /metrics, and both examples' metrics move. Prints one line per
 * release, as docs/userland-matrix.md quotes them.
 */
@Tag("dist")
class UserlandMatrixIT {
    /** The first debootstrap of a release took 23 to 32 s here; the cached root is reused at once. */
    private static final Duration ROOT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration MOVE_TIMEOUT = Duration.ofSeconds(30);
    /** Where the tree is mounted inside each root: the install prefix, where its AOT cache is used. */
    private static final String PREFIX = "/opt/ebpf_exporter";
    private static final int BLOCKS = 16;
    /** Debian 11's, the oldest of the matrix. */
    private static final String OLDEST_GLIBC = "2.31";

    private static Path unpacked;
    private static Path home;
    private static final List<String> ROWS = new ArrayList<>();

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        BpfAvailability.require();
        unpacked = Files.createTempDirectory(Path.of("/tmp"), "ebpf-exporter-userland-");
        home = DistTarball.unpack(DistTarball.find(), unpacked);
    }

    @AfterAll
    static void removeItAndPrintTheMatrix() {
        if (unpacked != null) {
            Workloads.run(COMMAND_TIMEOUT, List.of("rm", "-rf", unpacked.toString()));
        }
        ROWS.forEach(row -> System.out.println("UserlandMatrixIT: " + row));
    }

    @ParameterizedTest(name = "Debian {1} ({0}, glibc {2})")
    @CsvSource({"bullseye, 11, " + OLDEST_GLIBC, "bookworm, 12, 2.36", "trixie, 13, 2.41"})
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theTarballServesTheDefaultExamplesIn(String release, String version, String glibcVersion) throws Exception {
        long rootStarted = System.nanoTime();
        Workloads.Result made = Workloads.run(ROOT_TIMEOUT, List.of(script("userland-root.sh"), release)).requireSuccess();
        long rootMillis = (System.nanoTime() - rootStarted) / 1_000_000;
        Path root = Path.of(made.output().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(Files.readString(root.resolve("etc/debian_version"))).startsWith(version + ".");
        // What a minimal Debian root lacks and the tarball therefore has to bring.
        assertThat(root.resolve("usr/lib/jvm")).doesNotExist();
        assertThat(Workloads.run(COMMAND_TIMEOUT, List.of("find", root.toString(), "-name", "libbpf.so*", "-o", "-name", "libelf*.so*")).requireSuccess()
                .output()).isEmpty();
        String glibc = Workloads.run(COMMAND_TIMEOUT, List.of(script("userland-run.sh"), release, "getconf", "GNU_LIBC_VERSION"))
                .requireSuccess().output().strip();
        assertThat(glibc).isEqualTo("glibc " + glibcVersion);

        int port = Ports.free();
        Path log = Files.createTempFile("ebpf-exporter-userland-" + release, ".log");
        List<String> command = List.of(script("userland-run.sh"), "--bind", home + ":" + PREFIX, release,
                PREFIX + "/bin/ebpf_exporter", "--config.dir=" + PREFIX + "/examples", "--config.names=timers,biolatency",
                "--web.listen-address=127.0.0.1:" + port);
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        long started = System.nanoTime();
        Process exporter = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Workloads.ScratchFile file = Workloads.scratchFile("userland-" + release)) {
            Samples before = Samples.parse(Scrapes.firstMetrics(metrics, exporter::isAlive, log, START_TIMEOUT));
            long firstScrapeMillis = (System.nanoTime() - started) / 1_000_000;
            String context = release + " exporter log:\n" + Files.readString(log);
            DefaultExamples.assertServed(before);
            assertThat(before.named("ebpf_exporter_build_info")).singleElement()
                    .satisfies(s -> assertThat(s.label("libbpf_version")).isEqualTo("1.5"));
            // The exporter's own process runs in the release's root, on that root's C library and the tarball's
            // libbpf. Its maps name files by the path its root has from here (in its mount namespace).
            Path proc = Path.of("/proc", Long.toString(exporter.pid()));
            assertThat(Files.readString(proc.resolve("root/etc/debian_version"))).as(context).startsWith(version + ".");
            String processRoot = Files.readSymbolicLink(proc.resolve("root")).toString();
            assertThat(MappedLibbpf.mappedFiles(proc.resolve("maps"))).as(context)
                    .filteredOn(f -> f.matches(".*/libc[.-][^/]*")).isNotEmpty()
                    .allSatisfy(f -> assertThat(f).startsWith(processRoot + "/usr/lib/"));
            MappedLibbpf.assertOurs(proc.resolve("maps"), Path.of(processRoot + PREFIX + "/lib"));

            // Both examples move: timers on their own, block IO latency on direct writes to the root disk.
            String device = Workloads.blockDeviceOf(Workloads.SCRATCH_DIR);
            Workloads.directWrite(file.path(), 4096, BLOCKS);
            Samples[] after = new Samples[1];
            boolean moved = Workloads.await(MOVE_TIMEOUT, () -> {
                after[0] = scrape(port);
                return after[0].increaseSince(before, "ebpf_exporter_bio_latency_seconds_count", "device", device,
                        "operation", "write") >= BLOCKS
                        && after[0].sum("ebpf_exporter_timer_starts_total") > before.sum("ebpf_exporter_timer_starts_total");
            });
            double timers = after[0].sum("ebpf_exporter_timer_starts_total") - before.sum("ebpf_exporter_timer_starts_total");
            double writes = after[0].increaseSince(before, "ebpf_exporter_bio_latency_seconds_count", "device", device,
                    "operation", "write");
            assertThat(moved).as("timer starts +%s, %s writes +%s after %d direct writes; %s", timers, device, writes,
                    BLOCKS, context).isTrue();

            exporter.destroy();
            assertThat(exporter.waitFor(30, TimeUnit.SECONDS)).as(release + " exporter exits after SIGTERM").isTrue();
            assertThat(exporter.exitValue()).as(release + " exit status after SIGTERM; " + context).isZero();
            ROWS.add(String.format("Debian %s (%s, %s, %s): root %s in %d ms; first scrape after %d ms; "
                    + "timer starts +%.0f, %s writes +%.0f after %d direct writes", version, release,
                    Files.readString(root.resolve("etc/debian_version")).strip(), glibc,
                    made.output().contains("made in") ? "made" : "cached", rootMillis, firstScrapeMillis,
                    timers, device, writes, BLOCKS));
        } finally {
            if (exporter.isAlive()) {
                exporter.destroyForcibly();
                exporter.waitFor(20, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
        // The mounts lived in the exporter's own mount namespace, gone with it: none is left on this machine.
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneSatisfy(line ->
                assertThat(line).contains(root.getParent().toString()));
    }

    /**
     * The newest glibc symbol version any ELF file of the tarball needs ({@code objdump -T}: runtime/bin/*,
     * runtime/lib/**.so, lib/*.so), which is what docs/userland-matrix.md gives as the oldest glibc, and
     * which Debian 11's glibc 2.31 (the oldest root above) has.
     */
    @Test
    void theDocsNameTheNewestGlibcVersionTheTarballNeeds() throws Exception {
        BpfAvailability.requireThat(Workloads.run("sh", "-c", "command -v objdump").exitCode() == 0,
                "objdump is missing (apt-get install binutils)");
        List<Path> elves;
        try (Stream<Path> files = Files.walk(home)) {
            elves = files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).filter(UserlandMatrixIT::isSharedObjectOrExecutable).toList();
        }
        assertThat(elves).extracting(f -> home.relativize(f).toString())
                .contains("runtime/bin/java", "runtime/lib/server/libjvm.so", "lib/libbpf.so.1.5.0", "lib/libelf.so.1",
                        "lib/libpost_attach_mark.so");
        Pattern version = Pattern.compile("GLIBC_(2(?:\\.[0-9]+)+)");
        String newest = "2.0";
        Path needsIt = null;
        for (Path elf : elves) {
            String symbols = Workloads.run(COMMAND_TIMEOUT, List.of("objdump", "-T", elf.toString())).requireSuccess().output();
            Matcher m = version.matcher(symbols);
            while (m.find()) {
                if (compareVersions(m.group(1), newest) > 0) {
                    newest = m.group(1);
                    needsIt = elf;
                }
            }
        }
        assertThat(needsIt).as("no GLIBC_ symbol version in %s", elves).isNotNull();
        System.out.printf("UserlandMatrixIT: %d ELF files, newest glibc symbol version GLIBC_%s (%s)%n", elves.size(), newest,
                home.relativize(needsIt));
        assertThat(compareVersions(newest, OLDEST_GLIBC)).as("GLIBC_%s of %s against Debian 11's glibc", newest, needsIt)
                .isLessThanOrEqualTo(0);
        assertThat(Files.readString(BpfAvailability.projectRoot().resolve("docs/userland-matrix.md")))
                .contains("`GLIBC_" + newest + "` (`" + home.relativize(needsIt) + "`)");
    }

    /** Dotted versions compared number by number (2.17 < 2.31, 2.2.5 < 2.14). */
    private static int compareVersions(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(x, y);
    }

    /** ELF (0x7f 'E' 'L' 'F') of type ET_EXEC (2) or ET_DYN (3): not the examples' relocatable BPF objects. */
    private static boolean isSharedObjectOrExecutable(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(18);
            return header.length == 18 && header[0] == 0x7f && header[1] == 'E' && header[2] == 'L' && header[3] == 'F'
                    && (header[16] == 2 || header[16] == 3);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Samples scrape(int port) {
        try {
            return Samples.parse(Scrapes.metrics(port));
        } catch (Exception e) {
            throw new AssertionError("scrape of port " + port + " failed", e);
        }
    }

    private static String script(String name) {
        return BpfAvailability.projectRoot().resolve("scripts").resolve(name).toString();
    }
}
