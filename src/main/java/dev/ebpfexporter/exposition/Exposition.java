package dev.ebpfexporter.exposition;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Writes one scrape: every part's families in the requested format into a buffer. Each part, and
 * each family, is isolated: one that throws (a map that cannot be read, an out-of-memory while
 * building a huge histogram, a histogram with a label named {@code le}, a family name that another
 * config already exports) is cut back out of the buffer, counted and logged once per cause (see
 * {@link ScrapeErrors}), and the rest of the scrape is served. The error counter itself is written
 * last, so it includes this scrape's failures.
 */
public final class Exposition {
    private final ScrapeParts.Source parts;
    private final ScrapeErrors errors;

    /** @param parts opened once per scrape and closed when the scrape has read them (see {@link ScrapeParts}) */
    public Exposition(ScrapeParts.Source parts, ScrapeErrors errors) {
        this.parts = parts;
        this.errors = errors;
    }

    public Exposition(ScrapeParts.Source parts) {
        this(parts, new ScrapeErrors());
    }

    public Exposition(Supplier<List<ScrapePart>> parts, ScrapeErrors errors) {
        this(() -> ScrapeParts.of(parts.get()), errors);
    }

    public Exposition(Supplier<List<ScrapePart>> parts) {
        this(parts, new ScrapeErrors());
    }

    public ScrapeErrors errors() {
        return errors;
    }

    /** Appends the scrape to {@code out}; {@code names} selects families by name (all: {@code n -> true}). */
    public void write(Format format, Predicate<String> names, ByteBuf out) {
        FormatWriter writer = format.writer;
        forEachFamily("the scrape", names, family -> {
            int mark = out.size();
            try {
                writer.family(family, out);
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                out.truncate(mark);
                throw e;
            }
        });
        writer.finish(out);
    }

    /**
     * Hands every part's families that {@code names} selects to {@code sink}, then the error counter
     * (when it counts anything), isolating each: a part that cannot collect, a family that breaks a
     * rule of the format (see {@link #check}) or that {@code sink} throws on is left out and counted.
     * The scrape and the OTLP push both go through here.
     *
     * @param reading what reads the families, for the log ({@code the scrape}, {@code the OTLP push})
     */
    public void forEachFamily(String reading, Predicate<String> names, Consumer<Family> sink) {
        Set<String> written = new HashSet<>();
        try (ScrapeParts scrape = parts.open()) {
            forEachFamily(reading, names, sink, scrape.parts(), written);
        }
        Samples errorFamily = errors.family();
        if (errorFamily.size() > 0 && names.test(errorFamily.metadata().name())) {
            sink.accept(errorFamily);
        }
    }

    private void forEachFamily(String reading, Predicate<String> names, Consumer<Family> sink, List<ScrapePart> parts,
                               Set<String> written) {
        for (ScrapePart part : parts) {
            List<Family> families;
            try {
                families = part.collect().families();
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                errors.record(reading, part, null, e);
                continue;
            }
            for (Family family : families) {
                String name = family.metadata().name();
                if (!names.test(name)) {
                    continue;
                }
                try {
                    check(family, written);
                    sink.accept(family);
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                    errors.record(reading, part, name, e);
                }
            }
        }
    }

    private static void check(Family family, Set<String> written) {
        String name = family.metadata().name();
        String reserved = switch (family) {
            case Histograms ignored -> "le";
            case Summaries ignored -> "quantile";
            case Samples ignored -> null;
        };
        if (reserved != null && family.size() > 0 && family.labels(0).hasName(reserved)) {
            throw new FamilyException(name + ": label name \"" + reserved + "\" is reserved in a "
                    + family.metadata().type().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!written.add(name)) {
            throw new FamilyException(name + ": another config or metric already exports a family of this name");
        }
    }
}
