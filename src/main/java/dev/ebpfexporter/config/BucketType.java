package dev.ebpfexporter.config;

/** How a histogram's bucket index (the last label) maps to an upper bound. */
public enum BucketType {
    EXP2, EXP2ZERO, LINEAR, FIXED;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
