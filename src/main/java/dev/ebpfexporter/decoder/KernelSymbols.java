package dev.ebpfexporter.decoder;

/** Kernel addresses to symbol names (from /proc/kallsyms on a real machine). */
public interface KernelSymbols {
    /**
     * The name of the symbol containing each address (the nearest symbol at or below it), or
     * {@code null} where there is none. Implementations may reload their table, at most once per
     * call, when an address has no symbol.
     */
    String[] resolve(long... addresses) throws DecoderException;

    /** Reads what the lookups need now, while the process still has the privilege to (a no-op by default). */
    default void preload() throws DecoderException {
    }
}
