package dev.ebpfexporter.config;

/**
 * One u64 of a counter whose map values are structs of several u64s (the reference's {@code values:} key,
 * see its {@code examples/complex-value.yaml}): each becomes its own counter family.
 */
public record ValueConfig(String name, String help, Source source) {
}
