package dev.ebpfexporter.kernelmatrix;

import java.util.List;

/**
 * One cell of the kernel matrix as the guest saw it: whether the program(s) attached and whether
 * the metric moved after the trigger ({@code null}: does not apply, e.g. a flag), and a one-line
 * detail (the reason when not attached, the numbers when it moved).
 */
record CellResult(String cell, Boolean attached, Boolean moved, String detail) {
    /** One tab-separated line: cell, attached, moved, detail. */
    String line() {
        return String.join("\t", cell, word(attached), word(moved), detail.replace('\t', ' ').replace('\n', ' '));
    }

    static CellResult parse(String line) {
        List<String> fields = List.of(line.split("\t", 4));
        if (fields.size() != 4) {
            throw new IllegalArgumentException("not a cell line: " + line);
        }
        return new CellResult(fields.get(0), bool(fields.get(1)), bool(fields.get(2)), fields.get(3));
    }

    private static String word(Boolean value) {
        return value == null ? "n/a" : value ? "yes" : "no";
    }

    private static Boolean bool(String word) {
        return switch (word) {
            case "yes" -> true;
            case "no" -> false;
            case "n/a" -> null;
            default -> throw new IllegalArgumentException("not yes/no/n/a: " + word);
        };
    }
}
