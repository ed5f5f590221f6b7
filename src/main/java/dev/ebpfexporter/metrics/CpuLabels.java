package dev.ebpfexporter.metrics;

/** Decimal CPU numbers as label values, made once instead of per series per scrape. */
final class CpuLabels {
    private static final String[] VALUES = new String[1024];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = Integer.toString(i);
        }
    }

    private CpuLabels() {
    }

    static String of(int cpu) {
        return cpu < VALUES.length ? VALUES[cpu] : Integer.toString(cpu);
    }
}
