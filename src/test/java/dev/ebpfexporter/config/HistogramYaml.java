package dev.ebpfexporter.config;

/** The config the histogram-option tests vary: one histogram {@code h} labelled by an 8-byte bucket. */
final class HistogramYaml {
    private HistogramYaml() {
    }

    /**
     * @param before lines of the histogram before its labels (first at line 5)
     * @param after lines after its labels (first at line 7), or empty
     */
    static String histogram(String before, String after) {
        return """
                metrics:
                  histograms:
                    - name: h
                      help: h
                      %s
                      labels: [{name: bucket, size: 8}]
                      %s
                """.formatted(before, after);
    }
}
