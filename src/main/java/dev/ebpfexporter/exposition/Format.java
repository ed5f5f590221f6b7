package dev.ebpfexporter.exposition;

import java.util.Locale;

/** The exposition formats and how a request's {@code Accept} header picks one. */
public enum Format {
    TEXT("text/plain; version=0.0.4; charset=utf-8", TextFormat.PROMETHEUS),
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8", TextFormat.OPEN_METRICS),
    PROTOBUF("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
            Protobuf.INSTANCE);

    private final String contentType;
    final FormatWriter writer;

    Format(String contentType, FormatWriter writer) {
        this.contentType = contentType;
        this.writer = writer;
    }

    public String contentType() {
        return contentType;
    }

    /** Appends {@code families} in this format, as a whole exposition (OpenMetrics' {@code # EOF} last). */
    public void write(Iterable<? extends Family> families, ByteBuf out) {
        for (Family family : families) {
            writer.family(family, out);
        }
        writer.finish(out);
    }

    /**
     * The format of the most preferred media range the exporter serves (highest {@code q}, then
     * first listed): delimited protobuf of {@code io.prometheus.client.MetricFamily}, OpenMetrics
     * 1.0.0 or 0.0.1, text 0.0.4; text when nothing matches or there is no header.
     */
    public static Format negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return TEXT;
        }
        Format best = TEXT;
        double bestQ = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            String version = null;
            String proto = null;
            String encoding = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = p.substring(eq + 1).trim();
                switch (key) {
                    case "q" -> q = parseQ(value);
                    case "version" -> version = value;
                    case "proto" -> proto = value;
                    case "encoding" -> encoding = value;
                    default -> {
                    }
                }
            }
            Format format = switch (type) {
                case "application/vnd.google.protobuf" -> "io.prometheus.client.MetricFamily".equals(proto)
                        && "delimited".equals(encoding) ? PROTOBUF : null;
                case "application/openmetrics-text" -> version == null || version.equals("1.0.0")
                        || version.equals("0.0.1") ? OPENMETRICS : null;
                case "text/plain", "*/*", "text/*" -> TEXT;
                default -> null;
            };
            if (format != null && q > 0 && q > bestQ) {
                best = format;
                bestQ = q;
            }
        }
        return best;
    }

    private static double parseQ(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0; // an unreadable q weighs nothing, as a malformed Accept parameter should
        }
    }
}
