package dev.ebpfexporter.collector;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.exposition.ByteBuf;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.Format;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reloads against the real kernel while a scraper reads in a loop: the unchanged config keeps its program
 * and its counts (present in every scrape, never lower than in the scrape before), the changed configs are
 * swapped in together (no scrape shows one new and one old), a version that fails leaves the old one
 * running and says so in the status and the metrics, and removed and added configs come and go.
 */
@Timeout(180)
class ReloadTest {
    private static final List<String> ALL = List.of("steady", "a", "b");
    private static final Pattern HELP = Pattern.compile("^# HELP ebpf_exporter_reload_([ab])_switches_total (.*)$",
            Pattern.MULTILINE);

    /** What one scrape showed. */
    record Scrape(double steadyCount, double steadyGaps, String steadyProgram, Optional<String> helpA,
                  Optional<String> helpB, boolean scrapeErrors) {
    }

    @Test
    void reloadsUnderScrapingSwapWhatChangedAndLeaveTheRestUntouched(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestPrograms.config(dir, "steady", "pinned", TestPrograms.switches("pinned", "Scheduler switches"));
        writeVersion(dir, "v0");
        ConfigFiles files = new ConfigFiles();
        Exporter exporter = new Exporter(new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                MetricOptions.DEFAULT));
        List<Scrape> scrapes = new CopyOnWriteArrayList<>();
        AtomicBoolean scraping = new AtomicBoolean(true);
        try {
            assertThat(exporter.load(files.readAll(dir, ALL))).isEmpty();
            assertThat(exporter.status().successful()).isTrue();
            Exposition exposition = new Exposition(new ExporterCollector(exporter, BuildInfo.load())::open);
            Thread scraper = Thread.ofPlatform().name("scraper").start(() -> {
                while (scraping.get()) {
                    scrapes.add(scrape(exposition));
                }
            });
            String steadyProgram = scrape(exposition).steadyProgram();

            for (int v = 1; v <= 4; v++) {
                writeVersion(dir, "v" + v);
                ReloadStatus status = exporter.reload(files.readAll(dir, ALL));
                assertThat(status.errors()).isEmpty();
                assertThat(status.summary()).isEqualTo("2 changed, 0 added, 0 removed, 1 unchanged");
                awaitScrapes(scrapes, 3);
            }
            double lastSuccess = metric(exposition, "ebpf_exporter_config_last_reload_success_timestamp_seconds");
            assertThat(metric(exposition, "ebpf_exporter_config_last_reload_successful")).isEqualTo(1);

            // A version that does not read: the one that runs stays, and the reload says it failed.
            Files.writeString(dir.resolve("a.yaml"), "metrics: [");
            ReloadStatus failed = exporter.reload(files.readAll(dir, ALL));
            assertThat(failed.successful()).isFalse();
            assertThat(failed.summary()).isEqualTo("0 changed, 0 added, 0 removed, 2 unchanged, 1 failed");
            assertThat(failed.errors()).singleElement().asString()
                    .startsWith(dir.resolve("a.yaml") + ":1:").endsWith("(the previous version keeps running)");
            assertThat(metric(exposition, "ebpf_exporter_config_last_reload_successful")).isEqualTo(0);
            assertThat(metric(exposition, "ebpf_exporter_config_last_reload_success_timestamp_seconds")).isEqualTo(lastSuccess);
            awaitScrapes(scrapes, 3);
            assertThat(scrapes.getLast().helpA()).contains("Switches, version v4");
            // One that reads but does not load (its map is not in the object) is kept as well.
            Files.writeString(dir.resolve("a.yaml"), TestPrograms.switches("reload_b", "Switches, version v5"));
            failed = exporter.reload(files.readAll(dir, ALL));
            assertThat(failed.errors()).singleElement().asString().startsWith("config a: ")
                    .contains("map \"reload_b_switches_total\" not found").endsWith("(the previous version keeps running)");
            assertThat(exporter.configs()).extracting(LoadedConfig::name).containsExactly("steady", "a", "b");

            writeVersion(dir, "v6");
            ReloadStatus fixed = exporter.reload(files.readAll(dir, ALL));
            assertThat(fixed.successful()).isTrue();
            assertThat(fixed.summary()).isEqualTo("2 changed, 0 added, 0 removed, 1 unchanged");
            assertThat(metric(exposition, "ebpf_exporter_config_last_reload_successful")).isEqualTo(1);
            assertThat(metric(exposition, "ebpf_exporter_config_last_reload_success_timestamp_seconds"))
                    .isGreaterThan(lastSuccess);

            // The names are the reload's: b removed, then added again.
            assertThat(exporter.reload(files.readAll(dir, List.of("steady", "a"))).summary())
                    .isEqualTo("0 changed, 0 added, 1 removed, 2 unchanged");
            awaitScrapes(scrapes, 3);
            assertThat(scrapes.getLast().helpB()).isEmpty();
            assertThat(exporter.reload(files.readAll(dir, ALL)).summary()).isEqualTo("0 changed, 1 added, 0 removed, 2 unchanged");
            awaitScrapes(scrapes, 3);
            scraping.set(false);
            scraper.join();

            System.out.printf("ReloadTest: %d scrapes during 9 reloads; the unchanged counter went from %.0f to %.0f,"
                    + " its histogram's count from %.0f to %.0f%n", scrapes.size(), scrapes.getFirst().steadyCount(),
                    scrapes.getLast().steadyCount(), scrapes.getFirst().steadyGaps(), scrapes.getLast().steadyGaps());
            assertThat(scrapes).hasSizeGreaterThan(20);
            Scrape previous = null;
            for (Scrape scrape : scrapes) {
                assertThat(scrape.scrapeErrors()).as("no part of any scrape failed").isFalse();
                assertThat(scrape.steadyProgram()).as("the unchanged config keeps its program").isEqualTo(steadyProgram);
                if (scrape.helpA().isPresent() && scrape.helpB().isPresent()) {
                    assertThat(scrape.helpA()).as("a and b are swapped in together").isEqualTo(scrape.helpB());
                }
                if (previous != null) {
                    assertThat(scrape.steadyCount()).as("the unchanged config's counter never goes back")
                            .isGreaterThanOrEqualTo(previous.steadyCount());
                    assertThat(scrape.steadyGaps()).as("nor its histogram").isGreaterThanOrEqualTo(previous.steadyGaps());
                }
                previous = scrape;
            }
            assertThat(scrapes.getFirst().steadyCount()).isGreaterThan(0);
            assertThat(scrapes.getLast().steadyCount()).isGreaterThan(scrapes.getFirst().steadyCount());
            assertThat(scrapes.stream().map(Scrape::helpA).flatMap(Optional::stream).distinct())
                    .as("every version was served").contains("Switches, version v1", "Switches, version v4",
                            "Switches, version v6");
        } finally {
            scraping.set(false);
            exporter.close();
        }
    }

    /** a.yaml and b.yaml at one version; each changes the help of its counter, nothing else. */
    private static void writeVersion(Path dir, String version) {
        TestPrograms.config(dir, "a", "reload_a", TestPrograms.switches("reload_a", "Switches, version " + version));
        TestPrograms.config(dir, "b", "reload_b", TestPrograms.switches("reload_b", "Switches, version " + version));
    }

    private static Scrape scrape(Exposition exposition) {
        ByteBuf out = new ByteBuf(64 * 1024);
        exposition.write(Format.TEXT, name -> true, out);
        String text = out.toString();
        Samples samples = Samples.parse(text);
        Optional<String> helpA = Optional.empty();
        Optional<String> helpB = Optional.empty();
        Matcher help = HELP.matcher(text);
        while (help.find()) {
            if (help.group(1).equals("a")) {
                helpA = Optional.of(help.group(2));
            } else {
                helpB = Optional.of(help.group(2));
            }
        }
        String program = samples.named("ebpf_exporter_ebpf_program_info", Samples.where("config", "steady"))
                .getFirst().label("id");
        return new Scrape(samples.sum("ebpf_exporter_pinned_switches_total"),
                samples.sum("ebpf_exporter_pinned_switch_gap_seconds_count"), program, helpA, helpB,
                !samples.named("ebpf_exporter_scrape_errors_total").isEmpty());
    }

    private static double metric(Exposition exposition, String name) {
        ByteBuf out = new ByteBuf(64 * 1024);
        exposition.write(Format.TEXT, n -> true, out);
        return Samples.parse(out.toString()).sum(name);
    }

    private static void awaitScrapes(List<Scrape> scrapes, int more) throws InterruptedException {
        int target = scrapes.size() + more;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (scrapes.size() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(scrapes.size()).as("the scraper keeps going").isGreaterThanOrEqualTo(target);
    }
}
