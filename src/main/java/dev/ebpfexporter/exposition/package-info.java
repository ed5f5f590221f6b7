/**
 * What a scrape writes, in every format the exporter serves: families held column-wise
 * ({@link dev.ebpfexporter.exposition.Family}: samples, classic histograms with optional native fields, summaries),
 * the writers of the Prometheus text, OpenMetrics and protobuf formats and the {@code Accept} negotiation between
 * them ({@link dev.ebpfexporter.exposition.Format}), and one scrape as a whole
 * ({@link dev.ebpfexporter.exposition.Exposition}: every {@link dev.ebpfexporter.exposition.ScrapePart} isolated,
 * failures counted in {@code ebpf_exporter_scrape_errors_total}). Also client_java's snapshots both ways, for the
 * JVM metrics ({@link dev.ebpfexporter.exposition.CachedRegistry}) and readers written against that model.
 * Uses only the JDK, SLF4J and client_java's model; never bpf, config, metrics, collector or http (metrics builds
 * the families, collector hands over the parts, http and otlp read the result).
 */
package dev.ebpfexporter.exposition;
