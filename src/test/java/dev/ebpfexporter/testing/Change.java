package dev.ebpfexporter.testing;

/** A scrape taken before a workload ran and one taken after it, for {@code after.increaseSince(before, ...)}. */
public record Change(Samples before, Samples after) {
}
