package io.switchboard.genesys;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test: a test CA (what {@code resolver.trust-store} trusts) and server
 * certificates it signs (valid, expired, for another host), plus a self-signed one nobody trusts.
 */
final class TestCertificates {

    static final String TRUST_STORE_PASSWORD = "trust-store-test-pass";
    /** Names in the good certificates: the loopback address and two names the unit tests resolve by hand. */
    static final String[] SERVER_NAMES = {"localhost", "destination.test"};

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static TestCertificates instance;

    record Identity(KeyPair keys, X509Certificate[] chain) {
        SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keys.getPrivate(), new char[0], chain);
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(factory.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final Identity ca;
    final Identity trusted;
    final Identity expired;
    final Identity wrongHost;
    final Identity selfSigned;
    final Path trustStore;

    private TestCertificates() throws Exception {
        Instant now = Instant.now();
        ca = caIdentity(now);
        trusted = signed("CN=localhost", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                true, SERVER_NAMES);
        expired = signed("CN=localhost", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                true, SERVER_NAMES);
        wrongHost = signed("CN=wrong-host.example", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                false, "wrong-host.example");
        KeyPair own = keyPair();
        X509Certificate self = build(new X500Name("CN=localhost"), own, new X500Name("CN=localhost"), own,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, true, SERVER_NAMES);
        selfSigned = new Identity(own, new X509Certificate[] {self});

        trustStore = Files.createTempFile("switchboard-resolver-trust", ".p12");
        trustStore.toFile().deleteOnExit();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("switchboard-test-ca", ca.chain()[0]);
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
    }

    static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                instance = new TestCertificates();
            } catch (Exception e) {
                throw new IllegalStateException("cannot make test certificates", e);
            }
        }
        return instance;
    }

    private Identity caIdentity(Instant now) throws Exception {
        KeyPair keys = keyPair();
        X500Name name = new X500Name("CN=Switchboard Test CA");
        X509Certificate certificate = build(name, keys, name, keys, now.minus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(60)), true, false);
        return new Identity(keys, new X509Certificate[] {certificate});
    }

    private Identity signed(String subject, Instant from, Instant to, boolean withLoopbackIp, String... names)
            throws Exception {
        KeyPair keys = keyPair();
        X509Certificate certificate = build(new X500Name(subject), keys, new X500Name("CN=Switchboard Test CA"), ca.keys(),
                from, to, false, withLoopbackIp, names);
        return new Identity(keys, new X509Certificate[] {certificate, ca.chain()[0]});
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         Instant from, Instant to, boolean isCa, boolean withLoopbackIp,
                                         String... names) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject,
                subjectKeys.getPublic());
        if (isCa) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            GeneralName[] alternatives = new GeneralName[names.length + (withLoopbackIp ? 1 : 0)];
            for (int i = 0; i < names.length; i++) {
                alternatives[i] = new GeneralName(GeneralName.dNSName, names[i]);
            }
            if (withLoopbackIp) {
                alternatives[names.length] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }
}
