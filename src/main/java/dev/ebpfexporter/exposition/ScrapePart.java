package dev.ebpfexporter.exposition;

import java.util.List;

/**
 * A piece of a scrape that fails on its own: one configured metric, the exporter's own metrics, or
 * the JVM's. A part that throws is left out of that scrape and counted; the others are served.
 *
 * @param config the config the part belongs to, empty for the exporter's own and the JVM's
 * @param metric the metric's configured name, or what the part is
 */
public record ScrapePart(String config, String metric, Collect collect) {
    /** Builds the part's families for one scrape. */
    @FunctionalInterface
    public interface Collect {
        List<Family> families() throws Exception;
    }
}
