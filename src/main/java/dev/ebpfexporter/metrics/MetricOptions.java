package dev.ebpfexporter.metrics;

/**
 * What the command line decides for every configured metric.
 *
 * @param seriesLimit      {@code --metrics.series-limit}: series one metric may export per scrape
 * @param nativeHistograms {@code --metrics.native-histograms}: whether exp2 histograms are native
 *                         histograms too, where their config does not say ({@code native_histogram})
 */
public record MetricOptions(int seriesLimit, boolean nativeHistograms) {
    public static final MetricOptions DEFAULT = new MetricOptions(SeriesLimit.DEFAULT, true);

    public MetricOptions {
        if (seriesLimit < 1) {
            throw new IllegalArgumentException("the series limit must be at least 1, got " + seriesLimit);
        }
    }
}
