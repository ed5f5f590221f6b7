package dev.ebpfexporter.hist;

import java.util.Locale;

/**
 * The unit bucket bounds are shown in: what the metric's name implies, scaled so that the bounds
 * read as whole numbers where they can. A {@code _seconds} histogram whose smallest bucket is 1 µs
 * is shown in usecs, as BCC's {@code biolatency} shows it.
 *
 * @param label the column header ({@code usecs}, {@code bytes}, ...)
 * @param scale what a bound is multiplied by to be shown in this unit
 */
public record DisplayUnit(String label, double scale) {

    /** The unit for a histogram named {@code metric} with these bucket upper bounds. */
    public static DisplayUnit of(String metric, double[] bounds) {
        if (metric.endsWith("_seconds")) {
            double smallest = Double.POSITIVE_INFINITY;
            for (double bound : bounds) {
                if (bound > 0 && bound < smallest) {
                    smallest = bound;
                }
            }
            if (smallest >= 1) {
                return new DisplayUnit("secs", 1);
            }
            if (smallest >= 1e-3 * (1 - 1e-9)) {
                return new DisplayUnit("msecs", 1e3);
            }
            if (smallest >= 1e-6 * (1 - 1e-9)) {
                return new DisplayUnit("usecs", 1e6);
            }
            return new DisplayUnit("nsecs", 1e9);
        }
        if (metric.endsWith("_bytes")) {
            return new DisplayUnit("bytes", 1);
        }
        return new DisplayUnit("value", 1);
    }

    /** {@code bound} in this unit: a whole number when it is one (within rounding), else up to 4 significant digits. */
    public String format(double bound) {
        if (Double.isInfinite(bound)) {
            return bound > 0 ? "+Inf" : "-Inf";
        }
        double shown = bound * scale;
        double rounded = Math.rint(shown);
        if (Math.abs(shown - rounded) <= 1e-6 * Math.max(1, Math.abs(shown)) && Math.abs(rounded) < 1e18) {
            return Long.toString((long) rounded);
        }
        String text = String.format(Locale.ROOT, "%.4g", shown);
        if (text.contains("e") || !text.contains(".")) {
            return text;
        }
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
