package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// writeCert writes a self-signed certificate for 127.0.0.1 and its key into dir.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zarrsql test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "EC PRIVATE KEY", kder)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// writePEM writes one PEM block to path.
func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSecureTransport(t *testing.T) {
	cfg := corpusConfig()
	var pool *x509.CertPool
	cfg.Auth.TLSCert, cfg.Auth.TLSKey, pool = writeCert(t, t.TempDir())
	cfg.Auth.RequireSecureTransport = true
	addr := startAddr(t, cfg)
	for _, tc := range []struct {
		name    string
		tls     *tls.Config
		wantErr string
	}{
		// GMS answers 1105 "server does not allow insecure connections", not MySQL's 3159.
		{"plaintext", nil, "insecure connections"},
		{"tls11", &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, "tls"},
		{"tls12", &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MaxVersion: tls.VersionTLS12}, ""},
		{"tls13", &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS13}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := "root@tcp(" + addr + ")/zarrsql"
			if tc.tls != nil {
				if err := mysql.RegisterTLSConfig("auth-"+tc.name, tc.tls); err != nil {
					t.Fatal(err)
				}
				dsn += "?tls=auth-" + tc.name
			}
			db, err := sql.Open("mysql", dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = db.Ping()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("ping: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(strings.ToLower(err.Error()), tc.wantErr)):
				t.Fatalf("ping: %v, want an error naming %q", err, tc.wantErr)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	db := start(t, corpusConfig())
	for _, q := range []string{
		"INSERT INTO era5 (tp) VALUES (1)",
		"DELETE FROM era5",
		"UPDATE era5 SET tp = 0",
		"DROP TABLE era5",
		"CREATE TABLE t (x INT)",
	} {
		t.Run(q, func(t *testing.T) {
			_, err := db.Exec(q)
			// GMS refuses INSERT with "table doesn't support INSERT INTO", the rest as read-only.
			if err == nil || !strings.Contains(err.Error(), "read-only") && !strings.Contains(err.Error(), "doesn't support") {
				t.Fatalf("%s: %v, want a read-only error", q, err)
			}
			t.Log(err)
		})
	}
}
