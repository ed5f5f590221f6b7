/**
 * Ownership of what a start-up or a config load creates: one {@link dev.ebpfexporter.lifecycle.Resources} per
 * owner closes everything it was given in reverse order of creation, exactly once, whatever was thrown
 * (an {@code Error} included), and closes many owners at once where their closing waits. Uses only the JDK;
 * every other package may use it.
 */
package dev.ebpfexporter.lifecycle;
