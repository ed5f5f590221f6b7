package dev.ebpfexporter.exposition;

import java.util.List;

/**
 * The parts of one scrape, held for as long as the scrape reads them: what they read (loaded configs) is
 * not taken away until {@link #close()}, so a scrape that runs while configs are reloaded sees one set of
 * configs from start to end.
 */
public interface ScrapeParts extends AutoCloseable {
    List<ScrapePart> parts();

    /** Ends the scrape's hold on what its parts read. */
    @Override
    void close();

    /** Opens the parts of one scrape. */
    @FunctionalInterface
    interface Source {
        ScrapeParts open();
    }

    /** Parts that hold nothing. */
    static ScrapeParts of(List<ScrapePart> parts) {
        return new ScrapeParts() {
            @Override
            public List<ScrapePart> parts() {
                return parts;
            }

            @Override
            public void close() {
            }
        };
    }
}
