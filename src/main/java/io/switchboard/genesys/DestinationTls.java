package io.switchboard.genesys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for destination checks: TLS 1.3 and 1.2 only, certificates verified against the system trust
 * store plus the optional {@code resolver.trust-store} (PKCS12), never trust-all. Both sets of anchors
 * go into one PKIX trust manager, so chain building, expiry and host-name checks are the JDK's own and
 * its error messages say exactly what failed.
 */
public class DestinationTls {

    /** Protocols a destination may negotiate, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final X509TrustManager trust;
    private final int extraAnchors;

    private DestinationTls(SSLContext context, X509TrustManager trust, int extraAnchors) {
        this.context = context;
        this.trust = trust;
        this.extraAnchors = extraAnchors;
    }

    public static DestinationTls create(String trustStore, String password) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int index = 0;
            for (X509Certificate ca : systemAnchors()) {
                anchors.setCertificateEntry("system-" + index++, ca);
            }
            int extra = 0;
            if (trustStore != null && !trustStore.isBlank()) {
                KeyStore custom = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(Path.of(trustStore))) {
                    custom.load(in, password == null ? new char[0] : password.toCharArray());
                }
                for (String alias : Collections.list(custom.aliases())) {
                    Certificate certificate = custom.getCertificate(alias);
                    if (certificate != null) {
                        anchors.setCertificateEntry("resolver-" + extra++, certificate);
                    }
                }
                if (extra == 0) {
                    throw new IllegalStateException("resolver.trust-store " + trustStore + " holds no certificates");
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            X509TrustManager trust = x509(factory.getTrustManagers());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return new DestinationTls(context, trust, extra);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resolver.trust-store " + trustStore + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for destination checks: " + e.getMessage(), e);
        }
    }

    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    /** Certificates trusted from {@code resolver.trust-store} (0 without one). */
    public int extraAnchors() {
        return extraAnchors;
    }

    /** Every certificate destinations may chain up to: the system's and resolver.trust-store's. */
    List<X509Certificate> trustedIssuers() {
        return List.of(trust.getAcceptedIssuers());
    }

    static List<X509Certificate> systemAnchors() throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        return List.of(x509(system.getTrustManagers()).getAcceptedIssuers());
    }

    private static X509TrustManager x509(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }
}
