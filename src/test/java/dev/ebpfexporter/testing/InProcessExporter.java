package dev.ebpfexporter.testing;

import dev.ebpfexporter.collector.BuildInfo;
import dev.ebpfexporter.collector.Exporter;
import dev.ebpfexporter.collector.ExporterCollector;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.collector.ConfigFiles;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.tracing.StartupTrace;
import dev.ebpfexporter.exposition.ByteBuf;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.Format;
import dev.ebpfexporter.http.MetricsEndpoint;
import dev.ebpfexporter.http.WebConfig;
import dev.ebpfexporter.http.WebConfigException;
import dev.ebpfexporter.http.WebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads configs into the kernel in this JVM and scrapes them as Prometheus text, the way the
 * server would: for integration tests of real programs. Close it to detach everything.
 */
public final class InProcessExporter implements AutoCloseable {
    private final Exporter exporter;
    private final Exposition exposition;
    private final List<String> failures;

    private InProcessExporter(Exporter exporter, List<String> failures) {
        this.exporter = exporter;
        this.failures = failures;
        this.exposition = new Exposition(new ExporterCollector(exporter::configs, BuildInfo.load())::parts);
    }

    /** Loads {@code names} from {@code dir}; configs that fail are reported in {@link #failures()}. */
    public static InProcessExporter load(Path dir, String... names) {
        return load(new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(), MetricOptions.DEFAULT),
                dir, names);
    }

    /** Loads {@code names} from {@code dir} with a loader of the test's making (e.g. its own tracing). */
    public static InProcessExporter load(ObjectLoader loader, Path dir, String... names) {
        return load(loader, StartupTrace.NONE, dir, names);
    }

    /** Loads with a start-up trace: loading is traced as {@code attach}, closing as {@code detach}. */
    public static InProcessExporter load(ObjectLoader loader, StartupTrace trace, Path dir, String... names) {
        BpfAvailability.require();
        return loadChecked(loader, trace, dir, names);
    }

    /**
     * Loads on a kernel whose {@code /sys/kernel/btf/vmlinux} a test has hidden on purpose, with a loader that
     * carries {@code --btf.path}'s BTF: {@link BpfAvailability#require()} would call that kernel unusable.
     */
    public static InProcessExporter loadWithoutKernelBtf(ObjectLoader loader, Path dir, String... names) {
        return loadChecked(loader, StartupTrace.NONE, dir, names);
    }

    private static InProcessExporter loadChecked(ObjectLoader loader, StartupTrace trace, Path dir, String... names) {
        ConfigFiles configFiles = new ConfigFiles();
        List<ExporterConfig> configs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                ConfigFiles.Loaded loaded = configFiles.load(dir, name);
                configs.addAll(loaded.configs());
                loaded.failures().forEach(f -> failures.add(f.reason()));
            } catch (ConfigException e) {
                failures.add(e.getMessage());
            }
        }
        Exporter exporter = new Exporter(loader, trace);
        failures.addAll(exporter.load(configs));
        return new InProcessExporter(exporter, failures);
    }

    public static InProcessExporter examples(String... names) {
        return load(BpfAvailability.examples(), names);
    }

    /** {@link #examples} that fails the test (and closes what it loaded) when any of them did not load. */
    public static InProcessExporter loadedExamples(String... names) {
        return examples(names).requireLoaded();
    }

    /** This exporter when every config loaded; otherwise it is closed and the test fails with the failures. */
    public InProcessExporter requireLoaded() {
        if (!failures.isEmpty()) {
            close();
            assertThat(failures).as("every config loaded").isEmpty();
        }
        return this;
    }

    public List<String> failures() {
        return failures;
    }

    public List<LoadedConfig> configs() {
        return exporter.configs();
    }

    public String scrapeText() {
        ByteBuf out = new ByteBuf(64 * 1024);
        exposition.write(Format.TEXT, name -> true, out);
        return out.toString();
    }

    /**
     * Serves {@code /metrics} on a free loopback port with the exporter's own web server (as Main
     * starts it, without TLS or auth), for scrapers outside the JVM; close the server before this.
     */
    public WebServer serve() {
        return serve(WebConfig.NONE);
    }

    /** Like {@link #serve()}, with {@code web} (TLS, basic auth) in front. */
    public WebServer serve(WebConfig web) {
        try {
            return WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), web,
                    new WebServer.Endpoints("/metrics", new MetricsEndpoint(exposition), () -> "", List::of,
                            Optional.empty()), WebServer.Limits.DEFAULT);
        } catch (IOException | WebConfigException e) {
            throw new IllegalStateException("cannot serve /metrics: " + e.getMessage(), e);
        }
    }

    public Samples scrape() {
        return Samples.parse(scrapeText());
    }

    /**
     * Scrapes every 100 ms until {@code done} holds for a scrape or {@code timeout} passes; returns the
     * last scrape either way, so the caller's assertions say what was missing.
     */
    public Samples scrapeUntil(Duration timeout, Predicate<Samples> done) {
        AtomicReference<Samples> last = new AtomicReference<>();
        Workloads.await(timeout, () -> {
            last.set(scrape());
            return done.test(last.get());
        });
        return last.get();
    }

    /**
     * Scrapes until the series of {@code name} matching {@code labelValues} (label, value, ...) have grown
     * by at least {@code atLeast} since {@code before}, for 10 s at most; asserts they did and returns
     * the last scrape.
     */
    /** Scrapes, runs {@code workload}, then scrapes until {@code name} grew by {@code atLeast} (asserted). */
    public Change whileRunning(Runnable workload, double atLeast, String name, String... labelValues) {
        Samples before = scrape();
        workload.run();
        return new Change(before, scrapeUntilGrown(before, atLeast, name, labelValues));
    }

    /** Scrapes, runs {@code workload}, then scrapes until {@code done} holds of (before, after), 10 s at most. */
    public Change whileRunning(Runnable workload, BiPredicate<Samples, Samples> done) {
        Samples before = scrape();
        workload.run();
        return new Change(before, scrapeUntil(Duration.ofSeconds(10), after -> done.test(before, after)));
    }

    public Samples scrapeUntilGrown(Samples before, double atLeast, String name, String... labelValues) {
        Samples after = scrapeUntil(Duration.ofSeconds(10), s -> s.increaseSince(before, name, labelValues) >= atLeast);
        assertThat(after.increaseSince(before, name, labelValues))
                .as("increase of %s %s", name, String.join("=", labelValues)).isGreaterThanOrEqualTo(atLeast);
        return after;
    }

    @Override
    public void close() {
        exporter.close();
    }
}
