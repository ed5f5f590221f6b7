package dev.ebpfexporter.collector;

import dev.ebpfexporter.exposition.ScrapePart;
import dev.ebpfexporter.exposition.ScrapeParts;
import dev.ebpfexporter.metrics.MetricSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The parts of a scrape that come from the loaded configs: one per configured metric (a map read
 * and its families, built fresh per scrape) and one for the exporter's own metrics. Each part fails
 * on its own (see {@link dev.ebpfexporter.exposition.Exposition}): a map that cannot be read is
 * left out of that scrape, never failing the others.
 */
public final class ExporterCollector {
    /** The part name of the exporter's own metrics in {@code ebpf_exporter_scrape_errors_total}. */
    public static final String BUILTIN = "ebpf_exporter";

    private final Supplier<Exporter.Scrape> scrapes;
    private final Supplier<List<LoadedConfig>> configs;
    private final Supplier<List<Exporter.ConfigFailure>> failures;
    private final BuildInfo build;

    /** Each scrape reads one set of {@code exporter}'s configs, even while they are reloaded. */
    public ExporterCollector(Exporter exporter, BuildInfo build) {
        this.scrapes = exporter::scrape;
        this.configs = exporter::configs;
        this.failures = exporter::failures;
        this.build = build;
    }

    public ExporterCollector(Supplier<List<LoadedConfig>> configs, BuildInfo build) {
        this(configs, List::of, build);
    }

    /** @param failures configs that did not load, served around under {@code --config.allow-failures} */
    public ExporterCollector(Supplier<List<LoadedConfig>> configs, Supplier<List<Exporter.ConfigFailure>> failures,
                             BuildInfo build) {
        this.scrapes = null;
        this.configs = configs;
        this.failures = failures;
        this.build = build;
    }

    /** The parts of one scrape, holding the configs they read until closed. */
    public ScrapeParts open() {
        if (scrapes == null) {
            return ScrapeParts.of(parts());
        }
        Exporter.Scrape scrape = scrapes.get();
        try {
            return ScrapeParts.of(parts(scrape.configs(), scrape.failures(), Optional.of(scrape.status())), scrape::close);
        } catch (RuntimeException | Error e) {
            scrape.close();
            throw e;
        }
    }

    public List<ScrapePart> parts() {
        return parts(configs.get(), failures.get(), Optional.empty());
    }

    private List<ScrapePart> parts(List<LoadedConfig> current, List<Exporter.ConfigFailure> failed,
                                   Optional<ReloadStatus> status) {
        List<ScrapePart> parts = new ArrayList<>();
        for (LoadedConfig config : current) {
            for (MetricSource metric : config.metrics()) {
                parts.add(new ScrapePart(config.name(), metric.config().name(), metric::collectAll));
            }
        }
        parts.add(new ScrapePart("", BUILTIN, () -> BuiltinMetrics.collect(current, failed, status, build)));
        return parts;
    }
}
