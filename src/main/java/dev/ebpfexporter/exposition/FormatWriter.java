package dev.ebpfexporter.exposition;

/** Writes families in one exposition format, appending to a scrape's buffer. */
sealed interface FormatWriter permits TextFormat, Protobuf {
    void family(Family family, ByteBuf out);

    /** After the last family (OpenMetrics' {@code # EOF}). */
    void finish(ByteBuf out);
}
