package dev.ebpfexporter.http;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLS for the web server from a {@link WebConfig.Tls}: PEM certificates (the JDK) and keys (PKCS#8, PKCS#1
 * RSA and SEC1 EC keys, BouncyCastle's PEM parser) into an {@link SSLContext}, and the
 * toolkit's versions, cipher suites, curves and client authentication onto Jetty's factory.
 */
final class TlsContexts {
    private static final Map<String, String> VERSIONS = Map.of("TLS10", "TLSv1", "TLS11", "TLSv1.1",
            "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
    private static final List<String> VERSION_ORDER = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final Map<String, String> GROUPS = Map.of("CurveP256", "secp256r1", "CurveP384", "secp384r1",
            "CurveP521", "secp521r1", "X25519", "x25519");

    private TlsContexts() {
    }

    /**
     * The Java runtime leaves out versions its {@code jdk.tls.disabledAlgorithms} names (TLS 1.0 and 1.1 by
     * default) whatever the server asks for: a {@code min_version} below what it serves would be accepted
     * and not applied, so it is refused instead.
     */
    private static void requireEnabled(WebConfig.Tls tls, List<String> protocols, SSLContext context)
            throws WebConfigException {
        List<String> enabled = List.of(context.getDefaultSSLParameters().getProtocols());
        String lowest = VERSION_ORDER.stream().filter(v -> enabled.contains(VERSIONS.get(v))).findFirst().orElse("none");
        for (String protocol : protocols) {
            if (!enabled.contains(protocol)) {
                String version = VERSION_ORDER.stream().filter(v -> VERSIONS.get(v).equals(protocol)).findFirst().orElseThrow();
                String field = version.equals(tls.minVersion()) ? "min_version" : "max_version";
                throw new WebConfigException("tls_server_config." + field + ": " + version + " (" + protocol
                        + ") is disabled in this Java runtime (jdk.tls.disabledAlgorithms), the lowest version it serves is "
                        + lowest + ": set " + field + " to " + lowest + " or above");
            }
        }
    }

    /** Jetty's SSL factory for {@code tls}; fails with one line when a certificate or key cannot be used. */
    static SslContextFactory.Server factory(WebConfig.Tls tls) throws WebConfigException {
        SSLContext context = context(tls);
        List<String> groups = tls.curvePreferences().stream().map(c -> javaGroupName(c).orElseThrow()).toList();
        SslContextFactory.Server factory = new SslContextFactory.Server() {
            @Override
            public void customize(SSLEngine engine) {
                super.customize(engine);
                if (!groups.isEmpty()) {
                    SSLParameters parameters = engine.getSSLParameters();
                    parameters.setNamedGroups(groups.toArray(String[]::new));
                    engine.setSSLParameters(parameters);
                }
            }
        };
        factory.setSslContext(context);
        List<String> protocols = VERSION_ORDER.subList(VERSION_ORDER.indexOf(tls.minVersion()),
                VERSION_ORDER.indexOf(tls.maxVersion()) + 1).stream().map(VERSIONS::get).toList();
        requireEnabled(tls, protocols, context);
        factory.setExcludeProtocols("SSL", "SSLv2", "SSLv2Hello", "SSLv3");
        factory.setIncludeProtocols(protocols.toArray(String[]::new));
        if (!tls.cipherSuites().isEmpty()) {
            List<String> suites = new ArrayList<>(tls.cipherSuites().stream()
                    .map(c -> javaCipherName(c).orElseThrow()).toList());
            // cipher_suites configures TLS 1.2 and below only, as in Go; TLS 1.3 suites stay on.
            suites.addAll(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"));
            factory.setExcludeCipherSuites();
            factory.setIncludeCipherSuites(suites.toArray(String[]::new));
        }
        factory.setUseCipherSuitesOrder(tls.preferServerCipherSuites());
        factory.setNeedClientAuth(tls.clientAuth().need());
        factory.setWantClientAuth(tls.clientAuth().want());
        factory.setSniRequired(false);
        return factory;
    }

    static SSLContext context(WebConfig.Tls tls) throws WebConfigException {
        List<X509Certificate> chain = certificates(tls.certPem(), "certificate");
        PrivateKey key = privateKey(tls.keyPem());
        checkPair(chain.getFirst(), key);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = new char[0];
            keys.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TrustManager[] trust = null;
            if (tls.clientAuth() != WebConfig.ClientAuth.NO_CLIENT_CERT) {
                X509TrustManager base = tls.clientAuth().verify() ? caTrust(tls.clientCaPem().orElseThrow()) : ANY_CLIENT;
                trust = new TrustManager[]{new SanCheckingTrustManager(base, tls.clientAllowedSans())};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new WebConfigException("web config: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager caTrust(String caPem) throws WebConfigException, GeneralSecurityException,
            java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : certificates(caPem, "client CA")) {
            store.setCertificateEntry("ca" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager manager : tmf.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new WebConfigException("web config: no X.509 trust manager for the client CA");
    }

    static List<X509Certificate> certificates(String pem, String what) throws WebConfigException {
        try {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new WebConfigException("web config: no PEM CERTIFICATE block in the " + what);
            }
            return certs.stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new WebConfigException("web config: the " + what + " is not a PEM X.509 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The first private key in {@code pem}: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1
     * ("EC PRIVATE KEY"), read by BouncyCastle's PEM parser; certificates and EC PARAMETERS beside it are
     * skipped. Encrypted keys are refused: the toolkit has no passphrase setting either.
     */
    static PrivateKey privateKey(String pem) throws WebConfigException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                switch (block) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        return converter.getKeyPair(pair).getPrivate();
                    }
                    case PKCS8EncryptedPrivateKeyInfo encrypted ->
                            throw new WebConfigException("web config: encrypted private keys are not supported");
                    case PEMEncryptedKeyPair encrypted ->
                            throw new WebConfigException("web config: encrypted private keys are not supported");
                    default -> {
                        // certificates and EC PARAMETERS next to the key
                    }
                }
            }
        } catch (IOException e) {
            throw new WebConfigException("web config: the key is not a readable PEM private key: "
                    + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), e);
        }
        throw new WebConfigException("web config: no PEM private key block (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY) in the key");
    }

    /** The certificate's public key must verify what the private key signs, as Go's X509KeyPair checks. */
    private static void checkPair(X509Certificate cert, PrivateKey key) throws WebConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "ebpf-exporter key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new WebConfigException("web config: the private key does not match the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new WebConfigException("web config: the private key does not match the certificate ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Go's cipher suite names are IANA names; the CHACHA20 ones lack the hash suffix Java has. */
    static Optional<String> javaCipherName(String goName) {
        return switch (goName) {
            case "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                 "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA256",
                 "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                 "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                 "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                 "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                 "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" -> Optional.of(goName);
            case "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" ->
                    Optional.of("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
            case "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" ->
                    Optional.of("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
            default -> Optional.empty();
        };
    }

    static Optional<String> javaGroupName(String goCurve) {
        return Optional.ofNullable(GROUPS.get(goCurve));
    }

    /** RequestClientCert / RequireAnyClientCert: a client certificate is taken without verifying it. */
    private static final X509TrustManager ANY_CLIENT = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server certificates are not checked by this trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** {@code client_allowed_sans}: after the usual checks, the client certificate must carry one of the names. */
    private record SanCheckingTrustManager(X509TrustManager base, List<String> allowed) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            base.checkClientTrusted(chain, authType);
            if (allowed.isEmpty()) {
                return;
            }
            for (String name : sans(chain[0])) {
                if (allowed.contains(name)) {
                    return;
                }
            }
            throw new CertificateException("client certificate has no subject alternative name in client_allowed_sans");
        }

        private static List<String> sans(X509Certificate cert) throws CertificateParsingException {
            List<String> names = new ArrayList<>();
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> entry : cert.getSubjectAlternativeNames()) {
                    if (entry.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
            return names;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            base.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return base.getAcceptedIssuers();
        }
    }
}
