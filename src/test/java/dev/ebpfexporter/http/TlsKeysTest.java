package dev.ebpfexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys in every PEM form openssl writes by default, each checked against the key openssl reports. */
class TlsKeysTest {
    @TempDir
    Path dir;

    private String pem(String... opensslArgs) throws Exception {
        TestServers.openssl(dir, opensslArgs);
        return Files.readString(dir.resolve("key.pem"));
    }

    /** The private value as openssl prints it, as a hex number without separators. */
    private String opensslHex(String type, String field) throws Exception {
        Process process = new ProcessBuilder("openssl", type, "-in", "key.pem", "-noout", "-text")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isZero();
        StringBuilder hex = new StringBuilder();
        boolean inField = false;
        for (String line : text.split("\n")) {
            if (line.equals(field + ":")) {
                inField = true;
            } else if (inField && line.startsWith("    ")) {
                hex.append(line.strip().replace(":", ""));
            } else if (inField) {
                break;
            }
        }
        assertThat(hex).as(field + " in openssl's output").isNotEmpty();
        return hex.toString().replaceFirst("^0+", "");
    }

    @Test
    void readsPkcs1AndPkcs8RsaKeys() throws Exception {
        RSAPrivateCrtKey pkcs1 = (RSAPrivateCrtKey) TlsContexts.privateKey(
                pem("genrsa", "-traditional", "-out", "key.pem", "2048"));
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(pkcs1.getPrivateExponent().toString(16)).isEqualTo(opensslHex("rsa", "privateExponent"));

        RSAPrivateCrtKey pkcs8 = (RSAPrivateCrtKey) TlsContexts.privateKey(
                pem("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem"));
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(pkcs8.getPrivateExponent().toString(16)).isEqualTo(opensslHex("rsa", "privateExponent"));
    }

    @Test
    void readsSec1EcKeysWithTheirParametersBlockAndPkcs8EcKeys() throws Exception {
        ECPrivateKey sec1 = (ECPrivateKey) TlsContexts.privateKey(
                pem("ecparam", "-name", "prime256v1", "-genkey", "-out", "key.pem"));
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN EC PARAMETERS-----")
                .contains("-----BEGIN EC PRIVATE KEY-----");
        assertThat(sec1.getS().toString(16)).isEqualTo(opensslHex("ec", "priv"));

        ECPrivateKey pkcs8 = (ECPrivateKey) TlsContexts.privateKey(
                pem("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "key.pem"));
        assertThat(pkcs8.getS().toString(16)).isEqualTo(opensslHex("ec", "priv"));
        assertThat(pkcs8.getParams().getOrder().bitLength()).isEqualTo(384);
    }

    @Test
    void refusesEncryptedKeysInOneLine() throws Exception {
        String pkcs8 = pem("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
                "-pass", "pass:secret", "-out", "key.pem");
        assertThat(pkcs8).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThatThrownBy(() -> TlsContexts.privateKey(pkcs8)).isInstanceOf(WebConfigException.class)
                .hasMessage("web config: encrypted private keys are not supported");

        String traditional = pem("genrsa", "-traditional", "-aes128", "-passout", "pass:secret", "-out", "key.pem", "2048");
        assertThat(traditional).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> TlsContexts.privateKey(traditional)).isInstanceOf(WebConfigException.class)
                .hasMessage("web config: encrypted private keys are not supported");
    }

    @Test
    void aFileWithoutAKeyOrWithABrokenKeyIsOneLine() {
        assertThatThrownBy(() -> TlsContexts.privateKey("not pem at all\n"))
                .hasMessage("web config: no PEM private key block (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY) in the key");
        assertThatThrownBy(() -> TlsContexts.privateKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
                .isInstanceOf(WebConfigException.class)
                .hasMessageStartingWith("web config: the key is not a readable PEM private key: ")
                .message().doesNotContain("\n");
    }
}
