package dev.ebpfexporter.hist;

import java.util.List;

/**
 * Text in the layout of BCC's log2 histograms ({@code biolatency}, {@code runqlat}): a header with
 * the unit, then one row per bucket with its bounds, its count and a bar of stars scaled to the
 * largest count. Forty stars wide up to 33 rows, twenty (with wider bound columns) beyond.
 */
public final class BccFormat {
    private static final int STARS = 40;
    private static final int NARROW_ROWS = 33;

    private BccFormat() {
    }

    /** The histogram as text (every line ends with a newline); empty when there are no rows. */
    public static String render(String unit, List<Distribution.Row> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        boolean narrow = rows.size() <= NARROW_ROWS;
        int stars = narrow ? STARS : STARS / 2;
        int width = narrow ? 10 : 20;
        long max = 0;
        for (Distribution.Row row : rows) {
            max = Math.max(max, row.count());
        }
        StringBuilder out = new StringBuilder();
        out.append(" ".repeat(narrow ? 5 : 15)).append(padRight(unit, narrow ? 19 : 29)).append(" : count    distribution\n");
        for (Distribution.Row row : rows) {
            int filled = max == 0 ? 0 : (int) (Math.min(row.count(), max) * stars / max);
            out.append(padLeft(row.low(), width)).append(" -> ").append(padRight(row.high(), width)).append(" : ")
                    .append(padRight(Long.toString(row.count()), 8)).append(" |").append("*".repeat(filled))
                    .append(" ".repeat(stars - filled)).append("|\n");
        }
        return out.toString();
    }

    private static String padLeft(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }

    private static String padRight(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
