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
        return of(parts, () -> { });
    }

    /** Parts whose hold {@code release} ends. */
    static ScrapeParts of(List<ScrapePart> parts, Runnable release) {
        List<ScrapePart> copy = List.copyOf(parts);
        return new ScrapeParts() {
            @Override
            public List<ScrapePart> parts() {
                return copy;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }

    /** These parts and then {@code more}, under the same hold. */
    default ScrapeParts plus(ScrapePart... more) {
        List<ScrapePart> all = new java.util.ArrayList<>(parts());
        all.addAll(List.of(more));
        return of(all, this::close);
    }
}
