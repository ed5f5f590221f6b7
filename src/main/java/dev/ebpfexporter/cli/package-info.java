/**
 * The command line: picocli flags, start-up and shutdown order, logging formats, capabilities, socket
 * activation, sd_notify and SIGHUP (reload). The top of the dependency graph: it may use every other package.
 */
package dev.ebpfexporter.cli;
