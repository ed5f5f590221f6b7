package dev.ebpfexporter.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HashPasswordTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return HashPassword.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void printsABcryptHashOfTheFirstLineOfStandardInput() {
        assertThat(run("changeme\nignored\n", "--cost=4")).isZero();
        String hash = out.toString(StandardCharsets.UTF_8);
        assertThat(hash).startsWith("$2a$04$").endsWith("\n").hasSize(61);
        assertThat(BCrypt.verifyer().verify("changeme".toCharArray(), hash.strip()).verified).isTrue();
        assertThat(BCrypt.verifyer().verify("changeme\n".toCharArray(), hash.strip()).verified).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutALineBreakAndWithCrLfTheHashIsOfThePasswordAlone() {
        assertThat(run("pw", "--cost=4")).isZero();
        assertThat(run("pw\r\n", "--cost=4")).isZero();
        for (String hash : out.toString(StandardCharsets.UTF_8).strip().split("\n")) {
            assertThat(BCrypt.verifyer().verify("pw".toCharArray(), hash).verified).isTrue();
        }
    }

    @Test
    void theDefaultCostIsTen() {
        assertThat(run("pw\n")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("$2a$10$");
    }

    @Test
    void badInputIsOneLine() {
        assertThat(run("")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ebpf_exporter hash-password: no password on standard"
                + " input (usage: echo -n 'secret' | ebpf_exporter hash-password)\n");
        err.reset();
        assertThat(run("pw\n", "--cost=3")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("ebpf_exporter hash-password: --cost must be a number from 4 to 31, got \"3\"\n");
        err.reset();
        assertThat(run("pw\n", "secret")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ebpf_exporter hash-password: unknown argument"
                + " \"secret\"; it reads the password from standard input: echo -n 'secret' | ebpf_exporter hash-password\n");
        err.reset();
        assertThat(run("x".repeat(73) + "\n")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("ebpf_exporter hash-password: the password is 73 bytes; bcrypt uses at most 72\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
