package dev.ebpfexporter.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One series' labels, encoded once for the text formats ({@code a="x",b="y"}, escaped) and, on
 * first use, for protobuf (the repeated {@code LabelPair} fields of a {@code Metric}). Series keep
 * their label set across scrapes, so writing a series copies bytes instead of escaping strings.
 * Names are in the order given; callers pass them sorted by name, as Prometheus clients write them.
 */
public final class LabelSet implements Comparable<LabelSet> {
    public static final LabelSet EMPTY = new LabelSet(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private final byte[] text;
    private volatile byte[] protobuf;

    private LabelSet(String[] names, String[] values) {
        this.names = names;
        this.values = values;
        this.text = encodeText(names, values);
    }

    /** @param names in the order they are written (sorted by name); values aligned with them */
    public static LabelSet of(String[] names, String[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " label names but " + values.length + " values");
        }
        return names.length == 0 ? EMPTY : new LabelSet(names.clone(), values.clone());
    }

    /** The {@code size} labels {@code name(i)="value(i)"}, in that order (sorted by name), read from another model's set. */
    public static LabelSet of(int size, IntFunction<String> name, IntFunction<String> value) {
        String[] names = new String[size];
        String[] values = new String[size];
        for (int i = 0; i < size; i++) {
            names[i] = name.apply(i);
            values[i] = value.apply(i);
        }
        return size == 0 ? EMPTY : new LabelSet(names, values);
    }

    /** From name, value pairs, sorted here by name. */
    public static LabelSet of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("label names and values must come in pairs");
        }
        int n = namesAndValues.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> namesAndValues[2 * a].compareTo(namesAndValues[2 * b]));
        String[] names = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = namesAndValues[2 * order[i]];
            values[i] = namesAndValues[2 * order[i] + 1];
        }
        return of(names, values);
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    public boolean hasName(String name) {
        return get(name) != null;
    }

    /** The value of label {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** {@code a="x",b="y"} with values escaped (backslash, double quote, newline), no braces. */
    byte[] text() {
        return text;
    }

    /** The {@code Metric.label} fields (field 1, one {@code LabelPair} each) as protobuf bytes. */
    byte[] protobuf() {
        byte[] encoded = protobuf;
        if (encoded == null) {
            ByteBuf out = new ByteBuf(16 * names.length + 8);
            for (int i = 0; i < names.length; i++) {
                byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
                byte[] value = values[i].getBytes(StandardCharsets.UTF_8);
                int pair = 1 + Protobuf.varintSize(name.length) + name.length
                        + 1 + Protobuf.varintSize(value.length) + value.length;
                out.put((byte) 0x0A).varint(pair);
                out.put((byte) 0x0A).varint(name.length).put(name);
                out.put((byte) 0x12).varint(value.length).put(value);
            }
            encoded = out.toByteArray();
            protobuf = encoded;
        }
        return encoded;
    }

    private static byte[] encodeText(String[] names, String[] values) {
        ByteBuf out = new ByteBuf(16 * names.length + 8);
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.put(',');
            }
            out.ascii(names[i]).put('=').put('"');
            Escape.labelValue(out, values[i]);
            out.put('"');
        }
        return out.toByteArray();
    }

    /** Name by name, then value by value, as client_java orders series. */
    @Override
    public int compareTo(LabelSet other) {
        int n = Math.min(names.length, other.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(other.names[i]);
            if (c != 0) {
                return c;
            }
            c = values[i].compareTo(other.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(names.length, other.names.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet that && Arrays.equals(names, that.names) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "{" + new String(text, StandardCharsets.UTF_8) + "}";
    }
}
