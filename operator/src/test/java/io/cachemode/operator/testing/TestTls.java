package io.cachemode.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA and a server certificate for 127.0.0.1 (and localhost), made with the {@code
 * openssl} binary in a temporary directory, plus a client socket factory that trusts only that CA.
 */
public final class TestTls {

  private final Path dir;

  private TestTls(Path dir) {
    this.dir = dir;
  }

  /** Creates the CA and the server certificate; fails when openssl is missing or fails. */
  public static TestTls create() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("test-tls-");
    Path ext = dir.resolve("server.ext");
    Files.writeString(
        ext,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            + "keyUsage=critical,digitalSignature,keyEncipherment\n"
            + "extendedKeyUsage=serverAuth\n");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=cachemode-test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    openssl(
        dir,
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt");
    return new TestTls(dir);
  }

  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  public Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** TLS client sockets that trust the test CA and nothing else. */
  public SSLSocketFactory clientSocketFactory() {
    try (InputStream in = Files.newInputStream(caCertificate())) {
      X509Certificate ca =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("test-ca", ca);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the test CA", e);
    }
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "openssl "
              + String.join(" ", args)
              + " failed: "
              + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
