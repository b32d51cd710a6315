package io.switchboard.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificates the SMTP probe trusts: the system trust store, plus the optional PKCS12 file of
 * {@code email.probe.trust-store} (for a relay with a private CA). Never trust-all; host names are
 * checked by the TLS handshake itself (endpoint identification), for every trusted source alike.
 */
final class ProbeTrust {

    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ProbeTrust() {
    }

    static SSLContext sslContext(String trustStore, String trustStorePassword) {
        try {
            List<X509ExtendedTrustManager> managers = new ArrayList<>();
            managers.add(trustManager(null));
            if (trustStore != null && !trustStore.isBlank()) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                char[] password = trustStorePassword == null ? new char[0] : trustStorePassword.toCharArray();
                try (InputStream in = Files.newInputStream(Path.of(trustStore))) {
                    store.load(in, password);
                }
                managers.add(trustManager(store));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyOf(managers)}, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read email.probe.trust-store " + trustStore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load email.probe.trust-store " + trustStore, e);
        }
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no X509 trust manager available"));
    }

    /** Trusts a server chain when any of its trust managers does (each one checks the host name too). */
    private static final class AnyOf extends X509ExtendedTrustManager {

        private final List<X509ExtendedTrustManager> managers;

        AnyOf(List<X509ExtendedTrustManager> managers) {
            this.managers = List.copyOf(managers);
        }

        private interface Check {
            void run(X509ExtendedTrustManager manager) throws CertificateException;
        }

        /**
         * Passes when one trust manager accepts the chain. Otherwise the reason given is the most telling:
         * a source that knows the issuer but rejects the certificate (wrong host name, expired) says more
         * than the sources that do not know the issuer at all.
         */
        private void any(Check check) throws CertificateException {
            CertificateException unknownIssuer = null;
            CertificateException rejected = null;
            for (X509ExtendedTrustManager manager : managers) {
                try {
                    check.run(manager);
                    return;
                } catch (CertificateException e) {
                    if (isUnknownIssuer(e)) {
                        unknownIssuer = unknownIssuer == null ? e : unknownIssuer;
                    } else {
                        rejected = rejected == null ? e : rejected;
                    }
                }
            }
            throw rejected != null ? rejected : unknownIssuer;
        }

        private static boolean isUnknownIssuer(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof CertPathBuilderException) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the SMTP probe is a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the SMTP probe is a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the SMTP probe is a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> Arrays.stream(m.getAcceptedIssuers())).toArray(X509Certificate[]::new);
        }
    }
}
