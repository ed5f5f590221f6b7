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

    /** Sum of the values of all samples with this name. */
    public double sum(String name) {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }

    public double sum(String name, Predicate<Sample> filter) {
        return named(name, filter).stream().mapToDouble(Sample::value).sum();
    }
}
