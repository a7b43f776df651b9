package io.wareedge.edge.driver;

import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * The agent's OPC UA application identity, kept under {@code <dataDir>/opcua}: a key pair and self-signed
 * certificate made on first use ({@code client.p12}; the PLC's administrator trusts {@code client.der} once), and
 * the trust list for servers' certificates ({@code pki/trusted/certs}); a server certificate not trusted yet is
 * put in {@code pki/rejected/certs}, from where an engineer moves it to trusted.
 */
final class OpcUaClientIdentity {
    /** The keystore only keeps the key on the gateway's disk; its protection is the file's permissions. */
    private static final char[] STORE_PASSWORD = "wareedge".toCharArray();

    final KeyPair keyPair;
    final X509Certificate certificate;
    final DefaultClientCertificateValidator validator;

    private OpcUaClientIdentity(KeyPair keyPair, X509Certificate certificate, DefaultClientCertificateValidator validator) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.validator = validator;
    }

    static synchronized OpcUaClientIdentity loadOrCreate(Path dir, String applicationUri) throws Exception {
        Files.createDirectories(dir);
        Path store = dir.resolve("client.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        KeyPair keyPair;
        X509Certificate certificate;
        if (Files.exists(store)) {
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, STORE_PASSWORD);
            }
            certificate = (X509Certificate) ks.getCertificate("client");
            keyPair = new KeyPair(certificate.getPublicKey(), (PrivateKey) ks.getKey("client", STORE_PASSWORD));
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
            certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("WareEdge edge agent")
                    .setOrganization("WareEdge")
                    .setApplicationUri(applicationUri)
                    .addDnsName(hostname())
                    .build();
            ks.load(null, STORE_PASSWORD);
            ks.setKeyEntry("client", keyPair.getPrivate(), STORE_PASSWORD, new Certificate[]{certificate});
            Path tmp = dir.resolve("client.p12.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, STORE_PASSWORD);
            }
            Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.write(dir.resolve("client.der"), certificate.getEncoded());
        }
        FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(dir.resolve("pki"));
        FileBasedCertificateQuarantine quarantine = FileBasedCertificateQuarantine.create(
                dir.resolve("pki").resolve("rejected").resolve("certs"));
        return new OpcUaClientIdentity(keyPair, certificate, new DefaultClientCertificateValidator(trustList, quarantine));
    }

    /** Where a server certificate goes to be trusted. */
    static Path trustedDir(Path dir) {
        return dir.resolve("pki").resolve("trusted").resolve("certs");
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

}
