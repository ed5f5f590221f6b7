package dev.ebpfexporter.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Samples parsed from Prometheus text exposition, for assertions on real scrapes. */
public record Samples(List<Sample> all) {

    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    public static Samples parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(parseLine(line));
        }
        return new Samples(List.copyOf(samples));
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // skip ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = line.indexOf(' ', i);
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String rest = line.substring(space + 1).trim();
        String number = rest.split(" ")[0];
        double value = switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(number);
        };
        return new Sample(name, Map.copyOf(labels), value);
    }

    public List<Sample> named(String name) {
        return all.stream().filter(s -> s.name().equals(name)).toList();
    }

    public List<Sample> named(String name, Predicate<Sample> filter) {
        return all.stream().filter(s -> s.name().equals(name)).filter(filter).toList();
    }

    /** A filter on labels: {@code where("device", "vda", "operation", "write")}. */
    public static Predicate<Sample> where(String... labelValues) {
        if (labelValues.length % 2 != 0) {
            throw new IllegalArgumentException("label/value pairs expected");
        }
        return s -> {
            for (int i = 0; i < labelValues.length; i += 2) {
                String actual = s.label(labelValues[i]);
                if (!labelValues[i + 1].equals(actual) && !sameBound(labelValues[i], labelValues[i + 1], actual)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** {@code le} bounds compare as numbers: "65536" matches "65536.0", "1e-06" matches "1.0E-6", 2^20 * 1e-6 matches "1.048576". */
    private static boolean sameBound(String key, String expected, String actual) {
        if (!key.equals("le") || actual == null) {
            return false;
        }
        try {
            double a = bound(expected);
            double b = bound(actual);
            if (Double.isInfinite(a) || Double.isInfinite(b)) {
                return a == b;
            }
            return a == b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double bound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    /** How much the labelled series grew since {@code before} (a series missing from a scrape counts as 0). */
    public double increaseSince(Samples before, String name, String... labelValues) {
        return value(name, labelValues) - before.value(name, labelValues);
    }

    /** How much the sum over the matching series grew since {@code before}. */
    public double increaseSince(Samples before, String name, Predicate<Sample> filter) {
        return sum(name, filter) - before.sum(name, filter);
    }

    /** The value of the one sample with this name and these labels, 0 when there is none. */
    public double value(String name, String... labelValues) {
        return sum(name, where(labelValues));
    }

    /** Sum of the values of all samples with this name. */
    public double sum(String name) {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }

    public double sum(String name, Predicate<Sample> filter) {
        return named(name, filter).stream().mapToDouble(Sample::value).sum();
    }
}
