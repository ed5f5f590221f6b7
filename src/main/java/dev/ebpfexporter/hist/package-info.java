/**
 * Histograms as BCC's tools print them: the {@code hist} subcommand that reads a running exporter's
 * text exposition, and the bucket labelling (unit, row bounds) the web view shares with it. Uses only the JDK.
 */
package dev.ebpfexporter.hist;
