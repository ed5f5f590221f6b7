package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.exposition.NativeLayout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which histograms are native histograms too, and at which bucket index they start. */
class NativeLayoutChoiceTest {
    private static final LabelConfig BUCKET = Fixtures.uint("bucket", 4);

    private static HistogramBuckets buckets(BucketType type, double multiplier, int min, int max) throws ConfigException {
        return HistogramBuckets.of(Fixtures.histogram(type, multiplier, min, max, List.of(1.0, 2.0), BUCKET));
    }

    @Test
    void exp2WithAPowerOfTwoMultiplierStartsAtItsExponent() throws ConfigException {
        assertThat(buckets(BucketType.EXP2, 1, 0, 27).nativeLayout()).isEqualTo(new NativeLayout(0, false));
        assertThat(buckets(BucketType.EXP2, 0x1p-20, 0, 27).nativeLayout()).isEqualTo(new NativeLayout(-20, false));
        assertThat(buckets(BucketType.EXP2, 0.5, 3, 10).nativeLayout()).isEqualTo(new NativeLayout(2, false));
        assertThat(buckets(BucketType.EXP2, 1024, 0, 4).nativeLayout()).isEqualTo(new NativeLayout(10, false));
    }

    @Test
    void exp2zeroKeyZeroIsTheZeroBucket() throws ConfigException {
        // key 0 is the zero bucket; key k (k >= 1) has the bound 2^(k-1)
        assertThat(buckets(BucketType.EXP2ZERO, 1, 0, 20).nativeLayout()).isEqualTo(new NativeLayout(0, true));
        assertThat(buckets(BucketType.EXP2ZERO, 4, 0, 20).nativeLayout()).isEqualTo(new NativeLayout(2, true));
        assertThat(buckets(BucketType.EXP2ZERO, 1, 2, 20).nativeLayout()).isEqualTo(new NativeLayout(1, false));
    }

    @Test
    void otherBucketsSayWhyTheyAreClassicOnly() throws ConfigException {
        HistogramBuckets micros = buckets(BucketType.EXP2, 0.000001, 0, 27);
        assertThat(micros.nativeLayout()).isNull();
        assertThat(micros.notNative())
                .isEqualTo("bucket_multiplier 0.000001 is not a power of two, so its bounds are not powers of two");
        assertThat(buckets(BucketType.EXP2, 3, 0, 27).notNative())
                .isEqualTo("bucket_multiplier 3 is not a power of two, so its bounds are not powers of two");
        assertThat(buckets(BucketType.LINEAR, 2, 0, 10).notNative())
                .isEqualTo("bucket_type linear has evenly spaced bounds, not powers of two");
        assertThat(buckets(BucketType.FIXED, 1, 0, 0).notNative())
                .isEqualTo("bucket_type fixed has buckets of its own bounds");
        assertThat(buckets(BucketType.EXP2, 0x1p-130, 0, 10).notNative())
                .isEqualTo("its bounds 2^-130 to 2^-120 reach outside (2^-128, 2^1023], where exponential buckets are kept");
        assertThat(buckets(BucketType.EXP2, 1, 0, 27).notNative()).isNull();
    }

    @Test
    void theHistogramsSayWinsOverTheFlag() throws ConfigException {
        HistogramBuckets exact = buckets(BucketType.EXP2, 1, 0, 27);
        assertThat(NativeChoice.of(config(null), exact, true)).isEqualTo(new NativeLayout(0, false));
        assertThat(NativeChoice.of(config(null), exact, false)).isNull();
        assertThat(NativeChoice.of(config(true), exact, false)).isEqualTo(new NativeLayout(0, false));
        assertThat(NativeChoice.of(config(false), exact, true)).isNull();
        assertThat(NativeChoice.of(config(true), buckets(BucketType.EXP2, 1e-6, 0, 27), true)).isNull();
    }

    @Test
    void theSnapshotCarriesTheLayoutItsBoundsMatch() throws ConfigException {
        for (double multiplier : new double[]{1, 0x1p-20, 64}) {
            HistogramBuckets exp2 = buckets(BucketType.EXP2, multiplier, 0, 27);
            double[] bounds = exp2.boundsWithInf();
            // Histograms checks every bound against the layout: this throws if they disagree.
            new dev.ebpfexporter.exposition.Histograms(
                    new dev.ebpfexporter.exposition.FamilyMetadata("h", "h", dev.ebpfexporter.exposition.MetricType.HISTOGRAM),
                    new dev.ebpfexporter.exposition.LabelSet[]{dev.ebpfexporter.exposition.LabelSet.EMPTY}, 1, bounds,
                    new long[bounds.length], new double[1], exp2.nativeLayout());
        }
        HistogramBuckets exp2zero = buckets(BucketType.EXP2ZERO, 0x1p-10, 0, 27);
        double[] bounds = exp2zero.boundsWithInf();
        assertThat(bounds[0]).isZero();
        assertThat(bounds[1]).isEqualTo(0x1p-10);
        new dev.ebpfexporter.exposition.Histograms(
                new dev.ebpfexporter.exposition.FamilyMetadata("h", "h", dev.ebpfexporter.exposition.MetricType.HISTOGRAM),
                new dev.ebpfexporter.exposition.LabelSet[]{dev.ebpfexporter.exposition.LabelSet.EMPTY}, 1, bounds,
                new long[bounds.length], new double[1], exp2zero.nativeLayout());
    }

    private static HistogramConfig config(Boolean nativeHistogram) {
        HistogramConfig base = Fixtures.histogram(BucketType.EXP2, 1, 0, 27, List.of(), BUCKET);
        return new HistogramConfig(base.name(), base.map(), base.help(), base.bucketType(), base.bucketMultiplier(),
                base.bucketMin(), base.bucketMax(), base.bucketKeys(), base.labels(), nativeHistogram, base.source());
    }
}
