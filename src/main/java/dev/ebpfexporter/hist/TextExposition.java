package dev.ebpfexporter.hist;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The histograms of a Prometheus text exposition: {@code NAME_bucket} samples grouped by their
 * labels (all but {@code le}) into one {@link Distribution} per series. Bounds are read as Go writes
 * them ({@code 1e-06}, {@code 0.000512}, {@code +Inf}) and as Java does ({@code 1.0E-6}).
 */
public final class TextExposition {
    private final Map<String, Map<Map<String, String>, TreeMap<Double, Double>>> buckets;

    private TextExposition(Map<String, Map<Map<String, String>, TreeMap<Double, Double>>> buckets) {
        this.buckets = buckets;
    }

    /** A series of one histogram: its labels (without {@code le}) and its per-bucket counts. */
    public record Series(Map<String, String> labels, Distribution distribution) {
    }

    /** Parses {@code text}; lines that are not {@code _bucket} samples are skipped. */
    public static TextExposition parse(String text) {
        Map<String, Map<Map<String, String>, TreeMap<Double, Double>>> buckets = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
                nameEnd++;
            }
            String name = line.substring(0, nameEnd);
            if (!name.endsWith("_bucket") || nameEnd == line.length() || line.charAt(nameEnd) != '{') {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            int end = readLabels(line, nameEnd + 1, labels, lineNumber);
            String le = labels.remove("le");
            if (le == null) {
                continue;
            }
            String[] rest = line.substring(end).trim().split(" ");
            double bound = number(le, lineNumber, "le");
            double value = number(rest[0], lineNumber, "value");
            String family = name.substring(0, name.length() - "_bucket".length());
            buckets.computeIfAbsent(family, f -> new LinkedHashMap<>())
                    .computeIfAbsent(labels, l -> new TreeMap<>()).put(bound, value);
        }
        return new TextExposition(buckets);
    }

    /** Names of the histograms found, in order of appearance. */
    public List<String> histograms() {
        return List.copyOf(buckets.keySet());
    }

    /**
     * The series of histogram {@code name} (also found without or with the {@code ebpf_exporter_}
     * prefix) whose labels include every one of {@code match}; empty when there is no such histogram.
     */
    public List<Series> series(String name, Map<String, String> match) {
        Map<Map<String, String>, TreeMap<Double, Double>> family = buckets.get(name);
        if (family == null) {
            family = buckets.get(name.startsWith("ebpf_exporter_") ? name.substring("ebpf_exporter_".length())
                    : "ebpf_exporter_" + name);
        }
        if (family == null) {
            return List.of();
        }
        List<Series> result = new ArrayList<>();
        for (var entry : family.entrySet()) {
            if (entry.getKey().entrySet().containsAll(match.entrySet())) {
                result.add(new Series(entry.getKey(), toDistribution(entry.getValue())));
            }
        }
        return result;
    }

    /** The label names of a histogram's series (for messages about a label that matches nothing). */
    public List<String> labelNames(String name) {
        TreeSet<String> names = new TreeSet<>();
        series(name, Map.of()).forEach(s -> names.addAll(s.labels().keySet()));
        return List.copyOf(names);
    }

    private static Distribution toDistribution(TreeMap<Double, Double> cumulative) {
        double[] bounds = new double[cumulative.size()];
        long[] counts = new long[cumulative.size()];
        int i = 0;
        double previous = 0;
        for (var bucket : cumulative.entrySet()) {
            bounds[i] = bucket.getKey();
            counts[i] = Math.max(0, Math.round(bucket.getValue() - previous));
            previous = bucket.getValue();
            i++;
        }
        return new Distribution(bounds, counts);
    }

    private static double number(String text, int line, String what) {
        switch (text) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + line + ": " + what + " \"" + text + "\" is not a number", e);
                }
            }
        }
    }

    /** Reads {@code name="value",...}} from {@code from}; returns the index after the closing brace. */
    private static int readLabels(String line, int from, Map<String, String> labels, int lineNumber) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("line " + lineNumber + ": malformed labels: " + line);
            }
            String name = line.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < line.length() && line.charAt(j) != '"') {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(v);
                }
                j++;
            }
            if (j >= line.length()) {
                throw new IllegalArgumentException("line " + lineNumber + ": unterminated label value: " + line);
            }
            labels.put(name, value.toString());
            i = j + 1;
        }
        throw new IllegalArgumentException("line " + lineNumber + ": labels not closed: " + line);
    }
}
