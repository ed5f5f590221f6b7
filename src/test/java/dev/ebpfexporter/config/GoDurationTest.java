package dev.ebpfexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void parsesGoDurationText() {
        assertThat(GoDuration.parse("0")).contains(Duration.ZERO);
        assertThat(GoDuration.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(GoDuration.parse("1m")).contains(Duration.ofMinutes(1));
        assertThat(GoDuration.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(GoDuration.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(GoDuration.parse("2us")).contains(Duration.ofNanos(2000));
        assertThat(GoDuration.parse("2µs")).contains(Duration.ofNanos(2000));
        assertThat(GoDuration.parse("7ns")).contains(Duration.ofNanos(7));
        assertThat(GoDuration.parse("-1m")).contains(Duration.ofMinutes(-1));
        assertThat(GoDuration.parse(".5h")).contains(Duration.ofMinutes(30));
    }

    @Test
    void rejectsWhatGoRejects() {
        assertThat(GoDuration.parse("")).isEmpty();
        assertThat(GoDuration.parse("30")).isEmpty(); // a unit is required except for 0
        assertThat(GoDuration.parse("1d")).isEmpty();
        assertThat(GoDuration.parse("s")).isEmpty();
        assertThat(GoDuration.parse("1 m")).isEmpty();
        assertThat(GoDuration.parse("1m30")).isEmpty();
        assertThat(GoDuration.parse("99999999999999h")).isEmpty();
    }
}
