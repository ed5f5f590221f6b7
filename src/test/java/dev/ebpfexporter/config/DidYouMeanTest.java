package dev.ebpfexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DidYouMeanTest {
    @Test
    void suggestsTheClosestKey() {
        assertThat(DidYouMean.suggest("lables", List.of("name", "labels"))).isEqualTo(" (did you mean \"labels\"?)");
        assertThat(DidYouMean.suggest("bucket_multipler", List.of("bucket_min", "bucket_multiplier")))
                .isEqualTo(" (did you mean \"bucket_multiplier\"?)");
    }

    @Test
    void listsTheKeysWhenNothingIsClose() {
        assertThat(DidYouMean.suggest("zzz", List.of("name", "help"))).isEqualTo(" (expected one of: help, name)");
    }

    @Test
    void countsATranspositionAsOneEdit() {
        assertThat(DidYouMean.distance("lables", "labels")).isEqualTo(1);
        assertThat(DidYouMean.distance("size", "size")).isZero();
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
    }
}
