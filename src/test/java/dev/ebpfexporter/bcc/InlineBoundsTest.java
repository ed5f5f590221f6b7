package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inline format applies the same histogram bounds as v2 configs, before any int conversion. */
class InlineBoundsTest {
    @TempDir
    Path dir;

    @Test
    void refusesAHistogramBeyondTheBucketBounds() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), """
                programs:
                  - name: p
                    metrics:
                      histograms:
                        - name: lat
                          help: Latency
                          table: dist
                          bucket_type: exp2
                          bucket_min: 0
                          bucket_max: 1000000000
                          labels:
                            - {name: bucket, size: 8, decoders: [{name: uint}]}
                    tracepoints:
                      sched:sched_switch: on_switch
                    code: |
                      int x;
                """);
        assertThatThrownBy(() -> V1ConfigParser.parse(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("bucket_min 0 and bucket_max 1000000000 must be within -64..64 for bucket_type exp2"
                        + " (bounds are powers of two; 2^64 is above any 64-bit value)")
                .message().doesNotContain("\n");
    }
}
