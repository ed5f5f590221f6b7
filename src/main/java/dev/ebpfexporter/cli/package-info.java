/**
 * The command line: picocli flags, start-up and shutdown order, logging formats, capabilities, socket
 * activation and sd_notify. The top of the dependency graph: it may use every other package.
 */
package dev.ebpfexporter.cli;
